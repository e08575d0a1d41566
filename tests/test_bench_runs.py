"""The benchmark still runs (issue 11): a tiny book, one repeat; its figures are not judged
here (these machines are noisy), only that every row is printed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_benchmark_runs_on_a_small_book(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--members", "120", "--years", "1",
         "--book", str(tmp_path / "bench.bmt"), "--repeat", "1", "--json", str(out)],
        capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {row[0].strip(): row for row in json.loads(out.read_text(encoding="utf-8"))}
    for what in ("search keystroke to results", "post a deposit (service, audit, chain, sync "
                 "FULL)", "one receipt PDF", "trial balance (stored balances)", "book size"):
        assert what in rows, sorted(rows)
    assert not any(row[1].startswith(("failed", "n/a")) for row in rows.values()), rows
