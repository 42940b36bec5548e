"""Priced catalogs kept between requests, until the bakery's catalog changes.

A buyer's catalog (every product they may see, priced for them) is the same for every request
until the bakery changes a product, category, price list, entry, volume break, assortment or
its catalog settings, or the day changes. The database stamps each bakery anew on every such
write, whoever sends it (`tenants.catalog_stamp`, kept by triggers: migrations/catalog_stamp.py).
So a catalog is remembered under (bakery, stamp, the customer's price list and assortment,
day) and a request that finds its key costs one small query instead of four and the pricing
of every product. A price change still shows on the very next request: that request reads the
new stamp.

Per process, bounded; nothing about a bakery is ever found under another bakery's key. While
the current transaction has itself written to the catalog (on PostgreSQL the stamp only moves at
COMMIT) nothing is served from or kept in the memo.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from datetime import date

from sqlalchemy import func, select

from tenants.models import Tenant
from tenants.scoping import check_bound


class _Memo:
    """A bounded least-recently-used store whose bound is a total weight (lines, characters),
    not a count: one 2,000-product catalog weighs as much as ten 200-product ones."""

    def __init__(self, budget: int):
        self._budget = budget
        self._items: OrderedDict = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()  # threaded servers share the process's memo

    def get(self, key):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key, value, weight: int) -> None:
        if weight > self._budget // 4:
            return  # one huge catalog must not push out everyone else's
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._weight -= old[1]
            self._items[key] = (value, weight)
            self._weight += weight
            while self._weight > self._budget:
                _, (_, dropped) = self._items.popitem(last=False)
                self._weight -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._weight = 0


# About 1 kB of Python objects a priced line: 60,000 lines is about 60 MB per process (and no
# one entry above 15,000 lines).
_LINES = _Memo(60_000)
# Rendered page parts, in characters (portal/catalog_rows.py): about 32 MB per process.
_TEXTS = _Memo(16_000_000)


def catalog_key(session, tenant, *, customer, on: date) -> tuple | None:
    """The memo key of `customer`'s catalog on `on`, or None when this transaction has
    written to the catalog (its stamp is not yet trustworthy). One query."""
    check_bound(session, tenant)
    stamp, dirty = _stamp(session, tenant.id)
    if dirty:
        return None
    return (tenant.id, stamp, customer.price_list_id, customer.assortment_id, on)


def _stamp(session, tenant_id: uuid.UUID) -> tuple[str, bool]:
    if session.get_bind().dialect.name == "postgresql":
        stamp, dirty = session.execute(
            select(Tenant.catalog_stamp, func.current_setting("app.catalog_dirty", True)).where(
                Tenant.id == tenant_id
            )
        ).one()
        return stamp, dirty == "on"
    # SQLite's triggers restamp at once, so this transaction's own writes already show.
    return session.scalar(select(Tenant.catalog_stamp).where(Tenant.id == tenant_id)), False


def remembered(key: tuple | None, compute):
    """`compute()`'s value (lines, or anything whose len() is its weight in lines), kept under
    `key` (computed every time when it is None)."""
    return _remember(_LINES, key, compute, len)


def keep(key: tuple, value) -> None:
    """Keep `value` under `key` (again: a kept value that grew is weighed anew)."""
    _LINES.put(key, value, len(value))


def remembered_text(key: tuple | None, compute) -> str:
    """`compute()`'s text, kept under `key`: a rendered part of a page built only from what
    `key` names (computed every time when it is None)."""
    return _remember(_TEXTS, key, compute, len)


def _remember(memo: _Memo, key, compute, weigh):
    if key is None:
        return compute()
    value = memo.get(key)
    if value is None:
        value = compute()
        memo.put(key, value, weigh(value))
    return value


def forget_all() -> None:
    """Drop everything remembered (tests that compare a cold and a warm catalog)."""
    _LINES.clear()
    _TEXTS.clear()
