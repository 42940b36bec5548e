"""Uploaded images are checked for kind, bytes and pixels before anything is stored."""

import io

import pytest
from PIL import Image

from tenants.errors import ValidationFailed
from tenants.images import MAX_PIXELS, inspect_image

FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


def _png(size, mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def _inspect(data):
    return inspect_image(data, field="photo", noun="photo", formats=FORMATS, max_bytes=2 << 20)


def test_a_small_png_is_accepted_and_mapped():
    assert _inspect(_png((4, 4))) == "image/png"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Choose a photo"),
        (b"GIF89a" + b"\0" * 40, "must be a PNG or JPEG"),
        (b"\x89PNG" + b"0" * (3 << 20), "the limit is 2048 KB"),
    ],
)
def test_empty_unreadable_and_oversized_files_are_refused(data, message):
    with pytest.raises(ValidationFailed, match=message) as refused:
        _inspect(data)
    assert refused.value.field == "photo"


def test_a_tiny_file_declaring_too_many_pixels_is_refused():
    side = int(MAX_PIXELS**0.5) + 100
    data = _png((side, side), mode="1")  # a few KB of PNG, far more pixels than we allow
    assert len(data) < 200_000
    with pytest.raises(ValidationFailed, match="too large in pixels"):
        _inspect(data)


def test_a_decompression_bomb_is_a_clear_refusal_not_a_crash():
    data = _png((14_000, 14_000), mode="1")  # over Pillow's own bomb threshold
    with pytest.raises(ValidationFailed, match="too large in pixels"):
        _inspect(data)
