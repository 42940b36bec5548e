"""Price lists (entries, volume breaks, the default list), assortments, customer pricing."""

from __future__ import annotations

import re

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_catalog import (
    AssortmentForm,
    CatalogSettingsForm,
    CustomerPricingForm,
    EntryForm,
    PriceListForm,
)
from admin.backoffice.tier_text import breaks_input, tier_input, tier_text
from admin.backoffice.views_catalog import catalog_form
from admin.backoffice.views_customers import BASE
from config.clock import bakery_today
from config.confirm import confirm_page
from config.edge import chosen_or_404, commit_change, found_or_404, redirect_after
from config.extensions import db
from config.forms import ConfirmForm, attach_error
from config.money import format_money
from config.numbers import NumberInputError, parse_whole_number
from tenants.catalog import assortments, price_lists, products
from tenants.catalog.money import parse_amount, parse_percent
from tenants.catalog.price_lists import BreakInput, PriceNeedsConfirmation
from tenants.catalog.quotes import customer_catalog
from tenants.customers import pricing, services
from tenants.errors import ValidationFailed
from tenants.plans import has_feature

# The quantity, then a price or percentage in the bakery's locale (its digits and separators;
# config.numbers decides whether they make a number).
BREAK_LINE = re.compile(
    r"^\s*([0-9][0-9.,'\u00a0\u202f]*)\s*[:@x]?\s+([0-9][0-9.,'\u00a0\u202f]*|[.,][0-9]+)\s*(%?)\s*$"
)


def parse_breaks(text: str) -> list[BreakInput]:
    """'12 2.10' / '48 15%' lines to breaks (the edge's job: text in, typed values out)."""
    breaks = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = BREAK_LINE.match(line)
        if not match:
            raise ValidationFailed(
                f"Line {number}: write a quantity and a price, like '12 2.10' or '48 15%'.",
                field="breaks",
            )
        locale = g.tenant.locale
        try:
            qty = parse_whole_number(match.group(1), locale)
        except NumberInputError as exc:
            raise ValidationFailed(f"Line {number}: {exc.message}", field="breaks") from exc
        value, pct = match.group(2), match.group(3)
        try:
            if pct:
                tier = BreakInput(qty, None, parse_percent(value, field="breaks", locale=locale))
            else:
                tier = BreakInput(
                    qty, parse_amount(value, g.tenant.currency, field="breaks", locale=locale)
                )
        except ValidationFailed as exc:
            raise ValidationFailed(f"Line {number}: {exc.message}", field="breaks") from exc
        breaks.append(tier)
    return breaks


def _settings_form():
    settings = price_lists.get_settings(db.session, g.tenant)
    form = CatalogSettingsForm(
        data={
            "default_price_list_id": str(settings.default_price_list_id or ""),
            "hide_unpriced": settings.hide_unpriced,
        }
        if request.method == "GET"
        else None
    )
    form.default_price_list_id.choices = [("", "None: base prices")] + [
        (str(pl.id), pl.name) for pl in price_lists.list_price_lists(db.session)
    ]
    return form, settings


def _save_list(form, price_list=None):
    """Creating a price list (or changing `price_list`) from the form, to run on submit."""
    return lambda: price_lists.save_price_list(
        db.session,
        g.tenant,
        actor=current_user,
        name=form.name.data,
        valid_from=form.valid_from.data,
        valid_until=form.valid_until.data,
        price_list=price_list,
    )


@bp.route("/catalog/price-lists", methods=["GET", "POST"])
@staff_required("catalog_view")
def catalog_price_lists():
    form = PriceListForm()
    response, status = catalog_form(
        form,
        _save_list(form),
        redirect_after(
            lambda created: f"Price list {created.name} created.",
            lambda created: url_for("backoffice.catalog_price_list", price_list_id=created.id),
        ),
    )
    if response is not None:
        return response
    settings_form, settings = _settings_form()
    return render_template(
        "backoffice/catalog/price_lists.html",
        form=form,
        settings_form=settings_form,
        settings=settings,
        lists=price_lists.list_price_lists(db.session),
    ), status


@bp.post("/catalog/settings")
@staff_required("catalog")
def catalog_settings():
    form, _ = _settings_form()
    if not form.validate_on_submit():
        abort(400)
    chosen = chosen_or_404(price_lists.get_price_list, form.default_price_list_id.data)
    price_lists.update_settings(
        db.session,
        g.tenant,
        actor=current_user,
        default_price_list=chosen,
        hide_unpriced=form.hide_unpriced.data,
    )
    db.session.commit()
    flash("Catalog settings saved.")
    return redirect(url_for("backoffice.catalog_price_lists"))


def _entry_form():
    form = EntryForm()
    form.product_id.choices = [
        (str(p.id), f"{p.sku} · {p.name}") for p in products.all_products(db.session)
    ]
    return form


@bp.route("/catalog/price-lists/<price_list_id>", methods=["GET", "POST"])
@staff_required("catalog_view")
def catalog_price_list(price_list_id):
    price_list = found_or_404(price_lists.get_price_list, price_list_id)
    form = PriceListForm(obj=price_list)
    response, status = catalog_form(
        form,
        _save_list(form, price_list),
        redirect_after(
            "Price list saved.",
            url_for("backoffice.catalog_price_list", price_list_id=price_list.id),
        ),
    )
    if response is not None:
        return response
    return _render_list(price_list, form, _entry_form(), status)


def _render_list(price_list, form, entry_form, status, needs_confirm=False):
    return render_template(
        "backoffice/catalog/price_list.html",
        price_list=price_list,
        form=form,
        entry_form=entry_form,
        entries=price_lists.list_entries(db.session, price_list),
        tier_text=lambda tier: tier_text(tier, g.tenant),
        tier_input=lambda tier: tier_input(tier, g.tenant),
        breaks_input=lambda tiers: breaks_input(tiers, g.tenant),
        money=lambda m: format_money(m, g.tenant),
        needs_confirm=needs_confirm,
    ), status


@bp.post("/catalog/price-lists/<price_list_id>/entries")
@staff_required("catalog")
def catalog_price_list_entry(price_list_id):
    price_list = found_or_404(price_lists.get_price_list, price_list_id)
    form = _entry_form()
    if not form.validate_on_submit():
        return _render_list(price_list, PriceListForm(formdata=None, obj=price_list), form, 422)
    product = found_or_404(products.get_product, form.product_id.data)

    def price_entry():
        fixed = form.kind.data == "fixed"
        locale = g.tenant.locale
        price = (
            parse_amount(form.value.data, g.tenant.currency, field="value", locale=locale)
            if fixed
            else None
        )
        pct = None if fixed else parse_percent(form.value.data, field="value", locale=locale)
        price_lists.set_entry(
            db.session,
            g.tenant,
            actor=current_user,
            price_list=price_list,
            product=product,
            unit_price_minor=price,
            discount_percent=pct,
            breaks=parse_breaks(form.breaks.data),
            far_needs_confirmation=not form.confirm_far.data,
        )

    _, refused = commit_change(price_entry)
    if refused is not None:
        if refused.field == "price":
            refused.field = "value"
        attach_error(form, refused)
        return _render_list(
            price_list,
            PriceListForm(formdata=None, obj=price_list),
            form,
            refused.status_code,
            needs_confirm=isinstance(refused, PriceNeedsConfirmation),
        )
    flash(f"{product.name} priced on {price_list.name}.")
    if form.return_to.data == "product":
        return redirect(url_for("backoffice.catalog_product", product_id=product.id))
    return redirect(url_for("backoffice.catalog_price_list", price_list_id=price_list.id))


@bp.route(
    "/catalog/price-lists/<price_list_id>/entries/<product_id>/remove", methods=["GET", "POST"]
)
@staff_required("catalog")
def catalog_price_list_entry_remove(price_list_id, product_id):
    """Take a product off a list, from the confirm step."""
    price_list = found_or_404(price_lists.get_price_list, price_list_id)
    product = found_or_404(products.get_product, product_id)
    back = url_for("backoffice.catalog_price_list", price_list_id=price_list.id)
    if request.method == "GET":
        return confirm_page(
            BASE,
            question=f"Remove {product.name} from {price_list.name}?",
            details=[
                f"Customers on {price_list.name} pay {product.name}'s base price of "
                f"{format_money(product.base_price_minor, g.tenant)} from now on, and its "
                "volume breaks on this list are deleted."
            ],
            button="Remove from the list",
            cancel_url=back,
            danger=True,
        )
    ConfirmForm().validate_on_submit() or abort(400)
    price_lists.remove_entry(
        db.session, g.tenant, actor=current_user, price_list=price_list, product=product
    )
    db.session.commit()
    flash(f"{product.name} removed from {price_list.name}.")
    return redirect(url_for("backoffice.catalog_price_list", price_list_id=price_list.id))


@bp.route("/catalog/price-lists/<price_list_id>/delete", methods=["GET", "POST"])
@staff_required("catalog")
def catalog_price_list_delete(price_list_id):
    """Delete a whole list, from the confirm step that says who it affects."""
    price_list = found_or_404(price_lists.get_price_list, price_list_id)
    if request.method == "GET":
        return confirm_page(
            BASE,
            question=f"Delete the price list {price_list.name}?",
            details=pricing.deletion_consequences(db.session, price_list),
            button="Delete price list",
            cancel_url=url_for("backoffice.catalog_price_list", price_list_id=price_list.id),
            danger=True,
        )
    ConfirmForm().validate_on_submit() or abort(400)
    name = price_list.name
    pricing.delete_price_list(db.session, g.tenant, actor=current_user, price_list=price_list)
    db.session.commit()
    flash(f"Price list {name} deleted; its customers now get the default list.")
    return redirect(url_for("backoffice.catalog_price_lists"))


@bp.route("/catalog/assortments", methods=["GET", "POST"])
@staff_required("catalog_view")
def catalog_assortments():
    return _assortment_page(None)


@bp.route("/catalog/assortments/<assortment_id>", methods=["GET", "POST"])
@staff_required("catalog_view")
def catalog_assortment(assortment_id):
    return _assortment_page(found_or_404(assortments.get_assortment, assortment_id))


def _assortment_page(assortment):
    form = AssortmentForm(obj=assortment)
    if assortment is not None and request.method == "GET":
        form.product_ids.data = [
            str(i) for i in assortments.assortment_product_ids(db.session, assortment)
        ]
    response, status = catalog_form(
        form,
        lambda: assortments.save_assortment(
            db.session,
            g.tenant,
            actor=current_user,
            name=form.name.data,
            product_ids=form.product_ids.data or [],
            assortment=assortment,
        ),
        redirect_after(
            lambda saved: f"Assortment {saved.name} saved.",
            lambda saved: url_for("backoffice.catalog_assortment", assortment_id=saved.id),
        ),
    )
    if response is not None:
        return response
    return render_template(
        "backoffice/catalog/assortments.html",
        form=form,
        assortment=assortment,
        assortments=assortments.list_assortments(db.session),
        all_products=products.all_products(db.session),
        selected=set(form.product_ids.data or []),
    ), status


@bp.route("/customers/<customer_id>/pricing", methods=["GET", "POST"])
# A customer's negotiated prices are customer data too, not only catalog data.
@staff_required("catalog_view", "customers_view")
def customer_pricing(customer_id):
    customer = found_or_404(services.get_customer, customer_id)
    form = CustomerPricingForm(
        data={
            "price_list_id": str(customer.price_list_id or ""),
            "assortment_id": str(customer.assortment_id or ""),
        }
        if request.method == "GET"
        else None
    )
    form.price_list_id.choices = [("", "The bakery's default list")] + [
        (str(pl.id), pl.name) for pl in price_lists.list_price_lists(db.session)
    ]
    form.assortment_id.choices = [("", "The full active catalog")] + [
        (str(a.id), a.name) for a, _ in assortments.list_assortments(db.session)
    ]
    status = 200
    if request.method == "POST":
        if not pricing.may_assign_pricing(current_user):
            abort(403)
        if form.validate_on_submit():
            price_list = chosen_or_404(price_lists.get_price_list, form.price_list_id.data)
            assortment = chosen_or_404(assortments.get_assortment, form.assortment_id.data)
            pricing.assign_pricing(
                db.session,
                g.tenant,
                actor=current_user,
                customer=customer,
                price_list=price_list,
                assortment=assortment,
            )
            db.session.commit()
            flash(f"Pricing saved for {customer.display_name}.")
            return redirect(url_for("backoffice.customer_pricing", customer_id=customer.id))
        status = 422
    preview = customer_catalog(db.session, g.tenant, customer=customer, on=bakery_today(g.tenant))
    return render_template(
        "backoffice/catalog/customer_pricing.html",
        form=form,
        customer=customer,
        preview=preview,
        can_export=has_feature(g.tenant, "catalog_export"),
        can_assign=pricing.may_assign_pricing(current_user),
    ), status
