"""Price-list services: lists, entries with volume breaks, the default list and the
"hide products without a price" setting."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, insert, select, update

from config.clock import utcnow
from config.money import format_money
from tenants.catalog.errors import ValidationFailed
from tenants.catalog.models import (
    CatalogSettings,
    PriceList,
    PriceListEntry,
    Product,
    VolumeBreak,
)
from tenants.catalog.money import check_percent, check_price
from tenants.catalog.pricing import Tier
from tenants.catalog.products import require_catalog
from tenants.catalog.quotes import load_snapshot, load_snapshots
from tenants.locales import validate_currency
from tenants.lookup import get_by_id, name_taken
from tenants.scoping import check_bound

MAX_BREAKS = 20
# A price this many times the base price, or under this fraction of it, is more likely a typo
# (a slipped decimal sign) than a deal: it is saved only once someone confirms it.
FAR_FACTOR = 5


class PriceNeedsConfirmation(ValidationFailed):
    """A price far from the product's base price, typed and not confirmed yet."""

    def __init__(self, message: str, *, tiers: list[Tier]):
        super().__init__(message, field="price")
        self.tiers = tiers


def far_from_base(base_price_minor: int, tiers: list[Tier]) -> list[Tier]:
    """The tiers whose unit price is over FAR_FACTOR times the base price or under a
    FAR_FACTOR-th of it (none when the base price is 0: there is nothing to compare with)."""
    if base_price_minor <= 0:
        return []
    return [
        t
        for t in tiers
        if t.unit_price(base_price_minor) > base_price_minor * FAR_FACTOR
        or t.unit_price(base_price_minor) * FAR_FACTOR < base_price_minor
    ]


def get_price_list(session, price_list_id) -> PriceList:
    """This bakery's price list, or NotFound."""
    return get_by_id(session, PriceList, price_list_id, missing="No such price list.")


def list_price_lists(session) -> list[PriceList]:
    """Every price list of the bakery, by name."""
    return list(session.scalars(select(PriceList).order_by(PriceList.name)))


def save_price_list(
    session,
    tenant,
    *,
    actor,
    name: str,
    currency: str | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    price_list: PriceList | None = None,
    now: datetime | None = None,
) -> PriceList:
    """Create a price list, or change `price_list`'s name and validity."""
    require_catalog(actor)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationFailed("Enter a name of up to 120 characters.", field="name")
    currency = validate_currency(currency or tenant.currency)
    if currency != tenant.currency:
        raise ValidationFailed(
            f"Price lists are in the bakery's currency ({tenant.currency}).", field="currency"
        )
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationFailed("The end date must be on or after the start.", field="valid_until")
    if name_taken(session, PriceList, name, other_than=price_list):
        raise ValidationFailed("A price list with this name exists.", field="name")
    if price_list is None:
        price_list = PriceList(tenant_id=tenant.id)
        session.add(price_list)
    price_list.name, price_list.currency = name, currency
    price_list.valid_from, price_list.valid_until = valid_from, valid_until
    price_list.updated_at = now or utcnow()
    session.flush()
    return price_list


def is_default(session, price_list: PriceList) -> bool:
    """Whether `price_list` is the bakery's default list."""
    return session.scalar(select(CatalogSettings.default_price_list_id)) == price_list.id


def remove_price_list(session, *, actor, price_list: PriceList) -> None:
    """Delete a list, and stop it being the bakery's default.

    Customers on the list must be moved off it first: `tenants.customers.pricing.
    delete_price_list` does both, with the activity log entries, and is what the edges call.
    """
    require_catalog(actor)
    session.execute(
        update(CatalogSettings)
        .where(CatalogSettings.default_price_list_id == price_list.id)
        .values(default_price_list_id=None)
        .execution_options(synchronize_session="fetch")
    )
    session.delete(price_list)
    session.flush()


@dataclass(frozen=True)
class BreakInput:
    """A volume break as entered: from `min_qty`, a price or a percentage off."""

    min_qty: int
    unit_price_minor: int | None = None
    discount_percent: Decimal | None = None


def validate_tiers(
    base_price_minor: int,
    unit_price_minor: int | None,
    discount_percent: Decimal | None,
    breaks: list[BreakInput],
) -> list[Tier]:
    """Check an entry and its breaks; returns the tiers, quantity-1 first.

    Breaks must be in ascending quantity order, unique, from 2 on, and each must not raise the
    unit price over the tier before it (at today's base price).
    """
    if (unit_price_minor is None) == (discount_percent is None):
        raise ValidationFailed("Give either a unit price or a discount.", field="price")
    if unit_price_minor is not None:
        check_price(unit_price_minor, field="price")
    else:
        discount_percent = check_percent(discount_percent, field="price")
    tiers = [Tier(1, unit_price_minor, discount_percent)]
    if len(breaks) > MAX_BREAKS:
        raise ValidationFailed(f"At most {MAX_BREAKS} volume breaks.", field="breaks")
    for b in breaks:
        if not isinstance(b.min_qty, int) or b.min_qty < 2 or b.min_qty > 1_000_000:
            raise ValidationFailed(
                "A volume break starts at a quantity of 2 or more.", field="breaks"
            )
        if b.min_qty <= tiers[-1].min_qty:
            problem = "is duplicated" if b.min_qty == tiers[-1].min_qty else "is out of order"
            raise ValidationFailed(
                f"The break at {b.min_qty} {problem}; list breaks by increasing quantity.",
                field="breaks",
            )
        if (b.unit_price_minor is None) == (b.discount_percent is None):
            raise ValidationFailed(
                f"The break at {b.min_qty} needs a price or a discount.", field="breaks"
            )
        pct = None
        if b.unit_price_minor is not None:
            check_price(b.unit_price_minor, field="breaks")
        else:
            pct = check_percent(b.discount_percent, field="breaks")
        tier = Tier(b.min_qty, b.unit_price_minor, pct)
        if tier.unit_price(base_price_minor) > tiers[-1].unit_price(base_price_minor):
            raise ValidationFailed(
                f"The break at {b.min_qty} would raise the unit price; "
                "bigger orders must not cost more each.",
                field="breaks",
            )
        tiers.append(tier)
    return tiers


def set_entry(
    session,
    tenant,
    *,
    actor,
    price_list: PriceList,
    product: Product,
    unit_price_minor: int | None = None,
    discount_percent: Decimal | None = None,
    breaks: list[BreakInput] = (),
    far_needs_confirmation: bool = False,
    now: datetime | None = None,
) -> PriceListEntry:
    """Put `product` on `price_list` with these tiers, replacing what it had.

    With `far_needs_confirmation` (a person typing a price who has not confirmed it yet) a
    price far from the product's base price (see far_from_base) raises PriceNeedsConfirmation:
    the person checks it and posts again with the confirmation.
    """
    require_catalog(actor)
    tiers = validate_tiers(
        product.base_price_minor, unit_price_minor, discount_percent, list(breaks)
    )
    far = far_from_base(product.base_price_minor, tiers)
    if far and far_needs_confirmation:
        base = product.base_price_minor
        price = far[0].unit_price(base)
        how = f"more than {FAR_FACTOR} times" if price > base else "under a fifth of"
        where = "" if far[0].min_qty == 1 else f" (from {far[0].min_qty})"
        raise PriceNeedsConfirmation(
            f"{format_money(price, tenant)}{where} is {how} {product.name}'s base price of "
            f"{format_money(base, tenant)}. Check it, then confirm to save it.",
            tiers=far,
        )
    entry = session.scalar(
        select(PriceListEntry).where(
            PriceListEntry.price_list_id == price_list.id, PriceListEntry.product_id == product.id
        )
    )
    if entry is None:
        entry = PriceListEntry(
            tenant_id=tenant.id, price_list_id=price_list.id, product_id=product.id
        )
        session.add(entry)
    entry.unit_price_minor, entry.discount_percent = (
        tiers[0].unit_price_minor,
        tiers[0].discount_percent,
    )
    session.flush()
    session.execute(delete(VolumeBreak).where(VolumeBreak.entry_id == entry.id))
    for tier in tiers[1:]:
        session.add(
            VolumeBreak(
                tenant_id=tenant.id,
                entry_id=entry.id,
                min_qty=tier.min_qty,
                unit_price_minor=tier.unit_price_minor,
                discount_percent=tier.discount_percent,
            )
        )
    price_list.updated_at = now or utcnow()
    session.flush()
    return entry


def replace_entries(
    session, tenant, *, actor, price_list: PriceList, entries: list, now: datetime | None = None
) -> int:
    """Set many products' tiers on `price_list` at once (CSV import): a constant number of
    statements instead of several per product. `entries` holds (product, unit price,
    discount, breaks) with products of this bakery (objects with `id` and `base_price_minor`).
    """
    require_catalog(actor)
    rows = []
    for product, price, pct, breaks in entries:
        tiers = validate_tiers(product.base_price_minor, price, pct, list(breaks))
        rows.append((product.id, tiers))
    if not rows:
        return 0
    ids = [pid for pid, _ in rows]
    old = select(PriceListEntry.id).where(
        PriceListEntry.price_list_id == price_list.id, PriceListEntry.product_id.in_(ids)
    )
    session.execute(delete(VolumeBreak).where(VolumeBreak.entry_id.in_(old)))
    session.execute(
        delete(PriceListEntry).where(
            PriceListEntry.price_list_id == price_list.id, PriceListEntry.product_id.in_(ids)
        )
    )
    new_entries, new_breaks = [], []
    for pid, tiers in rows:
        entry_id = uuid.uuid4()
        new_entries.append(
            {
                "tenant_id": tenant.id,
                "id": entry_id,
                "price_list_id": price_list.id,
                "product_id": pid,
                "unit_price_minor": tiers[0].unit_price_minor,
                "discount_percent": tiers[0].discount_percent,
                "created_at": now or utcnow(),
            }
        )
        new_breaks += [
            {
                "tenant_id": tenant.id,
                "id": uuid.uuid4(),
                "entry_id": entry_id,
                "min_qty": t.min_qty,
                "unit_price_minor": t.unit_price_minor,
                "discount_percent": t.discount_percent,
                "created_at": now or utcnow(),
            }
            for t in tiers[1:]
        ]
    session.execute(insert(PriceListEntry), new_entries)
    if new_breaks:
        session.execute(insert(VolumeBreak), new_breaks)
    price_list.updated_at = now or utcnow()
    session.flush()
    return len(rows)


def remove_entry(session, tenant, *, actor, price_list: PriceList, product: Product) -> None:
    """Take `product` off `price_list` (its breaks go with it)."""
    check_bound(session, tenant)
    require_catalog(actor)
    entry = session.scalar(
        select(PriceListEntry).where(
            PriceListEntry.price_list_id == price_list.id, PriceListEntry.product_id == product.id
        )
    )
    if entry is not None:
        session.execute(delete(VolumeBreak).where(VolumeBreak.entry_id == entry.id))
        session.delete(entry)
    session.flush()


@dataclass(frozen=True)
class EntryRow:
    """An entry for display: product, its tiers (quantity 1 first)."""

    product: Product
    tiers: tuple[Tier, ...]


def list_entries(session, price_list: PriceList) -> list[EntryRow]:
    """The list's entries with their products and breaks, in two queries."""
    snapshot = load_snapshot(session, price_list)
    products = (
        session.scalars(
            select(Product).where(Product.id.in_(list(snapshot.tiers))).order_by(Product.name)
        )
        if snapshot.tiers
        else []
    )
    return [EntryRow(p, snapshot.tiers[p.id]) for p in products]


def prices_of_product(session, product: Product) -> list[tuple[PriceList, list[Tier] | None]]:
    """Each price list with `product`'s tiers on it (None when it is not on the list, so its
    customers pay the base price), in two queries whatever the number of lists."""
    lists = list_price_lists(session)
    snapshots = load_snapshots(session, lists, [product.id])
    return [(pl, snap.tiers.get(product.id)) for pl, snap in zip(lists, snapshots, strict=True)]


def get_settings(session, tenant) -> CatalogSettings:
    """The bakery's catalog settings row, created on first use."""
    settings = session.scalar(select(CatalogSettings))
    if settings is None:
        settings = CatalogSettings(tenant_id=tenant.id, hide_unpriced=False)
        session.add(settings)
        session.flush()
    return settings


def update_settings(
    session, tenant, *, actor, default_price_list: PriceList | None, hide_unpriced: bool
) -> CatalogSettings:
    """Choose the default price list (for customers without one) and the hide setting."""
    require_catalog(actor)
    settings = get_settings(session, tenant)
    settings.default_price_list_id = default_price_list.id if default_price_list else None
    settings.hide_unpriced = bool(hide_unpriced)
    session.flush()
    return settings


def default_price_list(session) -> PriceList | None:
    """The list that prices customers without their own (None when the bakery has none)."""
    return session.scalar(
        select(PriceList).join(
            CatalogSettings,
            (CatalogSettings.tenant_id == PriceList.tenant_id)
            & (CatalogSettings.default_price_list_id == PriceList.id),
        )
    )
