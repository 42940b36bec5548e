"""Load what the pricing engine needs for a customer, in a constant number of queries.

`price_cart` prices many lines at once: one query for the catalog settings, one for the
candidate price lists (the customer's own, then the bakery default as fallback), one for the
products, one for their tiers on those lists, and one for the assortment when the customer has
one, however many lines or products there are.
Both are remembered until the bakery's catalog changes (tenants.catalog.memo): a customer's whole
catalog (`customer_catalog`), and the price book carts are priced from (`price_cart`, which
grows with the products carts hold). A warm request sends one query, the catalog stamp, and a
price change still counts on the very next request.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ARRAY, Uuid, any_, bindparam, select
from sqlalchemy.types import TypeDecorator

from tenants.catalog.memo import catalog_key, keep, remembered
from tenants.catalog.models import (
    AssortmentItem,
    CatalogSettings,
    Category,
    PriceList,
    PriceListEntry,
    Product,
    VolumeBreak,
)
from tenants.catalog.pricing import ListSnapshot, ProductSnapshot, Quote, Tier, quote
from tenants.errors import ValidationFailed
from tenants.scoping import check_bound


def catalog_settings(session) -> CatalogSettings | None:
    """The bound bakery's catalog settings row, if it has one."""
    return session.scalar(select(CatalogSettings))


def applicable_lists(session, customer, on: date) -> list[PriceList]:
    """The lists that price `customer` on `on`, in order: its own, then the bakery default
    (each only while valid). One query, plus one for the settings."""
    settings = catalog_settings(session)
    default_id = settings.default_price_list_id if settings else None
    return _choose_lists(session, customer, default_id, on)


def _choose_lists(session, customer, default_id, on: date) -> list[PriceList]:
    candidates = list(dict.fromkeys(i for i in (customer.price_list_id, default_id) if i))
    if not candidates:
        return []
    lists = {
        pl.id: pl for pl in session.scalars(select(PriceList).where(PriceList.id.in_(candidates)))
    }
    return [lists[i] for i in candidates if i in lists and _valid(lists[i], on)]


def _valid(price_list: PriceList, on: date) -> bool:
    if price_list.valid_from and on < price_list.valid_from:
        return False
    return not (price_list.valid_until and on > price_list.valid_until)


def load_snapshot(
    session, price_list: PriceList, product_ids: Iterable[uuid.UUID] | None = None
) -> ListSnapshot:
    """One list's tiers (entry + breaks) per product, in one query (optionally for some ids)."""
    return load_snapshots(session, [price_list], product_ids)[0]


def load_snapshots(
    session, price_lists: list[PriceList], product_ids: Iterable[uuid.UUID] | None = None
) -> list[ListSnapshot]:
    """Several lists' tiers in one query, in the order given."""
    if not price_lists:
        return []
    stmt = (
        select(
            PriceListEntry.price_list_id,
            PriceListEntry.product_id,
            PriceListEntry.unit_price_minor,
            PriceListEntry.discount_percent,
            VolumeBreak.min_qty,
            VolumeBreak.unit_price_minor,
            VolumeBreak.discount_percent,
        )
        .outerjoin(
            VolumeBreak,
            (VolumeBreak.tenant_id == PriceListEntry.tenant_id)
            & (VolumeBreak.entry_id == PriceListEntry.id),
        )
        .where(PriceListEntry.price_list_id.in_([pl.id for pl in price_lists]))
    )
    if product_ids is not None:
        stmt = stmt.where(ids_in(session, PriceListEntry.product_id, product_ids))
    # Each entry's rows arrive together, its breaks in order: a product's tiers are collected
    # as they come and stored once, with no dictionary look-up per row (UUIDs hash in Python)
    # and no sort per product.
    stmt = stmt.order_by(PriceListEntry.id, VolumeBreak.min_qty)
    tiers: dict[uuid.UUID, dict[uuid.UUID, tuple[Tier, ...]]] = {pl.id: {} for pl in price_lists}
    # A cart's lists repeat the same tiers ("5% off" on every product): one Tier object each.
    shared: dict[tuple, Tier] = {}
    product_tiers: list[Tier] = []
    list_id = pid = None
    for row_list, row_pid, e_price, e_pct, b_qty, b_price, b_pct in session.execute(stmt):
        if pid is None or row_pid.int != pid.int or row_list.int != list_id.int:
            if pid is not None:
                tiers[list_id][pid] = tuple(product_tiers)
            list_id, pid = row_list, row_pid
            key = (e_price, e_pct)
            first = shared.get(key) or shared.setdefault(key, Tier(1, e_price, e_pct))
            product_tiers = [first]
        if b_qty is not None:
            product_tiers.append(Tier(b_qty, b_price, b_pct))
    if pid is not None:
        tiers[list_id][pid] = tuple(product_tiers)
    return [
        ListSnapshot(pl.id, pl.name, pl.valid_from, pl.valid_until, tiers[pl.id])
        for pl in price_lists
    ]


def ids_in(session, column, ids: Iterable[uuid.UUID]):
    """`column IN ids`. On PostgreSQL one uuid[] parameter (`= ANY(:ids)`): a cart's 500 ids as
    500 bound parameters cost more to render, adapt and parse than the query takes to run."""
    if session.get_bind().dialect.name == "postgresql":
        literal = "{" + ",".join([i.hex for i in ids]) + "}"
        return column == any_(bindparam("ids_in", literal, type_=_UuidArrayText))
    return column.in_(list(ids))


class _UuidArrayText(TypeDecorator):
    """A uuid[] parameter whose value is already its text, '{hex,hex,...}', passed through.

    psycopg's list dumper adapts each element and checks it for quoting (about 1 ms for 500
    UUIDs); joining their hex digits here costs a fifth of that. psycopg sends a str untyped,
    and an untyped parameter cast to uuid[] (`%(ids_in)s::UUID[]`, rendered by the dialect as
    for any array) is typed uuid[] by the server and parsed once. Not a text parameter cast to
    uuid[]: that cast is not folded at plan time and re-parsed the array for every scanned row.
    """

    impl = ARRAY(Uuid)
    cache_ok = True

    def bind_processor(self, dialect):
        return None


def _pair(snapshots: list[ListSnapshot]) -> tuple[ListSnapshot | None, ListSnapshot | None]:
    """(the customer's list or the default, the default as fallback when both apply)."""
    return (snapshots[0] if snapshots else None, snapshots[1] if len(snapshots) > 1 else None)


@dataclass(frozen=True, slots=True)
class CatalogProduct:
    """What a catalog line shows of a product: read-only columns, not a `Product` ORM object
    (building 200 of those, with their identity-map bookkeeping, cost more than pricing them)."""

    id: uuid.UUID
    sku: str
    name: str
    unit: str
    pack_size: int
    min_order_qty: int
    qty_increment: int
    base_price_minor: int


_CATALOG_COLUMNS = tuple(getattr(Product, field) for field in CatalogProduct.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class CatalogLine:
    """A product as one customer sees it: the product, its category name and its price."""

    product: CatalogProduct
    category_name: str
    quote: Quote


def _assortment_ids(session, customer) -> set[uuid.UUID] | None:
    if customer.assortment_id is None:
        return None
    return set(
        session.scalars(
            select(AssortmentItem.product_id).where(
                AssortmentItem.assortment_id == customer.assortment_id
            )
        )
    )


class _PriceBook:
    """What pricing a customer's carts on a day reads: the bakery's "hide unpriced" setting,
    the assortment (None: everything), the customer's lists and, for every product looked up so
    far (`known`), its base price (when active) and its tiers on those lists.

    A cart's products not yet known are loaded (two queries, for those products only) and added,
    so a book kept in the memo grows with what buyers order and never loads what nobody orders.
    """

    def __init__(self, hide_unpriced: bool, lists: list[PriceList], allowed):
        self.hide_unpriced = hide_unpriced
        self.allowed: set[uuid.UUID] | None = allowed
        self.lists = [
            ListSnapshot(pl.id, pl.name, pl.valid_from, pl.valid_until, {}) for pl in lists
        ]
        self.first, self.fallback = _pair(self.lists)
        self.base_prices: dict[uuid.UUID, int] = {}
        self.known: set[uuid.UUID] = set()
        self._lock = threading.Lock()  # threaded servers share a kept book

    @classmethod
    def load(cls, session, customer, on: date) -> _PriceBook:
        settings = catalog_settings(session)
        default_id = settings.default_price_list_id if settings else None
        return cls(
            bool(settings and settings.hide_unpriced),
            _choose_lists(session, customer, default_id, on),
            _assortment_ids(session, customer),
        )

    def cover(self, session, ids: set[uuid.UUID]) -> bool:
        """Load the products of `ids` not yet known; whether there were any."""
        missing = ids - self.known
        if not missing:
            return False
        # Only what the engine needs: loading 500 whole Product objects cost more than pricing
        # them.
        base_prices = session.execute(
            select(Product.id, Product.base_price_minor).where(
                ids_in(session, Product.id, missing), Product.active.is_(True)
            )
        ).all()
        snapshots = load_snapshots(session, self.lists, missing)
        with self._lock:
            self.base_prices.update(base_prices)
            for kept, loaded in zip(self.lists, snapshots, strict=True):
                kept.tiers.update(loaded.tiers)
            self.known |= missing  # last: a product in `known` has its prices in place
        return True

    def __len__(self) -> int:
        # Its weight in the memo, in catalog lines (about 1 kB each): a product's base price
        # and tiers take about a quarter of that.
        return len(self.known) // 4 + 1


def price_cart(
    session,
    tenant,
    *,
    customer,
    lines: list[tuple[uuid.UUID, int]],
    on: date,
    unpriced: list | None = None,
) -> list[Quote]:
    """Quote every (product id, quantity) line for `customer` on `on`, in one pass.

    Raises ValidationFailed for a product the customer cannot order (unknown, inactive, outside
    its assortment, or unpriced while the bakery hides unpriced products). A reader that can
    set lines aside (the cart page) passes a list as `unpriced`: the ids of lines unpriced while
    the bakery hides them go there instead, and the other lines are quoted.
    """
    check_bound(session, tenant)
    ids = {pid for pid, _ in lines}
    key = catalog_key(session, tenant, customer=customer, on=on)
    if key is None:  # this transaction changed the catalog: a book of its own, not kept
        book = _PriceBook.load(session, customer, on)
        book.cover(session, ids)
    else:
        key = ("price_book", *key)
        book = remembered(key, lambda: _PriceBook.load(session, customer, on))
        if book.cover(session, ids):
            keep(key, book)  # weighed again, now that it holds more
    hide_unpriced, base_prices, allowed = book.hide_unpriced, book.base_prices, book.allowed
    first, fallback = book.first, book.fallback
    quotes = []
    for number, (pid, quantity) in enumerate(lines, start=1):
        base_price = base_prices.get(pid)
        if base_price is None or (allowed is not None and pid not in allowed):
            raise ValidationFailed(f"Line {number}: this product is not available.", field="lines")
        if quantity < 1:
            raise ValidationFailed(f"Line {number}: order at least 1.", field="lines")
        result = quote(ProductSnapshot(pid, base_price), first, quantity, on, fallback)
        if hide_unpriced and not result.priced:
            if unpriced is not None:
                unpriced.append(pid)
                continue
            raise ValidationFailed(
                f"Line {number}: this product has no price for you.", field="lines"
            )
        quotes.append(result)
    return quotes


@dataclass(frozen=True, slots=True)
class PricedCatalog:
    """A customer's priced catalog and its memo key (None: not kept, see tenants.catalog.memo);
    pages that build more from the lines key what they build on it."""

    key: tuple | None
    lines: tuple[CatalogLine, ...]


def priced_catalog(session, tenant, *, customer, on: date) -> PricedCatalog:
    """`customer_catalog`, with the key it is remembered under."""
    key = catalog_key(session, tenant, customer=customer, on=on)
    lines = remembered(key, lambda: tuple(_price_catalog(session, tenant, customer, on)))
    return PricedCatalog(key, lines)


def customer_catalog(session, tenant, *, customer, on: date) -> list[CatalogLine]:
    """The active, in-season products `customer` may see, in category order, each priced for
    one unit (or the minimum order quantity), in a constant number of queries.

    `on` is the bakery's local today. A product outside its seasonal window on that day (the
    season ended, or has not begun) is hidden: a buyer browsing or downloading the catalog
    expects what they can order now, not last Christmas's stollen. Sold-out marks are not
    applied: they belong to a delivery date, and this list has none; pages that know the
    delivery date ask unavailable_on() and show "sold out on that day" as a note.

    Remembered until the bakery's catalog changes (tenants.catalog.memo): one query when it is.
    """
    return list(priced_catalog(session, tenant, customer=customer, on=on).lines)


def _price_catalog(session, tenant, customer, on: date) -> list[CatalogLine]:
    check_bound(session, tenant)
    settings = catalog_settings(session)
    hide_unpriced = bool(settings and settings.hide_unpriced)
    lists = _choose_lists(
        session, customer, settings.default_price_list_id if settings else None, on
    )
    stmt = (
        select(*_CATALOG_COLUMNS, Category.name)
        .outerjoin(
            Category,
            (Category.tenant_id == Product.tenant_id) & (Category.id == Product.category_id),
        )
        .where(
            Product.active.is_(True),
            Product.in_season(on),
        )
        .order_by(Category.position, Category.name, Product.name)
    )
    if customer.assortment_id is not None:
        stmt = stmt.where(
            Product.id.in_(
                select(AssortmentItem.product_id).where(
                    AssortmentItem.assortment_id == customer.assortment_id
                )
            )
        )
    rows = session.execute(stmt).all()
    first, fallback = _pair(load_snapshots(session, lists))
    result = []
    for *columns, category_name in rows:
        product = CatalogProduct(*columns)
        q = quote(
            ProductSnapshot(product.id, product.base_price_minor),
            first,
            max(product.min_order_qty, 1),
            on,
            fallback,
        )
        if hide_unpriced and not q.priced:
            continue
        result.append(CatalogLine(product, category_name or "", q))
    return result
