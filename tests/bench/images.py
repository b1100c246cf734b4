"""Pillow against pyvips on the work the archive does for each photo (issue 15).

For every photo: orientation from EXIF applied, WebP at 480, 960 and 1600 px
wide (never upscaled), a JPEG at 960, no metadata kept. One process, photos
like a phone's (2-12 megapixels, EXIF with an orientation, a camera and a GPS
position), made by this script from a seed. Neither library is a project
dependency yet: run it in a virtualenv of its own (tests/bench/README.md).

    python tests/bench/images.py make DIR --photos 24
    python tests/bench/images.py pillow DIR
    python tests/bench/images.py vips DIR
    python tests/bench/images.py heic DIR     # which library reads an iPhone's HEIC
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

WIDTHS = (1600, 960, 480)  # largest first: Pillow makes each from the one before
FALLBACK = 960  # the JPEG for browsers without WebP
SIZES = [(4000, 3000), (3264, 2448), (2000, 1500), (4032, 3024)]


def make(folder: Path, count: int) -> None:
    """Photo-like pictures: soft shapes and sensor noise, so that decoding and
    encoding them costs what a real photo costs (a flat colour would not)."""
    from PIL import Image, ImageFilter

    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        rng = random.Random(number)
        width, height = SIZES[number % len(SIZES)]
        small = Image.effect_noise((width // 32, height // 32), 60).convert("L")
        channels = [small.point(lambda v, k=k: (v * (k + 2)) % 256) for k in range(3)]
        base = Image.merge("RGB", channels).resize((width, height), Image.Resampling.BICUBIC)
        base = base.filter(ImageFilter.GaussianBlur(3))
        noise = Image.effect_noise((width, height), 24).convert("RGB")
        exif = Image.Exif()
        exif[0x0112] = rng.choice([1, 3, 6, 8])  # orientation
        exif[0x010F], exif[0x0110] = "PhoneMaker", "Phone 12"
        exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.5), 3: "E", 4: (105.0, 51.0, 12.2)}
        photo = Image.blend(base, noise, 0.18)
        photo.save(folder / f"p{number:03}.jpg", "JPEG", quality=88, exif=exif.tobytes())


def with_pillow(path: Path) -> int:
    from PIL import Image, ImageOps

    written = 0
    with Image.open(path) as opened:
        opened.draft("RGB", (WIDTHS[0], WIDTHS[0]))  # JPEG DCT scaling: decode at 1/2..1/8
        image = ImageOps.exif_transpose(opened).convert("RGB")
    source = image
    for width in WIDTHS:
        if width > image.width:
            continue
        height = round(image.height * width / image.width)
        source = source.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        out = io.BytesIO()
        source.save(out, "WEBP", quality=80, method=4)
        written += out.tell()
        if width == FALLBACK:
            out = io.BytesIO()
            source.save(out, "JPEG", quality=82, optimize=True, progressive=True)
            written += out.tell()
    return written


def with_vips(path: Path) -> int:
    import pyvips

    written = 0
    for width in WIDTHS:
        # shrink-on-load and orientation in one call; every width decodes again
        image = pyvips.Image.thumbnail(str(path), width, height=100000, size="down")
        if image.width < width and width != WIDTHS[-1]:
            continue
        image = image.copy_memory()  # saved twice at 960: the pipeline streams once
        written += len(image.webpsave_buffer(Q=80, effort=4, keep="none"))
        if width == FALLBACK:
            jpeg = image.jpegsave_buffer(Q=82, optimize_coding=True, interlace=True, keep="none")
            written += len(jpeg)
    return written


def measure(folder: Path, work: Callable[[Path], int], name: str) -> None:
    files = sorted(folder.glob("*.jpg"))
    times: list[float] = []
    written = 0
    cpu = time.process_time()
    for path in files:
        start = time.perf_counter()
        written += work(path)
        times.append(time.perf_counter() - start)
    cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{name}: {len(files)} photos, {sum(times):.2f} s wall, {cpu:.2f} s CPU, median"
        f" {statistics.median(times) * 1000:.0f} ms per photo, peak RSS {peak:.0f} MB,"
        f" {written / len(files) / 1024:.0f} KB written per photo"
    )


def heic(folder: Path) -> None:
    """Write a photo as HEIC (HEVC, as iPhones do) with pillow-heif, and try to
    read it back with each library."""
    import pillow_heif
    import pyvips
    from PIL import Image

    pillow_heif.register_heif_opener()
    target = folder / "iphone.heic"
    with Image.open(sorted(folder.glob("*.jpg"))[0]) as photo:
        photo.save(target, quality=80)
    with Image.open(target) as read:
        read.load()
        print(f"Pillow + pillow-heif reads HEIC: {read.size[0]}x{read.size[1]}")
    try:
        pyvips.Image.new_from_file(str(target)).avg()
        print("pyvips-binary reads HEIC")
    except pyvips.Error as error:
        print("pyvips-binary cannot read HEIC:", str(error).splitlines()[1][:120])
    target.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("make", "pillow", "vips", "heic"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--photos", type=int, default=24)
    args = parser.parse_args()
    if args.what == "make":
        make(args.folder, args.photos)
    elif args.what == "heic":
        heic(args.folder)
    elif args.what == "pillow":
        measure(args.folder, with_pillow, "Pillow")
    else:
        import pyvips

        pyvips.cache_set_max(0)  # each photo once, as in a build
        measure(args.folder, with_vips, "pyvips")


if __name__ == "__main__":
    main()
