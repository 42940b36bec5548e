"""Staff services: sign-in, invitations, password resets, roles.

Plain functions taking the tenant and the actor; they flush, the caller commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from config.clock import utcnow
from tenants.actors import require
from tenants.errors import PermissionDenied, ValidationFailed
from tenants.lookup import get_by_id
from tenants.outbox import queue_email, token_link
from tenants.passwords import check_password_strength, hash_password, verify_password
from tenants.plans import check_limit
from tenants.scoping import check_bound
from tenants.security_notices import password_changed
from tenants.sign_in_sessions import end_all_sessions
from tenants.staff.models import StaffUser
from tenants.staff.permissions import ROLES
from tenants.tokens import consume_token, peek_token, revoke_all_tokens

INVITE_TTL = timedelta(days=7)
RESET_TTL = timedelta(hours=2)
INVITE_PURPOSE = "staff_invite"
RESET_PURPOSE = "staff_reset"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def staff_by_email(session, email: str) -> StaffUser | None:
    return session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))


def get_staff(session, staff_id) -> StaffUser:
    """The bound tenant's staff user with this id; NotFound otherwise (another bakery's too)."""
    return get_by_id(session, StaffUser, staff_id, missing="No such staff member.")


def authenticate_staff(session, tenant, *, email: str, password: str, now=None):
    """The active staff user with these credentials at this bakery, or None."""
    check_bound(session, tenant)
    user = staff_by_email(session, email)
    # Verify even for unknown emails so response time doesn't reveal which accounts exist.
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not user.is_active or not valid:
        return None
    user.last_sign_in_at = now or utcnow()
    return user


def create_owner(session, tenant, *, email: str, name: str, password: str) -> StaffUser:
    """The first staff user of a new bakery (used by sign-up and the demo)."""
    check_password_strength(password)
    owner = StaffUser(
        tenant_id=tenant.id,
        email=normalise_email(email),
        name=name.strip(),
        role="owner",
        status="active",
        password_hash=hash_password(password),
    )
    session.add(owner)
    session.flush()
    return owner


def resend_invitation(session, tenant, *, actor: StaffUser, user: StaffUser, now=None):
    """Send a new invitation link; the previous one stops working when the new one is issued."""
    if user.status != "invited":
        raise ValidationFailed(f"{user.name} has already joined.")
    return invite_staff(
        session, tenant, actor=actor, email=user.email, name=user.name, role=user.role, now=now
    )


def invite_staff(
    session,
    tenant,
    *,
    actor: StaffUser,
    email: str,
    name: str,
    role: str,
    now: datetime | None = None,
) -> StaffUser:
    """Invite a person to the back office; they get an email to set their password."""
    require(actor, "staff")
    if role not in ROLES:
        raise ValidationFailed("Choose a role.", field="role")
    if role == "owner" and actor.role != "owner":
        raise PermissionDenied("Only an owner can make someone an owner.")
    email = normalise_email(email)
    existing = staff_by_email(session, email)
    if existing is not None and existing.status != "invited":
        raise ValidationFailed("This person is already on your team.", field="email")
    if existing is None:
        check_limit(tenant, "staff_users")
        existing = StaffUser(tenant_id=tenant.id, email=email, name=name.strip(), role=role)
        session.add(existing)
    existing.name, existing.role, existing.status = name.strip(), role, "invited"
    existing.invited_at = now or utcnow()
    session.flush()
    _send_token_mail(
        session,
        tenant,
        existing,
        template="staff_invite",
        purpose=INVITE_PURPOSE,
        ttl=INVITE_TTL,
        path=f"/admin/{tenant.slug}/invitation/{{token}}",
        context={"inviter": actor.name, "role": ROLES[role][0]},
        now=now,
    )
    return existing


def invitation_for(session, token: str, *, now=None) -> StaffUser | None:
    """The invited user a live invitation token belongs to (does not use the token)."""
    row = peek_token(session, token, purpose=INVITE_PURPOSE, now=now)
    return session.get(StaffUser, (row.tenant_id, row.subject_id)) if row else None


def accept_invitation(session, tenant, *, token: str, password: str, now=None) -> StaffUser:
    """Use an invitation: set the password and activate the account."""
    check_bound(session, tenant)
    check_password_strength(password)
    subject = consume_token(session, token, purpose=INVITE_PURPOSE, now=now)
    if subject is None:
        raise ValidationFailed("This invitation link has expired or was already used.")
    user = get_staff(session, subject)
    if user.status != "invited":
        # Disabled since the link was sent (or already active): the link must not re-open it.
        raise ValidationFailed("This invitation link has expired or was already used.")
    user.password_hash = hash_password(password)
    user.status = "active"
    session.flush()
    return user


def request_password_reset(session, tenant, *, email: str, now=None) -> None:
    """Email a reset link if the address belongs to an active staff user; silent otherwise."""
    user = staff_by_email(session, email)
    if user is None or user.status != "active":
        return
    _send_token_mail(
        session,
        tenant,
        user,
        template="staff_password_reset",
        purpose=RESET_PURPOSE,
        ttl=RESET_TTL,
        path=f"/admin/{tenant.slug}/reset/{{token}}",
        context={},
        now=now,
    )


def reset_link_works(session, token: str, *, now=None) -> bool:
    """Whether a password reset link can still be used (does not use it)."""
    return peek_token(session, token, purpose=RESET_PURPOSE, now=now) is not None


def reset_password(
    session, tenant, *, token: str, password: str, reset_url: str = "", now=None
) -> StaffUser:
    """Use a reset link to set a new password; the person is told by email (reset_url: where
    to go if it was not them)."""
    check_bound(session, tenant)
    check_password_strength(password)
    subject = consume_token(session, token, purpose=RESET_PURPOSE, now=now)
    if subject is None:
        raise ValidationFailed("This reset link has expired or was already used.")
    user = get_staff(session, subject)
    user.password_hash = hash_password(password)
    # A new password: no other link and no signed-in browser of the old one lives on.
    revoke_all_tokens(session, subject_id=user.id, now=now)
    end_all_sessions(session, realm="staff", user_id=user.id, now=now)
    password_changed(
        session, tenant, email=user.email, name=user.name, reset_url=reset_url, now=now
    )
    session.flush()
    return user


def change_role(session, tenant, *, actor: StaffUser, user: StaffUser, role: str) -> StaffUser:
    """Give a staff member another role; a bakery always keeps at least one active owner."""
    check_bound(session, tenant)
    require(actor, "staff")
    if role not in ROLES:
        raise ValidationFailed("Choose a role.", field="role")
    if role == "owner" and actor.role != "owner":
        raise PermissionDenied("Only an owner can make someone an owner.")
    if user.role == "owner" and role != "owner":
        _keep_an_owner(session, user)
    user.role = role
    session.flush()
    return user


def set_disabled(session, tenant, *, actor: StaffUser, user: StaffUser, disabled: bool):
    """Disable (sign out for good) or re-enable a staff member."""
    require(actor, "staff")
    if user.id == actor.id:
        raise ValidationFailed("You can't disable your own account.")
    if disabled:
        if user.role == "owner":
            _keep_an_owner(session, user)
        user.status = "disabled"
        # Links already in their inbox and signed-in browsers die with the account, so
        # enabling it again later revives none of them.
        revoke_all_tokens(session, subject_id=user.id)
        end_all_sessions(session, realm="staff", user_id=user.id)
    else:
        check_limit(tenant, "staff_users")
        user.status = "active" if user.password_hash else "invited"
    session.flush()
    return user


def list_staff(session) -> list[StaffUser]:
    return list(session.scalars(select(StaffUser).order_by(StaffUser.name)))


def _keep_an_owner(session, leaving: StaffUser) -> None:
    owners = session.scalar(
        select(func.count(StaffUser.id)).where(
            StaffUser.role == "owner", StaffUser.status == "active", StaffUser.id != leaving.id
        )
    )
    if not owners:
        raise ValidationFailed("A bakery needs at least one active owner.", field="role")


def _send_token_mail(session, tenant, user, *, template, purpose, ttl, path, context, now):
    queue_email(
        session,
        tenant,
        to_email=user.email,
        to_name=user.name,
        template=template,
        context={"name": user.name, **context},
        token_link=token_link(purpose=purpose, subject_id=user.id, ttl=ttl, path=path),
        now=now,
    )
