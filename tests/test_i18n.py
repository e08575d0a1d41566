"""The user reads Indonesian: every msgid has a good translation and the catalog is in use."""

from __future__ import annotations

import argparse
import gettext
import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Message

from bmt_desktop import i18n
from bmt_desktop.domain.dates import parse_date
from bmt_desktop.domain.errors import ValidationError
from bmt_desktop.domain.journal_rules import check_text
from bmt_desktop.domain.money import parse_amount

ROOT = Path(__file__).resolve().parents[1]


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bmt_i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


@pytest.fixture(scope="module")
def wanted() -> set:
    return tool.extracted_msgids()


@pytest.fixture(scope="module")
def po():
    return tool.load_po("id")


@pytest.fixture
def indonesian():
    """The Indonesian catalog installed (as at start-up), whatever a test did before."""
    i18n.install("id")
    yield
    i18n.install("id")


def _show(msgid) -> str:
    return repr(tuple(msgid)) if isinstance(msgid, tuple | list) else repr(msgid)


# --------------------------------------------------------------------------- extraction


def test_extraction_finds_code_forms_and_argparse(wanted):
    assert "Wrong user name or password." in wanted  # services/auth.py
    assert "Log in" in wanted  # ui/login_dialog.ui, the window title
    assert "User name" in wanted  # ui/login_dialog.ui, a label
    assert {"OK", "Cancel"} <= wanted  # gui/forms.py, the dialog buttons
    assert "SALINAN AUDITOR — HANYA BACA" in wanted  # _(READ_ONLY_TITLE) in gui/main_window.py
    assert "the following arguments are required: %s" in wanted
    assert ("expected %s argument", "expected %s arguments") in wanted
    assert "color: #b00020;" not in wanted  # notr="true"
    assert "" not in wanted


def test_every_ui_string_is_extracted(wanted):
    import xml.etree.ElementTree as ET

    for form in sorted((ROOT / "ui").glob("*.ui")):
        for element in ET.parse(form).iter("string"):
            text = element.text or ""
            if element.get("notr") != "true" and text.strip():
                assert text in wanted, f"{form.name}: {text!r}"


def test_argparse_msgids_cover_the_running_python():
    """Every text this Python's argparse translates is in the catalog's fixed list."""
    from babel.messages.extract import extract

    with open(argparse.__file__, "rb") as source:
        found = {
            tuple(msg) if isinstance(msg, tuple | list) else msg
            for _line, msg, _comments, _context in extract(
                "python", source, keywords={"_": None, "ngettext": (1, 2)}
            )
        }
    assert found <= set(tool.ARGPARSE_MESSAGES)


# --------------------------------------------------------------------------- the catalog


def test_every_msgid_has_an_indonesian_translation(wanted, po):
    problems = []
    for msgid in sorted(wanted, key=_show):
        message = po.get(msgid)
        if message is None:
            problems.append(f"missing (run `python tools/i18n.py update`): {_show(msgid)}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {_show(msgid)}")
        elif not tool.is_translated(message):
            problems.append(f"untranslated: {_show(msgid)}")
    assert not problems, "\n".join(problems)


def test_placeholders_match(po):
    problems = [
        f"{_show(message.id)}: {problem}"
        for message in po
        if message.id and (problem := tool.placeholder_problem(message))
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("msgid", "msgstr", "ok"),
    [
        ("Line {line}: account {code}.", "Baris {line}: akun {code}.", True),
        ("Line {line}: account {code}.", "Baris {baris}: akun {code}.", False),
        ("Unknown role {role!r}.", "Peran {role} tidak dikenal.", False),
        ("{n} problems", "{n} masalah, {n}", False),
        ("unrecognized arguments: %s", "argumen tidak dikenal: %s", True),
        ("invalid choice: %(value)r", "pilihan tidak sah: %(value)s", False),
        ("usage: ", "penggunaan: ", True),
        ("Zakat 2.5% of the profit", "Zakat 2,5% dari laba", True),
    ],
)
def test_placeholder_check_itself(msgid, msgstr, ok):
    assert (tool.placeholder_problem(Message(msgid, msgstr)) is None) is ok


def test_committed_mo_matches_po(po):
    data = tool.mo_path("id").read_bytes()
    assert tool.mo_messages(data) == tool.mo_messages(tool.mo_bytes(po))
    # And read independently with the standard library, the way the program reads it.
    translations = gettext.GNUTranslations(tool.mo_path("id").open("rb"))
    for message in po:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            assert translations.ngettext(message.id[0], message.id[1], 2) == message.string[0]
        else:
            assert translations.gettext(message.id) == message.string


def test_check_passes():
    """What `python tools/i18n.py check` reports: nothing."""
    assert tool.problems("id") == []


def test_update_is_stable(tmp_path):
    """`update` on unchanged code writes nothing: no dates or orderings that change per run."""
    for name in ("bmt_desktop", "ui"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "resources" / "locale", tmp_path / "resources" / "locale")
    assert tool.update(tmp_path) == []


# --------------------------------------------------------------------------- in use


def test_login_error_is_indonesian(indonesian):
    english = "Wrong user name or password."
    text = i18n._(english)
    assert text != english
    assert "kata sandi" in text


def test_domain_errors_are_indonesian(indonesian):
    with pytest.raises(ValidationError) as error:
        parse_amount(0)
    assert "must" not in error.value.message
    assert "Jumlah" in error.value.message

    with pytest.raises(ValidationError) as error:
        parse_amount("dua ribu")
    assert "not a number" not in error.value.message

    with pytest.raises(ValidationError) as error:
        parse_date("31/12/2026")
    assert "valid date" not in error.value.message
    assert "YYYY-MM-DD" in error.value.message

    with pytest.raises(ValidationError) as error:
        check_text("", "Keterangan", required=True)
    assert "must" not in error.value.message


def test_plurals_use_the_catalog(indonesian):
    assert i18n.ngettext("expected %s argument", "expected %s arguments", 3) == (
        "diharapkan %s argumen"
    )


def test_cli_argparse_errors_are_indonesian(indonesian, monkeypatch, capsys):
    from bmt_desktop import cli

    # Restored after the test, so pytest's own argparse stays as it was.
    monkeypatch.setattr(argparse, "_", argparse._)
    monkeypatch.setattr(argparse, "ngettext", argparse.ngettext)
    assert cli.main(["verify"]) == 2
    err = capsys.readouterr().err
    assert "--db" in err
    assert "wajib" in err
    assert "required" not in err
    assert "usage" not in err and "error" not in err


def test_cli_help_is_indonesian(indonesian, monkeypatch, capsys):
    from bmt_desktop import cli

    monkeypatch.setattr(argparse, "_", argparse._)
    monkeypatch.setattr(argparse, "ngettext", argparse.ngettext)
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("penggunaan: ")
    assert "show this help message" not in out


def test_login_form_is_indonesian(indonesian, qtbot):
    from PySide6.QtWidgets import QDialogButtonBox, QLabel

    from bmt_desktop.gui.forms import load_form

    form = load_form("login_dialog")
    qtbot.addWidget(form)
    assert form.windowTitle() == i18n._("Log in") != "Log in"
    labels = {label.text() for label in form.findChildren(QLabel)}
    assert "Nama pengguna" in labels and "User name" not in labels
    buttons = form.findChild(QDialogButtonBox)
    texts = {button.text() for button in buttons.buttons()}
    assert "Batal" in texts
