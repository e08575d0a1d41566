"""``bmt-desktop --self-test``: check an installation end to end and say so in Indonesian.

Run after installing (and inside the frozen build, by the build scripts and the Windows
workflow). Every check prints one line; the exit code is 0 when all passed, 1 otherwise,
and a failed check says why. Nothing is written outside a temporary folder, whose name has
spaces and a non-ASCII letter on purpose (Windows user names often have both):

- the data folders through the locator: migrations, seed files, forms, translations,
  import templates, the icon and the bundled fonts (registered with ReportLab);
- Babel's locale data for Indonesian and English;
- a new book (``init_book``), a teller who logs in (argon2), a member (NIK checked with
  python-stdnum), a savings account, the drawer opened and a deposit posted;
- the deposit's receipt as PDF, read back with pypdf (the amount is on it);
- ``verify_book``: once in this process and once in helper processes, and the month's
  statements rendered by the process pool, which is how a frozen build must spawn itself;
- Qt: the platform plugin (``offscreen`` when there is no display), QtUiTools with every
  form in ui/, QtPdf showing the receipt, QtPrintSupport printing it to a PDF file, and
  QtCharts drawing a chart.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bmt_desktop import __version__
from bmt_desktop.domain.errors import EXIT_OK, EXIT_PROBLEMS
from bmt_desktop.i18n import _

SELF_TEST_AMOUNT = 125_000
SELF_TEST_NIK = "3601145406791782"  # valid: a woman born 14-06-1979 in Pandeglang
FOLDER_NAME = "Buku BMT Ümi"
REPORT_FILE = "bmt-desktop-self-test.txt"

Context = dict[str, Any]


class CheckFailed(Exception):
    """A check's own reason, already in the user's language."""


def _need(path: Path) -> Path:
    if not path.exists():
        raise CheckFailed(_("missing: {path}").format(path=path))
    return path


# --------------------------------------------------------------------------- data folders


def check_data_root(ctx: Context) -> str:
    from bmt_desktop.locator import data_root

    try:
        ctx["root"] = data_root()
    except FileNotFoundError as error:
        raise CheckFailed(str(error)) from None
    return str(ctx["root"])


def check_migrations(ctx: Context) -> str:
    from bmt_desktop.store.migrations import available_migrations

    migrations = available_migrations(_need(ctx["root"] / "db" / "migrations"))
    if not migrations:
        raise CheckFailed(_("no migration in {path}").format(path=ctx["root"] / "db"))
    return _("{n} migrations, up to version {version}").format(
        n=len(migrations), version=migrations[-1].version)


def check_seed(ctx: Context) -> str:
    from bmt_desktop.store import seed

    for name in ("chart_of_accounts.csv", "savings_products.csv", "financing_products.csv"):
        _need(ctx["root"] / "db" / "seed" / name)
    return _("{n} accounts in the chart of accounts").format(n=len(seed.chart_rows()))


def check_forms(ctx: Context) -> str:
    forms = sorted(_need(ctx["root"] / "ui").glob("*.ui"))
    if not forms:
        raise CheckFailed(_("no form in {path}").format(path=ctx["root"] / "ui"))
    ctx["forms"] = [form.stem for form in forms]
    return ", ".join(ctx["forms"])


def check_translations(ctx: Context) -> str:
    import gettext

    from bmt_desktop.i18n import DOMAIN

    locale = ctx["root"] / "resources" / "locale"
    found = gettext.find(DOMAIN, str(locale), languages=["id"])
    if found is None:
        raise CheckFailed(_("missing: {path}").format(
            path=locale / "id" / "LC_MESSAGES" / f"{DOMAIN}.mo"))
    return str(Path(found).relative_to(ctx["root"]))


def check_templates_and_icon(ctx: Context) -> str:
    resources = ctx["root"] / "resources"
    names = ["templates/anggota.xlsx", "templates/saldo_awal.xlsx", "icons/bmt-desktop.png"]
    if sys.platform == "win32":
        names.append("icons/bmt-desktop.ico")
    for name in names:
        _need(resources / name)
    return ", ".join(names)


def check_fonts(ctx: Context) -> str:
    from bmt_desktop.printing.fonts import BOLD, REGULAR, register_fonts

    folder = ctx["root"] / "resources" / "fonts"
    for name in (REGULAR, BOLD):
        _need(folder / f"{name}.ttf")
    return ", ".join(register_fonts())


def check_babel(ctx: Context) -> str:
    import datetime as dt

    from babel.dates import format_date
    from babel.numbers import format_decimal

    day = dt.date(2026, 11, 29)
    shown = [format_decimal(1_500_000, locale="id_ID"), format_date(day, "d MMMM y", locale="id"),
             format_date(day, "d MMMM y", locale="en")]
    if shown != ["1.500.000", "29 November 2026", "29 November 2026"]:
        raise CheckFailed(" / ".join(shown))
    return " / ".join(shown[:2])


# --------------------------------------------------------------------------- a book


def check_new_book(ctx: Context) -> str:
    from bmt_desktop.services.setup import init_book

    folder = Path(tempfile.mkdtemp(prefix="bmt-uji-")) / FOLDER_NAME
    folder.mkdir()
    ctx["temp"] = folder.parent
    ctx["path"] = folder / "kantor uji.bmt"
    ctx["password"] = "uji-mandiri-" + os.urandom(4).hex()
    ctx["book"] = init_book(ctx["path"], office_name="BMT Uji Mandiri", admin_username="admin",
                            admin_password=ctx["password"])
    return str(ctx["path"])


def check_deposit(ctx: Context) -> str:
    from bmt_desktop.domain.money import format_rupiah
    from bmt_desktop.services import drawer
    from bmt_desktop.services.auth import create_user, login
    from bmt_desktop.services.members import MemberInput, register_member
    from bmt_desktop.services.savings import deposit, open_account

    book, password = ctx["book"], ctx["password"]
    create_user(login(book, "admin", password), "kasir", "Kasir Uji", "teller", password)
    teller = login(book, "kasir", password)
    member = register_member(teller, MemberInput(name="Siti Rühmah", nik=SELF_TEST_NIK))
    account = open_account(teller, member.id, "SS")
    drawer.open_drawer(teller, 1_000_000)
    posted = deposit(teller, account.number, SELF_TEST_AMOUNT)
    ctx.update(teller=teller, receipt_number=posted.doc_number, member_name=member.name)
    return _("{number}: {amount} into {account}").format(
        number=posted.doc_number, amount=format_rupiah(SELF_TEST_AMOUNT), account=account.number)


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def check_receipt(ctx: Context) -> str:
    from bmt_desktop.domain.money import format_rupiah
    from bmt_desktop.services.documents import receipt_pdf

    pdf = receipt_pdf(ctx["teller"], ctx["receipt_number"])
    text = _pdf_text(pdf)
    amount = format_rupiah(SELF_TEST_AMOUNT)
    if amount not in text or ctx["receipt_number"] not in text:
        raise CheckFailed(_("the receipt does not show {amount} and {number}").format(
            amount=amount, number=ctx["receipt_number"]))
    ctx["pdf"] = pdf
    return _("{size} bytes, {amount} on the page").format(size=len(pdf), amount=amount)


def check_statements_in_pool(ctx: Context) -> str:
    from bmt_desktop.services.statement_batch import statements_pdf

    teller = ctx["teller"]
    folder = ctx["temp"] / "rekening koran"
    folder.mkdir()
    written = statements_pdf(teller, teller.today.year, teller.today.month, folder,
                             combined=True, workers=2)
    if len(written) != 1 or ctx["member_name"] not in _pdf_text(written[0].read_bytes()):
        raise CheckFailed(_("the statements were not written"))
    return written[0].name


def _verified(ctx: Context, parallel: bool) -> str:
    from bmt_desktop.store.verify import verify_book

    if ctx.get("book") is not None:
        ctx.pop("book").close()
    report = verify_book(ctx["path"], parallel=parallel)
    if not report.ok:
        raise CheckFailed("; ".join(f"[{p.check}] {p.message}" for p in report.problems))
    return _("{n} checks passed, chain head {head}").format(
        n=len(report.checks), head=report.chain_head[:16])


def check_verify(ctx: Context) -> str:
    return _verified(ctx, parallel=False)


def check_verify_in_processes(ctx: Context) -> str:
    return _verified(ctx, parallel=True)


# --------------------------------------------------------------------------- Qt


def _platform_plugin_missing(name: str) -> bool:
    """True when Qt's plugin folders are there but hold no platform plugin ``name`` (Qt
    would abort the process); False when it is there or the folders cannot be told."""
    from PySide6.QtCore import QCoreApplication

    folders = [Path(path) / "platforms" for path in QCoreApplication.libraryPaths()]
    folders = [folder for folder in folders if folder.is_dir()]
    if not folders:
        return False
    return not any(path.name.split(".")[0].removeprefix("lib") == f"q{name}"
                   for folder in folders for path in folder.iterdir())


def check_qt_platform(ctx: Context) -> str:
    if not os.environ.get("QT_QPA_PLATFORM") and sys.platform not in ("win32", "darwin") \
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    wanted = (os.environ.get("QT_QPA_PLATFORM") or {"win32": "windows", "darwin": "cocoa"}.get(
        sys.platform, "xcb")).split(":")[0]
    if _platform_plugin_missing(wanted):  # Qt would abort the process: say why first
        raise CheckFailed(_("the Qt platform plugin {name} is missing").format(name=wanted))
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "bmt-desktop"])
    ctx["app"] = app
    screen = app.primaryScreen()
    ratio = screen.devicePixelRatio() if screen is not None else 1.0
    return _("{platform}, Qt {version}, pixel ratio {ratio:g}").format(
        platform=app.platformName(), version=_qt_version(), ratio=ratio)


def _qt_version() -> str:
    from PySide6.QtCore import qVersion

    return qVersion()


def check_qt_forms(ctx: Context) -> str:
    from bmt_desktop.gui.forms import load_form

    for name in ctx.get("forms", []):
        load_form(name).deleteLater()
    return _("{n} forms loaded").format(n=len(ctx.get("forms", [])))


def check_qt_pdf(ctx: Context) -> str:
    from PySide6.QtCore import QSize

    from bmt_desktop.gui.pdf_preview import load_pdf

    document, _buffer = load_pdf(ctx["pdf"])
    image = document.render(0, QSize(400, 300))
    if image.isNull():
        raise CheckFailed(_("QtPdf could not draw the receipt"))
    return _("{n} page(s) drawn").format(n=document.pageCount())


def check_qt_print(ctx: Context) -> str:
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    from bmt_desktop.gui.pdf_preview import print_pdf

    out = ctx["temp"] / "cetak uji.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    pages = print_pdf(ctx["pdf"], printer)
    if pages < 1 or not out.is_file() or out.stat().st_size == 0:
        raise CheckFailed(_("nothing was printed"))
    return _("{pages} page(s) to PDF; printers on this computer: {n}").format(
        pages=pages, n=len(QPrinterInfo.availablePrinterNames()))


def check_qt_charts(ctx: Context) -> str:
    from PySide6.QtCharts import QChart, QChartView, QLineSeries

    series = QLineSeries()
    for x, y in ((0, 1.0), (1, 2.5), (2, 2.0)):
        series.append(x, y)
    chart = QChart()
    chart.addSeries(series)
    chart.createDefaultAxes()
    view = QChartView(chart)
    view.resize(320, 200)
    image = view.grab()
    view.deleteLater()
    if image.isNull():
        raise CheckFailed(_("QtCharts could not draw a chart"))
    return f"{image.width()}×{image.height()}"


# --------------------------------------------------------------------------- running


Check = tuple[str, Callable[[Context], str], tuple[str, ...]]


def checks() -> list[Check]:
    """(label, check, what it needs from earlier checks): a check whose needs are missing
    (an earlier one failed) is reported as skipped, not run."""
    return [
        (_("Data folders"), check_data_root, ()),
        (_("Migrations"), check_migrations, ("root",)),
        (_("Seed data"), check_seed, ("root",)),
        (_("Forms"), check_forms, ("root",)),
        (_("Translations"), check_translations, ("root",)),
        (_("Templates and icon"), check_templates_and_icon, ("root",)),
        (_("Fonts"), check_fonts, ("root",)),
        (_("Locale data (Babel)"), check_babel, ()),
        (_("New book"), check_new_book, ("root",)),
        (_("Deposit"), check_deposit, ("book",)),
        (_("Receipt PDF"), check_receipt, ("receipt_number",)),
        (_("Statements in helper processes"), check_statements_in_pool, ("receipt_number",)),
        (_("Verifying the book"), check_verify, ("path", "receipt_number")),
        (_("Verifying in helper processes"), check_verify_in_processes,
         ("path", "receipt_number")),
        (_("Qt platform"), check_qt_platform, ()),
        (_("Qt forms (QtUiTools)"), check_qt_forms, ("app", "forms")),
        (_("Receipt on screen (QtPdf)"), check_qt_pdf, ("app", "pdf")),
        (_("Printing (QtPrintSupport)"), check_qt_print, ("app", "pdf")),
        (_("Charts (QtCharts)"), check_qt_charts, ("app",)),
    ]


def _reason(error: BaseException) -> str:
    if isinstance(error, CheckFailed):
        return str(error)
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return f"{type(error).__name__}: {message}"


def _line(mark: str, label: str, detail: str) -> str:
    return f"[{mark}] {label}: {detail}"


def _writer() -> tuple[Callable[[str], None], Path | None]:
    """Lines go to stdout; a windowed build has none, so they go to a file in the temp folder."""
    stream = sys.stdout
    if stream is not None:
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:  # a Windows pipe in cp1252 must not fail on a name
            reconfigure(errors="backslashreplace")
        return lambda line: print(line, file=stream, flush=True), None
    path = Path(tempfile.gettempdir()) / REPORT_FILE
    handle = path.open("w", encoding="utf-8")

    def write(line: str) -> None:
        handle.write(line + "\n")
        handle.flush()

    return write, path


def run_self_test(write: Callable[[str], None] | None = None) -> int:
    """Run every check, print a line for each; 0 when all passed, 1 otherwise."""
    report_file = None
    if write is None:
        write, report_file = _writer()
    write(_("BMT Desktop {version}: self-test").format(version=__version__))
    write(_("Program: {path}").format(path=sys.executable))
    ctx: Context = {}
    failed = 0
    started = time.monotonic()
    try:
        for label, check, needs in checks():
            if any(ctx.get(need) is None for need in needs):
                failed += 1
                write(_line(_("SKIPPED"), label, _("an earlier check failed")))
                continue
            try:
                detail = check(ctx)
            except Exception as error:  # noqa: BLE001 - every failure is reported, not raised
                failed += 1
                write(_line(_("FAILED"), label, _reason(error)))
                if os.environ.get("BMT_SELF_TEST_TRACE"):
                    write(traceback.format_exc())
            else:
                write(_line(_("OK"), label, detail))
    finally:
        if ctx.get("book") is not None:
            ctx["book"].close()
        if ctx.get("temp") is not None:
            shutil.rmtree(ctx["temp"], ignore_errors=True)
    seconds = time.monotonic() - started
    if failed:
        write(_("Self-test FAILED: {n} of {total} checks did not pass ({seconds:.1f} s).").format(
            n=failed, total=len(checks()), seconds=seconds))
    else:
        write(_("Self-test passed: all {total} checks ({seconds:.1f} s).").format(
            total=len(checks()), seconds=seconds))
    if report_file is not None:
        write(str(report_file))
    return EXIT_PROBLEMS if failed else EXIT_OK
