"""Figures the trust tests count as they run (kills, states, bad inputs, tampers), printed at
the end of the test run so that CI's log shows what was tried."""

from __future__ import annotations

from collections import Counter

FIGURES: Counter[str] = Counter()

LABELS = {
    "kills": "writer processes killed (SIGKILL) mid-posting, book whole after each",
    "stateful_examples": "stateful runs over the services (each a fresh book)",
    "stateful_steps": "service calls in those runs",
    "stateful_refusals": "of which refused with a clear message (invariants held)",
    "tampers": "tampered books caught by verify",
    "bad_inputs": "bad inputs refused with nothing written",
    "hostile": "hostile surroundings met (full disk, read-only folder, held book, bad target)",
}


def count(name: str, n: int = 1) -> None:
    FIGURES[name] += n
