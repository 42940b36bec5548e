"""Product photos, stored as files under the bakery's own folder: <upload dir>/<tenant id>/.

Only the path relative to the upload dir is stored; it always starts with the tenant id, so a
path from one bakery can never name another's file.
"""

from __future__ import annotations

from pathlib import Path

from tenants.catalog.errors import NotFound, ValidationFailed
from tenants.catalog.models import Product
from tenants.catalog.products import require_catalog
from tenants.images import check_image

MAX_PHOTO_BYTES = 2 * 1024 * 1024
PHOTO_FORMATS = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpg"),
    "WEBP": ("image/webp", "webp"),
}


def _inspect(data: bytes) -> tuple[str, str]:
    if not data:
        raise ValidationFailed("Choose a photo to upload.", field="photo")
    return check_image(
        data,
        field="photo",
        max_bytes=MAX_PHOTO_BYTES,
        formats=PHOTO_FORMATS,
        named="PNG, JPEG or WebP",
    )


def set_photo(session, tenant, *, actor, product: Product, data: bytes, upload_dir: str) -> None:
    """Validate and store a product photo, replacing any earlier one."""
    require_catalog(actor)
    content_type, ext = _inspect(data)
    relative = Path(str(tenant.id)) / "products" / f"{product.id}.{ext}"
    target = Path(upload_dir) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    old = photo_file(tenant, product, upload_dir) if product.photo_path else None
    target.write_bytes(data)
    if old is not None and old != target and old.exists():
        old.unlink()
    product.photo_path, product.photo_content_type = str(relative), content_type
    session.flush()


def photo_file(tenant, product: Product, upload_dir: str) -> Path:
    """The file of a product's photo, refusing any path outside the tenant's folder."""
    if not product.photo_path:
        raise NotFound("This product has no photo.")
    root = (Path(upload_dir) / str(tenant.id)).resolve()
    path = (Path(upload_dir) / product.photo_path).resolve()
    if root not in path.parents:
        raise NotFound("This product has no photo.")
    return path
