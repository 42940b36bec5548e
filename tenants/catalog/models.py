"""Catalog tables. Every one is tenant-owned and references its siblings through tenant_id.

Money is integer minor units of the bakery's currency; percentages are Decimal (Numeric).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKeyConstraint,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    and_,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from config.extensions import db
from tenants.base import TenantOwned, UTCDateTime

UNITS = ("each", "dozen", "half dozen", "kg", "loaf", "tray", "box", "case")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _fk(column: str, target: str, ondelete: str | None = None) -> ForeignKeyConstraint:
    """A composite foreign key (tenant_id, column) -> target (tenant_id, id)."""
    return ForeignKeyConstraint(
        ["tenant_id", column], [f"{target}.tenant_id", f"{target}.id"], ondelete=ondelete
    )


class Category(TenantOwned, db.Model):
    """A shelf of the catalog; staff order them."""

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Product(TenantOwned, db.Model):
    """Something the bakery sells wholesale; SKU is the key staff and CSV files use."""

    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("tenant_id", "sku"),
        _fk("category_id", "categories"),
        CheckConstraint("base_price_minor >= 0", name="price_not_negative"),
        CheckConstraint("min_order_qty >= 1 AND qty_increment >= 1", name="qty_positive"),
    )

    sku: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    category_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    unit: Mapped[str] = mapped_column(String(20), nullable=False, default="each")
    pack_size: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    base_price_minor: Mapped[int] = mapped_column(Integer, nullable=False)
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False, default=Decimal(0))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    min_order_qty: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    qty_increment: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    lead_time_days: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Seven characters, Monday first: "1111100" is baked on weekdays.
    bake_days: Mapped[str] = mapped_column(String(7), nullable=False, default="1111111")
    available_from: Mapped[date | None] = mapped_column(Date)
    available_until: Mapped[date | None] = mapped_column(Date)
    # Relative to the tenant's own upload folder (see tenants.catalog.photos).
    photo_path: Mapped[str | None] = mapped_column(String(200))
    photo_content_type: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    category: Mapped[Category | None] = relationship(
        foreign_keys=[category_id],
        primaryjoin="and_(Product.tenant_id == Category.tenant_id, "
        "Product.category_id == Category.id)",
        viewonly=True,
        lazy="raise",
    )

    def baked_on(self, day: date) -> bool:
        """Whether the product is baked on `day`'s weekday."""
        return self.bake_days[day.weekday()] == "1"

    @hybrid_method
    def in_season(self, day: date) -> bool:
        """Whether `day` falls in the optional seasonal window (in SQL too, for filtering)."""
        if self.available_from and day < self.available_from:
            return False
        return not (self.available_until and day > self.available_until)

    @in_season.inplace.expression
    @classmethod
    def _in_season_expression(cls, day: date):
        return and_(
            or_(cls.available_from.is_(None), cls.available_from <= day),
            or_(cls.available_until.is_(None), cls.available_until >= day),
        )


class SoldOut(TenantOwned, db.Model):
    """A product marked sold out for one delivery date."""

    __tablename__ = "product_sold_out"
    __table_args__ = (
        UniqueConstraint("tenant_id", "product_id", "day"),
        _fk("product_id", "products", ondelete="CASCADE"),
    )

    product_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    day: Mapped[date] = mapped_column(Date, nullable=False)


class Assortment(TenantOwned, db.Model):
    """A named set of products a customer may see and order."""

    __tablename__ = "assortments"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(120), nullable=False)


class AssortmentItem(TenantOwned, db.Model):
    """One product in one assortment."""

    __tablename__ = "assortment_items"
    __table_args__ = (
        UniqueConstraint("tenant_id", "assortment_id", "product_id"),
        _fk("assortment_id", "assortments", ondelete="CASCADE"),
        _fk("product_id", "products", ondelete="CASCADE"),
    )

    assortment_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)


class PriceList(TenantOwned, db.Model):
    """Negotiated prices for the customers it is assigned to, optionally valid between dates."""

    __tablename__ = "price_lists"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PriceListEntry(TenantOwned, db.Model):
    """A product's price on one list from quantity 1: a fixed unit price or a percentage off."""

    __tablename__ = "price_list_entries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "price_list_id", "product_id"),
        _fk("price_list_id", "price_lists", ondelete="CASCADE"),
        _fk("product_id", "products", ondelete="CASCADE"),
        CheckConstraint(
            "(unit_price_minor IS NULL) <> (discount_percent IS NULL)", name="entry_one_rule"
        ),
    )

    price_list_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    unit_price_minor: Mapped[int | None] = mapped_column(Integer)
    discount_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))


class VolumeBreak(TenantOwned, db.Model):
    """From `min_qty` on, the unit price is `unit_price_minor`, or `discount_percent` off base."""

    __tablename__ = "volume_breaks"
    __table_args__ = (
        UniqueConstraint("tenant_id", "entry_id", "min_qty"),
        _fk("entry_id", "price_list_entries", ondelete="CASCADE"),
        CheckConstraint(
            "(unit_price_minor IS NULL) <> (discount_percent IS NULL)", name="break_one_rule"
        ),
        CheckConstraint("min_qty >= 2", name="break_min_qty"),
    )

    entry_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    min_qty: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_price_minor: Mapped[int | None] = mapped_column(Integer)
    discount_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))


class CatalogSettings(TenantOwned, db.Model):
    """One row per bakery: its default price list and whether unpriced products are hidden."""

    __tablename__ = "catalog_settings"
    __table_args__ = (UniqueConstraint("tenant_id"), _fk("default_price_list_id", "price_lists"))

    default_price_list_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    hide_unpriced: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class ImportRun(TenantOwned, db.Model):
    """One CSV import (of any kind) and its progress, run by a background job.

    `payload` is the decoded file text; `errors` a list of {row, column, reason};
    `summary` counts what was created, updated and left unchanged.
    """

    __tablename__ = "import_runs"

    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="queued")
    filename: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    total: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    errors: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    options: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    summary: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    payload: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a job last showed life on this run (claimed it, reported progress): a run "running"
    # with no sign of life for a while lost its worker and may be claimed again.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
