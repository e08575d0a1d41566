"""Peewee models over the tables that db/migrations create (migrations own the schema)."""

from __future__ import annotations

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DatabaseProxy,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = IntegerField(primary_key=True)
    applied_at = TextField()
    app_version = TextField()

    class Meta:
        table_name = "schema_version"


class Office(BaseModel):
    name = TextField()
    registration_number = TextField(default="")
    address = TextField(default="")
    logo = BlobField(null=True)
    fiscal_year_start_month = IntegerField(default=1)
    is_demo = BooleanField(default=False)
    created_at = TextField()


class User(BaseModel):
    username = CharField(unique=True)
    full_name = TextField()
    role = TextField()
    password_hash = TextField()
    active = BooleanField(default=True)
    created_at = TextField()


class Account(BaseModel):
    code = TextField(unique=True)
    name = TextField()
    type = TextField()
    normal_side = TextField()
    fund = TextField()
    parent = ForeignKeyField("self", null=True, column_name="parent_id", backref="children")
    is_header = BooleanField(default=False)
    is_contra = BooleanField(default=False)
    active = BooleanField(default=True)
    balance = IntegerField(default=0)


class Member(BaseModel):
    number = TextField(unique=True)
    name = TextField()
    nik = TextField(null=True)
    sex = TextField(null=True)
    birth_date = TextField(null=True)
    rt = TextField(default="")
    rw = TextField(default="")
    desa = TextField(default="")
    kecamatan = TextField(default="")
    kabupaten = TextField(default="")
    occupation = TextField(default="")
    join_date = TextField()
    status = TextField(default="aktif")
    kk_number = TextField(default="")
    birth_place = TextField(default="")
    phone = TextField(default="")
    business_type = TextField(default="")
    household_size = IntegerField(null=True)
    dtks = BooleanField(default=False)
    monthly_income = IntegerField(null=True)
    heir = TextField(default="")
    exit_date = TextField(null=True)
    search_key = TextField(default="")


class DocSequence(BaseModel):
    kind = TextField()
    year = IntegerField()
    last_number = IntegerField()

    class Meta:
        table_name = "doc_sequence"
        primary_key = False


class Journal(BaseModel):
    doc_number = TextField(unique=True)
    doc_kind = TextField()
    date = TextField()
    description = TextField()
    reverses = ForeignKeyField("self", null=True, column_name="reverses_id")
    reason = TextField(null=True)
    created_by = ForeignKeyField(User, column_name="created_by")
    created_at = TextField()
    drawer_id = IntegerField(null=True)  # teller_drawer(id), defined below
    request_id = TextField(null=True)


class JournalLine(BaseModel):
    journal = ForeignKeyField(Journal, column_name="journal_id", backref="lines")
    line_no = IntegerField()
    account = ForeignKeyField(Account, column_name="account_id")
    member = ForeignKeyField(Member, null=True, column_name="member_id")
    debit = IntegerField(default=0)
    credit = IntegerField(default=0)
    memo = TextField(default="")
    savings_account_id = IntegerField(null=True)  # savings_account(id), defined below

    class Meta:
        table_name = "journal_line"


class PeriodClose(BaseModel):
    closed_through = TextField(unique=True)
    closed_by = ForeignKeyField(User, column_name="closed_by")
    closed_at = TextField()

    class Meta:
        table_name = "period_close"


class AuditLog(BaseModel):
    seq = IntegerField(primary_key=True)
    ts = TextField()
    user = ForeignKeyField(User, null=True, column_name="user_id")
    username = TextField()
    action = TextField()
    entity = TextField()
    entity_id = TextField(null=True)
    before = TextField(null=True)
    after = TextField(null=True)
    journal = ForeignKeyField(Journal, null=True, column_name="journal_id")
    journal_digest = TextField(null=True)
    prev_hash = TextField()
    hash = TextField(unique=True)

    class Meta:
        table_name = "audit_log"


class Setting(BaseModel):
    key = TextField(primary_key=True)
    value = TextField()


class SavingsProduct(BaseModel):
    code = TextField(unique=True)
    name = TextField()
    kind = TextField()
    account = ForeignKeyField(Account, column_name="account_id")
    fixed_amount = IntegerField(default=0)
    min_balance = IntegerField(default=0)
    admin_fee = IntegerField(default=0)
    dormant_days = IntegerField(default=365)
    nisbah_pct = IntegerField(default=0)
    term_months = IntegerField(null=True)
    early_penalty_pct = IntegerField(default=0)
    active = BooleanField(default=True)

    class Meta:
        table_name = "savings_product"


class SavingsAccount(BaseModel):
    number = TextField(unique=True)
    member = ForeignKeyField(Member, column_name="member_id", backref="savings_accounts")
    product = ForeignKeyField(SavingsProduct, column_name="product_id")
    opened_on = TextField()
    closed_on = TextField(null=True)
    status = TextField(default="aktif")
    nisbah_pct = IntegerField(default=0)
    maturity_date = TextField(null=True)
    balance = IntegerField(default=0)
    passbook_serial = IntegerField(default=1)
    passbook_page = IntegerField(default=1)
    passbook_line = IntegerField(default=0)
    passbook_last_line_id = IntegerField(default=0)

    class Meta:
        table_name = "savings_account"


class TellerDrawer(BaseModel):
    teller = ForeignKeyField(User, column_name="teller_id")
    business_date = TextField()
    opened_at = TextField()
    opening_cash = IntegerField()
    status = TextField()
    closing_count = TextField(null=True)
    counted_cash = IntegerField(null=True)
    expected_cash = IntegerField(null=True)
    difference = IntegerField(null=True)
    closed_at = TextField(null=True)
    approved_by = ForeignKeyField(User, null=True, column_name="approved_by")
    approved_at = TextField(null=True)

    class Meta:
        table_name = "teller_drawer"


class MaalDistribution(BaseModel):
    fund_account = ForeignKeyField(Account, column_name="fund_account_id")
    recipient = TextField()
    purpose = TextField()
    amount = IntegerField()
    status = TextField()
    proposed_by = ForeignKeyField(User, column_name="proposed_by")
    proposed_at = TextField()
    decided_by = ForeignKeyField(User, null=True, column_name="decided_by")
    decided_at = TextField(null=True)
    reason = TextField(null=True)
    journal = ForeignKeyField(Journal, null=True, column_name="journal_id")

    class Meta:
        table_name = "maal_distribution"


class ReceiptPrint(BaseModel):
    journal = ForeignKeyField(Journal, column_name="journal_id")
    printed_at = TextField()
    user = ForeignKeyField(User, column_name="user_id")

    class Meta:
        table_name = "receipt_print"


ALL_MODELS = [
    SchemaVersion,
    Office,
    User,
    Account,
    Member,
    DocSequence,
    Journal,
    JournalLine,
    PeriodClose,
    AuditLog,
    Setting,
    SavingsProduct,
    SavingsAccount,
    TellerDrawer,
    MaalDistribution,
    ReceiptPrint,
]
