"""tools/screenshots.py renders every tab offscreen, so a person can look at them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[1]


def test_every_screen_renders_to_a_png(qtbot, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "tools" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.render(tmp_path)
    names = {p.stem for p in written}
    for tab in ("anggota", "kube", "pembiayaan", "pelatihan", "laporan", "kas"):
        assert any(name.endswith(tab) for name in names), tab
    for png in written:
        image = QImage(str(png))
        assert image.width() >= 400 and image.height() >= 200, png
        # not a blank picture: many colours over a grid of samples
        colours = {image.pixel(x, y) for x in range(0, image.width(), 5)
                   for y in range(0, image.height(), 5)}
        assert len(colours) > 3, png
    assert (tmp_path / "laporan-verifikasi.pdf").read_bytes().startswith(b"%PDF")
