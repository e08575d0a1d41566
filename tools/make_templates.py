"""Write the import templates into resources/templates (anggota.xlsx, saldo_awal.xlsx).

    python tools/make_templates.py

The files are byte-stable: running it again on unchanged code changes nothing, and
tests/test_import_members.py checks that the files are what this script makes.
"""

from __future__ import annotations

from bmt_desktop.services.import_templates import TEMPLATES, build, templates_dir

__all__ = ["TEMPLATES", "build", "main"]


def main() -> int:
    folder = templates_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for name in TEMPLATES:
        path = folder / name
        data = build(name)
        if path.exists() and path.read_bytes() == data:
            print(f"unchanged {path}")
            continue
        path.write_bytes(data)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
