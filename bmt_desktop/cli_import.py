"""``bmt-desktop import …`` and ``bmt-desktop export collection-sheet``: moving in from
spreadsheets and the Kube's field collection sheet, from the command line.

Exit codes as everywhere: 0 done (or a clean dry run), 1 refused (the report, row by row, on
stderr; nothing written), 2 could not run. Every command logs in (``--user``, password from
BMT_PASSWORD or a prompt): even a dry run runs the import inside a transaction.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bmt_desktop.domain.dates import parse_date
from bmt_desktop.domain.errors import EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS, ValidationError
from bmt_desktop.domain.permissions import Action
from bmt_desktop.i18n import _


def _show(report) -> int:  # noqa: ANN001 - importing.ImportReport
    from bmt_desktop import cli

    for line in [*report.summary, *report.notes]:
        cli._out(line)
    if report.problems:
        cli._err(_("Nothing was imported: {n} problems.").format(n=len(report.problems)))
        for problem in report.problems:
            cli._err(f"  {problem.text()}")
        return EXIT_PROBLEMS
    return EXIT_OK


def _run(args: argparse.Namespace, action: Action, work) -> int:  # noqa: ANN001
    """Log in, read the file, run ``work(session, data)``; a refusal is exit 1."""
    from bmt_desktop import cli
    from bmt_desktop.services.importing import ImportRefused, read_path

    data = read_path(args.file) if getattr(args, "file", None) else b""
    book, session = cli._login(args.db, args.user, action)
    try:
        try:
            return _show(work(session, data))
        except ImportRefused as refused:
            return _show(refused.report)
        except ValidationError as error:
            cli._err(_("Error: {message}").format(message=error.message))
            return EXIT_PROBLEMS
    finally:
        book.close()


def cmd_import_members(args: argparse.Namespace) -> int:
    from bmt_desktop.services.importing import import_members

    return _run(args, Action.MEMBER_REGISTER, lambda session, data: import_members(
        session, data, dry_run=args.dry_run, file_name=Path(args.file).name))


def cmd_import_opening_balances(args: argparse.Namespace) -> int:
    from bmt_desktop.services.opening_balances import import_opening_balances

    cut_over = parse_date(args.date, field=_("Cut-over date"))
    return _run(args, Action.JOURNAL_POST, lambda session, data: import_opening_balances(
        session, data, cut_over, dry_run=args.dry_run, file_name=Path(args.file).name))


def cmd_import_collection_sheet(args: argparse.Namespace) -> int:
    from bmt_desktop.services.field_sheet import import_collection_sheet

    return _run(args, Action.KUBE_MEETING, lambda session, data: import_collection_sheet(
        session, data, dry_run=args.dry_run))


def cmd_export_collection_sheet(args: argparse.Namespace) -> int:
    from bmt_desktop import cli
    from bmt_desktop.services.field_sheet import export_collection_sheet, find_kube
    from bmt_desktop.services.report_export import write_file

    day = parse_date(args.date, field=_("Meeting date"))
    if Path(args.out).suffix.lower() != ".xlsx":
        cli._err(_("Error: {message}").format(message=_("The collection sheet is written as "
                                                         ".xlsx.")))
        return EXIT_CANNOT_RUN
    book, session = cli._login(args.db, args.user, Action.KUBE_MEETING)
    try:
        try:
            data = export_collection_sheet(session, find_kube(session, args.kube), day)
            path = write_file(args.out, data)
        except ValidationError as error:
            cli._err(_("Error: {message}").format(message=error.message))
            return EXIT_PROBLEMS
    finally:
        book.close()
    cli._out(_("Written: {path}").format(path=path))
    return EXIT_OK


def add_commands(sub: argparse._SubParsersAction) -> None:
    """The ``import`` and ``export`` commands (called by cli.build_parser)."""
    p = sub.add_parser("import", help=_("import members, opening balances or a filled "
                                        "collection sheet from a spreadsheet"))
    import_sub = p.add_subparsers(dest="import_command", required=True)
    for name, help_text, func in (
            ("members", _("members from XLSX or CSV (template resources/templates/"
                          "anggota.xlsx)"), cmd_import_members),
            ("opening-balances", _("opening balances at the cut-over date (template "
                                   "resources/templates/saldo_awal.xlsx)"),
             cmd_import_opening_balances),
            ("collection-sheet", _("a Kube's filled collection sheet"),
             cmd_import_collection_sheet)):
        p = import_sub.add_parser(name, help=help_text)
        p.add_argument("file", metavar="FILE", help=_("the XLSX or CSV file"))
        p.add_argument("--db", type=Path, required=True)
        p.add_argument("--user", required=True, help=_("the user who imports"))
        if name == "opening-balances":
            p.add_argument("--date", required=True, metavar="YYYY-MM-DD",
                           help=_("the cut-over date of the balances"))
        p.add_argument("--dry-run", action="store_true",
                       help=_("check everything and show what would be written; write "
                              "nothing"))
        p.set_defaults(func=func)
    p = sub.add_parser("export", help=_("export a Kube's collection sheet for its meeting"))
    export_sub = p.add_subparsers(dest="export_command", required=True)
    p = export_sub.add_parser("collection-sheet", help=_("the XLSX collection sheet of a Kube's "
                                                         "next meeting"))
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--kube", required=True, metavar="ID", help=_("the Kube's number or code "
                                                                 "(KUBE-001)"))
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD", help=_("the meeting date"))
    p.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    p.add_argument("--user", required=True,
                   help=_("the user who exports (the sheet's id is recorded in the book)"))
    p.set_defaults(func=cmd_export_collection_sheet)
