-- Kube (Kelompok Usaha Bersama): groups, members and officers with terms, federations,
-- meetings with attendance, monitoring visits, stimulant aid, bank linkage (PHBK), and the
-- group funds (IKS, group savings) as a subledger of journal lines by Kube.

CREATE TABLE kube_federation (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    level TEXT NOT NULL CHECK (level IN ('rw', 'desa')),
    coordinator TEXT NOT NULL DEFAULT '',
    supervisor TEXT NOT NULL DEFAULT '',
    formed_on TEXT NOT NULL
);

CREATE TABLE kube (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    business_type TEXT NOT NULL DEFAULT '',
    rt TEXT NOT NULL DEFAULT '',
    rw TEXT NOT NULL DEFAULT '',
    desa TEXT NOT NULL DEFAULT '',
    formed_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'aktif' CHECK (status IN ('aktif', 'bubar')),
    federation_id INTEGER REFERENCES kube_federation(id),
    pendamping TEXT NOT NULL DEFAULT '',
    stage_override TEXT CHECK (stage_override IS NULL
                               OR stage_override IN ('tumbuh', 'berkembang', 'maju')),
    stage_override_reason TEXT,
    stage_override_by INTEGER REFERENCES user(id)
);

CREATE TABLE kube_member (
    id INTEGER PRIMARY KEY,
    kube_id INTEGER NOT NULL REFERENCES kube(id),
    member_id INTEGER NOT NULL REFERENCES member(id),
    joined_on TEXT NOT NULL,
    left_on TEXT CHECK (left_on IS NULL OR left_on >= joined_on)
);
-- A household belongs to one Kube at a time.
CREATE UNIQUE INDEX kube_member_one_open ON kube_member(member_id) WHERE left_on IS NULL;
CREATE INDEX kube_member_kube ON kube_member(kube_id);

CREATE TABLE kube_officer (
    id INTEGER PRIMARY KEY,
    kube_id INTEGER NOT NULL REFERENCES kube(id),
    member_id INTEGER NOT NULL REFERENCES member(id),
    role TEXT NOT NULL CHECK (role IN ('ketua', 'sekretaris', 'bendahara')),
    term_start TEXT NOT NULL,
    term_end TEXT CHECK (term_end IS NULL OR term_end >= term_start)
);
CREATE INDEX kube_officer_kube ON kube_officer(kube_id);

CREATE TABLE kube_meeting (
    id INTEGER PRIMARY KEY,
    kube_id INTEGER NOT NULL REFERENCES kube(id),
    held_on TEXT NOT NULL,
    problems TEXT NOT NULL DEFAULT '',
    solutions TEXT NOT NULL DEFAULT '',
    decisions TEXT NOT NULL DEFAULT '',
    problems_raised INTEGER NOT NULL DEFAULT 0 CHECK (problems_raised >= 0),
    problems_solved INTEGER NOT NULL DEFAULT 0
        CHECK (problems_solved >= 0 AND problems_solved <= problems_raised),
    journal_id INTEGER REFERENCES journal(id)
);
CREATE INDEX kube_meeting_kube ON kube_meeting(kube_id, held_on);

CREATE TABLE kube_attendance (
    meeting_id INTEGER NOT NULL REFERENCES kube_meeting(id),
    member_id INTEGER NOT NULL REFERENCES member(id),
    present INTEGER NOT NULL CHECK (present IN (0, 1)),
    PRIMARY KEY (meeting_id, member_id)
) WITHOUT ROWID;

CREATE TABLE monitoring_visit (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member(id),
    visited_on TEXT NOT NULL,
    monthly_income INTEGER NOT NULL CHECK (typeof(monthly_income) = 'integer'
                                           AND monthly_income >= 0),
    business_status TEXT NOT NULL
        CHECK (business_status IN ('belum', 'berjalan', 'berkembang', 'berhenti')),
    notes TEXT NOT NULL DEFAULT '',
    visited_by INTEGER NOT NULL REFERENCES user(id)
);
CREATE INDEX monitoring_visit_member ON monitoring_visit(member_id, visited_on);

CREATE TABLE stimulant_aid (
    id INTEGER PRIMARY KEY,
    kube_id INTEGER NOT NULL REFERENCES kube(id),
    kind TEXT NOT NULL CHECK (kind IN ('barang', 'uang')),
    item TEXT NOT NULL,
    value INTEGER NOT NULL CHECK (typeof(value) = 'integer' AND value > 0),
    source TEXT NOT NULL,
    received_on TEXT NOT NULL,
    condition TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT ''
);

CREATE TABLE bank_linkage (
    id INTEGER PRIMARY KEY,
    kube_id INTEGER NOT NULL REFERENCES kube(id),
    model TEXT NOT NULL CHECK (model IN ('langsung', 'perantara', 'tanggung_renteng')),
    bank TEXT NOT NULL,
    linked_on TEXT NOT NULL,
    amount INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND amount > 0),
    status TEXT NOT NULL CHECK (status IN ('usulan', 'berjalan', 'lunas', 'ditolak'))
);

-- Group funds: lines on the IKS and group-savings accounts name their Kube.
ALTER TABLE journal_line ADD COLUMN kube_id INTEGER REFERENCES kube(id);
CREATE INDEX journal_line_kube ON journal_line(kube_id, account_id) WHERE kube_id IS NOT NULL;
