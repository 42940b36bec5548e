"""After sign-in, `next` is followed only to a page of the same realm and bakery on this site."""

import pytest

from config.signin import safe_next
from tests.support.factories import PASSWORD, make_buyer, make_operator

ESCAPES = [
    "//evil.example/x",
    "/\t/evil.example/x",
    "/\n/evil.example/x",
    "/%09/evil.example/x",  # decoded by the query string parser into a tab
    "/\\evil.example/x",
    "https://evil.example/x",
    "javascript:alert(1)",
    " /admin/x",
]


@pytest.mark.parametrize("target", ESCAPES)
def test_nothing_that_could_leave_the_site_is_followed(target):
    assert safe_next(target, "/home") == "/home"


def test_a_path_outside_the_realm_is_not_followed_either():
    assert safe_next("/admin/other/", "/home", within="/admin/mine/") == "/home"
    assert safe_next("/admin/mine/../../platform/", "/home", within="/admin/mine/") == "/home"
    assert safe_next("/admin/mine/%2e%2e/other/", "/home", within="/admin/mine/") == "/home"
    assert safe_next("/admin/mine", "/home", within="/admin/mine/") == "/admin/mine"
    assert safe_next("/admin/mine/customers?q=a", "/home", within="/admin/mine/") == (
        "/admin/mine/customers?q=a"
    )


@pytest.mark.parametrize("target", ESCAPES)
def test_all_three_sign_ins_refuse_to_send_a_user_off_site(app, two_bakeries, target):
    north, south = two_bakeries
    make_buyer(app, north, email="buyer@cafe.example")
    make_buyer(app, south, email="buyer@cafe.example")
    make_operator(app)
    logins = [
        (f"/admin/{north.slug}/login", north.owner_email, f"/admin/{north.slug}/"),
        (f"/wholesale/{north.slug}/login", "buyer@cafe.example", f"/wholesale/{north.slug}/"),
        ("/platform/login", "ops@platform.example", "/platform/"),
    ]
    for url, email, home in logins:
        response = app.test_client().post(
            url, query_string={"next": target}, data={"email": email, "password": PASSWORD}
        )
        assert response.status_code == 302, url
        assert response.location.startswith(home), (url, response.location)


def test_a_staff_sign_in_does_not_follow_next_into_another_bakery(app, two_bakeries):
    north, south = two_bakeries
    response = app.test_client().post(
        f"/admin/{north.slug}/login",
        query_string={"next": f"/admin/{south.slug}/customers"},
        data={"email": north.owner_email, "password": PASSWORD},
    )
    assert response.location == f"/admin/{north.slug}/"
