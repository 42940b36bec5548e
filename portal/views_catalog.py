"""The buyer's catalog in the portal: their products at their prices, and CSV/PDF downloads.

The page is part of the portal; the downloads are the Professional feature `catalog_export`,
checked here (an explanatory page, not an error) and again in the export service.
"""

from flask import Response, g, render_template, request

from config.clock import bakery_today
from config.extensions import db
from portal import bp
from portal.access import buyer_required, may
from portal.catalog_rows import catalog_body
from tenants.catalog.browse import browse_catalog
from tenants.catalog.buyer_export import buyer_catalog_csv, buyer_catalog_pdf
from tenants.catalog.quotes import priced_catalog
from tenants.plans import has_feature


def _download(body, mimetype: str, extension: str) -> Response:
    filename = f"{g.tenant.slug}-catalog-{bakery_today(g.tenant).isoformat()}.{extension}"
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            # Prices are the customer's own: never keep them in a shared cache.
            "Cache-Control": "private, no-store",
        },
    )


def _unavailable():
    return render_template("portal/catalog_unavailable.html"), 403


@bp.get("/catalog")
@buyer_required(staff_permission="catalog_view")
def catalog():
    """The products this customer may see, each at its price and with its next volume break."""
    return render_catalog()


def render_catalog(errors: dict | None = None):
    """The catalog page, narrowed by the `q` (name or SKU) and `category` query parameters;
    `errors` maps a product id to the refusal of its quantity input."""
    priced = priced_catalog(db.session, g.tenant, customer=g.customer, on=bakery_today(g.tenant))
    found = browse_catalog(
        list(priced.lines),
        search=request.args.get("q", ""),
        category=request.args.get("category", ""),
    )
    return render_template(
        "portal/catalog.html",
        body=catalog_body(priced, found, g.tenant, ordering=may("create_orders"), errors=errors),
        browse=found,
        can_export=has_feature(g.tenant, "catalog_export"),
    )


@bp.get("/catalog.csv")
@buyer_required(staff_permission="catalog_view")
def catalog_csv():
    """The customer's catalog as CSV (a BOM so spreadsheets read the UTF-8)."""
    if not has_feature(g.tenant, "catalog_export"):
        return _unavailable()
    text = buyer_catalog_csv(db.session, g.tenant, customer=g.customer, on=bakery_today(g.tenant))
    return _download("\ufeff" + text, "text/csv", "csv")


@bp.get("/catalog.pdf")
@buyer_required(staff_permission="catalog_view")
def catalog_pdf():
    """The customer's catalog as a PDF in the bakery's colours."""
    if not has_feature(g.tenant, "catalog_export"):
        return _unavailable()
    pdf = buyer_catalog_pdf(db.session, g.tenant, customer=g.customer, on=bakery_today(g.tenant))
    return _download(pdf, "application/pdf", "pdf")
