-- Members in full, savings products and accounts (a subledger of journal lines), the teller's
-- drawer, Baitul Maal distributions, office settings, and one posting per button press.

ALTER TABLE member ADD COLUMN kk_number TEXT NOT NULL DEFAULT '';
ALTER TABLE member ADD COLUMN birth_place TEXT NOT NULL DEFAULT '';
ALTER TABLE member ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE member ADD COLUMN business_type TEXT NOT NULL DEFAULT '';
ALTER TABLE member ADD COLUMN household_size INTEGER CHECK (household_size IS NULL OR household_size BETWEEN 1 AND 50);
ALTER TABLE member ADD COLUMN dtks INTEGER NOT NULL DEFAULT 0 CHECK (dtks IN (0, 1));
ALTER TABLE member ADD COLUMN monthly_income INTEGER CHECK (monthly_income IS NULL OR monthly_income >= 0);
ALTER TABLE member ADD COLUMN heir TEXT NOT NULL DEFAULT '';
ALTER TABLE member ADD COLUMN exit_date TEXT;
-- Lower case, accents folded: what "any part of the name" searches.
ALTER TABLE member ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
UPDATE member SET search_key = lower(name);
CREATE INDEX member_phone ON member(phone);
CREATE INDEX member_rw_rt ON member(rw, rt);

CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE savings_product (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE CHECK (code GLOB '[A-Z][A-Z]*'),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('pokok', 'wajib', 'sukarela', 'tabungan', 'deposito')),
    account_id INTEGER NOT NULL REFERENCES account(id),
    fixed_amount INTEGER NOT NULL DEFAULT 0 CHECK (fixed_amount >= 0),
    min_balance INTEGER NOT NULL DEFAULT 0 CHECK (min_balance >= 0),
    admin_fee INTEGER NOT NULL DEFAULT 0 CHECK (admin_fee >= 0),
    dormant_days INTEGER NOT NULL DEFAULT 365 CHECK (dormant_days > 0),
    nisbah_pct INTEGER NOT NULL DEFAULT 0 CHECK (nisbah_pct BETWEEN 0 AND 100),
    term_months INTEGER CHECK (term_months IS NULL OR term_months > 0),
    early_penalty_pct INTEGER NOT NULL DEFAULT 0 CHECK (early_penalty_pct BETWEEN 0 AND 100),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE savings_account (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    member_id INTEGER NOT NULL REFERENCES member(id),
    product_id INTEGER NOT NULL REFERENCES savings_product(id),
    opened_on TEXT NOT NULL,
    closed_on TEXT,
    status TEXT NOT NULL DEFAULT 'aktif' CHECK (status IN ('aktif', 'tutup')),
    nisbah_pct INTEGER NOT NULL DEFAULT 0 CHECK (nisbah_pct BETWEEN 0 AND 100),
    maturity_date TEXT,
    -- Credit minus debit of its lines (the member's money); never negative.
    balance INTEGER NOT NULL DEFAULT 0 CHECK (typeof(balance) = 'integer' AND balance >= 0),
    passbook_serial INTEGER NOT NULL DEFAULT 1,
    passbook_page INTEGER NOT NULL DEFAULT 1,
    passbook_line INTEGER NOT NULL DEFAULT 0,
    passbook_last_line_id INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX savings_account_member ON savings_account(member_id);

ALTER TABLE journal_line ADD COLUMN savings_account_id INTEGER REFERENCES savings_account(id);
CREATE INDEX journal_line_savings ON journal_line(savings_account_id, id)
    WHERE savings_account_id IS NOT NULL;

CREATE TABLE teller_drawer (
    id INTEGER PRIMARY KEY,
    teller_id INTEGER NOT NULL REFERENCES user(id),
    business_date TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    opening_cash INTEGER NOT NULL CHECK (opening_cash >= 0),
    status TEXT NOT NULL CHECK (status IN ('buka', 'menunggu', 'tutup')),
    closing_count TEXT,
    counted_cash INTEGER,
    expected_cash INTEGER,
    difference INTEGER,
    closed_at TEXT,
    approved_by INTEGER REFERENCES user(id),
    approved_at TEXT
);
CREATE UNIQUE INDEX teller_drawer_one_open ON teller_drawer(teller_id) WHERE status != 'tutup';

-- Cash postings name the drawer they passed through; a press of a button names its request.
ALTER TABLE journal ADD COLUMN drawer_id INTEGER REFERENCES teller_drawer(id);
ALTER TABLE journal ADD COLUMN request_id TEXT;
CREATE UNIQUE INDEX journal_request ON journal(request_id) WHERE request_id IS NOT NULL;
CREATE INDEX journal_drawer ON journal(drawer_id) WHERE drawer_id IS NOT NULL;

CREATE TABLE maal_distribution (
    id INTEGER PRIMARY KEY,
    fund_account_id INTEGER NOT NULL REFERENCES account(id),
    recipient TEXT NOT NULL,
    purpose TEXT NOT NULL,
    amount INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND amount > 0),
    status TEXT NOT NULL CHECK (status IN ('usulan', 'disetujui', 'ditolak', 'dibayar')),
    proposed_by INTEGER NOT NULL REFERENCES user(id),
    proposed_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES user(id),
    decided_at TEXT,
    reason TEXT,
    journal_id INTEGER REFERENCES journal(id)
);

CREATE TABLE receipt_print (
    id INTEGER PRIMARY KEY,
    journal_id INTEGER NOT NULL REFERENCES journal(id),
    printed_at TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES user(id)
);
CREATE INDEX receipt_print_journal ON receipt_print(journal_id);
