"""Image stage: the photos the articles name, made into their published files.

- encode.py: one picture: pixels in (orientation, sRGB, 8-bit), WebP and JPEG out
- store.py: the made files of every picture, kept in the build cache
- stage.py: every photo found, checked and made (in worker processes)
"""
