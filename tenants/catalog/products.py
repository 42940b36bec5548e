"""Product and category services: create, edit, search, bulk (de)activate, sold-out marks."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import Text, cast, func, or_, select, update
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import aliased

from config.clock import utcnow
from tenants.actors import require
from tenants.catalog.errors import ValidationFailed
from tenants.catalog.models import UNITS, Category, Product, SoldOut
from tenants.catalog.money import check_percent, check_price
from tenants.lookup import get_by_id, name_taken
from tenants.plans import check_limit
from tenants.scoping import bound_tenant_id, check_bound

SKU_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
PAGE_SIZE = 50
# A display order, not a quantity: small numbers are all anyone sorts by, and the bound keeps
# a typo like 99999999999 from reaching PostgreSQL's integer column as an out-of-range error.
MAX_CATEGORY_POSITION = 10_000
# Upper bounds of the product's whole-number fields (the form shows them, the service enforces).
PRODUCT_INT_MAX = {
    "pack_size": 10_000,
    "min_order_qty": 100_000,
    "qty_increment": 10_000,
    "lead_time_days": 60,
}
PRODUCT_FIELDS = (
    "sku",
    "name",
    "description",
    "category_id",
    "unit",
    "pack_size",
    "base_price_minor",
    "tax_rate",
    "active",
    "min_order_qty",
    "qty_increment",
    "lead_time_days",
    "bake_days",
    "available_from",
    "available_until",
)


def require_catalog(actor) -> None:
    """Refuse an actor without the `catalog` permission (None = the system itself)."""
    require(actor, "catalog", message="You don't have permission to change the catalog.")


def _int(fields, name, low, high, label):
    value = fields.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValidationFailed(f"{label} must be a whole number from {low} to {high}.", field=name)


def clean_product_fields(fields: dict) -> dict:
    """Validate typed product fields (from a form or a CSV row); returns them normalised."""
    fields = dict(fields)
    fields["sku"] = (fields.get("sku") or "").strip()
    if not SKU_RE.match(fields["sku"]):
        raise ValidationFailed("Use letters, digits, '.', '_' or '-' (up to 64).", field="sku")
    fields["name"] = (fields.get("name") or "").strip()
    if not fields["name"] or len(fields["name"]) > 200:
        raise ValidationFailed("Enter a name of up to 200 characters.", field="name")
    fields["description"] = (fields.get("description") or "").strip()
    fields.setdefault("unit", "each")
    if fields["unit"] not in UNITS:
        raise ValidationFailed(f"Choose one of: {', '.join(UNITS)}.", field="unit")
    fields.setdefault("pack_size", 1)
    fields.setdefault("min_order_qty", 1)
    fields.setdefault("qty_increment", 1)
    fields.setdefault("lead_time_days", 0)
    _int(fields, "pack_size", 1, PRODUCT_INT_MAX["pack_size"], "Pack size")
    _int(fields, "min_order_qty", 1, PRODUCT_INT_MAX["min_order_qty"], "Minimum order")
    _int(fields, "qty_increment", 1, PRODUCT_INT_MAX["qty_increment"], "Quantity increment")
    _int(fields, "lead_time_days", 0, PRODUCT_INT_MAX["lead_time_days"], "Lead time")
    if fields.get("base_price_minor") is None:
        raise ValidationFailed("Enter the base wholesale price.", field="base_price_minor")
    check_price(fields["base_price_minor"], field="base_price_minor")
    tax = fields.get("tax_rate")
    if tax is None or (isinstance(tax, str) and not tax.strip()):
        tax = 0
    # check_percent refuses NaN/Infinity first: comparing Decimal("NaN") with `<` raises.
    fields["tax_rate"] = check_percent(tax, field="tax_rate", what="The tax rate")
    fields["bake_days"] = fields.get("bake_days") or "1111111"
    if not re.fullmatch(r"[01]{7}", fields["bake_days"]) or "1" not in fields["bake_days"]:
        raise ValidationFailed("Choose at least one baking day.", field="bake_days")
    start, end = fields.get("available_from"), fields.get("available_until")
    if start and end and end < start:
        raise ValidationFailed("The season must end after it starts.", field="available_until")
    fields["active"] = bool(fields.get("active", True))
    return {k: fields.get(k) for k in PRODUCT_FIELDS}


def _check_category(session, category_id):
    if category_id is not None and session.get(Category, _key(session, category_id)) is None:
        raise ValidationFailed("Choose a category of this bakery.", field="category_id")


def _key(session, object_id):
    return (bound_tenant_id(session), object_id)


def _sku_taken(session, sku: str, exclude: uuid.UUID | None = None) -> bool:
    stmt = select(Product.id).where(func.lower(Product.sku) == sku.lower())
    if exclude is not None:
        stmt = stmt.where(Product.id != exclude)
    return session.scalar(stmt) is not None


def create_product(session, tenant, *, actor, now: datetime | None = None, **fields) -> Product:
    """Add a product within the tier's product limit."""
    require_catalog(actor)
    clean = clean_product_fields(fields)
    _check_category(session, clean["category_id"])
    if _sku_taken(session, clean["sku"]):
        raise ValidationFailed("Another product has this SKU.", field="sku")
    check_limit(tenant, "products", now=now)
    product = Product(tenant_id=tenant.id, updated_at=now or utcnow(), **clean)
    session.add(product)
    session.flush()
    return product


def update_product(
    session, tenant, *, actor, product: Product, now: datetime | None = None, **fields
) -> Product:
    """Change a product's fields (validated together; nothing changes on error)."""
    check_bound(session, tenant)
    require_catalog(actor)
    clean = clean_product_fields(fields)
    _check_category(session, clean["category_id"])
    if _sku_taken(session, clean["sku"], exclude=product.id):
        raise ValidationFailed("Another product has this SKU.", field="sku")
    for name, value in clean.items():
        setattr(product, name, value)
    product.updated_at = now or utcnow()
    session.flush()
    return product


def get_product(session, product_id) -> Product:
    """This bakery's product, or NotFound (also for malformed or foreign ids)."""
    return get_by_id(session, Product, product_id, missing="No such product.")


def all_products(session) -> list[Product]:
    """Every product of the bakery by SKU (for pickers)."""
    return list(session.scalars(select(Product).order_by(Product.sku)))


@dataclass(frozen=True, slots=True)
class ProductSummary:
    """What the product list shows of a product: read-only columns, not a `Product` ORM object
    (a page of those, with identity-map bookkeeping, cost more than rendering the page)."""

    id: uuid.UUID
    sku: str
    name: str
    unit: str
    pack_size: int
    base_price_minor: int
    active: bool


_SUMMARY_COLUMNS = tuple(getattr(Product, field) for field in ProductSummary.__slots__)


@dataclass(frozen=True)
class ProductPage:
    """One page of the product list with the category name of each row, and (when asked for)
    every category of the bakery in display order, for the page's filter."""

    rows: list[tuple[ProductSummary, str]]
    total: int
    page: int
    pages: int
    categories: list[CategoryChoice] | None = None


class CategoryChoice(NamedTuple):
    """A category as a filter offers it."""

    id: uuid.UUID
    name: str


@cache
def _page_statement(dialect: str, with_categories: bool):
    """A page of the product list with its category names and the number of matches, built
    once (each request adds its filters and offset). `with_categories`: each row also carries
    the bakery's categories as JSON text (computed once by the server, parsed once here), so
    the page's filter needs no statement of its own."""
    columns = [*_SUMMARY_COLUMNS, Category.name, func.count(Product.id).over()]
    if with_categories:
        columns.append(_categories_json(dialect))
    return (
        select(*columns)
        .outerjoin(
            Category,
            (Category.tenant_id == Product.tenant_id) & (Category.id == Product.category_id),
        )
        .order_by(Product.name, Product.sku)
        .limit(PAGE_SIZE)
    )


def _categories_json(dialect: str):
    """[[id, name], ...] of the bakery's categories in display order, as one text value.

    The categories are an entity select of their own (inside the aggregate), so the tenancy
    hook's loader criteria reach them: a table read only inside a function would escape them
    (and, on SQLite, show every bakery's categories)."""
    choices = aliased(Category, name="choices")
    inner = select(choices.id, choices.name, choices.position)
    if dialect == "postgresql":
        rows = inner.subquery()
        pairs = func.json_agg(
            aggregate_order_by(
                func.json_build_array(rows.c.id, rows.c.name), rows.c.position, rows.c.name
            )
        )
        return select(func.coalesce(cast(pairs, Text), "[]")).scalar_subquery()
    rows = inner.order_by(choices.position, choices.name).subquery()
    pairs = func.json_group_array(func.json_array(rows.c.id, rows.c.name))
    return select(func.coalesce(pairs, "[]")).scalar_subquery()


def _category_choices(text: str) -> list[CategoryChoice]:
    return [CategoryChoice(uuid.UUID(str(i)), name) for i, name in json.loads(text)]


def search_products(
    session,
    *,
    q: str = "",
    category_id=None,
    status: str = "",
    page: int = 1,
    with_categories: bool = False,
) -> ProductPage:
    """Products matching a search, a category and a status, a page at a time: one statement,
    two for a page past the end (which shows the last page) and for an empty page that asked
    for the categories (`with_categories`: every category of the bakery, for the filter; then
    a category that is not among them, another bakery's or one since removed, filters
    nothing)."""
    conditions = []
    if q.strip():
        like = f"%{q.strip().lower()}%"
        conditions.append(
            or_(func.lower(Product.name).like(like), func.lower(Product.sku).like(like))
        )
    if category_id:
        conditions.append(Product.category_id == category_id)
    if status in ("active", "inactive"):
        conditions.append(Product.active.is_(status == "active"))
    # One statement: the page's rows carry the number of matches (a window over the filtered
    # products, counted before LIMIT). Only a page past the end (an old link after products
    # went away) needs the count on its own, to show the last page instead.
    dialect = session.get_bind().dialect.name
    stmt = _page_statement(dialect, with_categories)
    if conditions:
        stmt = stmt.where(*conditions)
    page = max(page, 1)
    found = session.execute(stmt.offset((page - 1) * PAGE_SIZE)).all()
    if not found and page > 1:
        # count(Product.id), not count() FROM products: the tenant filter only reaches
        # statements whose columns come from the entity (select_from alone escapes it on SQLite).
        total = session.scalar(select(func.count(Product.id)).where(*conditions)) or 0
        page = max(1, -(-total // PAGE_SIZE))
        found = session.execute(stmt.offset((page - 1) * PAGE_SIZE)).all() if total else []
    categories = None
    if with_categories and found:
        categories = _category_choices(found[0][-1])
        found = [row[:-1] for row in found]
    elif with_categories:
        # An entity select, never the JSON subquery alone: a statement naming no entity gets
        # no tenant filter from the loader criteria (the subquery's own would not apply).
        ordered = select(Category.id, Category.name).order_by(Category.position, Category.name)
        categories = [CategoryChoice(*row) for row in session.execute(ordered)]
    if categories is not None and category_id and all(c.id != category_id for c in categories):
        # Another bakery's category, or one since removed: the filter filters nothing.
        return search_products(session, q=q, status=status, page=page, with_categories=True)
    total = found[0][-1] if found else 0
    pages = max(1, -(-total // PAGE_SIZE))
    rows = [(ProductSummary(*columns), name or "") for *columns, name, _ in found]
    return ProductPage(rows, total, page, pages, categories)


def set_active(
    session, tenant, *, actor, product_ids: list, active: bool, now: datetime | None = None
) -> int:
    """Activate or deactivate many products at once; returns how many changed."""
    check_bound(session, tenant)
    require_catalog(actor)
    ids = []
    for raw in product_ids:
        try:
            ids.append(uuid.UUID(str(raw)))
        except ValueError as exc:
            raise ValidationFailed("Choose products from the list.", field="product_ids") from exc
    if not ids:
        raise ValidationFailed("Tick at least one product.", field="product_ids")
    result = session.execute(
        update(Product)
        .where(Product.id.in_(ids), Product.active.is_(not active))
        .values(active=active, updated_at=now or utcnow())
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    return result.rowcount or 0


def mark_sold_out(session, tenant, *, actor, product: Product, day: date, sold_out: bool) -> None:
    """Mark (or unmark) a product sold out for one delivery date."""
    require_catalog(actor)
    existing = session.scalar(
        select(SoldOut).where(SoldOut.product_id == product.id, SoldOut.day == day)
    )
    if sold_out and existing is None:
        session.add(SoldOut(tenant_id=tenant.id, product_id=product.id, day=day))
    elif not sold_out and existing is not None:
        session.delete(existing)
    session.flush()


def sold_out_days(session, product: Product, *, from_day: date) -> list[date]:
    """The product's sold-out dates from `from_day` on."""
    return list(
        session.scalars(
            select(SoldOut.day)
            .where(SoldOut.product_id == product.id, SoldOut.day >= from_day)
            .order_by(SoldOut.day)
        )
    )


# Categories ---------------------------------------------------------------------------------


_CATEGORIES = select(Category).order_by(Category.position, Category.name)


def list_categories(session) -> list[Category]:
    """Categories in their display order."""
    return list(session.scalars(_CATEGORIES))


def save_category(
    session, tenant, *, actor, name: str, position: int = 0, category: Category | None = None
) -> Category:
    """Create a category, or rename/reorder `category`."""
    require_catalog(actor)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationFailed("Enter a name of up to 120 characters.", field="name")
    _int({"position": position}, "position", 0, MAX_CATEGORY_POSITION, "Position")
    if name_taken(session, Category, name, other_than=category):
        raise ValidationFailed("A category with this name exists.", field="name")
    if category is None:
        category = Category(tenant_id=tenant.id)
        session.add(category)
    category.name, category.position = name, position
    session.flush()
    return category


def get_category(session, category_id) -> Category:
    """This bakery's category, or NotFound."""
    return get_by_id(session, Category, category_id, missing="No such category.")


def category_by_name(session, tenant, name: str, *, create: bool) -> Category | None:
    """Find a category by name (case-insensitive); create it when asked (CSV import)."""
    name = name.strip()
    if not name:
        return None
    found = session.scalar(select(Category).where(func.lower(Category.name) == name.lower()))
    if found is None and create:
        found = Category(tenant_id=tenant.id, name=name, position=0)
        session.add(found)
        session.flush()
    return found


def unavailable_on(
    session, products: list[Product], *, day: date, today: date
) -> dict[uuid.UUID, str]:
    """Why each of `products` cannot be delivered on `day` (ordered on `today`), if it can't.

    Checks the active flag, the baking weekdays, the seasonal window, the lead time and the
    sold-out marks (one query for all products).
    """
    sold_out = (
        set(
            session.scalars(
                select(SoldOut.product_id).where(
                    SoldOut.day == day, SoldOut.product_id.in_([p.id for p in products])
                )
            )
        )
        if products
        else set()
    )
    reasons = {}
    for product in products:
        if not product.active:
            reasons[product.id] = "no longer available"
        elif product.id in sold_out:
            reasons[product.id] = "sold out on that day"
        elif not product.in_season(day):
            reasons[product.id] = "out of season on that day"
        elif not product.baked_on(day):
            reasons[product.id] = "not baked on that weekday"
        elif (day - today).days < product.lead_time_days:
            reasons[product.id] = f"needs {product.lead_time_days} day(s) notice"
    return reasons
