"""Assortments: named sets of the products a customer may see.

Which assortment (and price list) a customer has is the customers context's business: see
`tenants.customers.pricing`.
"""

from __future__ import annotations

import uuid

from sqlalchemy import delete, func, select

from tenants.catalog.errors import ValidationFailed
from tenants.catalog.models import Assortment, AssortmentItem, Product
from tenants.catalog.products import require_catalog
from tenants.lookup import get_by_id, name_taken


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
