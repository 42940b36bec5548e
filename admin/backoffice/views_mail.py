"""The bakery's sent mail: recent emails with their status, and resending a failed one."""

from flask import abort, g, render_template, request, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from config.edge import apply_change, found_or_404
from config.extensions import db
from config.formatting import format_date
from config.forms import ConfirmForm
from tenants import outbox

# status -> what staff read; "pending" rows are waiting for their (next) attempt.
STATUS_FILTERS = {
    "pending": "Queued",
    "sent": "Sent",
    "failed": "Failed",
    "suppressed": "Unsubscribed",
}


@bp.get("/mail")
@staff_required("mail")
def mail_list():
    status = request.args.get("status")
    status = status if status in STATUS_FILTERS else None
    return render_template(
        "backoffice/mail.html",
        emails=outbox.recent_emails(db.session, status=status),
        status=status,
        filters=STATUS_FILTERS,
        confirm=ConfirmForm(),
        when=lambda value: format_date(value, g.tenant, with_time=True),
    )


@bp.post("/mail/<email_id>/resend")
@staff_required("mail")
def mail_resend(email_id):
    email = found_or_404(outbox.get_email, email_id)
    ConfirmForm().validate_on_submit() or abort(400)
    return apply_change(
        lambda: outbox.resend_email(db.session, g.tenant, actor=current_user, email=email),
        f"The email to {email.to_email} is queued again.",
        url_for("backoffice.mail_list"),
    )
