"""Checking uploaded images (bakery logos, product photos) before anything is stored."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from tenants.errors import ValidationFailed

# Pillow decodes lazily, but a few KB of PNG can still declare a 400-megapixel canvas that
# thumbnails and PDF exports would later inflate; nothing a bakery uploads needs more than this.
MAX_PIXELS = 40_000_000


def inspect_image(
    data: bytes, *, field: str, noun: str, formats: dict[str, object], max_bytes: int
) -> object:
    """Return `formats[<Pillow format>]` for a valid image, or raise ValidationFailed on `field`.

    `noun` names the upload in messages ("photo", "logo"); `formats` maps the Pillow formats
    allowed to whatever the caller wants back (a content type, an extension...).
    """
    allowed = _human_list(formats)
    if not data:
        raise ValidationFailed(f"Choose a {noun} to upload.", field=field)
    if len(data) > max_bytes:
        raise ValidationFailed(
            f"The {noun} is {len(data) // 1024} KB; the limit is {max_bytes // 1024} KB.",
            field=field,
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            image.verify()
            kind = image.format
    except Image.DecompressionBombError as exc:
        raise ValidationFailed(_too_many_pixels(noun), field=field) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationFailed(f"The {noun} must be a {allowed} image.", field=field) from exc
    if width * height > MAX_PIXELS:
        raise ValidationFailed(_too_many_pixels(noun), field=field)
    if kind not in formats:
        raise ValidationFailed(f"The {noun} must be a {allowed} image.", field=field)
    return formats[kind]


def _too_many_pixels(noun: str) -> str:
    return f"The {noun} is too large in pixels; keep it under {MAX_PIXELS // 1_000_000} megapixels."


# How Pillow's format names read in a sentence.
_FORMAT_NAMES = {"PNG": "PNG", "JPEG": "JPEG", "GIF": "GIF", "WEBP": "WebP"}


def _human_list(formats) -> str:
    names = [_FORMAT_NAMES.get(name, name) for name in formats]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
