"""Sign-up can't be farmed to send mail from the platform's address: sign-ups are throttled per
address, a new bakery mails nobody but its owner until the owner confirms their address, and a
trial sends a capped number of invitations."""

from sqlalchemy import select

from config.extensions import db
from tenants import mail_gates
from tenants.models import Tenant
from tests.support.factories import link_in
from tests.support.html import page_text

FORM = {
    "name": "Crumb & Co",
    "slug": "crumb-co",
    "owner_name": "Cora Crumb",
    "email": "cora@crumb.example",
    "password": "a long enough secret",
    "timezone": "Europe/London",
    "currency": "GBP",
    "locale": "en_GB",
}


def _sign_up(client, n: int, address="198.51.100.20"):
    return client.post(
        "/signup",
        data={**FORM, "slug": f"crumb-{n}", "email": f"cora{n}@crumb.example"},
        environ_base={"REMOTE_ADDR": address},
    )


def _invite(client, slug, email="new.baker@example.com"):
    return client.post(
        f"/admin/{slug}/staff",
        data={"name": "New Baker", "email": email, "role": "sales"},
        follow_redirects=True,
    )


def test_sign_ups_are_throttled_per_client_address(app):
    answers = [_sign_up(app.test_client(), n).status_code for n in range(4)]
    assert answers == [302, 302, 302, 429]
    refused = _sign_up(app.test_client(), 9)
    assert "Too many bakeries were signed up from your network" in page_text(refused)
    assert _sign_up(app.test_client(), 5, address="203.0.113.50").status_code == 302
    with app.app_context():
        slugs = set(db.session.scalars(select(Tenant.slug).where(Tenant.slug.like("crumb-%"))))
    assert slugs == {"crumb-0", "crumb-1", "crumb-2", "crumb-5"}


def test_a_new_bakery_mails_nobody_else_until_its_owner_confirms(app, mailbox, two_bakeries):
    owner = app.test_client()
    assert owner.post("/signup", data=FORM).status_code == 302
    [confirmation] = mailbox.messages
    assert FORM["email"] in confirmation["To"]
    assert confirmation["Subject"] == "Confirm your email address for Bakery Wholesale"
    home = page_text(owner.get(f"/admin/{FORM['slug']}/"))
    assert "Please confirm your email address" in home
    refused = _invite(owner, FORM["slug"], "victim@elsewhere.example")
    assert "Confirm your email address first" in page_text(refused)
    assert len(mailbox.messages) == 1  # nothing went to the third party

    path = link_in(confirmation, "/confirm-email/")
    visitor = app.test_client()
    assert visitor.get(path).status_code == 200  # a mail scanner's GET uses nothing
    assert visitor.get(path).status_code == 200
    assert visitor.post(path).status_code == 302
    assert visitor.post(path).status_code == 410
    assert "Please confirm" not in page_text(owner.get(f"/admin/{FORM['slug']}/"))
    invited = _invite(owner, FORM["slug"], "new.baker@example.com")
    assert "Confirm your email address first" not in page_text(invited)
    assert mailbox.messages[-1]["To"].endswith("<new.baker@example.com>")


def test_the_owner_can_have_the_confirmation_sent_again_and_only_the_new_link_works(app, mailbox):
    owner = app.test_client()
    owner.post("/signup", data=FORM)
    first = link_in(mailbox.messages[-1], "/confirm-email/")
    assert owner.post(f"/admin/{FORM['slug']}/confirm-email/resend").status_code == 302
    second = link_in(mailbox.messages[-1], "/confirm-email/")
    assert app.test_client().post(first).status_code == 410
    assert app.test_client().post(second).status_code == 302


def test_a_trial_sends_a_capped_number_of_invitations(app, mailbox, two_bakeries, monkeypatch):
    from tests.support.factories import platform_session, sign_in_staff

    north, south = two_bakeries
    monkeypatch.setattr(mail_gates, "TRIAL_INVITATION_CAP", 2)
    with platform_session(app) as session:
        session.get(Tenant, north.id).subscription_status = "trialing"
    client = app.test_client()
    sign_in_staff(client, north)
    for n in range(2):
        assert "Invitation sent" in page_text(_invite(client, north.slug, f"baker{n}@example.com"))
    third = page_text(_invite(client, north.slug, "baker9@example.com"))
    assert "During the trial a bakery can send 2 invitations" in third
    assert len(mailbox.messages) == 2
    # A paying bakery is not capped.
    paying = app.test_client()
    sign_in_staff(paying, south)
    for n in range(3):
        assert "Invitation sent" in page_text(_invite(paying, south.slug, f"baker{n}@example.com"))
