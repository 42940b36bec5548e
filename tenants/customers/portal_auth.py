"""How buyers get into the portal: password, invitation, reset link, magic link; own settings.

A contact is an identity of one bakery only: every look-up runs on a session bound to the
request's bakery, so the same email at another bakery is a different person. Answers never say
whether an email has an account.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from config.clock import utcnow
from tenants.customers.activity import log_activity
from tenants.customers.contacts import (
    INVITE_PURPOSE,
    MAGIC_PURPOSE,
    RESET_PURPOSE,
    normalise_email,
    queue_reset_email,
)
from tenants.customers.models import Contact
from tenants.errors import PermissionDenied, ValidationFailed, ValidationProblems
from tenants.outbox import queue_email, token_link
from tenants.passwords import check_password_strength, hash_password, verify_password
from tenants.scoping import check_bound
from tenants.security_notices import password_changed
from tenants.sign_in_sessions import end_all_sessions, signed_in_params, signed_in_select
from tenants.tokens import consume_token, peek_token, revoke_all_tokens

MAGIC_TTL = timedelta(minutes=20)
# Compared against when no contact matches, so a miss costs as much time as a wrong password.
_DUMMY_HASH = hash_password("not-a-real-password-at-all")


def contact_by_email(session, email: str) -> Contact | None:
    """The bound bakery's contact with this email, or None."""
    return session.scalar(select(Contact).where(Contact.email == normalise_email(email)))


def can_sign_in(contact: Contact | None) -> bool:
    """Active contact of an account whose portal is on (a suspended account may still read)."""
    return contact is not None and contact.is_active and contact.customer.portal_enabled


_SIGNED_IN = signed_in_select(Contact, realm="buyer")


def load_buyer(session, contact_id: str, secret: str):
    """(the signed-in contact, its live session record) for a session cookie, in one
    statement; None once access was taken away or the session ended."""
    try:
        contact_uuid = uuid.UUID(contact_id)
    except ValueError:
        return None
    found = session.execute(_SIGNED_IN, signed_in_params(contact_uuid, secret)).first()
    return found if found is not None and can_sign_in(found[0]) else None


def authenticate_contact(session, tenant, *, email: str, password: str, now=None):
    """The contact with these credentials who may sign in at this bakery, or None."""
    check_bound(session, tenant)
    contact = contact_by_email(session, email)
    if contact is None or not contact.password_hash:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(contact.password_hash, password) or not can_sign_in(contact):
        return None
    contact.last_sign_in_at = now or utcnow()
    return contact


def invitation_for(session, token: str, *, now=None) -> Contact | None:
    """The invited contact a live invitation token belongs to (does not use the token)."""
    row = peek_token(session, token, purpose=INVITE_PURPOSE, now=now)
    if row is None:
        return None
    contact = session.get(Contact, (row.tenant_id, row.subject_id))
    return contact if contact is not None and contact.status == "invited" else None


def accept_invitation(session, tenant, *, token: str, password: str, now=None) -> Contact:
    """Use an invitation: set the password, activate, and count the email as verified."""
    check_password_strength(password)
    now = now or utcnow()
    subject = consume_token(session, token, purpose=INVITE_PURPOSE, now=now)
    contact = session.get(Contact, (tenant.id, subject)) if subject else None
    if contact is None or contact.status != "invited" or not contact.customer.portal_enabled:
        raise ValidationFailed("This invitation link has expired or was already used.")
    contact.password_hash = hash_password(password)
    contact.status, contact.must_change_password = "active", False
    contact.activated_at = contact.email_verified_at = contact.last_sign_in_at = now
    contact.invite_expires_at = None
    log_activity(
        session,
        contact.customer,
        actor=contact,
        action="contact.joined",
        summary=f"{contact.name} accepted the invitation",
        details={"contact_id": str(contact.id)},
        now=now,
    )
    session.flush()
    return contact


def request_password_reset(session, tenant, *, email: str, now=None) -> None:
    """Email a reset link if the address may sign in here; silent otherwise."""
    contact = contact_by_email(session, email)
    if can_sign_in(contact):
        queue_reset_email(session, tenant, contact, now=now)


def reset_for(session, token: str, *, now=None) -> bool:
    """Whether a reset link is still live (for the GET page; does not use it)."""
    return peek_token(session, token, purpose=RESET_PURPOSE, now=now) is not None


def reset_password(
    session, tenant, *, token: str, password: str, reset_url: str = "", now=None
) -> Contact:
    """Use a reset link to set a new password; the contact is told by email (reset_url: where
    to go if it was not them)."""
    check_password_strength(password)
    subject = consume_token(session, token, purpose=RESET_PURPOSE, now=now)
    contact = session.get(Contact, (tenant.id, subject)) if subject else None
    if not can_sign_in(contact):
        raise ValidationFailed("This reset link has expired or was already used.")
    contact.password_hash = hash_password(password)
    contact.must_change_password = False
    # A new password: no other link (a pending sign-in link) and no signed-in browser lives on.
    revoke_all_tokens(session, subject_id=contact.id, now=now)
    end_all_sessions(session, realm="buyer", user_id=contact.id, now=now)
    password_changed(
        session, tenant, email=contact.email, name=contact.name, reset_url=reset_url, now=now
    )
    session.flush()
    return contact


def request_magic_link(session, tenant, *, email: str, now=None) -> None:
    """Email a short-lived sign-in link if the address may sign in here; silent otherwise."""
    _send_link(
        session,
        tenant,
        email,
        template="contact_magic_link",
        purpose=MAGIC_PURPOSE,
        ttl=MAGIC_TTL,
        path="magic",
        now=now,
    )


def magic_link_for(session, token: str, *, now=None) -> Contact | None:
    """The contact a live magic link belongs to, for the GET 'Continue' page (not used up)."""
    row = peek_token(session, token, purpose=MAGIC_PURPOSE, now=now)
    contact = session.get(Contact, (row.tenant_id, row.subject_id)) if row else None
    return contact if can_sign_in(contact) else None


def consume_magic_link(session, tenant, *, token: str, now=None) -> Contact | None:
    """Use a magic link once (atomically): the contact to sign in, or None."""
    now = now or utcnow()
    subject = consume_token(session, token, purpose=MAGIC_PURPOSE, now=now)
    contact = session.get(Contact, (tenant.id, subject)) if subject else None
    if not can_sign_in(contact):
        return None
    contact.last_sign_in_at = now
    contact.email_verified_at = contact.email_verified_at or now
    session.flush()
    return contact


def change_own_password(
    session,
    tenant,
    *,
    contact: Contact,
    new_password: str,
    current_password: str | None = None,
    reset_url: str = "",
    now=None,
) -> Contact:
    """A contact changes their password; `current_password` is required unless a temporary
    password is being replaced right after signing in with it. Every problem of both fields is
    reported at once (ValidationProblems); the contact is told of the change by email."""
    check_bound(session, tenant)
    problems = []
    if not contact.must_change_password and not verify_password(
        contact.password_hash, current_password or ""
    ):
        problems.append(
            ValidationFailed("Your current password is not right.", field="current_password")
        )
    try:
        check_password_strength(new_password, field="new_password")
        if verify_password(contact.password_hash, new_password):
            raise ValidationFailed(
                "Choose a password different from the current one.", field="new_password"
            )
    except ValidationFailed as exc:
        problems.append(exc)
    if problems:
        raise ValidationProblems(problems)
    was_temporary = contact.must_change_password
    contact.password_hash = hash_password(new_password)
    if not was_temporary:
        password_changed(
            session, tenant, email=contact.email, name=contact.name, reset_url=reset_url, now=now
        )
    contact.must_change_password = False
    # Links mailed before the change (reset, sign-in) must not outlive the old password. The
    # caller ends the contact's other sessions (it knows which one is this).
    revoke_all_tokens(session, subject_id=contact.id, now=now)
    session.flush()
    return contact


def update_own_profile(
    session, tenant, *, contact: Contact, first_name: str, last_name: str, phone: str, now=None
) -> Contact:
    """A contact edits their own name and phone (their email and rights are set for them).

    A suspended account is read-only for its contacts (`permissions`), their own details too.
    """
    check_bound(session, tenant)
    if contact.customer.is_suspended:
        raise PermissionDenied(
            f"Your account is suspended, so nothing can be changed. Contact {tenant.name}."
        )
    first_name = first_name.strip()
    if not first_name:
        raise ValidationFailed("Enter your first name.", field="first_name")
    before = (contact.first_name, contact.last_name, contact.phone)
    contact.first_name, contact.last_name, contact.phone = (
        first_name,
        last_name.strip(),
        phone.strip(),
    )
    if before != (contact.first_name, contact.last_name, contact.phone):
        log_activity(
            session,
            contact.customer,
            actor=contact,
            action="contact.profile_updated",
            summary=f"{contact.name} updated their name or phone",
            details={"contact_id": str(contact.id)},
            now=now,
        )
    session.flush()
    return contact


def _send_link(session, tenant, email, *, template, purpose, ttl, path, now) -> None:
    contact = contact_by_email(session, email)
    if not can_sign_in(contact):
        return
    queue_email(
        session,
        tenant,
        to_email=contact.email,
        to_name=contact.name,
        template=template,
        context={"name": contact.first_name},
        token_link=_token_link(tenant, contact, purpose=purpose, ttl=ttl, path=path),
        now=now,
    )


def magic_token_link(tenant, contact: Contact, *, ttl: timedelta = MAGIC_TTL) -> dict:
    """The `token_link=` for any portal email that should sign its reader in with one tap
    (weekly reminders, order confirmations): the send job issues the token, the link opens
    the "Continue" page. Pass a longer `ttl` for emails people open days later."""
    return _token_link(tenant, contact, purpose=MAGIC_PURPOSE, ttl=ttl, path="magic")


def _token_link(tenant, contact: Contact, *, purpose: str, ttl: timedelta, path: str) -> dict:
    return token_link(
        purpose=purpose,
        subject_id=contact.id,
        ttl=ttl,
        path=f"/wholesale/{tenant.slug}/{path}/{{token}}",
    )
