"""Who a bakery may email yet: the guard against sign-ups used to send mail from our address.

A new bakery mails nobody but its owner until the owner has confirmed their email address, and
during the trial it sends at most `TRIAL_INVITATION_CAP` invitations. Every email goes through
`tenants.outbox.queue_email`, which asks `check_may_mail` first, so no path can skip it.
"""

from __future__ import annotations

from sqlalchemy import func, select

from tenants.errors import ValidationFailed

# Mail an unconfirmed bakery may still send: its owner's confirmation, and the password reset
# of its own staff (only the owner, since nobody else can be invited before confirming).
BEFORE_VERIFICATION = frozenset({"owner_verify_email", "staff_password_reset"})
INVITATION_TEMPLATES = frozenset({"staff_invite", "contact_invite"})
TRIAL_INVITATION_CAP = 25


def check_may_mail(session, tenant, *, template: str) -> None:
    """Raise ValidationFailed when `tenant` may not send a `template` email now."""
    if tenant.owner_email_verified_at is None and template not in BEFORE_VERIFICATION:
        raise ValidationFailed(
            "Confirm your email address first: use the link we emailed you when you signed up "
            "(you can have it sent again on the home page)."
        )
    if template in INVITATION_TEMPLATES and tenant.subscription_status == "trialing":
        from tenants.outbox import OutboundEmail

        sent = session.scalar(
            select(func.count(OutboundEmail.id)).where(
                OutboundEmail.template.in_(INVITATION_TEMPLATES)
            )
        )
        if sent >= TRIAL_INVITATION_CAP:
            raise ValidationFailed(
                f"During the trial a bakery can send {TRIAL_INVITATION_CAP} invitations. "
                "Choose a plan to invite more people."
            )
