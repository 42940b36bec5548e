"""Contacts of a customer: who they are, what they may do, and their portal access.

Staff (permission `customers`) manage every contact; an account owner manages the other users
of their own account from the portal, but never grants more than they hold and never makes or
changes an owner. Invitations are single-use 7-day links; a resend revokes the previous link at
once, and a revoked invitation cannot be accepted even if its email is still in flight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from config.clock import utcnow
from tenants.actors import kind_of, require
from tenants.customers import permissions
from tenants.customers.activity import log_activity
from tenants.customers.locations import get_location
from tenants.customers.models import ACCESS_LEVELS, Contact, Customer
from tenants.errors import NotFound, PermissionDenied, ValidationFailed
from tenants.lookup import get_by_id
from tenants.outbox import queue_email, token_link
from tenants.passwords import check_password_strength, hash_password
from tenants.plans import require_feature
from tenants.scoping import check_bound
from tenants.sign_in_sessions import end_all_sessions
from tenants.tokens import revoke_all_tokens, revoke_tokens

INVITE_TTL = timedelta(days=7)
RESET_TTL = timedelta(hours=2)
INVITE_PURPOSE = "contact_invite"
RESET_PURPOSE = "contact_reset"
MAGIC_PURPOSE = "contact_magic"


def normalise_email(email: str) -> str:
    """Emails compare lower-cased and trimmed."""
    return (email or "").strip().lower()


def list_contacts(session, customer: Customer) -> list[Contact]:
    """The customer's contacts: owners first, then by name."""
    return list(
        session.scalars(
            select(Contact)
            .where(Contact.customer_id == customer.id)
            .order_by(Contact.is_owner.desc(), Contact.first_name, Contact.last_name)
        )
    )


def get_contact(session, customer: Customer, contact_id) -> Contact:
    """One of `customer`'s contacts; NotFound for any other id (another bakery's too)."""
    return get_by_id(
        session,
        Contact,
        contact_id,
        missing="No such contact.",
        where=(Contact.customer_id == customer.id,),
    )


@dataclass(frozen=True)
class ContactState:
    """What staff and owners see about a contact's access."""

    code: str  # not_invited | invited | invitation_expired | active | disabled
    label: str
    sent_at: datetime | None = None
    expires_at: datetime | None = None


def contact_state(contact: Contact, *, now: datetime | None = None) -> ContactState:
    """The contact's portal access state, including an invitation that lapsed."""
    now = now or utcnow()
    if contact.status == "invited":
        if contact.invite_expires_at is not None and contact.invite_expires_at <= now:
            return ContactState(
                "invitation_expired",
                "Invitation expired",
                contact.invited_at,
                contact.invite_expires_at,
            )
        return ContactState("invited", "Invited", contact.invited_at, contact.invite_expires_at)
    labels = {"not_invited": "Not invited", "active": "Active", "disabled": "Disabled"}
    return ContactState(contact.status, labels.get(contact.status, contact.status))


def _email_taken_message(actor, customer: Customer, clash_customer_id, tenant) -> str:
    """Why an email can't be used (to staff, or to a buyer about their own account's people)."""
    if kind_of(actor) != "contact":
        return "Another contact at this bakery uses this email."
    return "Someone on your account already uses this email."


def _hand_clash_to_staff(session, *, actor, customer, contact, first_name, last_name, email, now):
    """An account owner asked for an address another customer's contact uses. Telling them so
    would let one café learn who buys at a rival, so the portal answers as if it went through
    ("we've asked the bakery") and the bakery's staff see the request in the activity log."""
    log_activity(
        session,
        customer,
        actor=actor,
        action="contact.add_requested",
        summary=(
            f"Asked the bakery to add {first_name} {last_name} ({email}) as a "
            + ("user" if contact is None else f"new email for {contact.name}")
            + "; the address belongs to another customer's contact, so staff need to sort it out"
        ).replace("  ", " "),
        details={"email": email, "contact_id": str(contact.id) if contact else None},
        now=now,
    )
    session.flush()


def save_contact(
    session,
    tenant,
    *,
    actor,
    customer: Customer,
    contact: Contact | None = None,
    first_name: str,
    last_name: str = "",
    email: str,
    phone: str = "",
    is_owner: bool = False,
    is_billing: bool = False,
    access_level: str = "individual",
    location_id=None,
    grants: set[str] | None = None,
    now=None,
) -> Contact | None:
    """Add a contact (contact=None) or change one. `grants` are keys of permissions.GRANTABLE.

    Returns the contact, or None when an account owner asked for an address that another
    customer's contact uses: that request goes to the bakery's staff (see _hand_clash_to_staff).
    """
    require(actor, "manage_users", on=customer)
    grants = set(grants if grants is not None else permissions.role_defaults(is_billing))
    if contact is not None:
        _require_own(customer, contact)
    if kind_of(actor) == "contact":
        _check_owner_may_set(actor, customer, contact, is_owner=is_owner, grants=grants)
    first_name, last_name, phone = first_name.strip(), last_name.strip(), phone.strip()
    if not first_name:
        raise ValidationFailed("Enter a first name.", field="first_name")
    checked = _checked_email(
        session, tenant, actor=actor, customer=customer, contact=contact, email=email
    )
    if checked is None:
        _hand_clash_to_staff(
            session,
            actor=actor,
            customer=customer,
            contact=contact,
            first_name=first_name,
            last_name=last_name,
            email=normalise_email(email),
            now=now,
        )
        return None
    email = checked
    location = _checked_location(
        session, customer, access_level=access_level, location_id=location_id, is_owner=is_owner
    )
    unknown = grants - set(permissions.GRANTABLE)
    if unknown:
        raise ValueError(f"unknown grants {sorted(unknown)}")
    before = _snapshot(contact) if contact is not None else None
    contact = _write_contact(
        session,
        tenant,
        customer,
        contact,
        names=(first_name, last_name),
        email=email,
        phone=phone,
        is_owner=is_owner,
        is_billing=is_billing,
        access_level=access_level,
        location=location,
        grants=grants,
        now=now,
    )
    _log_saved(session, customer, contact, actor=actor, before=before, now=now)
    return contact


def _checked_email(
    session, tenant, *, actor, customer: Customer, contact, email: str
) -> str | None:
    """The normalised email, or ValidationFailed: well-formed, not another contact's here, and
    not moving a joined colleague's sign-in (only the bakery may). None when a buyer asked for
    an address another customer's contact uses: that is for the bakery's staff to sort out."""
    email = normalise_email(email)
    moves_a_sign_in = contact is not None and contact.status == "active" and email != contact.email
    if kind_of(actor) == "contact" and moves_a_sign_in:
        # Moving a colleague's sign-in to another inbox would let its new owner reset the
        # password and become them; only the bakery may do that.
        raise ValidationFailed(
            f"{contact.first_name} has already joined; ask {tenant.name} to change their email.",
            field="email",
        )
    if "@" not in email or " " in email or len(email) > 254:
        raise ValidationFailed("Enter a valid email address.", field="email")
    clash = select(Contact.customer_id).where(Contact.email == email)
    if contact is not None:
        clash = clash.where(Contact.id != contact.id)
    clash_customer_id = session.scalar(clash)
    if kind_of(actor) == "contact" and clash_customer_id not in (None, customer.id):
        return None  # another customer's contact: the caller hands it to staff, says nothing
    if clash_customer_id is not None:
        raise ValidationFailed(
            _email_taken_message(actor, customer, clash_customer_id, tenant), field="email"
        )
    return email


def _checked_location(session, customer: Customer, *, access_level: str, location_id, is_owner):
    """The contact's location (or None), or ValidationFailed: a known access level, one of this
    customer's locations, and one at all for location-level access."""
    if access_level not in ACCESS_LEVELS:
        raise ValidationFailed("Choose an access level.", field="access_level")
    location = None
    if location_id:
        try:
            location = get_location(session, customer, location_id)
        except NotFound as exc:
            raise ValidationFailed(
                "Choose one of this customer's locations.", field="location_id"
            ) from exc
    if access_level == "location" and location is None and not is_owner:
        raise ValidationFailed("Location access needs an assigned location.", field="location_id")
    return location


def _write_contact(
    session,
    tenant,
    customer: Customer,
    contact: Contact | None,
    *,
    names: tuple[str, str],
    email: str,
    phone: str,
    is_owner: bool,
    is_billing: bool,
    access_level: str,
    location,
    grants: set[str],
    now,
) -> Contact:
    """Create or change the contact with checked values; a changed email ends its live links."""
    if contact is None:
        contact = Contact(tenant_id=tenant.id, customer_id=customer.id, status="not_invited")
        session.add(contact)
    elif contact.email != email:
        # Links already mailed to the old address must not keep working.
        for purpose in (RESET_PURPOSE, MAGIC_PURPOSE):
            revoke_tokens(session, purpose=purpose, subject_id=contact.id, now=now)
        if contact.status == "invited":
            _kill_invitation(session, contact, now=now)
            contact.status = "not_invited"
    (contact.first_name, contact.last_name), contact.phone = names, phone
    contact.email = email
    contact.is_owner, contact.is_billing = bool(is_owner), bool(is_billing)
    contact.access_level = "organization" if is_owner else access_level
    contact.location_id = location.id if location else None
    for name in permissions.GRANTABLE:
        setattr(contact, f"can_{name}", bool(is_owner) or name in grants)
    session.flush()
    return contact


def _log_saved(session, customer: Customer, contact: Contact, *, actor, before, now) -> None:
    """The activity log entry of a save: the new contact's settings, or what changed (if
    anything); `before` is the snapshot before the change, None for a new contact."""
    after = _snapshot(contact)
    if before is None:
        log_activity(
            session,
            customer,
            actor=actor,
            action="contact.added",
            summary=f"Added contact {contact.name} ({contact.email})",
            details={"contact_id": str(contact.id), "settings": after},
            now=now,
        )
        return
    changes = {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}
    if changes:
        log_activity(
            session,
            customer,
            actor=actor,
            action="contact.updated",
            summary=f"Changed contact {contact.name}: " + ", ".join(changes),
            details={"contact_id": str(contact.id), "changes": changes},
            now=now,
        )


def invite_contact(session, tenant, *, actor, customer: Customer, contact: Contact, now=None):
    """Email a registration link (7 days, single use). Resending revokes the previous link."""
    require(actor, "manage_users", on=customer)
    _require_own(customer, contact)
    _check_may_manage(actor, contact)
    _require_portal(tenant, customer)
    if contact.status == "active":
        raise ValidationFailed(f"{contact.name} already has portal access.")
    if contact.status == "disabled":
        raise ValidationFailed(f"{contact.name} is disabled; enable them first.")
    now = now or utcnow()
    resend = contact.status == "invited"
    _kill_invitation(session, contact, now=now)
    contact.status, contact.invited_at = "invited", now
    contact.invite_expires_at = now + INVITE_TTL
    inviter = actor.name if actor is not None else tenant.name
    queue_email(
        session,
        tenant,
        to_email=contact.email,
        to_name=contact.name,
        template="contact_invite",
        context={"name": contact.first_name, "inviter": inviter, "customer": customer.display_name},
        token_link=token_link(
            purpose=INVITE_PURPOSE,
            subject_id=contact.id,
            ttl=INVITE_TTL,
            path=f"/wholesale/{tenant.slug}/invitation/{{token}}",
        ),
        now=now,
    )
    log_activity(
        session,
        customer,
        actor=actor,
        action="contact.invitation_resent" if resend else "contact.invited",
        summary=("Resent the invitation to " if resend else "Invited ")
        + f"{contact.name} ({contact.email})",
        details={"contact_id": str(contact.id)},
        now=now,
    )
    session.flush()
    return contact


def revoke_invitation(session, tenant, *, actor, customer: Customer, contact: Contact, now=None):
    """Make a pending invitation's link stop working."""
    check_bound(session, tenant)
    require(actor, "manage_users", on=customer)
    _require_own(customer, contact)
    _check_may_manage(actor, contact)
    if contact.status != "invited":
        raise ValidationFailed(f"{contact.name} has no pending invitation.")
    _kill_invitation(session, contact, now=now)
    contact.status, contact.invited_at, contact.invite_expires_at = "not_invited", None, None
    log_activity(
        session,
        customer,
        actor=actor,
        action="contact.invitation_revoked",
        summary=f"Revoked the invitation of {contact.name}",
        details={"contact_id": str(contact.id)},
        now=now,
    )
    session.flush()
    return contact


def set_temporary_password(
    session, tenant, *, actor, customer: Customer, contact: Contact, password: str, now=None
):
    """Staff give a contact a password they must change at their first sign-in (seed 000).

    Only for a contact who never chose a password (not invited, invited, or still on an earlier
    temporary one): setting one on an active buyer would let staff sign in as them, lock them
    out and act in their name. For those, staff send a reset link to the contact's own address
    (`send_reset_link`), and look at the portal through the read-only view-as.
    """
    require(actor, "customers")
    _require_own(customer, contact)
    _require_portal(tenant, customer)
    if contact.status == "disabled":
        raise ValidationFailed(f"{contact.name} is disabled; enable them first.")
    if contact.password_hash and not contact.must_change_password:
        raise ValidationFailed(
            f"{contact.name} has chosen their own password. Send them a reset link instead."
        )
    check_password_strength(password)
    now = now or utcnow()
    revoke_all_tokens(session, subject_id=contact.id, now=now)
    contact.password_hash = hash_password(password)
    contact.must_change_password = True
    contact.status = "active"
    contact.invited_at = contact.invite_expires_at = None
    contact.activated_at = contact.activated_at or now
    log_activity(
        session,
        customer,
        actor=actor,
        action="contact.temporary_password",
        summary=f"Set a temporary password for {contact.name}",
        details={"contact_id": str(contact.id)},
        now=now,
    )
    session.flush()
    return contact


def set_contact_disabled(
    session, tenant, *, actor, customer: Customer, contact: Contact, disabled: bool, now=None
):
    """Disable a contact (signed out at their next request) or enable them again."""
    check_bound(session, tenant)
    require(actor, "manage_users", on=customer)
    _require_own(customer, contact)
    _check_may_manage(actor, contact)
    if disabled:
        # Every link in their inbox and every signed-in browser dies with the access, so
        # enabling them again later revives none of them.
        revoke_all_tokens(session, subject_id=contact.id, now=now)
        end_all_sessions(session, realm="buyer", user_id=contact.id, now=now)
        contact.status = "disabled"
    elif contact.status == "disabled":
        contact.status = "active" if contact.password_hash else "not_invited"
    else:
        return contact
    log_activity(
        session,
        customer,
        actor=actor,
        action="contact.disabled" if disabled else "contact.enabled",
        summary=("Disabled " if disabled else "Enabled ") + contact.name,
        details={"contact_id": str(contact.id)},
        now=now,
    )
    session.flush()
    return contact


def queue_reset_email(session, tenant, contact: Contact, *, now=None) -> None:
    """The one "choose a new password" email of a contact, whether they asked for it on the
    sign-in page or staff sent it; the link goes to the contact's own address."""
    queue_email(
        session,
        tenant,
        to_email=contact.email,
        to_name=contact.name,
        template="contact_password_reset",
        context={"name": contact.first_name},
        token_link=token_link(
            purpose=RESET_PURPOSE,
            subject_id=contact.id,
            ttl=RESET_TTL,
            path=f"/wholesale/{tenant.slug}/reset/{{token}}",
        ),
        now=now,
    )


def send_reset_link(session, tenant, *, actor, customer: Customer, contact: Contact, now=None):
    """Staff email an active contact a password reset link, to the contact's own address.

    This is how staff help a buyer who forgot their password: the buyer chooses the new one.
    """
    require(actor, "customers")
    _require_own(customer, contact)
    _require_portal(tenant, customer)
    if contact.status != "active":
        raise ValidationFailed(f"{contact.name} has no portal sign-in to reset.")
    queue_reset_email(session, tenant, contact, now=now)
    log_activity(
        session,
        customer,
        actor=actor,
        action="contact.reset_link_sent",
        summary=f"Sent {contact.name} a password reset link ({contact.email})",
        details={"contact_id": str(contact.id)},
        now=now,
    )
    session.flush()
    return contact


def remove_contact(session, tenant, *, actor, customer: Customer, contact: Contact, now=None):
    """Delete a contact and any live link of theirs."""
    check_bound(session, tenant)
    require(actor, "manage_users", on=customer)
    _require_own(customer, contact)
    _check_may_manage(actor, contact)
    revoke_all_tokens(session, subject_id=contact.id, now=now)
    end_all_sessions(session, realm="buyer", user_id=contact.id, now=now)
    log_activity(
        session,
        customer,
        actor=actor,
        action="contact.removed",
        summary=f"Removed contact {contact.name} ({contact.email})",
        details={"contact_id": str(contact.id)},
        now=now,
    )
    session.delete(contact)
    session.flush()


def record_view_as(session, tenant, *, actor, customer: Customer, contact: Contact, now=None):
    """Audit a staff member opening the portal as `contact` (read-only)."""
    check_bound(session, tenant)
    require(actor, "customers_view")
    _require_own(customer, contact)
    log_activity(
        session,
        customer,
        actor=actor,
        action="portal.viewed_as",
        summary=f"Viewed the portal as {contact.name} (read-only)",
        details={"contact_id": str(contact.id)},
        now=now,
    )
    session.flush()


def _check_owner_may_set(actor: Contact, customer, contact, *, is_owner, grants) -> None:
    """An owner in the portal grants at most what they hold, and never ownership."""
    if contact is not None:
        _check_may_manage(actor, contact)
    if is_owner and (contact is None or not contact.is_owner):
        raise PermissionDenied("Only the bakery can make someone an account owner.")
    beyond = grants - permissions.effective_permissions(actor, customer)
    if beyond:
        raise PermissionDenied("You can't give permissions you don't have yourself.")


def _require_own(customer: Customer, contact: Contact) -> None:
    """Every service taking a customer and a contact acts only on that customer's contact:
    another account's (or bakery's) contact is NotFound, as its id would be in a URL."""
    if contact.customer_id != customer.id:
        raise NotFound("No such contact.")


def _check_may_manage(actor, contact: Contact) -> None:
    """Owners manage other, non-owner users; staff and the system manage everyone."""
    if kind_of(actor) != "contact":
        return
    if contact.id == actor.id:
        raise PermissionDenied("Use your account settings to change your own details.")
    if contact.is_owner:
        raise PermissionDenied("Ask the bakery to change another account owner.")


def _require_portal(tenant, customer: Customer) -> None:
    require_feature(tenant, "wholesale_portal")
    if not customer.portal_enabled:
        raise ValidationFailed("Switch on the wholesale portal for this customer first.")


def _kill_invitation(session, contact: Contact, *, now=None) -> None:
    if contact.id is not None:
        revoke_tokens(session, purpose=INVITE_PURPOSE, subject_id=contact.id, now=now)


def _snapshot(contact: Contact) -> dict:
    return {
        "name": contact.name,
        "email": contact.email,
        "phone": contact.phone,
        "owner": contact.is_owner,
        "billing": contact.is_billing,
        "access_level": contact.access_level,
        "location_id": str(contact.location_id) if contact.location_id else None,
        "permissions": sorted(n for n in permissions.GRANTABLE if getattr(contact, f"can_{n}")),
    }
