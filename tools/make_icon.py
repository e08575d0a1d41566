"""Draw the program's icon: resources/icons/bmt-desktop.png (256 px) and bmt-desktop.ico.

    python tools/make_icon.py

The icon is a green rounded square with "BMT" in the bundled DejaVu Sans Bold and a gold
bar under it; the small sizes (16 to 32 px) show a "B" only, which stays readable in the
taskbar. The .ico holds 16, 24, 32, 48, 64, 128 and 256 px images for Windows (the
executable, the installer, the shortcuts); the window uses the PNG. Needs Pillow, which is
only a tool here, not a dependency of the program. Both files are committed.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
FONT = ROOT / "resources" / "fonts" / "DejaVuSans-Bold.ttf"
GREEN = (15, 107, 58, 255)
GOLD = (230, 180, 40, 255)
WHITE = (255, 255, 255, 255)
SIZES = (16, 24, 32, 48, 64, 128, 256)
SCALE = 4  # drawn larger, then reduced: smooth edges at every size


def _fit(draw: ImageDraw.ImageDraw, text: str, width: int, height: int) -> ImageFont.FreeTypeFont:
    size = height
    while size > 4:
        font = ImageFont.truetype(str(FONT), size)
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        if right - left <= width and bottom - top <= height:
            return font
        size -= 1
    return ImageFont.truetype(str(FONT), size)


def draw(size: int) -> Image.Image:
    """One square image of the icon, ``size`` pixels wide."""
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    margin = big // 32
    pen.rounded_rectangle((margin, margin, big - margin, big - margin), radius=big // 5,
                          fill=GREEN)
    text = "BMT" if size >= 48 else "B"
    font = _fit(pen, text, int(big * (0.74 if len(text) > 1 else 0.6)), int(big * 0.5))
    left, top, right, bottom = pen.textbbox((0, 0), text, font=font)
    x = (big - (right - left)) // 2 - left
    y = int(big * 0.44) - (bottom - top) // 2 - top
    pen.text((x, y), text, font=font, fill=WHITE)
    bar_top = int(big * 0.74)
    pen.rounded_rectangle((big * 0.22, bar_top, big * 0.78, bar_top + big * 0.07),
                          radius=big // 40, fill=GOLD)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> int:
    ICONS.mkdir(parents=True, exist_ok=True)
    images = [draw(size) for size in SIZES]
    images[-1].save(ICONS / "bmt-desktop.png", optimize=True)
    images[-1].save(ICONS / "bmt-desktop.ico", format="ICO",
                    sizes=[(s, s) for s in SIZES], append_images=images[:-1])
    print(f"wrote {ICONS / 'bmt-desktop.png'} and {ICONS / 'bmt-desktop.ico'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
