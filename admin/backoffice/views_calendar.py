"""The bakery's delivery calendar settings: the weekdays it delivers, each day's cut-off, and
closures with the reason buyers see. The services are `tenants.orders.calendar_settings`."""

from __future__ import annotations

from flask import abort, g, render_template, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_orders import ClosureForm, DeliveryDaysForm
from config.clock import bakery_today, utcnow
from config.edge import apply_change, found_or_404, redirect_after, submit_form
from config.extensions import db
from config.forms import ConfirmForm
from tenants.errors import ValidationFailed
from tenants.lookup import get_by_id
from tenants.orders import calendar_settings
from tenants.orders.calendar import DEFAULT_CUTOFF, WEEKDAY_NAMES, load_schedule
from tenants.orders.models import Closure


def _page(days_form, closure_form, status=200):
    today = bakery_today(g.tenant, utcnow())
    return render_template(
        "backoffice/calendar.html",
        days_form=days_form,
        closure_form=closure_form,
        weekdays=list(enumerate(WEEKDAY_NAMES)),
        closures=calendar_settings.list_closures(db.session, from_day=today),
        confirm=ConfirmForm(formdata=None),
    ), status


def _saved_days_form() -> DeliveryDaysForm:
    """The weekdays form filled from the bakery's calendar as it is."""
    form = DeliveryDaysForm(formdata=None)
    today = bakery_today(g.tenant, utcnow())
    schedule = load_schedule(db.session, g.tenant, first=today, last=today)
    for weekday in range(7):
        cutoff = schedule.cutoffs.get(weekday)
        getattr(form, f"on_{weekday}").data = cutoff is not None
        days_before, at = (cutoff.days_before, cutoff.at) if cutoff else DEFAULT_CUTOFF
        getattr(form, f"days_before_{weekday}").data = days_before
        getattr(form, f"cutoff_{weekday}").data = at
    return form


@bp.get("/settings/delivery")
@staff_required("settings")
def delivery_calendar_settings():
    """The calendar: delivery weekdays with cut-offs, and closures from today on."""
    return _page(_saved_days_form(), ClosureForm(formdata=None))


@bp.post("/settings/delivery/days")
@staff_required("settings")
def delivery_days_save():
    """Replace the delivery weekdays and their cut-offs."""
    form = DeliveryDaysForm()

    def chosen():
        days = {}
        for weekday in range(7):
            if getattr(form, f"on_{weekday}").data:
                at = getattr(form, f"cutoff_{weekday}").data
                before = getattr(form, f"days_before_{weekday}").data
                if at is None or before is None:
                    raise ValidationFailed(
                        "Give the days before and the time.", field=f"cutoff_{weekday}"
                    )
                days[weekday] = (before, at)
        return calendar_settings.set_delivery_days(
            db.session, g.tenant, actor=current_user, days=days
        )

    response, status = _submit(form, chosen, "Delivery days saved.")
    return response or _page(form, ClosureForm(formdata=None), status)


@bp.post("/settings/delivery/closures")
@staff_required("settings")
def delivery_closure_add():
    """Close the bakery for a day or a range of days, with a reason buyers see."""
    form = ClosureForm()
    response, status = _submit(
        form,
        lambda: calendar_settings.add_closure(
            db.session,
            g.tenant,
            actor=current_user,
            first_day=form.first_day.data,
            last_day=form.last_day.data,
            reason=form.reason.data,
        ),
        "Closure added.",
    )
    return response or _page(_saved_days_form(), form, status)


def _submit(form, action, message):
    return submit_form(
        form,
        action,
        redirect_after(message, url_for("backoffice.delivery_calendar_settings")),
        catch=ValidationFailed,
    )


@bp.post("/settings/delivery/closures/<closure_id>/remove")
@staff_required("settings")
def delivery_closure_remove(closure_id):
    """Remove a closure (the days become orderable again)."""
    found_or_404(get_by_id, Closure, closure_id, missing="No such closure.")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return apply_change(
        lambda: calendar_settings.remove_closure(
            db.session, g.tenant, actor=current_user, closure_id=closure_id
        ),
        "Closure removed.",
        url_for("backoffice.delivery_calendar_settings"),
    )
