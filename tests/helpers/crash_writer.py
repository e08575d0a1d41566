"""A teller that never stops: posts deposits and withdrawals and reports each committed one.

Run by tests/test_crash.py, which kills it with SIGKILL at a random moment. Each line on
stdout is a document number whose transaction had committed before it was printed.
"""

from __future__ import annotations

import datetime as dt
import sys

from bmt_desktop.services import drawer, savings
from bmt_desktop.services.auth import login
from bmt_desktop.store.book import open_book


def main(path: str, password: str, account: str) -> None:
    book = open_book(path, break_stale_lock=True)  # the previous writer was killed
    teller = login(book, "kasir", password)
    teller.today = dt.date(2026, 11, 29)
    if drawer.current_drawer(teller) is None:
        drawer.open_drawer(teller, 1_000_000)
    step = 0
    while True:
        step += 1
        if step % 3:
            posted = savings.deposit(teller, account, 1_000 * (step % 7 + 1))
        else:
            posted = savings.withdraw(teller, account, 500)
        print(posted.doc_number, flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
