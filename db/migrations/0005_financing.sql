-- Financing (pembiayaan): products, applications with maker-checker, akad terms, schedules
-- kept per version (a rescheduling adds a version, the old one stays), collateral, Kube
-- members' shares (tanggung renteng), charges (ta'zir to the social fund, ta'widh as real
-- cost), profit reports of mudharabah/musyarakah. Journal lines name their financing; what
-- was paid is read from the lines, so a storno needs no bookkeeping of its own.

CREATE TABLE financing_product (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    akad TEXT NOT NULL CHECK (akad IN ('murabahah', 'mudharabah', 'musyarakah', 'ijarah',
                                       'qardh')),
    method TEXT NOT NULL DEFAULT 'flat' CHECK (method IN ('flat', 'anuitas')),
    min_rate_bp INTEGER NOT NULL DEFAULT 0 CHECK (min_rate_bp BETWEEN 0 AND 10000),
    max_rate_bp INTEGER NOT NULL DEFAULT 0 CHECK (max_rate_bp BETWEEN min_rate_bp AND 10000),
    min_nisbah_pct INTEGER NOT NULL DEFAULT 0 CHECK (min_nisbah_pct BETWEEN 0 AND 100),
    max_nisbah_pct INTEGER NOT NULL DEFAULT 0 CHECK (max_nisbah_pct BETWEEN min_nisbah_pct
                                                                         AND 100),
    min_tenor_months INTEGER NOT NULL CHECK (min_tenor_months >= 1),
    max_tenor_months INTEGER NOT NULL CHECK (max_tenor_months BETWEEN min_tenor_months AND 120),
    min_amount INTEGER NOT NULL CHECK (min_amount >= 1),
    max_amount INTEGER NOT NULL CHECK (max_amount BETWEEN min_amount AND 1000000000000000),
    frequencies TEXT NOT NULL DEFAULT 'bulanan',
    rounding_unit INTEGER NOT NULL DEFAULT 1 CHECK (rounding_unit IN (1, 100, 500, 1000)),
    admin_fee INTEGER NOT NULL DEFAULT 0 CHECK (admin_fee BETWEEN 0 AND 1000000000000000),
    tazir_amount INTEGER NOT NULL DEFAULT 0 CHECK (tazir_amount BETWEEN 0 AND 1000000000000000),
    collateral_required INTEGER NOT NULL DEFAULT 0 CHECK (collateral_required IN (0, 1)),
    required_training TEXT NOT NULL DEFAULT '',
    for_kube INTEGER NOT NULL DEFAULT 1 CHECK (for_kube IN (0, 1)),
    for_individual INTEGER NOT NULL DEFAULT 1 CHECK (for_individual IN (0, 1)),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE financing (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    product_id INTEGER NOT NULL REFERENCES financing_product(id),
    akad TEXT NOT NULL,
    member_id INTEGER REFERENCES member(id),
    kube_id INTEGER REFERENCES kube(id),
    status TEXT NOT NULL DEFAULT 'pengajuan'
        CHECK (status IN ('pengajuan', 'disetujui', 'ditolak', 'cair', 'lunas', 'hapus_buku',
                          'batal')),
    purpose TEXT NOT NULL,
    goods TEXT NOT NULL DEFAULT '',
    supplier TEXT NOT NULL DEFAULT '',
    cost_price INTEGER NOT NULL DEFAULT 0 CHECK (cost_price >= 0),
    principal INTEGER NOT NULL CHECK (principal > 0 AND principal <= 1000000000000000),
    method TEXT NOT NULL CHECK (method IN ('flat', 'anuitas')),
    rate_bp INTEGER NOT NULL DEFAULT 0 CHECK (rate_bp BETWEEN 0 AND 10000),
    nisbah_pct INTEGER NOT NULL DEFAULT 0 CHECK (nisbah_pct BETWEEN 0 AND 100),
    instalments INTEGER NOT NULL CHECK (instalments BETWEEN 1 AND 520),
    frequency TEXT NOT NULL CHECK (frequency IN ('bulanan', 'dua_mingguan', 'mingguan')),
    rounding_unit INTEGER NOT NULL DEFAULT 1,
    margin_total INTEGER NOT NULL DEFAULT 0 CHECK (margin_total >= 0),
    admin_fee INTEGER NOT NULL DEFAULT 0 CHECK (admin_fee >= 0),
    tazir_amount INTEGER NOT NULL DEFAULT 0 CHECK (tazir_amount >= 0),
    monthly_income INTEGER NOT NULL DEFAULT 0 CHECK (monthly_income >= 0),
    monthly_expense INTEGER NOT NULL DEFAULT 0 CHECK (monthly_expense >= 0),
    assessment TEXT NOT NULL DEFAULT '',
    coordinator_name TEXT NOT NULL DEFAULT '',
    coordinator_approved_on TEXT,
    applied_on TEXT NOT NULL,
    submitted_by INTEGER NOT NULL REFERENCES user(id),
    decided_by INTEGER REFERENCES user(id),
    decided_on TEXT,
    decision_reason TEXT NOT NULL DEFAULT '',
    disbursed_on TEXT,
    disbursed_to TEXT CHECK (disbursed_to IS NULL OR disbursed_to IN ('tunai', 'tabungan')),
    savings_account_id INTEGER REFERENCES savings_account(id),
    first_due_on TEXT,
    schedule_version INTEGER NOT NULL DEFAULT 0,
    -- Margin of periods not yet passed, not charged at an early settlement (DSN 153/2022).
    margin_discount INTEGER NOT NULL DEFAULT 0 CHECK (margin_discount >= 0),
    closed_on TEXT,
    CHECK ((member_id IS NULL) != (kube_id IS NULL)),
    CHECK (decided_by IS NULL OR decided_by != submitted_by)
);
CREATE INDEX financing_member ON financing(member_id);
CREATE INDEX financing_kube ON financing(kube_id);
CREATE INDEX financing_status ON financing(status);

-- Each member's share of a Kube's financing; the Kube stands guarantor for all of it.
CREATE TABLE financing_share (
    id INTEGER PRIMARY KEY,
    financing_id INTEGER NOT NULL REFERENCES financing(id),
    member_id INTEGER NOT NULL REFERENCES member(id),
    amount INTEGER NOT NULL CHECK (amount > 0),
    UNIQUE (financing_id, member_id)
);

CREATE TABLE financing_collateral (
    id INTEGER PRIMARY KEY,
    financing_id INTEGER NOT NULL REFERENCES financing(id),
    description TEXT NOT NULL,
    value INTEGER NOT NULL CHECK (value >= 0),
    eligible_value INTEGER NOT NULL CHECK (eligible_value BETWEEN 0 AND value)
);
CREATE INDEX financing_collateral_financing ON financing_collateral(financing_id);

-- Schedules: version 1 at disbursement, one more per approved rescheduling. A version's
-- rows are written once; the financing names its current version. ``paid_principal_before``
-- / ``paid_margin_before`` on a version's first row: what was paid when it began.
CREATE TABLE financing_schedule (
    id INTEGER PRIMARY KEY,
    financing_id INTEGER NOT NULL REFERENCES financing(id),
    version INTEGER NOT NULL CHECK (version >= 1),
    number INTEGER NOT NULL CHECK (number >= 1),
    due_on TEXT NOT NULL,
    principal INTEGER NOT NULL CHECK (principal >= 0),
    margin INTEGER NOT NULL CHECK (margin >= 0),
    UNIQUE (financing_id, version, number)
);
CREATE TABLE financing_schedule_version (
    financing_id INTEGER NOT NULL REFERENCES financing(id),
    version INTEGER NOT NULL,
    started_on TEXT NOT NULL,
    paid_principal_before INTEGER NOT NULL DEFAULT 0,
    paid_margin_before INTEGER NOT NULL DEFAULT 0,
    -- The last journal of the financing when the version began: older ones are not reversed.
    last_journal_id INTEGER,
    reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (financing_id, version)
);
CREATE TRIGGER financing_schedule_no_update BEFORE UPDATE ON financing_schedule
BEGIN SELECT RAISE(ABORT, 'financing_schedule rows are immutable'); END;
CREATE TRIGGER financing_schedule_no_delete BEFORE DELETE ON financing_schedule
BEGIN SELECT RAISE(ABORT, 'financing_schedule rows are immutable'); END;

CREATE TABLE financing_reschedule (
    id INTEGER PRIMARY KEY,
    financing_id INTEGER NOT NULL REFERENCES financing(id),
    requested_by INTEGER NOT NULL REFERENCES user(id),
    requested_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    instalments INTEGER NOT NULL CHECK (instalments BETWEEN 1 AND 520),
    frequency TEXT NOT NULL CHECK (frequency IN ('bulanan', 'dua_mingguan', 'mingguan')),
    first_due_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'menunggu'
        CHECK (status IN ('menunggu', 'disetujui', 'ditolak')),
    decided_by INTEGER REFERENCES user(id),
    decided_on TEXT,
    decision_reason TEXT NOT NULL DEFAULT '',
    CHECK (decided_by IS NULL OR decided_by != requested_by)
);

-- Charges: ta'zir (agreed in the akad, to the social fund 244, waivable for hardship),
-- ta'widh (real collection cost, income 404) and the BMT's profit share of a reported period
-- (income 402). Paid amounts are read from journal lines (memo KIND#id).
CREATE TABLE financing_charge (
    id INTEGER PRIMARY KEY,
    financing_id INTEGER NOT NULL REFERENCES financing(id),
    kind TEXT NOT NULL CHECK (kind IN ('tazir', 'tawidh', 'bagi_hasil')),
    amount INTEGER NOT NULL CHECK (amount > 0),
    charged_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    imposed_by INTEGER NOT NULL REFERENCES user(id),
    waived_by INTEGER REFERENCES user(id),
    waived_on TEXT,
    waive_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX financing_charge_financing ON financing_charge(financing_id);

-- Realised profit of a profit-sharing financing for a period, and the BMT's share due.
CREATE TABLE financing_profit_report (
    id INTEGER PRIMARY KEY,
    financing_id INTEGER NOT NULL REFERENCES financing(id),
    period_end TEXT NOT NULL,
    realised_profit INTEGER NOT NULL CHECK (realised_profit BETWEEN -1000000000000000
                                                               AND 1000000000000000),
    share_due INTEGER NOT NULL CHECK (share_due >= 0),
    reported_by INTEGER NOT NULL REFERENCES user(id),
    reported_on TEXT NOT NULL,
    UNIQUE (financing_id, period_end)
);

ALTER TABLE journal_line ADD COLUMN financing_id INTEGER REFERENCES financing(id);
CREATE INDEX journal_line_financing ON journal_line(financing_id) WHERE financing_id IS NOT NULL;

CREATE TABLE financing_sequence (
    year INTEGER PRIMARY KEY,
    last_number INTEGER NOT NULL
);
