"""The README keeps its promises: two set-up commands first, .ci/run runs the second,
and the permission table is the one the services enforce."""

from __future__ import annotations

import re
from pathlib import Path

from bmt_desktop.domain.permissions import permission_table_markdown

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _setup_commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", README, flags=re.S)
    assert block is not None and README.index(block.group(0)) < README.index("\n## ")
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_exactly_two_commands() -> None:
    install_and_open, install_and_test = _setup_commands()
    assert "--demo" in install_and_open
    assert "pytest" in install_and_test


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _setup_commands()[1] in ci.splitlines()


def test_permission_table_matches_the_services() -> None:
    expected = permission_table_markdown()
    assert expected in README, "run: python tools/update_readme.py"
