"""A teller working in hostile surroundings, run by tests/test_hostile_surroundings.py.

``fsize LIMIT``: the process may not grow any file beyond LIMIT bytes (a full disk, without
needing a small drive); ``plain``: nothing special (the test made the folder read-only). It
posts deposits until refused, printing each committed document number, then
``REFUSED <message>``.
"""

from __future__ import annotations

import datetime as dt
import resource
import signal
import sys

from bmt_desktop.domain.errors import BmtError


def main(path: str, password: str, account: str, mode: str, value: str = "0") -> None:
    if mode == "fsize":
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (int(value), int(value)))
    from bmt_desktop.services import drawer, savings
    from bmt_desktop.services.auth import login
    from bmt_desktop.store.book import open_book

    try:
        book = open_book(path)
        teller = login(book, "kasir", password)
        teller.today = dt.date(2026, 11, 29)
        if drawer.current_drawer(teller) is None:
            drawer.open_drawer(teller, 1_000_000)
        for step in range(100_000):
            posted = savings.deposit(teller, account, 1_000 + step)
            print(posted.doc_number, flush=True)
    except BmtError as error:
        print("REFUSED", error.message, flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
