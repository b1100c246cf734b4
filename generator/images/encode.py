"""Image stage, one picture: the editor's file in, the published files out.

Every published image is encoded again from its pixels, so nothing of the
file the editor gave survives but the picture: no EXIF (GPS position,
camera serial, time), no XMP, no embedded thumbnail, no colour profile.
Before that the picture is turned as EXIF says (nothing shows sideways) and
made sRGB with 8 bits per channel (CMYK, 16-bit and wide-gamut phone photos
alike); transparency is kept (WebP with alpha).

Pillow does the work (with pillow-heif for iPhones' HEIC): it reads every
format editors bring, and JPEG's DCT scaling (`draft`) decodes a 12-megapixel
photo at the size needed. The choice was measured against pyvips
(tests/bench/README.md): as fast within 10%, and the only one of the two
whose wheels read HEIC.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass

import pillow_heif
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

# Decompression bombs: a small file that unpacks into a huge picture. Pictures
# above this are refused before their pixels are read (phones take 12-50 MP).
MAX_PIXELS = 100_000_000
Image.MAX_IMAGE_PIXELS = 2 * MAX_PIXELS  # Pillow's own guard, behind ours (_open)
ImageFile.LOAD_TRUNCATED_IMAGES = False

# What editors bring: anything else is refused with a word on what to do.
READABLE = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF", "HEIF", "TIFF", "BMP"})
VERSION = "1"  # of what this module makes: a new one makes every picture again


@dataclass(frozen=True, slots=True)
class Sizes:
    """What the published files of a picture are made with (the settings)."""

    widths: tuple[int, ...] = (480, 960, 1600)  # WebP, for srcset
    fallback: int = 1200  # one JPEG (PNG with alpha): old browsers and link previews
    thumb: tuple[int, int] = (320, 240)  # the 4:3 card picture of a lead photo
    webp_quality: int = 72
    jpeg_quality: int = 80


@dataclass(frozen=True, slots=True)
class Output:
    name: str  # e.g. "960.webp", "1200.jpg", "16x9.jpg", "thumb.webp"
    width: int
    height: int
    data: bytes


@dataclass(frozen=True, slots=True)
class Encoded:
    width: int  # of the picture as shown (turned as EXIF says)
    height: int
    alpha: bool
    outputs: tuple[Output, ...]


class PictureError(Exception):
    """What is wrong with a file, in an editor's words (`file:line:` is added)."""


CROPS = ((16, 9), (4, 3), (1, 1))  # what Google asks for a NewsArticle's image


def encode(data: bytes, sizes: Sizes, lead: bool) -> Encoded:
    """Every published file of one picture; `lead`: also the crops for sharing
    and the card picture. Raises PictureError."""
    if _looks_like_svg(data):
        raise PictureError(
            "is an SVG drawing, which can carry scripts and is not published as a photo;"
            " export it as PNG"
        )
    picture = _open(data)
    shown = _pixels(picture, _largest(sizes, lead))
    alpha = shown.mode == "RGBA"
    outputs: list[Output] = []
    for width in widths_for(shown.width, sizes.widths):
        outputs.append(_webp(_scaled(shown, width), sizes, f"{width}.webp"))
    fallback = _scaled(shown, min(sizes.fallback, shown.width))
    outputs.append(_flat(fallback, sizes, f"{fallback.width}", alpha))
    if lead:
        for across, down in CROPS:
            crop = _cropped(shown, across, down, min(sizes.fallback, shown.width))
            outputs.append(_flat(crop, sizes, f"{across}x{down}", alpha))
        thumb_w, thumb_h = sizes.thumb
        thumb = _cropped(shown, thumb_w, thumb_h, min(thumb_w, shown.width))
        outputs.append(_webp(thumb, sizes, "thumb.webp"))
    return Encoded(shown.width, shown.height, alpha, tuple(outputs))


def widths_for(width: int, wanted: tuple[int, ...]) -> list[int]:
    """The srcset widths of a picture `width` wide: never wider than it is, and
    none within 15% of its own width (a 1000 px photo: 480 and 1000, not 960)."""
    if width <= max(wanted):
        return [*sorted({w for w in wanted if w < width * 0.85}), width]
    return sorted(set(wanted))


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<svg", b"<?xml", b"<!doctype svg")) or b"<svg" in head[:1024]


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PictureError(_too_big(None)) from None
    except UnidentifiedImageError:
        raise PictureError("is not a picture the build can read; save it as JPEG or PNG") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise PictureError(f"cannot be read as a picture ({error})") from None
    if picture.format not in READABLE:
        raise PictureError(f"is a {picture.format} file; save it as JPEG or PNG")
    width, height = picture.size
    if width * height > MAX_PIXELS:
        raise PictureError(_too_big(picture.size))
    if width < 1 or height < 1:
        raise PictureError("has no pixels")
    return picture


def _too_big(size: tuple[int, int] | None) -> str:
    limit = f"the limit is {MAX_PIXELS // 1_000_000} megapixels"
    if size is None:
        return f"is too large a picture ({limit}); make it smaller before adding it"
    pixels = size[0] * size[1] / 1_000_000
    return (
        f"is {size[0]}×{size[1]} pixels ({pixels:.0f} megapixels) and {limit};"
        " make it smaller before adding it"
    )


def _largest(sizes: Sizes, lead: bool) -> int:
    return max(*sizes.widths, sizes.fallback, sizes.thumb[0] if lead else 0)


def _pixels(picture: Image.Image, needed: int) -> Image.Image:
    """The picture turned upright, at most `needed` pixels wide, in sRGB RGB or RGBA."""
    turned = _orientation(picture) in (5, 6, 7, 8)
    if picture.format == "JPEG":
        across = picture.height if turned else picture.width
        if across > needed:  # decode at 1/2, 1/4 or 1/8 size when that is enough
            scale = needed / across
            picture.draft(
                None, (math.ceil(picture.width * scale), math.ceil(picture.height * scale))
            )
    try:
        picture.load()
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        if "truncated" in str(error) or isinstance(error, EOFError):
            raise PictureError("is damaged or cut short; copy the original photo again") from None
        raise PictureError(f"cannot be read as a picture ({error})") from None
    except Image.DecompressionBombError:
        raise PictureError(_too_big(picture.size)) from None
    profile = picture.info.get("icc_profile")
    upright = ImageOps.exif_transpose(picture)
    if upright.width > needed:
        height = max(1, round(upright.height * needed / upright.width))
        upright = _resample(_resizable(upright), needed, height)
    result = _srgb(upright, profile)
    result.info = {}
    return result


def _orientation(picture: Image.Image) -> int:
    try:
        return int(picture.getexif().get(0x0112, 1))
    except Exception:  # a damaged EXIF block: shown as stored
        return 1


def _resizable(picture: Image.Image) -> Image.Image:
    """A mode Pillow resizes with care: 16-bit and float made 8-bit, palettes expanded."""
    mode = picture.mode
    if mode in ("RGB", "RGBA", "L", "LA", "CMYK"):
        return picture
    if mode.startswith("I;16") or mode in ("I", "F"):
        extrema = picture.getextrema()
        top = float(extrema[1]) if isinstance(extrema[1], (int, float)) else 255.0
        scale = 255.0 / 65535.0 if top > 255 else 1.0
        return picture.convert("I").point(lambda value: value * scale).convert("L")
    if "transparency" in picture.info or mode in ("PA", "RGBa", "La"):
        return picture.convert("RGBA")
    return picture.convert("RGB")


def _srgb(picture: Image.Image, profile: bytes | None) -> Image.Image:
    picture = _resizable(picture)
    has_alpha = picture.mode in ("RGBA", "LA")
    if profile and picture.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            if picture.mode != "CMYK" and "sRGB" in ImageCms.getProfileDescription(source):
                raise _AlreadySrgb
            out_mode = "RGBA" if has_alpha else "RGB"
            converted = ImageCms.profileToProfile(
                picture,
                source,
                _SRGB,
                outputMode=out_mode,
                renderingIntent=ImageCms.Intent.PERCEPTUAL,
            )
            if converted is not None:
                picture = converted
        except _AlreadySrgb:
            pass
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the numbers are taken as sRGB
    if picture.mode == "LA" or (picture.mode == "RGBA"):
        picture = picture.convert("RGBA")
        low, _high = picture.getchannel("A").getextrema()
        if isinstance(low, int) and low >= 255:
            picture = picture.convert("RGB")  # an alpha channel with nothing transparent
        return picture
    return picture.convert("RGB")


_SRGB = ImageCms.createProfile("sRGB")


class _AlreadySrgb(Exception):
    pass


def _resample(picture: Image.Image, width: int, height: int) -> Image.Image:
    return picture.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _scaled(picture: Image.Image, width: int) -> Image.Image:
    if width >= picture.width:
        return picture
    height = max(1, round(picture.height * width / picture.width))
    return _resample(picture, width, height)


def _cropped(picture: Image.Image, across: int, down: int, width: int) -> Image.Image:
    """The centre of the picture at `across`:`down`, at most `width` wide."""
    w, h = picture.size
    if w * down > h * across:  # wider than asked: cut the sides
        crop_w, crop_h = round(h * across / down), h
    else:
        crop_w, crop_h = w, round(w * down / across)
    left, top = (w - crop_w) // 2, (h - crop_h) // 2
    box = (left, top, left + crop_w, top + crop_h)
    out_w = min(width, crop_w)
    out_h = max(1, round(out_w * down / across))
    return picture.resize((out_w, out_h), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)


def _webp(picture: Image.Image, sizes: Sizes, name: str) -> Output:
    buffer = io.BytesIO()
    picture.save(buffer, "WEBP", quality=sizes.webp_quality, method=4)
    return Output(name, picture.width, picture.height, buffer.getvalue())


def _flat(picture: Image.Image, sizes: Sizes, stem: str, alpha: bool) -> Output:
    """JPEG, or PNG for a picture with transparency."""
    buffer = io.BytesIO()
    if alpha:
        picture.save(buffer, "PNG", optimize=True)
        return Output(f"{stem}.png", picture.width, picture.height, buffer.getvalue())
    picture.save(buffer, "JPEG", quality=sizes.jpeg_quality, optimize=True, progressive=True)
    return Output(f"{stem}.jpg", picture.width, picture.height, buffer.getvalue())
