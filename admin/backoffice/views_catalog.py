"""Catalog pages of the back office: the product list, product form, photos, categories."""

from __future__ import annotations

import uuid
from decimal import Decimal

from babel.numbers import get_currency_precision
from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_catalog import (
    BulkForm,
    CategoryForm,
    PhotoForm,
    ProductForm,
    SoldOutForm,
)
from admin.backoffice.tier_text import breaks_input, tier_input, tier_text
from config.clock import bakery_today
from config.edge import (
    apply_change,
    commit_change,
    found_or_404,
    read_upload,
    redirect_after,
    submit_form,
)
from config.extensions import db
from config.formatting import minor_to_decimal
from config.forms import attach_error
from config.money import format_money
from tenants.actors import allowed
from tenants.catalog import photos, price_lists, products
from tenants.catalog.money import parse_amount
from tenants.errors import NotFound, ValidationFailed

# Service field names -> form field names, so errors land next to the right input.
FIELD_ALIASES = {"base_price_minor": "base_price"}


def catalog_form(form, action, done):
    """`submit_form` for a catalog page: anyone with catalog_view may read it, posting needs the
    catalog permission, and a service's field names map to the form's (FIELD_ALIASES)."""
    if request.method == "POST" and not allowed(current_user, "catalog"):
        abort(403)
    return submit_form(form, action, done, aliases=FIELD_ALIASES)


def upload_dir() -> str:
    return current_app.config.get("CATALOG_UPLOAD_DIR") or current_app.config["SETTINGS"].upload_dir


@bp.get("/catalog")
@staff_required("catalog_view")
def catalog_products():
    try:
        page = int(request.args.get("page", 1))
    except ValueError:
        page = 1
    try:  # a malformed category id filters nothing
        chosen = uuid.UUID(request.args.get("category") or "")
    except ValueError:
        chosen = None
    result = products.search_products(
        db.session,
        q=request.args.get("q", ""),
        category_id=chosen,
        status=request.args.get("status", ""),
        page=page,
        with_categories=True,
    )
    return render_template(
        "backoffice/catalog/products.html",
        result=result,
        bulk=BulkForm(),
        categories=result.categories,
        args=request.args,
    )


@bp.post("/catalog/bulk")
@staff_required("catalog")
def catalog_bulk():
    form = BulkForm()
    if not form.validate_on_submit():
        abort(400)
    return apply_change(
        lambda: products.set_active(
            db.session,
            g.tenant,
            actor=current_user,
            product_ids=form.product_ids.data,
            active=form.action.data == "activate",
        ),
        lambda changed: f"{changed} product(s) {form.action.data}d.",
        url_for("backoffice.catalog_products"),
    )


def _product_form(product=None, fresh: bool = False) -> ProductForm:
    """The product form, filled from `product` (`fresh`: ignore the posted data)."""
    if fresh:
        form = ProductForm(formdata=None, obj=product)
    else:
        form = ProductForm(obj=product) if product else ProductForm()
    form.base_price.places = get_currency_precision(g.tenant.currency)
    form.category_id.choices = [("", "No category")] + [
        (str(c.id), c.name) for c in products.list_categories(db.session)
    ]
    if product is not None and (request.method == "GET" or fresh):
        form.category_id.data = str(product.category_id or "")
        form.base_price.data = minor_to_decimal(product.base_price_minor, g.tenant.currency)
        form.tax_rate.data = product.tax_rate
        form.bake_days.data = [str(i) for i, f in enumerate(product.bake_days) if f == "1"]
    return form


def _fields(form) -> dict:
    # The form's number fields already read the boxes in the bakery's locale.
    tax = form.tax_rate.data if form.tax_rate.data is not None else Decimal(0)
    days = set(form.bake_days.data or [])
    return {
        "sku": form.sku.data,
        "name": form.name.data,
        "description": form.description.data,
        "category_id": _uuid_or_none(form.category_id.data),
        "unit": form.unit.data,
        "pack_size": form.pack_size.data,
        "tax_rate": tax,
        "active": form.active.data,
        "base_price_minor": parse_amount(
            form.base_price.data, g.tenant.currency, field="base_price", locale=g.tenant.locale
        ),
        "min_order_qty": form.min_order_qty.data,
        "qty_increment": form.qty_increment.data,
        "lead_time_days": form.lead_time_days.data,
        "bake_days": "".join("1" if str(i) in days else "0" for i in range(7)),
        "available_from": form.available_from.data,
        "available_until": form.available_until.data,
    }


def _uuid_or_none(value):
    import uuid

    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise ValidationFailed("Choose a category from the list.", field="category_id") from exc


@bp.route("/catalog/products/new", methods=["GET", "POST"])
@staff_required("catalog")
def catalog_product_new():
    form = _product_form()
    response, status = catalog_form(
        form,
        lambda: products.create_product(db.session, g.tenant, actor=current_user, **_fields(form)),
        redirect_after(
            lambda product: f"{product.name} added.",
            lambda product: url_for("backoffice.catalog_product", product_id=product.id),
        ),
    )
    if response is not None:
        return response
    return render_template("backoffice/catalog/product_form.html", form=form, product=None), status


@bp.route("/catalog/products/<product_id>", methods=["GET", "POST"])
@staff_required("catalog_view")
def catalog_product(product_id):
    product = found_or_404(products.get_product, product_id)
    form = _product_form(product)
    response, status = catalog_form(
        form,
        lambda: products.update_product(
            db.session, g.tenant, actor=current_user, product=product, **_fields(form)
        ),
        redirect_after(
            "Product saved.", url_for("backoffice.catalog_product", product_id=product.id)
        ),
    )
    if response is not None:
        return response
    return _product_page(product, form, PhotoForm(), status)


def _product_page(product, form, photo_form, status: int):
    """A product's page: its form, the photo upload and the days it is sold out."""
    return render_template(
        "backoffice/catalog/product_form.html",
        form=form,
        product=product,
        photo_form=photo_form,
        sold_out_form=SoldOutForm(),
        sold_out=products.sold_out_days(db.session, product, from_day=bakery_today(g.tenant)),
        # Its price on each list, editable from here (the same row form as the list's page).
        price_rows=price_lists.prices_of_product(db.session, product),
        tier_text=lambda tier: tier_text(tier, g.tenant),
        tier_input=lambda tier: tier_input(tier, g.tenant),
        breaks_input=lambda tiers: breaks_input(tiers, g.tenant),
        money=lambda m: format_money(m, g.tenant),
    ), status


@bp.post("/catalog/products/<product_id>/photo")
@staff_required("catalog")
def catalog_product_photo_upload(product_id):
    product = found_or_404(products.get_product, product_id)
    form = PhotoForm()
    if not form.validate_on_submit():
        abort(400)
    upload = form.photo.data
    _, refused = commit_change(
        lambda: photos.set_photo(
            db.session,
            g.tenant,
            actor=current_user,
            product=product,
            data=read_upload(upload),
            upload_dir=upload_dir(),
        )
    )
    if refused is not None:
        attach_error(form, refused)
        return _product_page(product, _product_form(product, fresh=True), form, refused.status_code)
    flash("Photo saved.")
    return redirect(url_for("backoffice.catalog_product", product_id=product.id))


@bp.get("/catalog/products/<product_id>/photo")
@staff_required("catalog_view")
def catalog_product_photo(product_id):
    product = found_or_404(products.get_product, product_id)
    try:
        path = photos.photo_file(g.tenant, product, upload_dir())
    except NotFound:
        abort(404)
    if not path.exists():
        abort(404)
    return send_file(path, mimetype=product.photo_content_type, max_age=60)


@bp.post("/catalog/products/<product_id>/sold-out")
@staff_required("catalog")
def catalog_product_sold_out(product_id):
    product = found_or_404(products.get_product, product_id)
    form = SoldOutForm()
    if not form.validate_on_submit():
        flash("Choose a delivery date.", "error")
        return redirect(url_for("backoffice.catalog_product", product_id=product.id))
    products.mark_sold_out(
        db.session,
        g.tenant,
        actor=current_user,
        product=product,
        day=form.day.data,
        sold_out=form.sold_out.data,
    )
    db.session.commit()
    flash(
        f"{product.name}: {'sold out' if form.sold_out.data else 'available'} on "
        f"{form.day.data.isoformat()}."
    )
    return redirect(url_for("backoffice.catalog_product", product_id=product.id))


@bp.route("/catalog/categories", methods=["GET", "POST"])
@staff_required("catalog_view")
def catalog_categories():
    form = CategoryForm()
    response, status = catalog_form(
        form,
        lambda: products.save_category(
            db.session,
            g.tenant,
            actor=current_user,
            name=form.name.data,
            position=form.position.data or 0,
        ),
        redirect_after(
            f"Category {form.name.data} added.", url_for("backoffice.catalog_categories")
        ),
    )
    if response is not None:
        return response
    return render_template(
        "backoffice/catalog/categories.html",
        form=form,
        categories=products.list_categories(db.session),
    ), status


@bp.post("/catalog/categories/<category_id>")
@staff_required("catalog")
def catalog_category_update(category_id):
    category = found_or_404(products.get_category, category_id)
    form = CategoryForm()
    if form.validate_on_submit():
        _, refused = commit_change(
            lambda: products.save_category(
                db.session,
                g.tenant,
                actor=current_user,
                name=form.name.data,
                position=form.position.data or 0,
                category=category,
            )
        )
        if refused is None:
            flash("Category saved.")
            return redirect(url_for("backoffice.catalog_categories"))
        problem, status = refused.message, refused.status_code
    else:
        problem = next(iter(form.errors.values()))[0]
        status = 422
    # The row's inline form has no room for field errors: say what is wrong above the list.
    flash(f"{category.name}: {problem}", "error")
    return render_template(
        "backoffice/catalog/categories.html",
        form=CategoryForm(formdata=None),
        categories=products.list_categories(db.session),
    ), status
