"""Back-office pages of the follow-up features: a customer's weekly reminder time, and the
buyers' recent comments on delivered orders."""

from __future__ import annotations

from flask import g, render_template, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_followup import ReminderForm
from config.clock import utcnow
from config.edge import found_or_404, save_form
from config.extensions import db
from tenants.customers import services as customers
from tenants.orders.ratings import average, customer_ratings, recent_comments
from tenants.orders.reminders import get_setting, next_reminder, set_reminder_time


def customer_followup(session, tenant, customer) -> dict:
    """What the customer page shows of these features: the reminder time and the ratings."""
    ratings = customer_ratings(session, customer)
    return {
        "reminder_setting": get_setting(session, customer),
        "reminder_next": next_reminder(session, tenant, customer=customer),
        "ratings": ratings,
        "rating_average": average(ratings),
    }


@bp.route("/customers/<customer_id>/reminder", methods=["GET", "POST"])
@staff_required("customers")
def customer_reminder(customer_id):
    """Set the day and time of the customer's weekly "time to order" email."""
    customer = found_or_404(customers.get_customer, customer_id)
    setting = get_setting(db.session, customer)
    form = ReminderForm()
    if not form.is_submitted() and setting is not None:
        form.weekday.data, form.at.data = str(setting.weekday), setting.at.strftime("%H:%M")
    return save_form(
        form,
        lambda: set_reminder_time(
            db.session,
            g.tenant,
            actor=current_user,
            customer=customer,
            now=utcnow(),
            **form.values(),
        ),
        url_for("backoffice.customer_detail", customer_id=customer.id) + "#reminder",
        "backoffice/customers/reminder.html",
        message="The weekly reminder time is saved.",
        customer=customer,
        next_at=next_reminder(db.session, g.tenant, customer=customer),
    )


@bp.get("/feedback")
@staff_required("orders_view", "customers_view")
def feedback():
    """Buyers' recent comments on delivered orders, newest first."""
    return render_template("backoffice/feedback.html", rows=recent_comments(db.session))
