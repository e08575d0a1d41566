"""Write the permission table from bmt_desktop.domain.permissions into README.md."""

from __future__ import annotations

import re
from pathlib import Path

from bmt_desktop.domain.permissions import permission_table_markdown

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- permissions:start -->", "<!-- permissions:end -->"


def render(text: str) -> str:
    block = f"{START}\n{permission_table_markdown()}\n{END}"
    return re.sub(re.escape(START) + r".*?" + re.escape(END), block, text, flags=re.S)


if __name__ == "__main__":
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
