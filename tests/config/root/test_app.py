"""App-wide guards: a NUL character is turned away on every route, and text fields refuse
control characters next to the field, on the real PostgreSQL (which refuses NUL in text)."""

import pytest

from tests.support.factories import PASSWORD, make_buyer, sign_in_buyer, sign_in_staff
from tests.support.html import page_text


@pytest.mark.parametrize(
    "url", ["/admin/a%00b/login", "/wholesale/a%00b/login", "/mail/a%00b/preferences/x"]
)
def test_a_slug_that_cannot_be_one_is_a_plain_404(app, two_bakeries, url):
    assert app.test_client().get(url).status_code == 404


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("GET", "/platform/?q=a%00b", None),
        ("POST", "/platform/login", {"email": "a\x00@x.example", "password": "x"}),
        ("POST", "/signup", {"name": "Nul\x00Bakery", "slug": "nul-bakery"}),
    ],
)
def test_a_nul_character_anywhere_is_a_400_before_any_query(app, two_bakeries, method, url, data):
    response = app.test_client().open(url, method=method, data=data)
    assert response.status_code == 400
    assert "NUL character" in page_text(response)


def test_signed_in_pages_refuse_nul_in_searches_and_forms_for_both_bakeries(app, two_bakeries):
    north, south = two_bakeries
    for bakery in (north, south):
        client = app.test_client()
        sign_in_staff(client, bakery)
        assert client.get(f"/admin/{bakery.slug}/customers?q=a%00b").status_code == 400
        created = client.post(
            f"/admin/{bakery.slug}/customers/new", data={"business_name": "X\x00"}
        )
        assert created.status_code == 400
        assert client.get(f"/admin/{bakery.slug}/customers?q=ab").status_code == 200


def test_a_line_break_in_a_name_is_refused_next_to_the_field(app, two_bakeries, mailbox):
    north, south = two_bakeries
    make_buyer(app, north, email="owner@cafe.example")
    make_buyer(app, south, email="owner@cafe.example")
    client = app.test_client()
    sign_in_buyer(client, north, "owner@cafe.example", PASSWORD)
    response = client.post(
        f"/wholesale/{north.slug}/account/users",
        data={
            "first_name": "Ann\nBcc: evil@x.example",
            "email": "ann@cafe.example",
            "access_level": "organization",
        },
    )
    assert response.status_code == 422
    assert "Use a single line of text" in page_text(response)
    assert mailbox.messages == []


def test_a_text_area_keeps_its_line_breaks(app, two_bakeries):
    north, _ = two_bakeries
    make_buyer(app, north, email="owner@cafe.example")
    client = app.test_client()
    sign_in_buyer(client, north, "owner@cafe.example", PASSWORD)
    saved = client.post(
        f"/wholesale/{north.slug}/account/locations/new",
        data={"name": "Back door", "address": "1 Lane\nTown", "delivery_instructions": "Ring\r\n"},
    )
    assert saved.status_code == 302
    refused = client.post(
        f"/wholesale/{north.slug}/account/locations/new",
        data={"name": "Bell", "address": "1 Lane\x07"},
    )
    assert refused.status_code == 422
    assert "Remove the control characters" in page_text(refused)
