"""Canonical serialisation and the hash chain that ties journals and the audit log together.

A row is hashed as canonical JSON of its non-null columns, so a column added later by a
migration (null in old rows) leaves old hashes unchanged while any edit of a value shows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping

GENESIS_HASH = "0" * 64


def canonical(value: object) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_bytes_hex
    ).encode("utf-8")


def _bytes_hex(value: object) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    raise TypeError(f"cannot hash value of type {type(value).__name__}")


def _non_null(row: Mapping[str, object]) -> dict[str, object]:
    return {k: v for k, v in row.items() if v is not None}


def journal_digest(journal: Mapping[str, object], lines: Iterable[Mapping[str, object]]) -> str:
    """SHA-256 of a journal header and its lines (lines ordered by ``line_no``)."""
    body = {
        "journal": _non_null(journal),
        "lines": [_non_null(line) for line in sorted(lines, key=lambda r: r["line_no"])],
    }
    return hashlib.sha256(canonical(body)).hexdigest()


def entry_hash(entry: Mapping[str, object]) -> str:
    """Hash of one audit entry; ``entry`` holds every column but ``hash`` (incl. ``prev_hash``)."""
    return hashlib.sha256(canonical(_non_null(entry))).hexdigest()
