"""Render and send outbox emails. Safe to run twice: a row is claimed before it is sent."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import Blueprint, current_app, render_template
from flask_babel import force_locale
from sqlalchemy import or_, select, update

from config.clock import utcnow
from config.extensions import db
from config.formatting import format_date
from config.queue import resolve
from jobs.runtime import handles_suspension
from tenants.mail_preferences import opted_out, preferences_url
from tenants.outbox import STALE_CLAIM, OutboundEmail
from tenants.platform_notices import PLATFORM_TEMPLATE
from tenants.tokens import issue_token

log = logging.getLogger(__name__)

templates = Blueprint("mail_templates", __name__, template_folder="templates")

MAX_ATTEMPTS = 6
# After the n-th failure, wait BACKOFF[n-1] before trying again.
BACKOFF = [timedelta(minutes=m) for m in (1, 5, 15, 60, 180)]
# A suspended bakery's mail waits this long before it is looked at again: far enough that the
# relay does not offer it every minute, near enough that it goes out soon after reactivation.
SUSPENDED_HOLD = timedelta(hours=1)
# Documents an email may carry: kind -> dotted path of `render(session, tenant, id)`, which
# returns (file name, content type, bytes) rendered from the rows as they are at send time.
ATTACHMENTS = {
    "invoice_pdf": "billing.documents.invoice_attachment",
    "credit_note_pdf": "billing.documents.credit_note_attachment",
}


@handles_suspension
def deliver_email(tenant, email_id: str, *, now: datetime | None = None) -> str:
    """Send outbox row `email_id` of `tenant` if it is still due; returns its final status.

    A suspended bakery sends nothing: its due email is "held" (pushed back, attempts untouched)
    and goes out once the bakery is reactivated.
    """
    now = now or utcnow()
    if tenant.is_suspended and not _sent_while_suspended(email_id):
        return _hold(email_id, now)
    claimed = db.session.scalar(
        update(OutboundEmail)
        .where(
            _unclaimed(email_id, now),
            or_(OutboundEmail.next_attempt_at.is_(None), OutboundEmail.next_attempt_at <= now),
        )
        .values(status="sending", claimed_at=now, attempts=OutboundEmail.attempts + 1)
        .returning(OutboundEmail.id)
        .execution_options(synchronize_session=False)
    )
    if claimed is None:
        return "skipped"
    row = db.session.scalar(
        select(OutboundEmail)
        .where(OutboundEmail.id == claimed)
        .execution_options(populate_existing=True)
    )
    if row.category and opted_out(db.session, row.to_email, row.category):
        # The recipient opted out after the email was queued.
        row.status, row.next_attempt_at = "suppressed", None
        db.session.commit()
        return "suppressed"
    # Commit the claim first: a second run of this job now finds nothing to do.
    db.session.commit()
    try:
        message = render_message(tenant, row, now=now)
        current_app.extensions["mail_transport"].send(message)
    except Exception as exc:  # SMTP refusals, network errors, template errors alike
        db.session.rollback()
        _record_failure(row, exc, now)
        db.session.commit()
        log.warning(
            "email %s to %s failed (attempt %s): %s", row.id, row.to_email, row.attempts, exc
        )
        return row.status
    row.status = "sent"
    row.sent_at = now
    row.last_error = ""
    db.session.commit()
    return "sent"


def _unclaimed(email_id: str, now: datetime):
    """Row `email_id` is free to take: pending, or claimed by a worker that died."""
    return (OutboundEmail.id == uuid.UUID(str(email_id))) & or_(
        OutboundEmail.status == "pending",
        (OutboundEmail.status == "sending") & (OutboundEmail.claimed_at < now - STALE_CLAIM),
    )


def _sent_while_suspended(email_id: str) -> bool:
    """The platform's own notices (a suspension notice above all) are not held."""
    template = db.session.scalar(
        select(OutboundEmail.template).where(OutboundEmail.id == uuid.UUID(str(email_id)))
    )
    return template == PLATFORM_TEMPLATE


def _hold(email_id: str, now: datetime) -> str:
    """Leave a suspended bakery's email pending, unclaimed and uncounted, until later."""
    held = db.session.scalar(
        update(OutboundEmail)
        .where(_unclaimed(email_id, now))
        .values(status="pending", claimed_at=None, next_attempt_at=now + SUSPENDED_HOLD)
        .returning(OutboundEmail.id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return "skipped" if held is None else "held"


def _record_failure(row: OutboundEmail, exc: Exception, now: datetime) -> None:
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "failed"
        row.next_attempt_at = None
    else:
        row.status = "pending"
        row.next_attempt_at = now + BACKOFF[min(row.attempts, len(BACKOFF)) - 1]


def _one_line(text: str) -> str:
    """Header text on one line: a stray line break in a name must not stop the mail going out
    (the email library refuses it rather than let it inject headers)."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def render_message(tenant, row: OutboundEmail, *, now: datetime) -> EmailMessage:
    """Build the MIME message for `row`: branded HTML and plain-text parts, tenant Reply-To."""
    settings = current_app.config["SETTINGS"]
    context = dict(row.context or {})
    if row.token_link:
        spec = row.token_link
        raw, token = issue_token(
            db.session,
            purpose=spec["purpose"],
            subject_id=uuid.UUID(spec["subject_id"]),
            ttl=timedelta(seconds=int(spec["ttl_seconds"])),
            now=now,
        )
        context["link"] = settings.base_url + spec["path"].replace("{token}", raw)
        context["link_expires_at"] = format_date(token.expires_at, tenant, with_time=True)
    if row.category:
        context["preferences_url"] = preferences_url(
            settings.base_url, settings.secret_key, tenant, row.to_email
        )
    context.update(
        bakery=tenant,
        brand_colour=tenant.brand_colour,
        logo_url=f"{settings.base_url}/brand/{tenant.slug}/logo"
        if tenant.logo_content_type
        else None,
        base_url=settings.base_url,
        recipient_name=row.to_name,
        date=lambda value: format_date(value, tenant),
    )
    # In the bakery's language: a job has no request, so the locale is the bakery's, given here.
    with force_locale(tenant.locale):
        subject = _one_line(render_template(f"mail/{row.template}.subject.txt", **context))
        text_body = render_template(f"mail/{row.template}.txt", **context)
        html_body = render_template(f"mail/{row.template}.html", **context)
    row.subject = subject[:300]

    message = EmailMessage()
    message["Subject"] = subject
    sender = _one_line(tenant.name)
    message["From"] = formataddr((sender, settings.mail_from))
    to_name = _one_line(row.to_name or "")
    message["To"] = formataddr((to_name, row.to_email)) if to_name else row.to_email
    if tenant.contact_email:
        message["Reply-To"] = formataddr((sender, tenant.contact_email))
    message["Message-ID"] = make_msgid(idstring=str(row.id), domain="bakery-platform")
    message["X-Outbox-Id"] = str(row.id)
    if context.get("preferences_url"):
        message["List-Unsubscribe"] = f"<{context['preferences_url']}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text_body)
    message.add_alternative(html_body, subtype="html")
    if row.attachment:
        render = resolve(ATTACHMENTS[row.attachment["kind"]])
        filename, content_type, data = render(db.session, tenant, row.attachment["id"])
        maintype, subtype = content_type.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message
