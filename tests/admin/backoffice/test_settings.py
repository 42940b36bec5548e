"""Staff edit the bakery's settings; bad input is refused next to the field."""

import io

import pytest
from PIL import Image
from sqlalchemy import select

from config.extensions import db
from tenants.models import Tenant
from tests.support.factories import add_staff, sign_in_staff
from tests.support.html import page_text

VALID = {
    "name": "North Bakery Ltd",
    "contact_email": "orders@north.example",
    "address": "1 Mill Lane",
    "timezone": "Europe/Dublin",
    "currency": "EUR",
    "locale": "en_IE",
    "brand_colour": "#336699",
}


def _png(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 100, 50)).save(buffer, format="PNG")
    return buffer.getvalue()


def _tenant(app, bakery):
    with app.app_context():
        return db.session.scalar(select(Tenant).where(Tenant.id == bakery.id))


def test_the_owner_saves_settings_and_a_logo(client, app, two_bakeries):
    north, south = two_bakeries
    sign_in_staff(client, north)
    data = {**VALID, "order_approval_required": "y", "logo": (io.BytesIO(_png()), "logo.png")}
    response = client.post(
        f"/admin/{north.slug}/settings", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    saved = _tenant(app, north)
    assert (saved.name, saved.timezone, saved.locale, saved.brand_colour) == (
        "North Bakery Ltd",
        "Europe/Dublin",
        "en_IE",
        "#336699",
    )
    assert saved.order_approval_required is True
    assert saved.logo_content_type == "image/png"
    logo = client.get(f"/brand/{north.slug}/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png"
    assert client.get(f"/brand/{south.slug}/logo").status_code == 404
    assert _tenant(app, south).name != "North Bakery Ltd"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"brand_colour": "red"}, "brand_colour", "Use a colour like"),
        ({"timezone": "Nowhere/Land"}, "timezone", "Not a valid choice"),
        ({"logo": (io.BytesIO(b"not an image at all"), "logo.png")}, "logo", "must be a PNG"),
        (
            {"logo": (io.BytesIO(b"\x89PNG" + b"0" * 600_000), "big.png")},
            "logo",
            "the limit is 512 KB",
        ),
        ({"name": ""}, "name", "This field is required"),
    ],
)
def test_bad_settings_are_refused_next_to_the_field_and_nothing_changes(
    client, app, two_bakeries, changes, field, message
):
    north, _ = two_bakeries
    before = _tenant(app, north)
    sign_in_staff(client, north)
    response = client.post(
        f"/admin/{north.slug}/settings",
        data={**VALID, **changes},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    text = page_text(response)
    error_at = text.index(f'id="{field}-error"')
    assert message in text[error_at : error_at + 300]
    after = _tenant(app, north)
    assert (after.name, after.timezone, after.brand_colour) == (
        before.name,
        before.timezone,
        before.brand_colour,
    )


def test_staff_without_the_settings_permission_cannot_change_settings(client, app, two_bakeries):
    north, _ = two_bakeries
    add_staff(app, north, email="baker@example.com", role="production")
    sign_in_staff(client, north, "baker@example.com")
    assert client.get(f"/admin/{north.slug}/settings").status_code == 403
    assert client.post(f"/admin/{north.slug}/settings", data=VALID).status_code == 403
    assert _tenant(app, north).name != VALID["name"]
