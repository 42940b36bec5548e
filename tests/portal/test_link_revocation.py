"""One-time links die with account changes: disabling a person revokes every link of theirs (and
enabling them again revives none), and any new password revokes every pending link."""

from tests.support.factories import (
    PASSWORD,
    link_in,
    make_buyer,
    sign_in_buyer,
    sign_in_staff,
)

EMAIL = "sam@cafe.example"


def _setup(app, two_bakeries):
    north, south = two_bakeries
    mine = make_buyer(app, north, email=EMAIL)
    make_buyer(app, south, email=EMAIL)
    return north, south, mine


def _ask(app, bakery, what, mailbox, marker):
    app.test_client().post(f"/wholesale/{bakery.slug}/{what}", data={"email": EMAIL})
    return link_in(mailbox.messages[-1], marker)


def test_disabling_a_contact_revokes_their_reset_and_sign_in_links_for_good(
    app, client, two_bakeries, mailbox
):
    north, south, mine = _setup(app, two_bakeries)
    reset = _ask(app, north, "forgot", mailbox, "/reset/")
    magic = _ask(app, north, "magic", mailbox, "/magic/")
    south_magic = _ask(app, south, "magic", mailbox, "/magic/")
    sign_in_staff(client, north)
    base = f"/admin/{north.slug}/customers/{mine['id']}/contacts/{mine['contact_id']}"
    assert client.post(base + "/disable").status_code == 302
    assert client.post(base + "/enable").status_code == 302
    visitor = app.test_client()
    assert visitor.get(magic).status_code == 410
    assert visitor.post(magic).status_code == 410
    assert visitor.get(reset).status_code == 410
    assert visitor.post(reset, data={"password": "sneaky-new-pass-1"}).status_code == 422
    sign_in_buyer(app.test_client(), north, EMAIL, PASSWORD)  # the password still works
    assert visitor.post(south_magic).status_code == 302  # the other bakery's person: untouched


def test_a_password_reset_revokes_a_pending_sign_in_link(app, two_bakeries, mailbox):
    north, _, _ = _setup(app, two_bakeries)
    magic = _ask(app, north, "magic", mailbox, "/magic/")
    reset = _ask(app, north, "forgot", mailbox, "/reset/")
    assert app.test_client().post(reset, data={"password": "brand-new-pass-1"}).status_code == 302
    assert app.test_client().post(magic).status_code == 410


def test_a_password_change_revokes_pending_sign_in_and_reset_links(
    app, client, two_bakeries, mailbox
):
    north, _, _ = _setup(app, two_bakeries)
    magic = _ask(app, north, "magic", mailbox, "/magic/")
    reset = _ask(app, north, "forgot", mailbox, "/reset/")
    sign_in_buyer(client, north, EMAIL)
    changed = client.post(
        f"/wholesale/{north.slug}/change-password",
        data={"current_password": PASSWORD, "new_password": "my-own-sourdough-1"},
    )
    assert changed.status_code == 302
    assert app.test_client().post(magic).status_code == 410
    assert app.test_client().get(reset).status_code == 410


def test_disabling_staff_revokes_their_reset_link_and_enabling_does_not_revive_it(
    app, client, two_bakeries, mailbox
):
    from sqlalchemy import select

    from tenants.staff.models import StaffUser
    from tests.support.factories import add_staff, tenant_session

    north, _ = two_bakeries
    add_staff(app, north, email="sales@north.example", role="sales")
    app.test_client().post(f"/admin/{north.slug}/forgot", data={"email": "sales@north.example"})
    reset = link_in(mailbox.messages[-1], "/reset/")
    with tenant_session(app, north.id) as session:
        staff_id = session.scalar(
            select(StaffUser.id).where(StaffUser.email == "sales@north.example")
        )
    sign_in_staff(client, north)
    assert client.post(f"/admin/{north.slug}/staff/{staff_id}/disable").status_code == 302
    assert client.post(f"/admin/{north.slug}/staff/{staff_id}/enable").status_code == 302
    assert app.test_client().get(reset).status_code == 410
