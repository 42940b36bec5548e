"""Online payment attempts (permission `invoices`): buyers' card and bank payments through
Stripe that need following up (failed, disputed, refunded) or all of them, newest first.

A thin view over `billing.online_attempts`. It reads the bakery's own history, so it answers
with Stripe off too, and says so.
"""

from __future__ import annotations

import uuid

from flask import g, render_template, request

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_receivables import OnlineAttemptFilterForm
from billing import online_attempts
from billing import stripe_gateway as gateway
from config.extensions import db
from tenants.orders import desk


@bp.get("/online-payments/attempts")
@staff_required("invoices")
def online_attempts_list():
    """Attempts needing attention by default; filters for all, by status, kind and customer."""
    form = OnlineAttemptFilterForm(request.args)
    form.customer_id.choices = [("", "Any customer")] + [
        (str(c), name) for c, name in desk.customer_choices(db.session)
    ]
    customer_id = None
    if form.customer_id.data:
        try:
            customer_id = uuid.UUID(form.customer_id.data)
        except ValueError:
            form.customer_id.errors = ["Choose a customer from the list."]
    show = form.show.data if form.show.data in online_attempts.SHOW else None
    page = online_attempts.attempts_page(
        db.session,
        g.tenant,
        show=show or online_attempts.DEFAULT_SHOW,
        status=form.status.data or None,
        kind=form.kind.data or None,
        customer_id=customer_id,
        page=request.args.get("page", 1, type=int),
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "backoffice/receivables/online_attempts.html",
        form=form,
        page=page,
        args=args,
        stripe_on=gateway.is_on(),
        attention=(show or online_attempts.DEFAULT_SHOW) == "attention",
    )
