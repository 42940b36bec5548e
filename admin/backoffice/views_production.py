"""The bakery's day in the back office: the production sheet (page, PDF, CSV), the packing slips
(page, PDF) and the van route. Thin views over `tenants.production`.

Who: the sheet and slips need `production` (the production role has it: it names customers and
quantities, never prices); changing the route needs `orders` (the production role is read-only).
Printing a PDF is a POST: it records the print, which the page later compares orders against.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Response, abort, g, render_template, request, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_production import DayForm, PrintForm, StopForm
from admin.backoffice.views_catalog_io import csv_response
from config.clock import utcnow
from config.edge import apply_change, found_or_404
from config.extensions import db
from tenants.production.days import default_day
from tenants.production.documents import sheet_csv, sheet_pdf, slips_pdf
from tenants.production.packing import packing_slips
from tenants.production.prints import print_check, record_print
from tenants.production.projection import projected_lines
from tenants.production.route import get_location, move_stop, route_stops
from tenants.production.sheet import production_sheet


def _day():
    form = DayForm(request.args)
    if request.args.get("date") and not form.validate():
        abort(400, description="Choose a date like 2026-12-08.")
    return form.date.data or default_day(db.session, g.tenant, now=utcnow()), form


def _sheet(day):
    projected = projected_lines(db.session, g.tenant, day)
    return production_sheet(db.session, g.tenant, day=day, now=utcnow(), projected=projected)


def _pdf(data: bytes, filename: str) -> Response:
    return Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def _days_around(day):
    return {"previous": day - timedelta(days=1), "next": day + timedelta(days=1)}


@bp.get("/production")
@staff_required("production")
def production_sheet_page():
    """The day's totals per product, with the prints and what changed since."""
    day, form = _day()
    return render_template(
        "backoffice/production/sheet.html",
        sheet=_sheet(day),
        form=form,
        print_form=PrintForm(),
        **_days_around(day),
    )


@bp.post("/production/print")
@staff_required("production")
def production_sheet_print():
    """The sheet as a PDF to print; the print is recorded (and committed) first."""
    day, _ = _day()
    if not PrintForm().validate_on_submit():
        abort(400)
    sheet = _sheet(day)
    record_print(db.session, g.tenant, actor=current_user, day=day, kind="sheet", now=utcnow())
    db.session.commit()
    return _pdf(sheet_pdf(g.tenant, sheet), f"{g.tenant.slug}-production-{day.isoformat()}.pdf")


@bp.get("/production/sheet.csv")
@staff_required("production")
def production_sheet_csv():
    """The sheet as CSV (a spreadsheet's copy; not a print)."""
    day, _ = _day()
    return csv_response(sheet_csv(_sheet(day)), f"{g.tenant.slug}-production-{day.isoformat()}.csv")


@bp.get("/packing")
@staff_required("production")
def packing_slips_page():
    """The day's packing slips in route order, as they will print."""
    day, form = _day()
    return render_template(
        "backoffice/production/packing.html",
        day=day,
        slips=packing_slips(db.session, g.tenant, day=day),
        prints=print_check(db.session, day=day, kind="slips"),
        form=form,
        print_form=PrintForm(),
        **_days_around(day),
    )


@bp.post("/packing/print")
@staff_required("production")
def packing_slips_print():
    """Every slip of the day in one PDF, one per page; the print is recorded first."""
    day, _ = _day()
    if not PrintForm().validate_on_submit():
        abort(400)
    slips = packing_slips(db.session, g.tenant, day=day)
    record_print(db.session, g.tenant, actor=current_user, day=day, kind="slips", now=utcnow())
    db.session.commit()
    return _pdf(slips_pdf(g.tenant, day, slips), f"{g.tenant.slug}-packing-{day.isoformat()}.pdf")


@bp.get("/route")
@staff_required("production")
def route_page():
    """Every delivery location with its stop number; staff who take orders renumber them."""
    stops = route_stops(db.session, g.tenant)
    return render_template(
        "backoffice/production/route.html",
        stops=stops,
        numbered=sum(1 for s in stops if s.position),
        form=StopForm(formdata=None),
        may_edit=current_user.can("orders"),
    )


@bp.post("/route/<uuid:location_id>")
@staff_required("orders")
def route_move(location_id):
    """Put one location at a stop number (the others shift), or take it off the route."""
    location = found_or_404(get_location, location_id)
    name = location.name
    target = url_for("backoffice.route_page") + f"#stop-{location_id}"
    form = StopForm()
    if not form.validate_on_submit():
        stops = route_stops(db.session, g.tenant)
        errors = {location_id: form.position.errors}
        return render_template(
            "backoffice/production/route.html",
            stops=stops,
            numbered=sum(1 for s in stops if s.position),
            form=form,
            errors=errors,
            may_edit=True,
        ), 422
    return apply_change(
        lambda: move_stop(
            db.session,
            g.tenant,
            actor=current_user,
            location_id=location_id,
            position=form.position.data,
            now=utcnow(),
        ),
        lambda got: f"{name} is stop {got} now." if got else f"{name} is off the route.",
        target,
    )
