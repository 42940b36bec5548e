"""Reorder: fill the cart with a past order's products and quantities at today's prices, and say
what changed since (price up or down, no longer available, new minimum or step)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext

from config.clock import bakery_today
from config.money import format_money
from tenants.orders.access import authorize
from tenants.orders.cart import set_quantity
from tenants.orders.pricing import orderable_products, price_lines
from tenants.orders.quantities import MAX_QUANTITY, valid_neighbours
from tenants.orders.queries import get_order_for_contact, order_lines


@dataclass(frozen=True)
class Reorder:
    added: int
    changes: tuple[str, ...]


def reorder(session, tenant, *, contact, customer, order_id, now: datetime) -> Reorder:
    """Put `order_id`'s lines in `contact`'s cart (replacing those products' quantities)."""
    authorize(tenant, contact, customer, "create_orders", now=now)
    order = get_order_for_contact(session, contact, order_id)
    lines = order_lines(session, order)
    products = orderable_products(session, customer, [line.product_id for line in lines])
    changes, wanted = [], []
    for line in lines:
        product = products.get(line.product_id)
        if product is None or not product.in_season(bakery_today(tenant, now)):
            changes.append(gettext("%(name)s is no longer available.", name=line.product_name))
            continue
        quantity = _still_valid(product, line.quantity)
        if quantity != line.quantity:
            changes.append(
                gettext(
                    "%(name)s now comes from %(minimum)d in steps of %(step)d: "
                    "%(quantity)d instead of %(was)d.",
                    name=product.name,
                    minimum=product.min_order_qty,
                    step=product.qty_increment,
                    quantity=quantity,
                    was=line.quantity,
                )
            )
        wanted.append((product.id, quantity, line))
    priced = price_lines(
        session,
        tenant,
        customer=customer,
        products=products,
        lines=[(pid, qty) for pid, qty, _ in wanted],
        on=bakery_today(tenant, now),
    )
    for (pid, qty, line), now_priced in zip(wanted, priced.lines, strict=True):
        was, price = line.unit_price_minor, now_priced.quote.unit_price_minor
        if qty == line.quantity and price != was:
            message = (
                gettext("%(name)s: price up from %(was)s to %(now)s.")
                if price > was
                else gettext("%(name)s: price down from %(was)s to %(now)s.")
            )
            changes.append(
                message
                % {
                    "name": line.product_name,
                    "was": format_money(was, tenant),
                    "now": format_money(price, tenant),
                }
            )
        set_quantity(
            session,
            tenant,
            contact=contact,
            customer=customer,
            product_id=pid,
            quantity=qty,
            now=now,
        )
    return Reorder(len(wanted), tuple(changes))


def _still_valid(product, quantity: int) -> int:
    """`quantity` if the product still comes in it, else the nearest valid one at or above."""
    minimum, step = product.min_order_qty, product.qty_increment
    if quantity >= minimum and (quantity - minimum) % step == 0:
        return quantity
    return min(valid_neighbours(quantity, minimum, step)[-1], MAX_QUANTITY)
