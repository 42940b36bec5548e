"""Which prices and products a customer gets: its price list and assortment.

The catalog keeps the lists and assortments; a customer points at one of each (none = the
bakery's default list, the full active catalog). Every change of what a customer pays or sees goes
to its activity log, which is why this lives with the customers and not the catalog.
"""

from __future__ import annotations

from sqlalchemy import select, update

from tenants.actors import allowed
from tenants.catalog.models import Assortment, PriceList
from tenants.catalog.price_lists import default_price_list, is_default, remove_price_list
from tenants.catalog.products import require_catalog
from tenants.customers.activity import log_activity
from tenants.customers.models import Customer
from tenants.errors import PermissionDenied
from tenants.scoping import check_bound

DEFAULT_LIST_LABEL = "the bakery's default list"
FULL_CATALOG_LABEL = "the full active catalog"
# How the activity log names what assign_pricing changed.
LABELS = {"price_list": "Price list", "assortment": "Assortment"}


def may_assign_pricing(actor) -> bool:
    """Staff who may change a customer's price list and assortment: it is catalog work and
    account management alike, so either permission will do."""
    return allowed(actor, "catalog") or allowed(actor, "customers")


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
    check_bound(session, tenant)
    if not may_assign_pricing(actor):
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


def delete_price_list(session, tenant, *, actor, price_list: PriceList, now=None) -> None:
    """Delete a list; its customers (and the default, if it was) fall back to the default.

    Every customer whose prices change because of it gets an entry in its activity log: those
    on the list, and, when it was the default, those that followed the default.
    """
    check_bound(session, tenant)
    require_catalog(actor)
    was_default = is_default(session, price_list)
    on_list = Customer.price_list_id == price_list.id
    affected = list(
        session.scalars(
            select(Customer).where(on_list | Customer.price_list_id.is_(None))
            if was_default
            else select(Customer).where(on_list)
        )
    )
    fallback = None if was_default else default_price_list(session)
    after = f"the bakery's default list ({fallback.name})" if fallback else "base prices"
    for customer in affected:
        before = (
            price_list.name
            if customer.price_list_id == price_list.id
            else f"the bakery's default list ({price_list.name})"
        )
        log_activity(
            session,
            customer,
            actor=actor,
            action="customer.pricing_changed",
            summary=f"Price list: {before} \u2192 {after} (price list {price_list.name} deleted)",
            details={"changes": {"price_list": [before, after]}, "deleted": price_list.name},
            now=now,
        )
    session.execute(
        update(Customer)
        .where(on_list)
        .values(price_list_id=None)
        .execution_options(synchronize_session="fetch")
    )
    remove_price_list(session, actor=actor, price_list=price_list)


def deletion_consequences(session, price_list: PriceList) -> list[str]:
    """What deleting `price_list` will do to the customers, in words for the confirm step."""
    from sqlalchemy import func

    from tenants.catalog.models import PriceListEntry

    entries = session.scalar(
        select(func.count(PriceListEntry.id)).where(PriceListEntry.price_list_id == price_list.id)
    )
    on_list = Customer.price_list_id == price_list.id
    names = list(
        session.scalars(
            select(Customer.business_name).where(on_list).order_by(Customer.business_name).limit(4)
        )
    )
    count = session.scalar(select(func.count(Customer.id)).where(on_list))
    lines = [f"Its {entries} price(s) are deleted; this cannot be undone."]
    if count:
        shown = ", ".join(names) + (f" and {count - len(names)} more" if count > len(names) else "")
        lines.append(f"{count} customer(s) on it ({shown}) move to the bakery's default prices.")
    else:
        lines.append("No customer is on this list.")
    if is_default(session, price_list):
        lines.append("It is the default list: customers without a list get base prices after.")
    return lines
