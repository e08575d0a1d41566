"""The frozen program's entry point: PyInstaller runs this file as ``__main__``.

A helper process that ``multiprocessing`` spawns (verify of a large book, the statement
batch) is this same executable started again; ``freeze_support()`` runs its task and exits
before the program is imported, so helpers start quickly and never open a window.
"""

import multiprocessing

multiprocessing.freeze_support()

from bmt_desktop.cli import main  # noqa: E402 - after freeze_support on purpose

raise SystemExit(main())
