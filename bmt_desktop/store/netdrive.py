"""Warn when a book lies on a network drive: SQLite's locking is not reliable there."""

from __future__ import annotations

import sys
from pathlib import Path

from bmt_desktop.i18n import _

_NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "9p", "sshfs", "fuse.sshfs", "afs", "ncpfs"}


def _is_network_path(path: Path) -> bool:
    resolved = str(path.resolve())
    if sys.platform == "win32":
        if resolved.startswith("\\\\"):
            return True
        import ctypes

        drive = resolved[:3]
        drive_remote = 4
        return ctypes.windll.kernel32.GetDriveTypeW(drive) == drive_remote
    best, fstype = "", ""
    try:
        with open("/proc/mounts", encoding="utf-8") as mounts:
            for line in mounts:
                parts = line.split()
                if len(parts) >= 3 and resolved.startswith(parts[1]) and len(parts[1]) > len(best):
                    best, fstype = parts[1], parts[2]
    except OSError:
        return False
    return fstype in _NETWORK_FS


def network_drive_warning(path: Path) -> str | None:
    if _is_network_path(path):
        return _(
            "The book lies on a network drive. SQLite cannot lock it reliably there: keep books "
            "on this computer's own disk."
        )
    return None
