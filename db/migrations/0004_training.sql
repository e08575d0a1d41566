-- Training (pelatihan): the empowerment curriculum, sessions of one to fifteen days with
-- their topics, participants (members, Kube officers, BMT staff), attendance per day and
-- optional pre- and post-test scores. Completion is computed (attendance against the
-- threshold the session copied from the setting when it was created), never stored.

CREATE TABLE training_topic (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE
        CHECK (length(code) BETWEEN 2 AND 20 AND code NOT GLOB '*[^A-Z0-9-]*'),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind TEXT NOT NULL CHECK (kind IN ('sosial', 'keterampilan', 'manajemen')),
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE training_session (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    kind TEXT NOT NULL CHECK (kind IN ('sosial', 'keterampilan', 'manajemen')),
    start_date TEXT NOT NULL CHECK (date(start_date) IS start_date),
    end_date TEXT NOT NULL CHECK (date(end_date) IS end_date),
    venue TEXT NOT NULL DEFAULT '',
    trainer TEXT NOT NULL DEFAULT '',
    institution TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL CHECK (typeof(capacity) = 'integer' AND capacity BETWEEN 1 AND 500),
    -- the completion rule in force when the session was created (setting training_completion_pct)
    completion_pct INTEGER NOT NULL
        CHECK (typeof(completion_pct) = 'integer' AND completion_pct BETWEEN 1 AND 100),
    status TEXT NOT NULL DEFAULT 'aktif' CHECK (status IN ('aktif', 'batal')),
    cancel_reason TEXT,
    notes TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES user(id),
    -- one to fifteen days
    CHECK (end_date >= start_date AND julianday(end_date) - julianday(start_date) <= 14),
    CHECK ((status = 'batal') = (cancel_reason IS NOT NULL))
);
CREATE INDEX training_session_dates ON training_session(start_date, end_date);

CREATE TABLE training_session_topic (
    session_id INTEGER NOT NULL REFERENCES training_session(id),
    topic_id INTEGER NOT NULL REFERENCES training_topic(id),
    PRIMARY KEY (session_id, topic_id)
) WITHOUT ROWID;
CREATE INDEX training_session_topic_topic ON training_session_topic(topic_id, session_id);

CREATE TABLE training_participant (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES training_session(id),
    role TEXT NOT NULL CHECK (role IN ('anggota', 'pengurus', 'staf')),
    member_id INTEGER REFERENCES member(id),
    kube_id INTEGER REFERENCES kube(id),
    user_id INTEGER REFERENCES user(id),
    name TEXT NOT NULL DEFAULT '',
    pre_score INTEGER CHECK (pre_score IS NULL
                             OR (typeof(pre_score) = 'integer' AND pre_score BETWEEN 0 AND 100)),
    post_score INTEGER CHECK (post_score IS NULL
                              OR (typeof(post_score) = 'integer' AND post_score BETWEEN 0 AND 100)),
    -- members (and Kube officers, who are members) by their record; staff by user or name
    CHECK ((role = 'anggota' AND member_id IS NOT NULL AND user_id IS NULL AND name = '')
        OR (role = 'pengurus' AND member_id IS NOT NULL AND kube_id IS NOT NULL
            AND user_id IS NULL AND name = '')
        OR (role = 'staf' AND member_id IS NULL AND kube_id IS NULL
            AND ((user_id IS NOT NULL AND name = '')
                 OR (user_id IS NULL AND length(trim(name)) > 0))))
);
-- A person takes part in a session once.
CREATE UNIQUE INDEX training_participant_member ON training_participant(session_id, member_id)
    WHERE member_id IS NOT NULL;
CREATE UNIQUE INDEX training_participant_user ON training_participant(session_id, user_id)
    WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX training_participant_name ON training_participant(session_id, name)
    WHERE member_id IS NULL AND user_id IS NULL;
CREATE INDEX training_participant_by_member ON training_participant(member_id)
    WHERE member_id IS NOT NULL;

CREATE TABLE training_attendance (
    participant_id INTEGER NOT NULL REFERENCES training_participant(id),
    day TEXT NOT NULL CHECK (date(day) IS day),
    present INTEGER NOT NULL CHECK (present IN (0, 1)),
    PRIMARY KEY (participant_id, day)
) WITHOUT ROWID;

-- A day of attendance lies within its session (the service says so first, in words).
CREATE TRIGGER training_attendance_in_session_insert
BEFORE INSERT ON training_attendance
WHEN NOT EXISTS (SELECT 1 FROM training_participant p
                 JOIN training_session s ON s.id = p.session_id
                 WHERE p.id = NEW.participant_id
                   AND NEW.day BETWEEN s.start_date AND s.end_date)
BEGIN
    SELECT RAISE(ABORT, 'training attendance outside its session');
END;

CREATE TRIGGER training_attendance_in_session_update
BEFORE UPDATE OF participant_id, day ON training_attendance
WHEN NOT EXISTS (SELECT 1 FROM training_participant p
                 JOIN training_session s ON s.id = p.session_id
                 WHERE p.id = NEW.participant_id
                   AND NEW.day BETWEEN s.start_date AND s.end_date)
BEGIN
    SELECT RAISE(ABORT, 'training attendance outside its session');
END;

-- The PINBUK curriculum of the seed study (domain.md §5), with the business-skills practice
-- at a local entrepreneur's workshop that comes before stimulant aid and financing.
INSERT INTO training_topic (code, name, kind, description, position) VALUES
    ('DIRI', 'Mengenal diri dan orang lain', 'sosial', '', 1),
    ('KERJASAMA', 'Kerja sama dalam kelompok', 'sosial', '', 2),
    ('KOMUNIKASI', 'Komunikasi', 'sosial', '', 3),
    ('KEPEMIMPINAN', 'Kepemimpinan', 'sosial', '', 4),
    ('PRINSIP-KUBE', 'Prinsip Kube', 'sosial', '', 5),
    ('USAHA', 'Praktik keterampilan usaha', 'keterampilan',
     'Praktik di tempat usaha pengusaha kecil setempat, sesuai jenis usaha kelompok', 6),
    ('ADART', 'AD/ART', 'manajemen', '', 7),
    ('PENAHAPAN-LKM', 'Penahapan LKM', 'manajemen', '', 8),
    ('PINJAMAN', 'Arti, manfaat dan jenis pinjaman', 'manajemen', '', 9),
    ('PERMOHONAN-KREDIT', 'Cara mengajukan permohonan dan penilaian kredit', 'manajemen', '',
     10),
    ('PENGAWASAN-KREDIT', 'Pengawasan dan pengendalian kredit', 'manajemen', '', 11),
    ('PHBK', 'Mekanisme kredit pedesaan dan PHBK', 'manajemen', '', 12),
    ('KUNJUNGAN', 'Kunjungan lapangan', 'manajemen', '', 13),
    ('RTL', 'Rencana kerja tindak lanjut', 'manajemen', '', 14);
