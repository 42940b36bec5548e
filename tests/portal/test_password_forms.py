"""Password forms: every field's problems at once, one message each, a way to cancel, and a
"your password was changed" security email through the outbox (portal and back office)."""

from tests.support.factories import (
    PASSWORD,
    add_contact,
    link_in,
    make_buyer,
    sign_in_buyer,
)
from tests.support.html import page_text

NEW = "fresh-baguette-1"


def test_a_wrong_current_and_a_weak_new_password_are_both_reported_at_once(
    app, client, two_bakeries
):
    north, _ = two_bakeries
    mine = make_buyer(app, north, email="olivia@cafe.example")
    sign_in_buyer(client, north, mine["email"])
    url = f"/wholesale/{north.slug}/change-password"
    page = client.get(url).get_data(as_text=True)
    assert f'href="/wholesale/{north.slug}/account">Cancel</a>' in page
    both = client.post(url, data={"current_password": "nope", "new_password": "short"})
    assert both.status_code == 422
    text = both.get_data(as_text=True)
    assert 'id="current_password-error">Your current password is not right.' in text
    assert 'id="new_password-error">Use at least 10 characters' in text
    assert text.count('class="field-error"') == 2  # one message per problem
    empty = client.post(url, data={"current_password": PASSWORD, "new_password": ""})
    assert empty.get_data(as_text=True).count('class="field-error"') == 1


def test_a_changed_portal_password_sends_the_person_a_security_notice(
    app, client, mailbox, two_bakeries
):
    north, south = two_bakeries
    mine = make_buyer(app, north, email="olivia@cafe.example")
    make_buyer(app, south, email="olivia@cafe.example")
    sign_in_buyer(client, north, mine["email"])
    changed = client.post(
        f"/wholesale/{north.slug}/change-password",
        data={"current_password": PASSWORD, "new_password": NEW},
    )
    assert changed.status_code == 302
    [notice] = [m for m in mailbox.messages if "password was changed" in m["Subject"]]
    assert notice["X-Envelope-To"] == "olivia@cafe.example"
    assert notice["Subject"] == "Your North Bakery password was changed"
    assert f"/wholesale/{north.slug}/forgot" in link_in(notice, "/forgot")


def test_a_password_reset_sends_the_notice_and_the_reset_page_can_be_cancelled(
    app, mailbox, two_bakeries
):
    north, _ = two_bakeries
    mine = make_buyer(app, north, email="olivia@cafe.example")
    add_contact(app, north, mine["id"], email="kim@cafe.example", first_name="Kim")
    visitor = app.test_client()
    visitor.post(f"/wholesale/{north.slug}/forgot", data={"email": "kim@cafe.example"})
    path = link_in(mailbox.messages[-1], "/reset/")
    page = page_text(visitor.get(path))
    assert "Cancel" in visitor.get(path).get_data(as_text=True) and "new password" in page
    assert visitor.post(path, data={"password": NEW}).status_code == 302
    notices = [m for m in mailbox.messages if "password was changed" in m["Subject"]]
    assert [m["X-Envelope-To"] for m in notices] == ["kim@cafe.example"]


def test_a_staff_password_reset_sends_the_notice(app, mailbox, two_bakeries):
    north, _ = two_bakeries
    visitor = app.test_client()
    visitor.post(f"/admin/{north.slug}/forgot", data={"email": north.owner_email})
    path = link_in(mailbox.messages[-1], "/reset/")
    assert f'href="/admin/{north.slug}/login">Cancel</a>' in visitor.get(path).get_data(True)
    assert visitor.post(path, data={"password": NEW}).status_code == 302
    [notice] = [m for m in mailbox.messages if "password was changed" in m["Subject"]]
    assert notice["X-Envelope-To"] == north.owner_email
    assert f"/admin/{north.slug}/forgot" in link_in(notice, "/forgot")
