"""The health check of one occurrence: what would be placed, and every problem with it.

The preview email, the portal, the reminder and the generator all ask this one function, so
what the buyer was warned about is exactly what the generator reports on the order. Problems
are plain dicts (`kind` plus facts) so they can be stored on the occurrence, put in a mail
context and translated where they are shown; `describe` gives staff the English sentence.

Kinds: `moved` / `closed` (a closure), `not_delivery_day` (the bakery no longer delivers on
that day), `unavailable` (no longer sold to the customer, sold out, not baked that day, out of
season, lead time), `price` (unit price changed since the buyer last saw it), `minimum` (below
the customer's minimum order).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date as babel_date
from sqlalchemy import select

from config.clock import bakery_today
from config.money import format_money
from tenants.catalog.models import Product
from tenants.orders.calendar import day_option
from tenants.orders.pricing import PricedCart, orderable_products, price_lines

# Calendar refusals that concern one product (the others concern the whole date).
PRODUCT_REFUSALS = {"lead_time", "not_baked", "out_of_season", "sold_out"}
DATE_REFUSALS = {"not_delivery_day", "not_customer_day", "closed", "past"}


def day_text(day: date, tenant) -> str:
    """ "Tuesday 9 Dec" in the bakery's language (what buyers read in previews and pages)."""
    return babel_date(day, "EEEE d MMM", locale=tenant.locale)


@dataclass(frozen=True)
class Checked:
    """The lines that can be placed, their prices (None if none can), and the problems."""

    lines: tuple
    priced: PricedCart | None
    problems: tuple[dict, ...]
    products: dict

    @property
    def placeable(self) -> bool:
        return bool(self.lines) and not any(p["kind"] in DATE_BLOCKERS for p in self.problems)


DATE_BLOCKERS = {"closed", "not_delivery_day"}


def check(session, tenant, occurrence, *, customer, now, last_prices=None) -> Checked:
    """Check `occurrence` (a `standing_schedule.Occurrence`) for `customer` at `now`;
    `last_prices` ({product id: unit price the buyer last saw}) finds price changes."""
    problems: list[dict] = []
    if occurrence.notice:
        notice = dict(occurrence.notice)
        notice["from_text"] = day_text(date.fromisoformat(notice["from"]), tenant)
        if notice.get("to"):
            notice["to_text"] = day_text(date.fromisoformat(notice["to"]), tenant)
        problems.append(notice)
    ids = [pid for pid, _qty in occurrence.lines]
    names = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}
    orderable = orderable_products(session, customer, ids) if ids else {}
    refused: dict = {}
    if occurrence.delivery_date is not None:
        option = day_option(
            session,
            tenant,
            customer=customer,
            product_ids=list(orderable),
            day=occurrence.delivery_date,
            now=now,
        )
        for refusal in option.refusals:
            if refusal.code in PRODUCT_REFUSALS and refusal.product_id is not None:
                refused.setdefault(refusal.product_id, refusal.code)
            elif refusal.code in ("not_delivery_day", "not_customer_day"):
                problems.append({"kind": "not_delivery_day"})
    keep = []
    for pid, qty in occurrence.lines:
        product = names.get(pid)
        name = product.name if product else "?"
        if pid not in orderable:
            problems.append({"kind": "unavailable", "product": name, "why": "not_sold"})
        elif pid in refused:
            problems.append({"kind": "unavailable", "product": name, "why": refused[pid]})
        else:
            keep.append((pid, qty))
    priced = None
    if keep:
        unpriced: list = []
        priced = price_lines(
            session,
            tenant,
            customer=customer,
            products=orderable,
            lines=keep,
            on=bakery_today(tenant, now),
            unpriced=unpriced,
        )
        for pid in unpriced:
            problems.append({"kind": "unavailable", "product": names[pid].name, "why": "not_sold"})
        keep = [(line.product.id, line.quantity) for line in priced.lines]
        problems += _price_changes(last_prices or {}, priced)
        if not priced.meets_minimum and keep:
            problems.append(
                {
                    "kind": "minimum",
                    "short_minor": priced.short_of_minimum_minor,
                    "minimum_minor": priced.minimum_minor,
                }
            )
    return Checked(tuple(keep), priced, tuple(problems), orderable)


def _price_changes(seen: dict, priced: PricedCart) -> list[dict]:
    """Lines whose unit price differs from the one the buyer last saw on this standing order."""
    changes = []
    for line in priced.lines:
        before = seen.get(line.product.id)
        now_price = line.quote.unit_price_minor
        if before is not None and before != now_price:
            changes.append(
                {
                    "kind": "price",
                    "product": line.product.name,
                    "old_minor": before,
                    "new_minor": now_price,
                }
            )
    return changes


WHY = {
    "not_sold": "no longer available to you",
    "sold_out": "sold out that day",
    "not_baked": "not baked that day",
    "out_of_season": "out of season",
    "lead_time": "needs more notice",
}


def describe(problem: dict, tenant) -> str:
    """The problem as one English sentence (staff pages, the order's timeline note)."""
    kind = problem["kind"]
    if kind == "moved":
        return f"Closed on {problem['from']} ({problem['reason']}): moved to {problem['to']}."
    if kind == "closed":
        return f"Closed on {problem['from']} ({problem['reason']}): skipped."
    if kind == "not_delivery_day":
        return "The bakery does not deliver on that day any more."
    if kind == "unavailable":
        return f"{problem['product']}: {WHY.get(problem.get('why'), 'not available')}, left out."
    if kind == "price":
        old = format_money(problem["old_minor"], tenant)
        new = format_money(problem["new_minor"], tenant)
        return f"{problem['product']}: price changed from {old} to {new}."
    if kind == "minimum":
        short = format_money(problem["short_minor"], tenant)
        return f"Below the minimum order by {short}."
    return kind
