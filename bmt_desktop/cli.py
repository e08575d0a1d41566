"""``bmt-desktop``: the window, or the same services from the command line.

Exit codes: 0 success, 1 problems found, 2 could not run. Commands that write ask for
``--user`` and take the password from ``BMT_PASSWORD`` or a prompt.
"""

from __future__ import annotations

import argparse
import getpass
import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bmt_desktop import __version__
from bmt_desktop.domain.dates import parse_date
from bmt_desktop.domain.errors import (
    EXIT_CANNOT_RUN,
    EXIT_OK,
    EXIT_PROBLEMS,
    BmtError,
    BookLockedError,
)
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _, translate_argparse
from bmt_desktop.paths import backups_dir

PASSWORD_ENV = "BMT_PASSWORD"
NEW_PASSWORD_ENV = "BMT_NEW_PASSWORD"


def _out(text: str) -> None:
    print(text, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _password(prompt: str, env: str = PASSWORD_ENV, *, confirm: bool = False) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise BmtError(
            _("No password: set {env} or run the command in a terminal.").format(env=env)
        )
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Repeat the password: ")) != value:
        raise BmtError(_("The two passwords differ."))
    return value


def _login(db: Path, username: str, action: Action, *, break_lock: bool = False):
    from bmt_desktop.services.auth import login
    from bmt_desktop.store.book import open_book

    book = open_book(db, break_stale_lock=break_lock)
    try:
        session = login(book, username, _password(_("Password for {user}: ").format(user=username)))
        session.require(action)
    except BaseException:
        book.close()
        raise
    return book, session


def cmd_init(args: argparse.Namespace) -> int:
    from bmt_desktop.services.setup import init_book

    password = _password(
        _("New password for {user}: ").format(user=args.user), confirm=True
    )
    book = init_book(
        args.db,
        office_name=args.office,
        admin_username=args.user,
        admin_password=password,
        registration_number=args.registration or "",
        address=args.address or "",
    )
    book.close()
    _out(_("Book created: {path}").format(path=args.db))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from bmt_desktop.services.demo import DEMO_PASSWORD, DEMO_USERS, build_demo

    end = parse_date(args.end, field=_("End date")) if args.end else None
    result = build_demo(args.db, members=args.members, years=args.years, seed=args.seed, end=end)
    result.book.close()
    _out(
        _("Demo book created: {path} ({members} members, {journals} journals).").format(
            path=args.db, members=result.members, journals=result.journals
        )
    )
    _out(_("Chain head: {head}").format(head=result.chain_head))
    users = ", ".join(f"{name} ({role.value})" for name, _full, role in DEMO_USERS)
    _out(_("Demo users: {users}; password: {password}").format(users=users, password=DEMO_PASSWORD))
    return EXIT_OK


def _print_report(report, as_json: bool) -> int:
    if as_json:
        _out(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        _out(_("Book: {path}").format(path=report.path))
        _out(_("Journals: {n}; audit entries: {m}").format(n=report.journals, m=report.chain_length))
        _out(_("Chain head: {head}").format(head=report.chain_head))
        if report.ok:
            _out(_("All checks passed."))
        else:
            _out(_("{n} problems found:").format(n=len(report.problems)))
            for problem in report.problems:
                _out(f"  [{problem.check}] {problem.message}")
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def cmd_verify(args: argparse.Namespace) -> int:
    from bmt_desktop.store.verify import verify_book

    return _print_report(verify_book(args.db, args.anchor or ()), args.json)


def cmd_backup(args: argparse.Namespace) -> int:
    from bmt_desktop.store.backup import backup_book

    result = backup_book(args.db, args.to or backups_dir())
    if not result.report.ok:
        _err(_("The backup failed verification and was set aside: {path}").format(path=result.path))
        for problem in result.report.problems:
            _err(f"  [{problem.check}] {problem.message}")
        return EXIT_PROBLEMS
    _out(_("Backup written and verified: {path}").format(path=result.path))
    for removed in result.removed:
        _out(_("Old backup removed by rotation: {path}").format(path=removed.name))
    return EXIT_OK


def cmd_snapshot(args: argparse.Namespace) -> int:
    from bmt_desktop.store.backup import snapshot_book

    result = snapshot_book(args.db, args.out)
    _out(_("Auditor's snapshot: {path}").format(path=result.path))
    _out(f"SHA-256: {result.sha256}")
    _out(_("Written beside it: {path}").format(path=result.sha_file))
    if not result.report.ok:
        _err(_("The book has problems; see 'verify'."))
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_user_add(args: argparse.Namespace) -> int:
    from bmt_desktop.services.auth import create_user

    book, session = _login(args.db, args.user, Action.USER_MANAGE, break_lock=args.break_lock)
    try:
        password = _password(
            _("Password for the new user {user}: ").format(user=args.username),
            NEW_PASSWORD_ENV,
            confirm=True,
        )
        create_user(session, args.username, args.name, args.role, password)
    finally:
        book.close()
    _out(_("User {user} ({role}) created.").format(user=args.username, role=args.role))
    return EXIT_OK


def _reader(db: Path):
    """A read-only book and a session for printing from the command line.

    Like ``verify``, printing reads the file and needs no login; the book is opened
    read-only, so nothing can be written through this session.
    """
    from bmt_desktop.domain.permissions import Role
    from bmt_desktop.services.session import Session
    from bmt_desktop.store.book import open_book

    book = open_book(db, read_only=True)
    return book, Session(book, 0, "baris-perintah", _("command line"), Role.MANAGER)


def _write_pdf(out: Path, pdf: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    _out(_("Written: {path}").format(path=out))


def cmd_print_receipt(args: argparse.Namespace) -> int:
    from bmt_desktop.services.documents import receipt_pdf

    book, session = _reader(args.db)
    try:
        _write_pdf(args.out, receipt_pdf(session, args.number,
                                         show_hijri=False if args.no_hijri else None))
    finally:
        book.close()
    return EXIT_OK


def cmd_print_passbook(args: argparse.Namespace) -> int:
    from bmt_desktop.services.documents import passbook_pending

    book, session = _reader(args.db)
    try:
        plan, pdf = passbook_pending(session, args.account)
        if pdf is None:
            _out(_("No passbook lines are waiting to be printed for {account}.").format(
                account=args.account))
            return EXIT_OK
        _write_pdf(args.out, pdf)
        for page in plan.needs_new_page_before:
            _out(_("Turn to page {page} of the book before it prints.").format(page=page))
    finally:
        book.close()
    return EXIT_OK


def cmd_print_statement(args: argparse.Namespace) -> int:
    from bmt_desktop.services.documents import statement_pdf

    try:
        year, month = (int(part) for part in args.period.split("-"))
    except ValueError:
        raise BmtError(_("The period is YYYY-MM, e.g. 2026-11.")) from None
    book, session = _reader(args.db)
    try:
        _write_pdf(args.out, statement_pdf(session, args.account, year, month))
    finally:
        book.close()
    return EXIT_OK


def cmd_print_akad(args: argparse.Namespace) -> int:
    from bmt_desktop.domain.errors import ValidationError
    from bmt_desktop.services.akad import akad_pdf

    book, session = _reader(args.db)
    try:
        try:
            pdf = akad_pdf(session, args.financing)
        except ValidationError as error:  # an unknown number, or no akad (yet): a problem
            _err(_("Error: {message}").format(message=error.message))
            return EXIT_PROBLEMS
        _write_pdf(args.out, pdf)
    finally:
        book.close()
    return EXIT_OK


def cmd_print_certificate(args: argparse.Namespace) -> int:
    from bmt_desktop.services.training_reports import certificate_pdf

    book, session = _reader(args.db)
    try:
        _write_pdf(args.out, certificate_pdf(session, args.participant,
                                             session_id=args.session))
    finally:
        book.close()
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    from bmt_desktop.gui.app import run

    return run(db=args.db, read_only=args.read_only, demo=args.demo)


def build_parser() -> argparse.ArgumentParser:
    translate_argparse()
    parser = argparse.ArgumentParser(
        prog="bmt-desktop",
        description=_("BMT Desktop: the books of a BMT office and its Kube programme."),
    )
    parser.add_argument("--version", action="version", version=f"BMT Desktop {__version__}",
                        help=_("show program's version number and exit"))
    parser.add_argument("--db", type=Path, help=_("the book to open"))
    parser.add_argument("--read-only", action="store_true", help=_("open read-only (auditor)"))
    parser.add_argument("--demo", action="store_true", help=_("open the demo book"))
    parser.add_argument("--self-test", action="store_true",
                        help=_("check this installation (data, fonts, a book in a temporary "
                               "folder, a receipt, Qt) and exit"))
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("init", help=_("create a new office book"))
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--office", required=True, help=_("office name"))
    p.add_argument("--user", required=True, help=_("the first administrator's user name"))
    p.add_argument("--registration", help=_("legal registration number"))
    p.add_argument("--address")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help=_("create a demo book (Sukajaya)"))
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--members", type=int, default=150)
    p.add_argument("--years", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--end", help=_("last day of the demo history, YYYY-MM-DD (default today)"))
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("verify", help=_("check that the book is whole and unaltered"))
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--json", action="store_true")
    p.add_argument("--anchor", action="append", metavar="HASH",
                   help=_("a chain head printed earlier; it must still be in the chain"))
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("backup", help=_("online backup, verified and rotated"))
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--to", type=Path, help=_("backup folder"))
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("snapshot", help=_("a frozen read-only copy for the auditor"))
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(func=cmd_snapshot)

    p = sub.add_parser("print", help=_("print a receipt, passbook lines, a statement or an akad "
                                       "summary to PDF"))
    print_sub = p.add_subparsers(dest="print_command", required=True)
    p = print_sub.add_parser("receipt", help=_("a receipt (kuitansi) by its number"))
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--number", required=True, help="KW-2026-000123")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--no-hijri", action="store_true", help=_("leave out the Hijri date"))
    p.set_defaults(func=cmd_print_receipt)
    p = print_sub.add_parser("passbook", help=_("the passbook lines not yet printed"))
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--account", required=True, help="SS-000123")
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(func=cmd_print_passbook)
    p = print_sub.add_parser("statement", help=_("a savings account's monthly statement"))
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--account", required=True)
    p.add_argument("--period", required=True, help="YYYY-MM")
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(func=cmd_print_statement)
    p = print_sub.add_parser("certificate", help=_("a training participant's certificate"))
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--session", type=int, required=True, help=_("the training session's number"))
    p.add_argument("--participant", type=int, required=True,
                   help=_("the participant's number in the session's register"))
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(func=cmd_print_certificate)
    p = print_sub.add_parser("akad", help=_("a financing's akad summary with its schedule"))
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--financing", required=True, help="PMB-2026-00001")
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(func=cmd_print_akad)

    p = sub.add_parser("user", help=_("manage users"))
    user_sub = p.add_subparsers(dest="user_command", required=True)
    p = user_sub.add_parser("add", help=_("add a user"))
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--user", required=True, help=_("the administrator who adds the user"))
    p.add_argument("--username", required=True)
    p.add_argument("--name", required=True, help=_("full name"))
    p.add_argument("--role", required=True, choices=["admin", "manager", "teller", "auditor"])
    p.add_argument("--break-lock", action="store_true",
                   help=_("break a lock left by a program that is no longer running"))
    p.set_defaults(func=cmd_user_add)

    from bmt_desktop.cli_import import add_commands as add_import_commands

    add_import_commands(sub)  # import members | opening-balances | collection-sheet; export
    from bmt_desktop.cli_reports import add_commands as add_report_commands

    add_report_commands(sub)  # report NAME | month-end | year-end
    return parser



def main(argv: Sequence[str] | None = None) -> int:
    # verify spawns helper processes for a large book; a frozen Windows build needs this.
    multiprocessing.freeze_support()
    for stream in (sys.stdout, sys.stderr):
        # Redirected to a file on Windows the code page may lack a character of a name or a
        # message: write it escaped rather than stop the command halfway.
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) and EXIT_CANNOT_RUN
    if args.self_test:
        from bmt_desktop.selftest import run_self_test

        return run_self_test()
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except BookLockedError as error:
        _err(_("Error: {message}").format(message=error.message))
        if error.stale:
            _err(_("Run the command again with --break-lock to break it."))
        return error.exit_code
    except BmtError as error:
        _err(_("Error: {message}").format(message=error.message))
        return error.exit_code
    except KeyboardInterrupt:
        _err(_("Stopped."))
        return EXIT_CANNOT_RUN
    except OSError as error:
        _err(_("Error: {message}").format(message=error))
        return EXIT_CANNOT_RUN


if __name__ == "__main__":
    raise SystemExit(main())
