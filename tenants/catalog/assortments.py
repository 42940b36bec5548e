"""Assortments (the products a customer may see) and assigning pricing to customers."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, func, select

from tenants.catalog.errors import PermissionDenied, ValidationFailed
from tenants.catalog.models import Assortment, AssortmentItem, PriceList, Product
from tenants.catalog.products import require_catalog
from tenants.customers.activity import log_activity
from tenants.lookup import get_by_id, name_taken

DEFAULT_LIST_LABEL = "the bakery's default list"
FULL_CATALOG_LABEL = "the full active catalog"
# How the activity log names what assign_pricing changed.
LABELS = {"price_list": "Price list", "assortment": "Assortment"}


def get_assortment(session, assortment_id) -> Assortment:
    """This bakery's assortment, or NotFound."""
    return get_by_id(session, Assortment, assortment_id, missing="No such assortment.")


def list_assortments(session) -> list[tuple[Assortment, int]]:
    """Every assortment with its product count, in one query."""
    stmt = (
        select(Assortment, func.count(AssortmentItem.id))
        .outerjoin(
            AssortmentItem,
            (AssortmentItem.tenant_id == Assortment.tenant_id)
            & (AssortmentItem.assortment_id == Assortment.id),
        )
        .group_by(Assortment.tenant_id, Assortment.id)
        .order_by(Assortment.name)
    )
    return [(a, n) for a, n in session.execute(stmt)]


def assortment_product_ids(session, assortment: Assortment) -> set[uuid.UUID]:
    """The ids of the products in `assortment`."""
    return set(
        session.scalars(
            select(AssortmentItem.product_id).where(AssortmentItem.assortment_id == assortment.id)
        )
    )


def save_assortment(
    session, tenant, *, actor, name: str, product_ids: list, assortment: Assortment | None = None
) -> Assortment:
    """Create or change an assortment: its name and exactly these products."""
    require_catalog(actor)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationFailed("Enter a name of up to 120 characters.", field="name")
    if name_taken(session, Assortment, name, other_than=assortment):
        raise ValidationFailed("An assortment with this name exists.", field="name")
    try:
        wanted = {uuid.UUID(str(p)) for p in product_ids}
    except ValueError as exc:
        raise ValidationFailed("Choose products from the list.", field="product_ids") from exc
    known = (
        set(session.scalars(select(Product.id).where(Product.id.in_(wanted)))) if wanted else set()
    )
    if known != wanted:
        raise ValidationFailed("Choose products from the list.", field="product_ids")
    if assortment is None:
        assortment = Assortment(tenant_id=tenant.id)
        session.add(assortment)
    assortment.name = name
    session.flush()
    session.execute(delete(AssortmentItem).where(AssortmentItem.assortment_id == assortment.id))
    for pid in sorted(wanted):
        session.add(
            AssortmentItem(tenant_id=tenant.id, assortment_id=assortment.id, product_id=pid)
        )
    session.flush()
    return assortment


def may_assign_pricing(actor) -> bool:
    """Staff who may change a customer's price list and assortment: it is catalog work and
    account management alike, so either permission will do."""
    return actor.can("catalog") or actor.can("customers")


def assign_pricing(
    session,
    tenant,
    *,
    actor,
    customer,
    price_list: PriceList | None,
    assortment: Assortment | None,
    now=None,
):
    """Give `customer` a price list (None = the bakery's default) and an assortment
    (None = the full active catalog); a change goes to the customer's activity log."""
    if actor is not None and not may_assign_pricing(actor):
        raise PermissionDenied("You don't have permission to change customer pricing.")
    before = pricing_names(session, customer)
    customer.price_list_id = price_list.id if price_list else None
    customer.assortment_id = assortment.id if assortment else None
    after = pricing_names(session, customer)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        log_activity(
            session,
            customer,
            actor=actor,
            action="customer.pricing_changed",
            summary="; ".join(
                f"{LABELS[k]}: {old} \u2192 {new}" for k, (old, new) in changes.items()
            ),
            details={"changes": changes},
            now=now,
        )
    session.flush()
    return customer


def pricing_names(session, customer) -> dict[str, str]:
    """The names of the customer's price list and assortment, as the activity log shows them."""
    price_list = (
        session.get(PriceList, (customer.tenant_id, customer.price_list_id))
        if customer.price_list_id
        else None
    )
    assortment = (
        session.get(Assortment, (customer.tenant_id, customer.assortment_id))
        if customer.assortment_id
        else None
    )
    return {
        "price_list": price_list.name if price_list else DEFAULT_LIST_LABEL,
        "assortment": assortment.name if assortment else FULL_CATALOG_LABEL,
    }


def get_customer(session, customer_id):
    """This bakery's customer (for its pricing page), or NotFound."""
    from tenants.customers.models import Customer

    return get_by_id(session, Customer, customer_id, missing="No such customer.")
