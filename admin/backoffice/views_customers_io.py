"""Customers CSV import and export, on the catalog's import runner and progress page."""

from flask import g, render_template, url_for

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_customers import CustomerImportForm
from admin.backoffice.views_catalog_io import csv_response, run_page, run_progress, start_upload
from config.edge import found_or_404
from config.extensions import db
from tenants.catalog import imports
from tenants.customers.csv_import import CUSTOMER_COLUMNS, customers_csv, template_csv

KINDS = ("customers",)
NAV = "backoffice/customers/_import_nav.html"


@bp.route("/customers/import", methods=["GET", "POST"])
@staff_required("customers")
def customer_import():
    """Upload a customers CSV; the import runs as a job and its page shows the progress."""
    form = CustomerImportForm()
    response, status = start_upload(form, "backoffice.customer_import_run", kind="customers")
    if response is not None:
        return response
    return render_template(
        "backoffice/customers/import.html",
        form=form,
        columns=CUSTOMER_COLUMNS,
        runs=imports.recent_runs(db.session, kinds=KINDS),
    ), status


@bp.get("/customers/import/<run_id>")
@staff_required("customers")
def customer_import_run(run_id):
    """One customers import: progress, then what was created and any row errors."""
    run = found_or_404(imports.get_run, run_id, KINDS)
    return run_page(
        run,
        "backoffice.customer_import_progress",
        NAV,
        url_for("backoffice.customer_import"),
        url_for("backoffice.customer_import_template"),
    )


@bp.get("/customers/import/template.csv")
@staff_required("customers")
def customer_import_template():
    """A template CSV to start a customers import from."""
    return csv_response(template_csv(g.tenant), "customers-template.csv")


@bp.get("/customers/import/<run_id>/progress")
@staff_required("customers")
def customer_import_progress(run_id):
    """The run's progress for the page's script."""
    return run_progress(found_or_404(imports.get_run, run_id, KINDS))


@bp.get("/customers/export.csv")
@staff_required("customers_view")
def customer_export():
    """Every customer as CSV, in the columns the import reads."""
    return csv_response(customers_csv(db.session), f"{g.tenant.slug}-customers.csv")
