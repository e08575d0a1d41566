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


class JournalLine(BaseModel):
    journal = ForeignKeyField(Journal, column_name="journal_id", backref="lines")
    line_no = IntegerField()
    account = ForeignKeyField(Account, column_name="account_id")
    member = ForeignKeyField(Member, null=True, column_name="member_id")
    debit = IntegerField(default=0)
    credit = IntegerField(default=0)
    memo = TextField(default="")

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
]
