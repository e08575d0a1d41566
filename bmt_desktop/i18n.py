"""User-facing text goes through gettext; msgids are English, the catalog is Indonesian.

The catalog lives in resources/locale/<lang>/LC_MESSAGES/bmt_desktop.mo; ``tools/i18n.py``
extracts, merges and compiles it. A test fails when a msgid has no Indonesian translation.
"""

from __future__ import annotations

import gettext as _gettext

from bmt_desktop.locator import resources_dir

DOMAIN = "bmt_desktop"
DEFAULT_LANGUAGE = "id"

_translation: _gettext.NullTranslations = _gettext.NullTranslations()


def install(language: str = DEFAULT_LANGUAGE) -> None:
    """Load the catalog for ``language`` (falls back to the msgids when it is missing)."""
    global _translation
    try:
        localedir = resources_dir() / "locale"
    except FileNotFoundError:  # no data folders at all: the msgids, so --self-test can say so
        _translation = _gettext.NullTranslations()
        return
    _translation = _gettext.translation(
        DOMAIN, localedir=str(localedir), languages=[language], fallback=True
    )


def _(message: str) -> str:
    return _translation.gettext(message)


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark, translate later"
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def translate_argparse() -> None:
    """Route argparse's own texts (usage, errors, help headings) through the catalog.

    argparse does ``from gettext import gettext as _, ngettext`` and looks both names up as
    module globals each time it builds a message (Python 3.11 to 3.13), so replacing them is
    enough. Our functions read ``_translation`` at call time, so a later ``install()`` applies.
    Call it before building a parser: group titles and ``-h`` help are translated then.
    """
    import argparse

    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


install()
