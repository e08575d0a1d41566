"""The Qt binding the program runs on survives a teller's day of calls.

PySide6 6.12.0 on Python 3.11 took a reference away from None on every call returning
nothing, and the interpreter aborted after about 5 000 calls; the pin in pyproject.toml
keeps us on a version without that fault, and this test fails on one that has it.
"""

from __future__ import annotations

import subprocess
import sys


def test_many_qt_calls_do_not_abort_the_interpreter() -> None:
    code = (
        "from PySide6.QtCore import QObject\n"
        "o = QObject()\n"
        "for _ in range(200_000):\n"
        "    o.setObjectName('kasir')\n"
        "print('selesai')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "selesai"
