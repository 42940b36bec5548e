"""Signing out ends the session for every copy of its cookie, in all three realms; people see
where they are signed in and can sign out everywhere; sessions lapse when idle and with age."""

import re
from datetime import timedelta

import pytest
from freezegun import freeze_time

from tests.support.factories import (
    make_buyer,
    make_operator,
    sign_in_buyer,
    sign_in_operator,
    sign_in_staff,
)
from tests.support.html import page_text

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile Safari/604.1"
LAPTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/121.0"


def _words(response) -> str:
    """The page's text without tags, spaces collapsed, as a reader sees it."""
    return " ".join(re.sub(r"<[^>]+>", " ", page_text(response)).split())


def _copy_cookie(source, target) -> None:
    """What a thief does with a cookie taken before sign-out: replay it from another browser."""
    cookie = source.get_cookie("session")
    assert cookie is not None
    target.set_cookie("session", cookie.value)


class Realm:
    """One realm's sign-in, a page only a signed-in person sees, sign-out and settings."""

    def __init__(self, app, name, two_bakeries):
        self.app, self.name = app, name
        north, south = two_bakeries
        self.north, self.south = north, south
        if name == "staff":
            self.home = f"/admin/{north.slug}/"
            self.logout = f"/admin/{north.slug}/logout"
            self.sessions = f"/admin/{north.slug}/account/sessions"
            self.end_all = f"/admin/{north.slug}/account/sessions/end-all"
        elif name == "buyer":
            make_buyer(app, north, email="buyer@cafe.example")
            make_buyer(app, south, email="buyer@cafe.example")
            self.home = f"/wholesale/{north.slug}/"
            self.logout = f"/wholesale/{north.slug}/logout"
            self.sessions = f"/wholesale/{north.slug}/account"
            self.end_all = f"/wholesale/{north.slug}/account/sessions/end-all"
        else:
            make_operator(app)
            self.home = "/platform/"
            self.logout = "/platform/logout"
            self.sessions = "/platform/sessions"
            self.end_all = "/platform/sessions/end-all"

    def client(self, user_agent=LAPTOP):
        client = self.app.test_client()
        client.environ_base["HTTP_USER_AGENT"] = user_agent
        return client

    def sign_in(self, client):
        if self.name == "staff":
            sign_in_staff(client, self.north)
        elif self.name == "buyer":
            sign_in_buyer(client, self.north, "buyer@cafe.example")
        else:
            sign_in_operator(client)
        return client

    def signed_in(self, client) -> bool:
        response = client.get(self.home)
        assert response.status_code in (200, 302)
        return response.status_code == 200


@pytest.fixture(params=["staff", "buyer", "operator"])
def realm(request, app, two_bakeries):
    return Realm(app, request.param, two_bakeries)


def test_a_cookie_copied_before_sign_out_is_anonymous_afterwards(realm):
    browser = realm.sign_in(realm.client())
    thief = realm.client()
    _copy_cookie(browser, thief)
    assert realm.signed_in(thief)  # the copy works while the session lives
    assert browser.post(realm.logout).status_code == 302
    assert not realm.signed_in(thief)
    assert not realm.signed_in(browser)


def test_a_cookie_copied_before_sign_out_can_change_nothing_afterwards(app, two_bakeries):
    from tenants.catalog.models import Category
    from tests.support.factories import tenant_session

    north, _ = two_bakeries
    browser, thief = app.test_client(), app.test_client()
    sign_in_staff(browser, north)
    _copy_cookie(browser, thief)
    browser.post(f"/admin/{north.slug}/logout")
    response = thief.post(f"/admin/{north.slug}/catalog/categories", data={"name": "Stolen"})
    assert response.status_code == 302 and "/login" in response.location
    with tenant_session(app, north.id) as session:
        assert session.query(Category).filter_by(name="Stolen").count() == 0


def test_signing_out_one_browser_keeps_the_others_signed_in(realm):
    laptop = realm.sign_in(realm.client())
    phone = realm.sign_in(realm.client(PHONE))
    laptop.post(realm.logout)
    assert realm.signed_in(phone)


def test_sign_out_everywhere_ends_every_session_of_that_person_only(realm):
    laptop = realm.sign_in(realm.client())
    phone = realm.sign_in(realm.client(PHONE))
    other_bakery = realm.app.test_client()
    if realm.name == "staff":
        sign_in_staff(other_bakery, realm.south)  # the same email, another bakery's identity
    elif realm.name == "buyer":
        sign_in_buyer(other_bakery, realm.south, "buyer@cafe.example")
    response = phone.post(realm.end_all)
    assert response.status_code == 302 and "login" in response.location
    assert not realm.signed_in(laptop)
    assert not realm.signed_in(phone)
    if realm.name == "staff":
        assert other_bakery.get(f"/admin/{realm.south.slug}/").status_code == 200
    elif realm.name == "buyer":
        assert other_bakery.get(f"/wholesale/{realm.south.slug}/").status_code == 200


def test_settings_list_the_active_sessions_with_device_and_this_browser_marked(realm):
    laptop = realm.sign_in(realm.client())
    phone = realm.sign_in(realm.client(PHONE))
    gone = realm.sign_in(realm.client("Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537"))
    gone.post(realm.logout)
    page = laptop.get(realm.sessions)
    assert page.status_code == 200
    text = _words(page)
    assert "Where you're signed in" in text
    assert "Firefox on Windows this browser" in text
    assert "Safari on iPhone" in text
    assert "Chrome on Linux" not in text  # signed out: no longer listed
    on_phone = _words(phone.get(realm.sessions))
    assert "Safari on iPhone this browser" in on_phone
    assert "Firefox on Windows this browser" not in on_phone


def test_a_session_ends_after_thirty_idle_days_however_it_was_used_before(realm):
    with freeze_time("2026-11-02 09:00:00") as frozen:
        browser = realm.sign_in(realm.client())
        frozen.tick(timedelta(days=29))
        assert realm.signed_in(browser)  # a visit starts the 30 days again
        frozen.tick(timedelta(days=29, hours=23))
        assert realm.signed_in(browser)
        frozen.tick(timedelta(days=30, minutes=1))
        assert not realm.signed_in(browser)


def test_a_session_ends_ninety_days_after_sign_in_even_when_used_every_day(realm):
    with freeze_time("2026-11-02 09:00:00") as frozen:
        browser = realm.sign_in(realm.client())
        for _ in range(8):
            frozen.tick(timedelta(days=10))
            assert realm.signed_in(browser)
        frozen.tick(timedelta(days=9, hours=23))
        assert realm.signed_in(browser)
        frozen.tick(timedelta(hours=1, minutes=1))
        assert not realm.signed_in(browser)


def test_the_server_side_record_not_the_cookie_decides_idle_expiry(app, two_bakeries):
    """The cookie itself slides on every request, so a stolen one would never expire; the
    record's last use is only moved by real use."""
    from tenants.sign_in_sessions import SignInSession
    from tests.support.factories import tenant_session

    north, _ = two_bakeries
    with freeze_time("2026-11-02 09:00:00") as frozen:
        browser = app.test_client()
        sign_in_staff(browser, north)
        frozen.tick(timedelta(minutes=10))
        browser.get(f"/admin/{north.slug}/")
        with tenant_session(app, north.id) as session:
            (record,) = session.query(SignInSession).all()
            assert record.last_seen_at.isoformat().startswith("2026-11-02T09:10")


def test_signed_in_pages_are_never_stored_by_a_cache(app, client, two_bakeries):
    north, _ = two_bakeries
    assert "no-store" not in client.get(f"/admin/{north.slug}/login").headers.get(
        "Cache-Control", ""
    )
    sign_in_staff(client, north)
    home = client.get(f"/admin/{north.slug}/")
    assert home.status_code == 200 and home.mimetype == "text/html"
    assert home.headers["Cache-Control"] == "no-store"
    make_buyer(app, north, email="b@cafe.example", customer_name="Other Café")
    buyer = app.test_client()
    sign_in_buyer(buyer, north, "b@cafe.example")
    assert buyer.get(f"/wholesale/{north.slug}/").headers["Cache-Control"] == "no-store"
    make_operator(app)
    operator = app.test_client()
    sign_in_operator(operator)
    assert operator.get("/platform/").headers["Cache-Control"] == "no-store"


def test_disabling_ends_the_sessions_so_enabling_again_revives_no_old_cookie(app, two_bakeries):
    from tests.support.factories import add_staff

    north, _ = two_bakeries
    staff_id = add_staff(app, north, email="leaving@north.example", role="sales")
    theirs, owner = app.test_client(), app.test_client()
    sign_in_staff(theirs, north, "leaving@north.example")
    sign_in_staff(owner, north)
    assert owner.post(f"/admin/{north.slug}/staff/{staff_id}/disable").status_code == 302
    assert owner.post(f"/admin/{north.slug}/staff/{staff_id}/enable").status_code == 302
    assert theirs.get(f"/admin/{north.slug}/").status_code == 302
    sign_in_staff(app.test_client(), north, "leaving@north.example")  # a new sign-in works


def test_disabling_a_contact_ends_their_portal_sessions_for_good(app, two_bakeries):
    north, south = two_bakeries
    mine = make_buyer(app, north, email="buyer@cafe.example")
    make_buyer(app, south, email="buyer@cafe.example")
    buyer, staff = app.test_client(), app.test_client()
    sign_in_buyer(buyer, north, "buyer@cafe.example")
    sign_in_staff(staff, north)
    base = f"/admin/{north.slug}/customers/{mine['id']}/contacts/{mine['contact_id']}"
    assert staff.post(base + "/disable").status_code == 302
    assert staff.post(base + "/enable").status_code == 302
    assert buyer.get(f"/wholesale/{north.slug}/").status_code == 302
