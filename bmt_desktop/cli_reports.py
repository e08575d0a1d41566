"""Command line: reports, month-end and year-end.

    bmt-desktop report NAME --db PATH --period YYYY-MM --out FILE   (format from the extension)
    bmt-desktop month-end --db PATH --period YYYY-MM --user NAME
    bmt-desktop year-end --db PATH --year YYYY --user NAME

A report only reads the book (opened read-only, like ``verify`` and ``print``); month-end and
year-end log in and write. Exit codes: 0 done, 1 refused (the reason on stderr, nothing
written), 2 could not run.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from bmt_desktop import cli
from bmt_desktop.domain.errors import EXIT_PROBLEMS, PermissionDenied, ValidationError
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _


def refusals_exit_1(command: Callable[[argparse.Namespace], int]
                    ) -> Callable[[argparse.Namespace], int]:
    """A refusal (bad period, closed month, no permission, unwritable file) is exit 1 with
    the reason on stderr, as for the imports; what could not run at all stays exit 2."""
    @wraps(command)
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except (ValidationError, PermissionDenied) as error:
            cli._err(_("Error: {message}").format(message=error.message))
            return EXIT_PROBLEMS
    return run


@refusals_exit_1
def cmd_report(args: argparse.Namespace) -> int:
    from bmt_desktop.services import report_export, report_model

    report_export.format_of(args.out)  # refuse a wrong extension before any work
    book, session = cli._reader(args.db)
    try:
        report_model.report_names()  # loads the registry
        start, end = report_model.parse_report_period(
            args.period, yearly=report_model.REPORTS[args.name].yearly, today=session.today)
        report = report_model.build(session, args.name, start, end)
        path = report_export.export(session, report, args.out)
    finally:
        book.close()
    cli._out(_("Written: {path}").format(path=path))
    return cli.EXIT_OK


@refusals_exit_1
def cmd_month_end(args: argparse.Namespace) -> int:
    from bmt_desktop.services import month_end

    year, month = month_end.parse_period(args.period)
    book, session = cli._login(args.db, args.user, Action.PERIOD_CLOSE)
    try:
        result = month_end.run_month_end(session, year, month)
    finally:
        book.close()
    for line in month_end.describe(result):
        cli._out(line)
    return cli.EXIT_OK


@refusals_exit_1
def cmd_year_end(args: argparse.Namespace) -> int:
    from bmt_desktop.services import year_end

    book, session = cli._login(args.db, args.user, Action.PERIOD_CLOSE)
    try:
        result = year_end.run_year_end(session, args.year)
    finally:
        book.close()
    for line in year_end.describe(result):
        cli._out(line)
    return cli.EXIT_OK


@refusals_exit_1
def cmd_restore(args: argparse.Namespace) -> int:
    """Put a verified backup in place of the book; the replaced book is kept aside. An
    administrator of the book logs in — or, when the book cannot be opened at all (damaged,
    not a book), an administrator of the backup."""
    from bmt_desktop.domain.errors import BookError
    from bmt_desktop.services.auth import login
    from bmt_desktop.services.maintenance import restore
    from bmt_desktop.store.backup import check_restorable, restore_backup
    from bmt_desktop.store.book import open_book

    password = cli._password(_("Password for {user}: ").format(user=args.user))
    try:
        book = open_book(args.db)
    except BookError:
        if not args.db.exists() and not args.db.parent.is_dir():
            raise
        verified = check_restorable(args.source)
        backup = open_book(args.source, read_only=True)
        try:
            login(backup, args.user, password).require(Action.BACKUP_RESTORE, writes=False)
        finally:
            backup.close()
        result = restore_backup(args.source, args.db, verified=verified)
    else:
        try:
            result = restore(login(book, args.user, password), args.source)
        except BaseException:
            book.close()  # restore closes it itself once it may go ahead
            raise
    cli._out(_("Restored from {backup} into {path}.").format(backup=args.source,
                                                             path=result.path))
    if result.safety_copy is not None:
        cli._out(_("The replaced book is kept as {path}.").format(path=result.safety_copy))
    cli._out(_("Hash-chain head: {head}").format(head=result.report.chain_head))
    return cli.EXIT_OK


def add_commands(sub: argparse._SubParsersAction) -> None:
    from bmt_desktop.services import report_model

    p = sub.add_parser("report", help=_("write a report as PDF, XLSX, CSV or JSON"))
    p.add_argument("name", choices=report_model.report_names(), metavar=_("NAME"),
                   help=_("one of: {names}").format(names=", ".join(
                       report_model.report_names())))
    p.add_argument("--db", type=Path, required=True, help=_("the book file"))
    p.add_argument("--period", required=True,
                   help=_("YYYY-MM (a month), YYYY-MM-DD (a day) or YYYY (a year)"))
    p.add_argument("--out", type=Path, required=True,
                   help=_("the file to write; .pdf, .xlsx, .csv or .json"))
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("month-end", help=_("share the profit, set the reserves, close a month"))
    p.add_argument("--db", type=Path, required=True, help=_("the book file"))
    p.add_argument("--period", required=True, help=_("the month, YYYY-MM"))
    p.add_argument("--user", required=True, help=_("a manager's user name"))
    p.set_defaults(func=cmd_month_end)
    p = sub.add_parser("year-end", help=_("compute and distribute the SHU of a closed year"))
    p.add_argument("--db", type=Path, required=True, help=_("the book file"))
    p.add_argument("--year", type=int, required=True, help=_("the year, YYYY"))
    p.add_argument("--user", required=True, help=_("a manager's user name"))
    p.set_defaults(func=cmd_year_end)
    p = sub.add_parser("restore", help=_("put a verified backup in place of the book"))
    p.add_argument("--from", dest="source", type=Path, required=True,
                   help=_("the backup file (.bmt)"))
    p.add_argument("--db", type=Path, required=True, help=_("the book file"))
    p.add_argument("--user", required=True, help=_("an administrator's user name"))
    p.set_defaults(func=cmd_restore)
