"""Opening balances at the cut-over date, posted against 309 Ekuitas Saldo Awal.

One workbook, up to four sheets (a CSV file holds one of them, recognised by its headers):
- **Simpanan**: a balance per member and savings product; the account is opened if needed
  and the balances are posted in one journal per chunk of at most 400 lines;
- **Pembiayaan**: each running financing as its remaining instalments, grouped by the old
  financing number, recorded by ``financing.open_migrated``;
- **Porsi Kube**: each member's share of the principal left of a Kube's financing;
- **Akun**: the other balance-sheet accounts (cash, bank, fixed assets, payables…).

The whole file is one transaction: all of it or nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from bmt_desktop.domain.dates import check_posting_date, format_date_id
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.journal_rules import LineSpec
from bmt_desktop.domain.money import format_rupiah
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _
from bmt_desktop.services import financing
from bmt_desktop.services import import_values as values
from bmt_desktop.services.financing_state import DEFERRED_MARGIN, RECEIVABLE
from bmt_desktop.services.importing import (
    Field,
    ImportRefused,
    ImportReport,
    Problem,
    Progress,
    Table,
    apply_mapping,
    atomic_import,
    file_digest,
    ignored_columns,
    load_tables,
    mapping_problems,
)
from bmt_desktop.services.kube import GROUP_FUNDS
from bmt_desktop.services.savings import ONE_PER_MEMBER, open_account
from bmt_desktop.services.session import Session
from bmt_desktop.store.audit import append
from bmt_desktop.store.ledger import JournalSpec, LedgerWriter, closed_through

EQUITY = financing.OPENING_EQUITY
CHUNK_LINES = 400
OPENING_CODE = "SAWAL"  # the passbook code of an opening balance
_MEMBER = ("anggota", "nik", "nomor anggota", "no anggota", "nik anggota")

SAVINGS_FIELDS = (
    Field("member", "Anggota (NIK atau nomor)", True, _MEMBER),
    Field("name", "Nama", False, ("nama anggota",)),
    Field("product", "Produk", True, ("produk simpanan", "kode produk", "jenis simpanan")),
    Field("balance", "Saldo", True, ("saldo awal", "jumlah")),
    Field("maturity", "Jatuh Tempo (deposito)", False, ("jatuh tempo",
                                                        "tanggal jatuh tempo")),
    Field("old_number", "Nomor Rekening Lama", False, ("rekening lama", "no rekening lama")),
)
FINANCING_FIELDS = (
    Field("old_number", "Nomor Pembiayaan Lama", True, ("nomor lama", "no pembiayaan",
                                                        "nomor pembiayaan")),
    Field("member", "Anggota (NIK atau nomor)", False, _MEMBER),
    Field("kube", "Kube (kode)", False, ("kube", "kode kube")),
    Field("product", "Produk", True, ("produk pembiayaan", "kode produk")),
    Field("purpose", "Tujuan", False, ("tujuan pembiayaan", "keperluan")),
    Field("goods", "Barang", False, ()),
    Field("rate", "Margin % per Tahun", False, ("margin per tahun", "margin persen")),
    Field("nisbah", "Nisbah BMT %", False, ("nisbah",)),
    Field("due", "Jatuh Tempo", True, ("tanggal jatuh tempo",)),
    Field("principal", "Pokok", True, ("angsuran pokok",)),
    Field("margin", "Margin", False, ("angsuran margin",)),
    Field("principal_left", "Sisa Pokok", False, ()),
    Field("margin_left", "Sisa Margin", False, ()),
)
SHARE_FIELDS = (
    Field("old_number", "Nomor Pembiayaan Lama", True, ("nomor lama", "no pembiayaan",
                                                        "nomor pembiayaan")),
    Field("member", "Anggota (NIK atau nomor)", True, _MEMBER),
    Field("share", "Porsi Sisa Pokok", True, ("porsi", "sisa pokok anggota")),
)
ACCOUNT_FIELDS = (
    Field("account", "Kode Akun", True, ("akun", "kode", "no akun", "nomor akun")),
    Field("name", "Nama Akun", False, ()),
    Field("kube", "Kube (kode)", False, ("kube", "kode kube")),
    Field("debit", "Debit", False, ()),
    Field("credit", "Kredit", False, ("credit",)),
    Field("memo", "Keterangan", False, ("memo",)),
)
SECTIONS: dict[str, tuple[str, tuple[Field, ...]]] = {
    "savings": ("Simpanan", SAVINGS_FIELDS),
    "financing": ("Pembiayaan", FINANCING_FIELDS),
    "shares": ("Porsi Kube", SHARE_FIELDS),
    "accounts": ("Akun", ACCOUNT_FIELDS),
}
_SHEET_NAMES = {"simpanan": "savings", "tabungan": "savings", "pembiayaan": "financing",
                "porsikube": "shares", "porsi": "shares", "akun": "accounts",
                "neraca": "accounts", "bukubesar": "accounts"}


def section_of(table: Table) -> str | None:
    """The sheet's part of the opening balances: by its name, else by its headers."""
    by_name = _SHEET_NAMES.get(values.norm(table.name))
    if by_name:
        return by_name
    best, score = None, 0
    headers = {values.norm(h) for h in table.headers}
    for section, (_title, fields) in SECTIONS.items():
        names = [{values.norm(n) for n in (f.key, f.header, *f.synonyms)} for f in fields]
        if not all(n & headers for f, n in zip(fields, names, strict=True) if f.required):
            continue
        found = sum(1 for n in names if n & headers)
        if found > score:
            best, score = section, found
    return best


# ------------------------------------------------------------------------------- lookups
@dataclass
class _Book:
    """What the rows refer to, read once per import."""

    session: Session
    cut_over: dt.date
    members: dict[str, tuple[int, str, str, str, str]] = field(default_factory=dict)

    def member(self, value: object) -> tuple[int, str, str]:
        key = values.digits_text(value).upper().replace(" ", "")
        if not key:
            raise ValidationError(_("the member is empty."))
        if key not in self.members:
            row = self.session.book.raw().execute(
                "SELECT id, number, name, status, join_date FROM member WHERE nik = ? "
                "OR number = ?", (key, key)).fetchone()
            if row is None:
                raise ValidationError(_("no member has the NIK or number {key}.").format(
                    key=key[:30]))
            self.members[key] = row
        member_id, number, name, status, joined = self.members[key]
        if status == "keluar":
            raise ValidationError(_("{name} ({number}) has left the BMT.").format(
                name=name, number=number))
        if joined > self.cut_over.isoformat():
            raise ValidationError(_("{name} ({number}) joined on {date}, after the cut-over "
                                    "date; correct the join date first.").format(
                name=name, number=number, date=format_date_id(dt.date.fromisoformat(joined))))
        return member_id, number, name

    def kube(self, value: object) -> tuple[int, str]:
        key = values.text(value).upper()
        row = self.session.book.raw().execute(
            "SELECT id, code, status FROM kube WHERE upper(code) = ? OR CAST(id AS TEXT) = ?",
            (key, key)).fetchone()
        if row is None:
            raise ValidationError(_("there is no Kube {code}.").format(code=key[:30] or "–"))
        return int(row[0]), str(row[1])


@dataclass
class _Saving:
    row: int
    member_id: int
    member: str
    product: tuple[int, str, str, str, str]  # id, code, name, kind, ledger account
    balance: int
    maturity: dt.date | None


@dataclass
class _Instalments:
    rows: list[int] = field(default_factory=list)
    terms: dict[str, object] = field(default_factory=dict)
    schedule: list[tuple[dt.date, int, int]] = field(default_factory=list)
    shares: list[tuple[int, int]] = field(default_factory=list)
    controls: dict[str, set[int]] = field(default_factory=dict)
    bad: bool = False  # a problem is reported already: not recorded, not checked further


class _Reader:
    """Reads each section's rows into plain values; every bad cell is one problem."""

    def __init__(self, book: _Book, report: ImportReport) -> None:
        self.book, self.report = book, report
        conn = book.session.book.raw()
        self.savings_products = {
            str(code).upper(): (pid, code, name, kind, account) for pid, code, name, kind, account
            in conn.execute("SELECT p.id, p.code, p.name, p.kind, a.code FROM savings_product p "
                            "JOIN account a ON a.id = p.account_id WHERE p.active = 1")}
        for product in list(self.savings_products.values()):
            self.savings_products.setdefault(values.norm(product[2]).upper(), product)
        self.accounts = {code: (name, kind, header, active) for code, name, kind, header, active
                         in conn.execute("SELECT code, name, type, is_header, active "
                                         "FROM account")}
        self.reserved = {a for *_p, a in self.savings_products.values()} | set(
            RECEIVABLE.values()) | {DEFERRED_MARGIN, "102", EQUITY}

    def cell(self, table: Table, number: int, cells: list[object], key: str,
             reader, fields: Sequence[Field]):  # noqa: ANN001, ANN202 - any reader
        try:
            return reader(table.value(cells, key))
        except ValidationError as error:
            self.report.problems.append(Problem(number, table.header_of(key, fields),
                                                error.message, table.name))
            raise

    def savings(self, table: Table) -> list[_Saving]:
        found, seen = [], {}
        for number, cells in table.rows:
            start = len(self.report.problems)
            got: dict[str, object] = {}
            for key, reader in (("member", self.book.member), ("product", self._product),
                                ("balance", lambda v: values.amount(v, positive=True)),
                                ("maturity", values.date_or_none)):
                try:
                    got[key] = self.cell(table, number, cells, key, reader, SAVINGS_FIELDS)
                except ValidationError:
                    continue
            if len(self.report.problems) > start:
                continue
            member_id, member_number, name = got["member"]  # type: ignore[misc]
            product = got["product"]
            maturity = got["maturity"]
            problem = None
            if product[3] == "deposito":  # type: ignore[index]
                if maturity is None or maturity <= self.book.cut_over:  # type: ignore[operator]
                    problem = ("maturity", _("a deposito needs its maturity date, after the "
                                             "cut-over date."))
            elif maturity is not None:
                problem = ("maturity", _("only a deposito has a maturity date."))
            key = (member_id, product[1])  # type: ignore[index]
            if problem is None and product[3] in ONE_PER_MEMBER and key in seen:  # type: ignore[index]
                problem = ("member", _("{product} of {name} is also on row {row}.").format(
                    product=product[1], name=name, row=seen[key]))  # type: ignore[index]
            if problem is not None:
                self.report.problems.append(Problem(number, table.header_of(
                    problem[0], SAVINGS_FIELDS), problem[1], table.name))
                continue
            seen[key] = number
            found.append(_Saving(number, member_id, f"{member_number} {name}", product,  # type: ignore[arg-type]
                                 got["balance"], maturity))  # type: ignore[arg-type]
        return found

    def _product(self, value: object) -> tuple[int, str, str, str, str]:
        key = values.text(value).upper()
        product = self.savings_products.get(key) or self.savings_products.get(
            values.norm(key).upper())
        if product is None:
            raise ValidationError(_("there is no active savings product {code}.").format(
                code=key[:30] or "–"))
        return product

    def _financing_product(self, value: object) -> str:
        code = values.text(value).upper()
        return financing.get_product(self.book.session, code).code

    def financing(self, table: Table) -> dict[str, _Instalments]:
        groups: dict[str, _Instalments] = {}
        for number, cells in table.rows:
            try:
                old = self.cell(table, number, cells, "old_number", _required_text,
                                FINANCING_FIELDS)
            except ValidationError:
                continue
            group = groups.setdefault(old, _Instalments())
            group.rows.append(number)
            start = len(self.report.problems)
            terms: dict[str, object] = {}
            for key, reader in (("member", _optional(self.book.member)),
                                ("kube", _optional(self.book.kube)),
                                ("product", _optional(self._financing_product)),
                                ("purpose", values.text), ("goods", values.text),
                                ("rate", values.percent_bp),
                                ("nisbah", lambda v: values.whole_or_none(v, 0, 100) or 0)):
                try:
                    terms[key] = self.cell(table, number, cells, key, reader, FINANCING_FIELDS)
                except ValidationError:
                    continue
            try:
                due = self.cell(table, number, cells, "due", values.date_required,
                                FINANCING_FIELDS)
                principal = self.cell(table, number, cells, "principal", values.amount,
                                      FINANCING_FIELDS)
                margin = self.cell(table, number, cells, "margin",
                                   lambda v: values.amount_or_none(v) or 0, FINANCING_FIELDS)
                for key in ("principal_left", "margin_left"):
                    control = self.cell(table, number, cells, key, values.amount_or_none,
                                        FINANCING_FIELDS)
                    if control is not None:
                        group.controls.setdefault(key, set()).add(control)
            except ValidationError:
                continue
            if due <= self.book.cut_over:
                self.report.problems.append(Problem(number, table.header_of(
                    "due", FINANCING_FIELDS), _("list only the instalments still to come, "
                                                "due after the cut-over date."), table.name))
            if len(self.report.problems) > start:
                continue
            for key, value in terms.items():
                if value in (None, "", 0):
                    continue
                if group.terms.get(key) not in (None, "", 0, value):
                    group.bad = True
                    self.report.problems.append(Problem(number, table.header_of(
                        key, FINANCING_FIELDS), _("differs from the row above of the same "
                                                  "financing {number}.").format(number=old),
                        table.name))
                group.terms.setdefault(key, value)
            group.schedule.append((due, principal, margin))
        return groups

    def shares(self, table: Table, groups: dict[str, _Instalments]) -> None:
        for number, cells in table.rows:
            try:
                old = self.cell(table, number, cells, "old_number", _required_text,
                                SHARE_FIELDS)
                member = self.cell(table, number, cells, "member", self.book.member,
                                   SHARE_FIELDS)
                share = self.cell(table, number, cells, "share",
                                  lambda v: values.amount(v, positive=True), SHARE_FIELDS)
            except ValidationError:
                continue
            if old not in groups:
                self.report.problems.append(Problem(number, table.header_of(
                    "old_number", SHARE_FIELDS), _("financing {number} is not on the "
                                                   "Pembiayaan sheet.").format(number=old),
                    table.name))
                continue
            groups[old].shares.append((member[0], share))

    def ledger(self, table: Table) -> list[tuple[int, LineSpec]]:
        lines = []
        for number, cells in table.rows:
            try:
                code = self.cell(table, number, cells, "account", self._account, ACCOUNT_FIELDS)
                debit = self.cell(table, number, cells, "debit",
                                  lambda v: values.amount_or_none(v) or 0, ACCOUNT_FIELDS)
                credit = self.cell(table, number, cells, "credit",
                                   lambda v: values.amount_or_none(v) or 0, ACCOUNT_FIELDS)
                kube = self.cell(table, number, cells, "kube", _optional(self.book.kube),
                                 ACCOUNT_FIELDS)
                memo = self.cell(table, number, cells, "memo", values.text, ACCOUNT_FIELDS)
            except ValidationError:
                continue
            problem = None
            if (debit == 0) == (credit == 0):
                problem = ("debit", _("fill in either the debit or the credit."))
            elif code in GROUP_FUNDS.values() and kube is None:
                problem = ("kube", _("account {code} is kept per Kube: name the Kube.").format(
                    code=code))
            elif code not in GROUP_FUNDS.values() and kube is not None:
                problem = ("kube", _("only the Kube funds (205, 206) are kept per Kube."))
            if problem is not None:
                self.report.problems.append(Problem(number, table.header_of(
                    problem[0], ACCOUNT_FIELDS), problem[1], table.name))
                continue
            lines.append((number, LineSpec(code, debit=debit, credit=credit,
                                           memo=memo[:100] or OPENING_CODE,
                                           kube_id=kube[0] if kube else None)))
        return lines

    def _account(self, value: object) -> str:
        code = values.digits_text(value)
        info = self.accounts.get(code)
        if info is None:
            raise ValidationError(_("there is no account {code}.").format(code=code[:20] or "–"))
        name, kind, header, active = info
        if header or not active:
            raise ValidationError(_("account {code} {name} takes no postings.").format(
                code=code, name=name))
        if kind in ("income", "expense"):
            raise ValidationError(_("account {code} {name} is income or expense: opening "
                                    "balances are for balance-sheet accounts.").format(
                code=code, name=name))
        if code in self.reserved:
            raise ValidationError(_("account {code} {name} is filled from its own sheet "
                                    "(savings, financing) or by the program.").format(
                code=code, name=name))
        return code


def _optional(reader):  # noqa: ANN001, ANN202 - any reader
    return lambda v: None if values.blank(v) else reader(v)


def _required_text(value: object) -> str:
    text = values.text(value)
    if not text:
        raise ValidationError(_("the cell is empty."))
    return text


# ------------------------------------------------------------------------------- import
def import_opening_balances(session: Session, source: bytes | Sequence[Table],
                            cut_over: dt.date, *, dry_run: bool,
                            mappings: Mapping[str, Mapping[int | str, str]] | None = None,
                            file_name: str = "", digest: str = "",
                            progress: Progress | None = None) -> ImportReport:
    """Post the office's balances at ``cut_over`` against 309 Ekuitas Saldo Awal: savings
    (accounts opened as needed, one journal per chunk of ≤ 400 lines), running financing
    with their remaining schedules, and other balance-sheet accounts. All or nothing; a dry
    run writes nothing."""
    session.require(Action.JOURNAL_POST)
    session.require(Action.SAVINGS_OPEN)
    session.require(Action.FINANCING_APPLY)
    if not isinstance(cut_over, dt.date):
        raise ValidationError(_("The cut-over date is not a date."))
    check_posting_date(cut_over, session.today)
    closed = closed_through(session.book.raw())
    if closed is not None and cut_over <= closed:
        raise ValidationError(_("The books are closed through {closed}; the cut-over date "
                                "must come after it.").format(closed=format_date_id(closed)))
    if isinstance(source, bytes):
        digest = digest or file_digest(source)
    tables = load_tables(source, file_name) if isinstance(source, bytes) else list(source)
    report = ImportReport("opening_balances", rows=sum(len(t.rows) for t in tables))
    report.preview_columns = [_("Sheet"), _("Row"), _("Who"), _("What"), _("Amount")]
    by_section: dict[str, Table] = {}
    for table in tables:
        table.section = table.section or section_of(table) or ""
        if not table.section:
            report.problems.append(Problem(None, "", _(
                "the sheet is none of Simpanan, Pembiayaan, Porsi Kube, Akun (name the sheet "
                "so, or use the template's headers)."), table.name))
            continue
        if table.section in by_section:
            report.problems.append(Problem(None, "", _("a second {name} sheet.").format(
                name=SECTIONS[table.section][0]), table.name))
            continue
        by_section[table.section] = table
        fields = SECTIONS[table.section][1]
        apply_mapping(table, fields, (mappings or {}).get(table.name))
        report.problems.extend(mapping_problems(table, fields))
        ignored = ignored_columns(table)
        if ignored:
            report.notes.append(_("{sheet}: columns not read: {names}.").format(
                sheet=table.name, names=", ".join(ignored)))
    if not any(t.rows for t in by_section.values()) and not report.problems:
        report.problems.append(Problem(None, "", _("The file has no data rows under the "
                                                   "header.")))
    if report.problems:
        return _refuse_or_return(report, dry_run)
    _check_earlier(session, digest, report)
    reader = _Reader(_Book(session, cut_over), report)
    savings = reader.savings(by_section["savings"]) if "savings" in by_section else []
    groups = reader.financing(by_section["financing"]) if "financing" in by_section else {}
    if "shares" in by_section:
        reader.shares(by_section["shares"], groups)
    ledger = reader.ledger(by_section["accounts"]) if "accounts" in by_section else []
    if ledger and _accounts_done(session):
        report.problems.append(Problem(None, "", _(
            "the opening balances of the other accounts were imported before; correct them "
            "with a journal."), by_section["accounts"].name))
    _check_groups(session, groups, by_section.get("financing"), report)
    totals = {"savings": 0, "financing": 0, "accounts": 0}
    with atomic_import(session, report, dry_run):
        _post_savings(session, cut_over, savings, by_section.get("savings"), report, totals)
        if progress is not None:
            progress(0.4)
        _post_ledger(session, cut_over, ledger, by_section.get("accounts"), report, totals)
        _open_financing(session, cut_over, groups, by_section.get("financing"), report,
                        totals, progress)
        if not report.problems and not dry_run:
            append(session.book.raw(), session.actor, "import.opening_balances", "import",
                   None, after={"file": file_name, "sha256": digest,
                                "cut_over": cut_over.isoformat(),
                                "savings": len(savings), "financing": len(groups),
                                "accounts": len(ledger), "journals": report.journals})
    _summarise(report, cut_over, savings, groups, ledger, totals, dry_run)
    return report


def _earlier(session: Session) -> list[tuple[str, dict]]:
    """The opening-balance imports made before: (when, what the audit log kept)."""
    return [(ts, json.loads(after)) for ts, after in session.book.raw().execute(
        "SELECT ts, after FROM audit_log WHERE action = 'import.opening_balances' ORDER BY seq")]


def _check_earlier(session: Session, digest: str, report: ImportReport) -> None:
    for ts, after in _earlier(session):
        if digest and after.get("sha256") == digest:
            report.problems.append(Problem(None, "", _(
                "this file was imported on {date} ({journals}).").format(
                date=ts[:10], journals=", ".join(after.get("journals") or []) or "–")))


def _accounts_done(session: Session) -> bool:
    return any(after.get("accounts") for _ts, after in _earlier(session))


def _refuse_or_return(report: ImportReport, dry_run: bool) -> ImportReport:
    if not dry_run:
        raise ImportRefused(report)
    return report


def _check_groups(session: Session, groups: dict[str, _Instalments], table: Table | None,
                  report: ImportReport) -> None:
    """What the financing rows must agree on before they are recorded."""
    if table is None:
        return
    conn = session.book.raw()
    for old, group in groups.items():
        first = group.rows[0]

        def problem(key: str, message: str, row: int = first,
                    group: _Instalments = group) -> None:
            group.bad = True
            report.problems.append(Problem(row, table.header_of(key, FINANCING_FIELDS),
                                           message, table.name))

        if len(group.schedule) != len(group.rows):
            continue  # its bad rows are reported already
        if conn.execute("SELECT 1 FROM audit_log WHERE action = 'financing.opening' AND "
                        "json_extract(after, '$.original') = ?", (old,)).fetchone():
            problem("old_number", _("financing {number} was imported before.").format(
                number=old))
            continue
        if not group.terms.get("product"):
            problem("product", _("the product of financing {number} is missing.").format(
                number=old))
        if (group.terms.get("member") is None) == (group.terms.get("kube") is None):
            problem("member", _("financing {number} is for one member or for one Kube: fill "
                                "in one of the two.").format(number=old))
        elif group.terms.get("kube") is not None and not group.shares:
            problem("kube", _("give each member's share of Kube financing {number} on the "
                              "Porsi Kube sheet.").format(number=old))
        elif group.terms.get("member") is not None and group.shares:
            problem("member", _("shares are given only for a Kube's financing."))
        principal = sum(p for _d, p, _m in group.schedule)
        margin = sum(m for _d, _p, m in group.schedule)
        for key, total in (("principal_left", principal), ("margin_left", margin)):
            given = group.controls.get(key, set())
            if given and given != {total}:
                problem(key, _("the instalments add up to {total}, not {given}.").format(
                    total=format_rupiah(total),
                    given=" / ".join(format_rupiah(g) for g in sorted(given))))
        if group.shares and sum(a for _m, a in group.shares) != principal:
            problem("principal", _("the members' shares add up to {shares}, not the principal "
                                   "left of {principal}.").format(
                shares=format_rupiah(sum(a for _m, a in group.shares)),
                principal=format_rupiah(principal)))


def _post_savings(session: Session, cut_over: dt.date, rows: list[_Saving],
                  table: Table | None, report: ImportReport, totals: dict[str, int]) -> None:
    if table is None or not rows:
        return
    conn = session.book.raw()
    opening = replace(session, today=cut_over)  # accounts are opened on the cut-over date
    lines: list[LineSpec] = []
    for saving in rows:
        pid, code, _name, kind, gl = saving.product
        account = None
        if kind in ONE_PER_MEMBER:
            account = conn.execute(
                "SELECT id, number, balance FROM savings_account WHERE member_id = ? "
                "AND product_id = ? AND status = 'aktif'", (saving.member_id, pid)).fetchone()
        if kind == "deposito" and conn.execute(
                "SELECT 1 FROM savings_account WHERE member_id = ? AND product_id = ? AND "
                "balance = ? AND maturity_date IS ? AND status = 'aktif'",
                (saving.member_id, pid, saving.balance, saving.maturity.isoformat()
                 if saving.maturity else None)).fetchone():
            report.problems.append(Problem(saving.row, table.header_of(
                "balance", SAVINGS_FIELDS), _("the member already has this deposito (same "
                                              "amount and maturity)."), table.name))
            continue
        try:
            if account is not None and account[2]:
                raise ValidationError(_("account {number} already has a balance of {amount}; "
                                        "opening balances go into empty accounts.").format(
                    number=account[1], amount=format_rupiah(account[2])))
            if account is None:
                opened = open_account(opening, saving.member_id, code)
                account = (opened.id, opened.number, 0)
                if saving.maturity is not None:
                    conn.execute("UPDATE savings_account SET maturity_date = ? WHERE id = ?",
                                 (saving.maturity.isoformat(), opened.id))
                    append(conn, session.actor, "savings.maturity", "savings_account",
                           opened.id, after={"maturity_date": saving.maturity.isoformat()})
        except ValidationError as error:
            report.problems.append(Problem(saving.row, table.header_of(
                "member", SAVINGS_FIELDS), error.message, table.name))
            continue
        lines.append(LineSpec(gl, credit=saving.balance, memo=OPENING_CODE,
                              member_id=saving.member_id, savings_account_id=account[0]))
        report.preview.append([table.name, str(saving.row), saving.member,
                               f"{code} {account[1]}", format_rupiah(saving.balance)])
    if report.problems or not lines:
        return
    totals["savings"] = sum(line.credit for line in lines)
    chunks = [lines[i:i + CHUNK_LINES - 1] for i in range(0, len(lines), CHUNK_LINES - 1)]
    writer = LedgerWriter(conn)
    for index, chunk in enumerate(chunks, start=1):
        total = sum(line.credit for line in chunk)
        posted = writer.post(JournalSpec(cut_over, _(
            "Opening balances of savings at {date} ({part} of {parts})").format(
            date=format_date_id(cut_over), part=index, parts=len(chunks)),
            [LineSpec(EQUITY, debit=total, memo=OPENING_CODE), *chunk]), session.actor)
        report.journals.append(posted.doc_number)
    writer.flush()


def _post_ledger(session: Session, cut_over: dt.date, rows: list[tuple[int, LineSpec]],
                 table: Table | None, report: ImportReport, totals: dict[str, int]) -> None:
    if table is None or not rows:
        return
    for number, line in rows:
        report.preview.append([table.name, str(number), line.account_code, line.memo,
                               format_rupiah(line.debit) if line.debit
                               else "-" + format_rupiah(line.credit)])
    if report.problems:
        return
    writer = LedgerWriter(session.book.raw())
    lines = [line for _n, line in rows]
    chunks = [lines[i:i + CHUNK_LINES - 1] for i in range(0, len(lines), CHUNK_LINES - 1)]
    for index, chunk in enumerate(chunks, start=1):
        net = sum(line.debit - line.credit for line in chunk)
        totals["accounts"] += net
        closing = [LineSpec(EQUITY, credit=net, memo=OPENING_CODE)] if net > 0 else \
            [LineSpec(EQUITY, debit=-net, memo=OPENING_CODE)] if net < 0 else []
        try:
            posted = writer.post(JournalSpec(cut_over, _(
                "Opening balances of the accounts at {date} ({part} of {parts})").format(
                date=format_date_id(cut_over), part=index, parts=len(chunks)),
                [*chunk, *closing]), session.actor)
        except ValidationError as error:
            report.problems.append(Problem(None, "", error.message, table.name))
            return
        report.journals.append(posted.doc_number)
    writer.flush()


def _open_financing(session: Session, cut_over: dt.date, groups: dict[str, _Instalments],
                    table: Table | None, report: ImportReport, totals: dict[str, int],
                    progress: Progress | None) -> None:
    if table is None:
        return
    for position, (old, group) in enumerate(groups.items(), start=1):
        terms = group.terms
        if group.bad or len(group.schedule) != len(group.rows):
            continue
        member, kube = terms.get("member"), terms.get("kube")
        data = financing.OpeningFinancing(
            str(terms.get("product") or "").upper(), member[0] if member else None,  # type: ignore[index]
            kube[0] if kube else None, str(terms.get("purpose") or ""),  # type: ignore[index]
            sorted(group.schedule), rate_bp=int(terms.get("rate") or 0),  # type: ignore[arg-type]
            nisbah_pct=int(terms.get("nisbah") or 0),  # type: ignore[arg-type]
            goods=str(terms.get("goods") or ""), shares=group.shares, original_number=old)
        principal = sum(p for _d, p, _m in group.schedule)
        margin = sum(m for _d, _p, m in group.schedule)
        who = member[1] + " " + member[2] if member else kube[1]  # type: ignore[index]
        report.preview.append([table.name, str(group.rows[0]), who, _(
            "{old}: {n} instalments to {last}, margin {margin}").format(
            old=old, n=len(group.schedule), last=format_date_id(max(group.schedule)[0]),
            margin=format_rupiah(margin)), format_rupiah(principal)])
        try:
            with session.book.transaction():
                fid = financing.open_migrated(session, data, cut_over)
        except ValidationError as error:
            report.problems.append(Problem(group.rows[0], table.header_of(
                "old_number", FINANCING_FIELDS), f"{old}: {error.message}", table.name))
            continue
        totals["financing"] += principal
        (number,) = session.book.raw().execute(
            "SELECT j.doc_number FROM journal j JOIN journal_line l ON l.journal_id = j.id "
            "WHERE l.financing_id = ? ORDER BY j.id LIMIT 1", (fid,)).fetchone()
        report.journals.append(number)
        if progress is not None:
            progress(0.4 + 0.6 * position / len(groups))


def _summarise(report: ImportReport, cut_over: dt.date, savings: list[_Saving],
               groups: dict[str, _Instalments], ledger: list, totals: dict[str, int],
               dry_run: bool) -> None:
    if report.problems:
        return
    equity = totals["financing"] + totals["accounts"] - totals["savings"]
    lines = [
        _("Savings: {n} balances, {amount}.").format(n=len(savings),
                                                   amount=format_rupiah(totals["savings"])),
        _("Financing: {n} running, principal left {amount}.").format(
            n=len(groups), amount=format_rupiah(totals["financing"])),
        _("Other accounts: {n} lines.").format(n=len(ledger)),
        _("Ekuitas Saldo Awal (309) at {date}: {amount}.").format(
            date=format_date_id(cut_over), amount=format_rupiah(equity)),
    ]
    if report.committed:
        lines.insert(0, _("Opening balances posted: {journals}.").format(
            journals=", ".join(report.journals) or "–"))
    elif dry_run:
        lines.insert(0, _("Dry run: the opening balances can be posted; nothing was written."))
    report.summary.extend(lines)
