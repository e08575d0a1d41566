"""Document numbers such as ``KW-2026-000123``: gapless per kind and year."""

from __future__ import annotations

import re

# Kinds of documents; each has its own gapless sequence per year.
DOC_KINDS = {
    "JU": "Jurnal umum",
    "KW": "Kuitansi",
    "KR": "Jurnal koreksi (storno)",
    "PB": "Pindah buku",
    "KS": "Tutup kas teller",
    "TB": "Jurnal penutup tahun buku",
}

_PATTERN = re.compile(r"([A-Z]{2,4})-(\d{4})-(\d{6,})")


def format_doc_number(kind: str, year: int, number: int) -> str:
    return f"{kind}-{year:04d}-{number:06d}"


def parse_doc_number(text: str) -> tuple[str, int, int] | None:
    match = _PATTERN.fullmatch(text)
    if not match:
        return None
    kind, year, number = match.group(1), int(match.group(2)), int(match.group(3))
    # Only the form the program writes counts: "JU-2026-0000001" is not JU-2026-000001.
    if format_doc_number(kind, year, number) != text:
        return None
    return kind, year, number


def find_gaps(numbers: list[int], last: int) -> list[int]:
    """Numbers in 1..last that are missing from ``numbers`` (duplicates are reported apart)."""
    present = set(numbers)
    return [n for n in range(1, last + 1) if n not in present]
