"""Catalog CSV import (a background job the page polls), CSV exports, buyer catalog exports."""

from __future__ import annotations

from flask import Response, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_catalog import ImportForm
from config.clock import bakery_today
from config.edge import chosen_or_404, found_or_404, read_upload, redirect_after, submit_form
from config.extensions import db
from config.numbers import example
from tenants.catalog import exports, imports, price_lists
from tenants.catalog.buyer_export import buyer_catalog_csv, buyer_catalog_pdf
from tenants.catalog.csv_templates import template_csv
from tenants.customers import services
from tenants.plans import has_feature


def csv_response(text: str, filename: str) -> Response:
    """A CSV download (the customers export uses it too)."""
    # A BOM so spreadsheet programs read the UTF-8 correctly.
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def _import_form():
    form = ImportForm()
    form.price_list_id.choices = [("", "—")] + [
        (str(pl.id), pl.name) for pl in price_lists.list_price_lists(db.session)
    ]
    return form


@bp.route("/catalog/import", methods=["GET", "POST"])
@staff_required("catalog")
def catalog_import():
    form = _import_form()
    response, status = start_upload(
        form,
        "backoffice.catalog_import_run",
        kind=form.kind.data,
        price_list=lambda: chosen_or_404(price_lists.get_price_list, form.price_list_id.data),
    )
    if response is not None:
        return response
    return render_template(
        "backoffice/catalog/import.html",
        form=form,
        number_example=example(g.tenant.locale),
        runs=imports.recent_runs(db.session, kinds=imports.CATALOG_KINDS),
    ), status


def start_upload(form, run_endpoint: str, *, kind: str, price_list=lambda: None):
    """Start an import run from `form`'s CSV upload and go to the run's page.

    Every kind of import (catalog, customers) starts this way; the price list is looked up
    (by `price_list()`) only once the form is valid. Answers like `submit_form`: (response, status).
    """

    def start():
        chosen_list = price_list()
        upload = form.file.data
        return imports.start_import(
            db.session,
            g.tenant,
            actor=current_user,
            kind=kind,
            data=read_upload(upload),
            filename=getattr(upload, "filename", "") or "",
            price_list=chosen_list,
            import_valid_rows=form.import_valid_rows.data,
        )

    return submit_form(
        form, start, redirect_after(None, lambda run: url_for(run_endpoint, run_id=run.id))
    )


def run_page(run, progress_endpoint: str, nav: str, upload_url: str, template_url: str):
    """An import run's page: the progress bar the script polls, then the outcome and errors;
    a failed run says how many rows need fixing and offers the upload of a corrected file.
    Every kind of import (catalog, customers) shows its runs with it."""
    return render_template(
        "backoffice/catalog/import_run.html",
        run=run,
        progress_url=url_for(progress_endpoint, run_id=run.id),
        nav=nav,
        rows_to_fix=len({e.get("row") for e in run.errors or [] if e.get("row")}),
        upload_url=upload_url,
        template_url=template_url,
    )


@bp.get("/catalog/import/template.csv")
@staff_required("catalog")
def catalog_import_template():
    """A template CSV to start a products (?kind=products) or price-list import from."""
    kind = request.args.get("kind", "products")
    if kind not in ("products", "price_list"):
        abort(404)
    return csv_response(template_csv(kind, g.tenant), f"{kind.replace('_', '-')}-template.csv")


def run_progress(run):
    """An import run's progress as JSON, never cached."""
    response = jsonify(
        status=run.status, done=run.done, total=run.total, errors=run.errors, summary=run.summary
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/catalog/import/<run_id>")
@staff_required("catalog")
def catalog_import_run(run_id):
    run = found_or_404(imports.get_run, run_id, imports.CATALOG_KINDS)
    return run_page(
        run,
        "backoffice.catalog_import_progress",
        "backoffice/catalog/_nav.html",
        url_for("backoffice.catalog_import"),
        url_for("backoffice.catalog_import_template", kind=run.kind),
    )


@bp.get("/catalog/import/<run_id>/progress")
@staff_required("catalog")
def catalog_import_progress(run_id):
    return run_progress(found_or_404(imports.get_run, run_id, imports.CATALOG_KINDS))


@bp.get("/catalog/export/products.csv")
@staff_required("catalog_view")
def catalog_export_products():
    return csv_response(exports.products_csv(db.session, g.tenant), f"{g.tenant.slug}-products.csv")


@bp.get("/catalog/price-lists/<price_list_id>/export.csv")
@staff_required("catalog_view")
def catalog_export_price_list(price_list_id):
    price_list = found_or_404(price_lists.get_price_list, price_list_id)
    return csv_response(
        exports.price_list_csv(db.session, g.tenant, price_list),
        f"{g.tenant.slug}-price-list.csv",
    )


@bp.get("/customers/<customer_id>/catalog.csv")
# A customer's negotiated prices are customer data too, not only catalog data.
@staff_required("catalog_view", "customers_view")
def customer_catalog_csv(customer_id):
    return _buyer_export(customer_id, "csv")


@bp.get("/customers/<customer_id>/catalog.pdf")
# A customer's negotiated prices are customer data too, not only catalog data.
@staff_required("catalog_view", "customers_view")
def customer_catalog_pdf(customer_id):
    return _buyer_export(customer_id, "pdf")


def _buyer_export(customer_id, fmt):
    """A customer's catalog at its prices; staff on a plan without the feature see why not."""
    customer = found_or_404(services.get_customer, customer_id)
    if not has_feature(g.tenant, "catalog_export"):
        flash("Catalog exports for buyers come with the Professional plan.", "error")
        return redirect(url_for("backoffice.customer_pricing", customer_id=customer.id))
    today = bakery_today(g.tenant)
    if fmt == "csv":
        return csv_response(
            buyer_catalog_csv(db.session, g.tenant, customer=customer, on=today),
            f"{g.tenant.slug}-catalog.csv",
        )
    pdf = buyer_catalog_pdf(db.session, g.tenant, customer=customer, on=today)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{g.tenant.slug}-catalog.pdf"',
            "Cache-Control": "no-store",
        },
    )
