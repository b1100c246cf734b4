"""Draw the bundled archive's illustrations (content/**/*.jpg).

The demo articles need pictures, and an archive of a real organisation must
not carry photos from elsewhere: these are drawn here, from shapes, and
every caption that shows one says it is an illustration. Run it again to
make them anew: python tests/tools/illustrations.py
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[2]
SIZE = (1600, 1067)
RED, DEEP_RED, GOLD = (196, 30, 36), (140, 16, 22), (240, 196, 60)
SKIN = [(233, 196, 160), (214, 170, 130), (190, 145, 110)]
SHIRTS = [(245, 245, 240), (225, 232, 240), (60, 80, 120), (250, 250, 250), (200, 210, 215)]


def _room(draw: ImageDraw.ImageDraw, width: int, height: int) -> None:
    """Walls, floor and a red backdrop with a gold band across it."""
    draw.rectangle((0, 0, width, height), fill=(236, 228, 214))
    draw.rectangle((0, int(height * 0.62), width, height), fill=(170, 120, 80))
    draw.rectangle(
        (int(width * 0.12), int(height * 0.06), int(width * 0.88), int(height * 0.5)), fill=RED
    )
    draw.rectangle(
        (int(width * 0.12), int(height * 0.12), int(width * 0.88), int(height * 0.2)), fill=GOLD
    )
    draw.rectangle(
        (int(width * 0.12), int(height * 0.5), int(width * 0.88), int(height * 0.56)), fill=DEEP_RED
    )


def _person(
    draw: ImageDraw.ImageDraw, x: int, y: int, scale: float, rng: random.Random, hand: bool
) -> None:
    """A seated figure seen from behind: shoulders, head, maybe a raised hand with a card."""
    shirt = rng.choice(SHIRTS)
    w, h = int(70 * scale), int(60 * scale)
    draw.rounded_rectangle((x - w // 2, y, x + w // 2, y + h), radius=int(18 * scale), fill=shirt)
    r = int(20 * scale)
    draw.ellipse((x - r, y - 2 * r + 4, x + r, y + 4), fill=(40, 32, 28))
    if hand:
        arm = int(55 * scale)
        draw.line(
            (x + w // 3, y + 8, x + w // 2, y - arm),
            fill=rng.choice(SKIN),
            width=max(3, int(10 * scale)),
        )
        draw.rectangle(
            (
                x + w // 2 - int(14 * scale),
                y - arm - int(22 * scale),
                x + w // 2 + int(14 * scale),
                y - arm,
            ),
            fill=(250, 250, 250),
        )


def hall(seed: int, voting: bool) -> Image.Image:
    """Rows of delegates facing a stage; with `voting`, hands raised with cards."""
    rng = random.Random(seed)
    width, height = SIZE
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    _room(draw, width, height)
    draw.rectangle(
        (int(width * 0.38), int(height * 0.4), int(width * 0.62), int(height * 0.62)),
        fill=(120, 70, 40),
    )
    for row in range(5):
        scale = 0.8 + row * 0.28
        y = int(height * 0.6 + row * height * 0.085)
        step = int(110 * scale)
        offset = rng.randrange(step // 2)
        for x in range(-offset, width + step, step):
            _person(draw, x, y, scale, rng, voting and rng.random() < 0.85)
    return image.filter(ImageFilter.SMOOTH)


def flowers(seed: int) -> Image.Image:
    """Bouquets on a table before the red backdrop."""
    rng = random.Random(seed)
    width, height = SIZE
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    _room(draw, width, height)
    draw.rectangle((0, int(height * 0.7), width, height), fill=(245, 245, 240))
    for centre in range(200, width, 300):
        for _ in range(14):
            x = centre + rng.randrange(-70, 70)
            y = int(height * 0.62) + rng.randrange(-60, 40)
            r = rng.randrange(18, 34)
            colour = rng.choice([(230, 40, 60), (250, 200, 60), (250, 240, 240), (240, 120, 150)])
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        draw.polygon(
            [
                (centre - 50, int(height * 0.7)),
                (centre + 50, int(height * 0.7)),
                (centre, int(height * 0.92)),
            ],
            fill=(60, 120, 60),
        )
    return image.filter(ImageFilter.SMOOTH)


PICTURES = {
    "content/2025/chi-bo-thon-g-dai-hoi/bieu-quyet.jpg": lambda: hall(3, voting=True),
    "content/2020/chi-bo-thon-g-dai-hoi-2020/hoi-truong.jpg": lambda: hall(7, voting=False),
    "content/2025/chi-bo-thon-g-dai-hoi/hoa.jpg": lambda: flowers(11),
}


def main() -> None:
    for relative, draw in PICTURES.items():
        path = ROOT / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        draw().save(path, "JPEG", quality=85, optimize=True)
        print(f"{relative}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
