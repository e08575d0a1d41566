"""One writer at a time: a lock file beside the book, held with an OS lock while open.

The file names the holder (host, user, process, since) so a second program can say who has
the book. The OS lock is released by the kernel when the holder dies, so a lock file whose
OS lock can be taken again was left by a dead process; on the same host it may be broken.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
import sys
from pathlib import Path
from typing import IO

from bmt_desktop.domain.errors import BookLockedError
from bmt_desktop.i18n import _

# Windows byte-range locks are mandatory: lock a byte far past the text so others can read it.
_LOCK_OFFSET = 1 << 30


def lock_path_for(book_path: Path) -> Path:
    return book_path.with_name(book_path.name + ".lock")


def _os_lock(handle: IO[str]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(_LOCK_OFFSET)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _os_unlock(handle: IO[str]) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _read_holder(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8").strip()
        holder = json.loads(text) if text else {}
    except (OSError, ValueError):
        return {}
    # Anything but the object this program writes is no holder at all.
    return holder if isinstance(holder, dict) else {}


def describe_holder(holder: dict) -> str:
    return _("{user} on computer {host} (process {pid}), since {since}").format(
        user=holder.get("user", "?"),
        host=holder.get("host", "?"),
        pid=holder.get("pid", "?"),
        since=holder.get("since", "?"),
    )


class WriterLock:
    """Held by the one program that opened the book for writing."""

    def __init__(self, book_path: Path) -> None:
        self.path = lock_path_for(book_path)
        self._handle: IO[str] | None = None

    def acquire(self, *, break_stale: bool = False) -> None:
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held while the book is open
        if not _os_lock(handle):
            handle.close()
            holder = _read_holder(self.path)
            raise BookLockedError(
                _("The book is being written by {holder}. It can be opened read-only.").format(
                    holder=describe_holder(holder)
                ),
                holder,
                stale=False,
            )
        holder = _read_holder(self.path)
        if holder:
            same_host = holder.get("host") == socket.gethostname()
            if not (same_host and break_stale):
                _os_unlock(handle)
                handle.close()
                if same_host:
                    message = _(
                        "The book was left locked by {holder}, which is no longer running. "
                        "The lock can be broken."
                    )
                else:
                    message = _(
                        "The book is marked as in use by {holder} on another computer. "
                        "It can be opened read-only."
                    )
                raise BookLockedError(
                    message.format(holder=describe_holder(holder)), holder, stale=same_host
                )
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {
                    "host": socket.gethostname(),
                    "user": getpass.getuser(),
                    "pid": os.getpid(),
                    "since": dt.datetime.now().isoformat(timespec="seconds"),
                }
            )
        )
        handle.flush()
        os.fsync(handle.fileno())
        self._handle = handle

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        handle.seek(0)
        handle.truncate()
        handle.flush()
        _os_unlock(handle)
        # The empty file stays: deleting it could remove a lock another program just took.
        handle.close()
