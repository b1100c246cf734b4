"""Real image files made by the tests: like phones' photos (EXIF with GPS,
camera and orientation), CMYK, transparent, 16-bit, damaged, oversized."""

from __future__ import annotations

import io
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def scene(width: int, height: int, seed: int = 1) -> Image.Image:
    """A photo-like picture: shapes, a gradient and some noise (so it costs
    what a photo costs to encode); its top-left quarter is red, so a turned
    picture can be told apart."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(24):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(8, max(9, width // 6))
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    draw.rectangle((0, 0, width // 4, height // 4), fill=(220, 20, 20))
    noise = Image.effect_noise((width, height), 18).convert("RGB")
    return Image.blend(image, noise, 0.1)


def textured(width: int, height: int, seed: int = 1) -> Image.Image:
    """Photo-like and hard to compress: soft coloured shapes, texture at several
    scales, sensor noise (its WebP files are larger than most real photos')."""
    rng = random.Random(seed)
    small = Image.effect_noise((width // 48, height // 48), 70).convert("L")
    base = Image.merge("RGB", [small.point(lambda v, k=k: (v * (k + 2)) % 256) for k in range(3)])
    base = base.resize((width, height), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(base)
    for _ in range(40):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(20, width // 8)
        fill = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)
    texture = Image.effect_noise((width // 4, height // 4), 40).convert("RGB")
    texture = texture.resize((width, height), Image.Resampling.BICUBIC)
    image = Image.blend(base.filter(ImageFilter.GaussianBlur(2)), texture, 0.25)
    return Image.blend(image, Image.effect_noise((width, height), 30).convert("RGB"), 0.06)


def phone_jpeg(
    width: int = 1800,
    height: int = 1200,
    orientation: int = 1,
    seed: int = 1,
    draw: Callable[[int, int, int], Image.Image] = scene,
) -> bytes:
    """A JPEG as a phone writes it: EXIF with the camera, a GPS position and
    the orientation to show it in (the pixels stored as the sensor saw them)."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone 12"
    exif[0xA431] = "SERIAL-0042"  # body serial number (in the Exif IFD on real phones)
    exif[GPS_IFD] = {1: "N", 2: (21.0, 1.0, 30.5), 3: "E", 4: (105.0, 51.0, 12.2)}
    out = io.BytesIO()
    draw(width, height, seed).save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def cmyk_jpeg(width: int = 800, height: int = 600) -> bytes:
    out = io.BytesIO()
    Image.new("CMYK", (width, height), (0, 255, 255, 0)).save(out, "JPEG")  # red in print
    return out.getvalue()


def transparent_png(width: int = 640, height: int = 480) -> bytes:
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((100, 100, 400, 400), fill=(200, 30, 30, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def sixteen_bit_png(width: int = 600, height: int = 400) -> bytes:
    image = Image.linear_gradient("L").resize((width, height)).convert("I")
    image = image.point(lambda v: v * 257).convert("I;16")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def truncated_jpeg() -> bytes:
    data = phone_jpeg(1200, 800)
    return data[: len(data) // 2]


def bomb_png() -> bytes:
    """A small file that is a 12,000 × 10,000 picture (120 megapixels)."""
    out = io.BytesIO()
    Image.new("L", (12_000, 10_000)).save(out, "PNG")
    return out.getvalue()


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>'
)
