"""Checking an uploaded image (a bakery's logo, a product's photo) before it is stored."""

from __future__ import annotations

import io
from typing import TypeVar

from PIL import Image, UnidentifiedImageError

from tenants.errors import ValidationFailed

T = TypeVar("T")


def check_image(data: bytes, *, field: str, max_bytes: int, formats: dict[str, T], named: str) -> T:
    """What `formats` maps the image's format to, or ValidationFailed on `field`.

    The image must be at most `max_bytes`, open as an image, and have a format `formats` knows;
    `named` lists those formats for people ("PNG, JPEG or WebP").
    """
    if len(data) > max_bytes:
        raise ValidationFailed(
            f"The {field} is {len(data) // 1024} KB; the limit is {max_bytes // 1024} KB.",
            field=field,
        )
    wrong_kind = f"The {field} must be a {named} image."
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationFailed(wrong_kind, field=field) from exc
    if kind not in formats:
        raise ValidationFailed(wrong_kind, field=field)
    return formats[kind]
