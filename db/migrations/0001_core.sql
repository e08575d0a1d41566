-- Core book: office, users, chart of accounts, members (core fields), ledger, audit chain.
-- Money columns are INTEGER rupiah; CHECKs refuse anything else even from outside the program.

CREATE TABLE office (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    registration_number TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    logo BLOB,
    fiscal_year_start_month INTEGER NOT NULL DEFAULT 1
        CHECK (fiscal_year_start_month BETWEEN 1 AND 12),
    is_demo INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE TABLE user (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'teller', 'auditor')),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    type TEXT NOT NULL
        CHECK (type IN ('asset', 'liability', 'syirkah', 'equity', 'income', 'expense')),
    normal_side TEXT NOT NULL CHECK (normal_side IN ('D', 'C')),
    fund TEXT NOT NULL CHECK (fund IN ('tamwil', 'maal')),
    parent_id INTEGER REFERENCES account(id),
    is_header INTEGER NOT NULL DEFAULT 0 CHECK (is_header IN (0, 1)),
    is_contra INTEGER NOT NULL DEFAULT 0 CHECK (is_contra IN (0, 1)),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- Debit minus credit of every posted line: kept by the ledger, checked by verify.
    balance INTEGER NOT NULL DEFAULT 0 CHECK (typeof(balance) = 'integer')
);

CREATE TABLE member (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    nik TEXT UNIQUE,
    sex TEXT CHECK (sex IN ('L', 'P')),
    birth_date TEXT,
    rt TEXT NOT NULL DEFAULT '',
    rw TEXT NOT NULL DEFAULT '',
    desa TEXT NOT NULL DEFAULT '',
    kecamatan TEXT NOT NULL DEFAULT '',
    kabupaten TEXT NOT NULL DEFAULT '',
    occupation TEXT NOT NULL DEFAULT '',
    join_date TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'aktif' CHECK (status IN ('calon', 'aktif', 'keluar'))
);
CREATE INDEX member_name ON member(name);

CREATE TABLE doc_sequence (
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    last_number INTEGER NOT NULL CHECK (last_number >= 0),
    PRIMARY KEY (kind, year)
) WITHOUT ROWID;

CREATE TABLE journal (
    id INTEGER PRIMARY KEY,
    doc_number TEXT NOT NULL UNIQUE,
    doc_kind TEXT NOT NULL,
    date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    description TEXT NOT NULL,
    reverses_id INTEGER UNIQUE REFERENCES journal(id),
    reason TEXT,
    created_by INTEGER NOT NULL REFERENCES user(id),
    created_at TEXT NOT NULL
);
CREATE INDEX journal_date ON journal(date);

CREATE TABLE journal_line (
    id INTEGER PRIMARY KEY,
    journal_id INTEGER NOT NULL REFERENCES journal(id),
    line_no INTEGER NOT NULL,
    account_id INTEGER NOT NULL REFERENCES account(id),
    member_id INTEGER REFERENCES member(id),
    debit INTEGER NOT NULL DEFAULT 0,
    credit INTEGER NOT NULL DEFAULT 0,
    memo TEXT NOT NULL DEFAULT '',
    CHECK (typeof(debit) = 'integer' AND typeof(credit) = 'integer'),
    CHECK (debit >= 0 AND credit >= 0 AND ((debit = 0) <> (credit = 0))),
    UNIQUE (journal_id, line_no)
);
CREATE INDEX journal_line_account ON journal_line(account_id, journal_id);
CREATE INDEX journal_line_member ON journal_line(member_id, account_id) WHERE member_id IS NOT NULL;

CREATE TABLE period_close (
    id INTEGER PRIMARY KEY,
    closed_through TEXT NOT NULL UNIQUE,
    closed_by INTEGER NOT NULL REFERENCES user(id),
    closed_at TEXT NOT NULL
);

-- One hash chain over every write: each entry hashes its content and the previous hash;
-- an entry that posts a journal also carries that journal's digest.
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    user_id INTEGER REFERENCES user(id),
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    before TEXT,
    after TEXT,
    journal_id INTEGER UNIQUE REFERENCES journal(id),
    journal_digest TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
);

-- Posted rows are immutable: a mistake is corrected by a reversal, never by an edit.
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'BMT: posted journals are immutable'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'BMT: posted journals are immutable'); END;
CREATE TRIGGER journal_line_no_update BEFORE UPDATE ON journal_line
BEGIN SELECT RAISE(ABORT, 'BMT: posted journals are immutable'); END;
CREATE TRIGGER journal_line_no_delete BEFORE DELETE ON journal_line
BEGIN SELECT RAISE(ABORT, 'BMT: posted journals are immutable'); END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'BMT: the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'BMT: the audit log is append-only'); END;
CREATE TRIGGER period_close_no_update BEFORE UPDATE ON period_close
BEGIN SELECT RAISE(ABORT, 'BMT: a closed period stays closed'); END;
CREATE TRIGGER period_close_no_delete BEFORE DELETE ON period_close
BEGIN SELECT RAISE(ABORT, 'BMT: a closed period stays closed'); END;
CREATE TRIGGER journal_closed_period BEFORE INSERT ON journal
WHEN NEW.date <= (SELECT max(closed_through) FROM period_close)
BEGIN SELECT RAISE(ABORT, 'BMT: the period is closed'); END;
