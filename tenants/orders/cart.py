"""The buyer's cart, kept on the server per contact (it survives sign-out and another device).

Writes check the contact may create orders, that the product is one they may order and that the
quantity is valid for it. Reading the cart prices it in one pass of the engine and sets aside,
with a reason, lines that can no longer be ordered (product withdrawn, left the assortment).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from config.clock import bakery_today
from tenants.errors import ValidationFailed
from tenants.orders.access import authorize
from tenants.orders.models import Cart, CartLine
from tenants.orders.pricing import PricedCart, orderable_products, price_lines
from tenants.orders.quantities import check_quantity

MAX_CART_LINES = 500


def find_cart(session, contact) -> Cart | None:
    """The contact's cart, if they have started one."""
    return session.scalar(select(Cart).where(Cart.contact_id == contact.id))


def _cart_for_writing(session, tenant, contact, now: datetime) -> Cart:
    cart = find_cart(session, contact)
    if cart is None:
        cart = Cart(tenant_id=tenant.id, contact_id=contact.id, customer_id=contact.customer_id)
        try:
            # Two tabs filling a first cart at once: the loser takes the winner's cart.
            with session.begin_nested():
                session.add(cart)
        except IntegrityError:
            cart = find_cart(session, contact)
            if cart is None:
                raise
    cart.updated_at = now
    session.flush()
    return cart


def cart_lines(session, cart: Cart | None) -> list[CartLine]:
    if cart is None:
        return []
    return list(
        session.scalars(
            select(CartLine)
            .where(CartLine.cart_id == cart.id)
            .order_by(CartLine.position, CartLine.created_at)
        )
    )


def set_quantity(
    session,
    tenant,
    *,
    contact,
    customer,
    product_id,
    quantity: int,
    now: datetime,
    add: bool = False,
) -> CartLine | None:
    """Set (or with `add`, increase) the cart's quantity of a product; 0 removes the line.

    Raises ValidationFailed (field "quantity") for a quantity the product does not come in,
    naming the nearest valid ones, and for a product the customer cannot order.
    """
    authorize(tenant, contact, customer, "create_orders", now=now)
    try:
        pid = uuid.UUID(str(product_id))
    except ValueError as exc:
        raise ValidationFailed(gettext("That product is not available."), field="product") from exc
    cart = _cart_for_writing(session, tenant, contact, now)
    # FOR UPDATE: two tabs adding to one line take turns, so neither addition is lost.
    line = session.scalar(
        select(CartLine)
        .where(CartLine.cart_id == cart.id, CartLine.product_id == pid)
        .with_for_update()
    )
    wanted = quantity + (line.quantity if line is not None and add else 0)
    if wanted == 0 and not add:
        if line is not None:
            session.delete(line)
            session.flush()
        return None
    product = orderable_products(session, customer, [pid]).get(pid)
    if product is None:
        raise ValidationFailed(gettext("That product is not available."), field="product")
    check_quantity(product, wanted)
    if line is None:
        count = session.scalar(select(func.count()).where(CartLine.cart_id == cart.id))
        if count >= MAX_CART_LINES:
            raise ValidationFailed(
                gettext("A cart holds at most %(num)d products.", num=MAX_CART_LINES),
                field="product",
            )
        line = CartLine(
            tenant_id=tenant.id, cart_id=cart.id, product_id=pid, position=count, quantity=wanted
        )
        try:
            # A second tab adding the same product at the same instant inserts the same
            # (cart, product) row: its INSERT waits for ours and then violates the unique
            # constraint. Inside a SAVEPOINT that loser rolls back only the insert and takes
            # the row the winner committed, as if it had clicked a moment later.
            with session.begin_nested():
                session.add(line)
            return line
        except IntegrityError:
            line = session.scalar(
                select(CartLine)
                .where(CartLine.cart_id == cart.id, CartLine.product_id == pid)
                .with_for_update()
            )
            if line is None:
                raise
            wanted = quantity + (line.quantity if add else 0)
            check_quantity(product, wanted)
    line.quantity = wanted
    session.flush()
    return line


def clear_cart(session, contact) -> None:
    """Empty the contact's cart (after an order is placed from it)."""
    cart = find_cart(session, contact)
    if cart is not None:
        session.execute(delete(CartLine).where(CartLine.cart_id == cart.id))
        session.flush()


@dataclass(frozen=True)
class CartView:
    """The priced cart, and the lines set aside because they can no longer be ordered."""

    priced: PricedCart
    unavailable: tuple[str, ...]
    problems: dict  # product id -> message, for lines whose quantity is no longer valid

    @property
    def empty(self) -> bool:
        return not self.priced.lines


def view_cart(session, tenant, *, contact, customer, now: datetime) -> CartView:
    """The contact's cart priced at today's prices, in a constant number of queries."""
    lines = cart_lines(session, find_cart(session, contact))
    products = orderable_products(session, customer, [line.product_id for line in lines])
    unavailable = tuple(
        gettext("A product in your cart is no longer available and was left out.")
        for line in lines
        if line.product_id not in products
    )
    kept = [line for line in lines if line.product_id in products]
    problems = {}
    for line in kept:
        try:
            check_quantity(products[line.product_id], line.quantity)
        except ValidationFailed as exc:
            problems[line.product_id] = exc.message
    unpriced: list = []  # lost their price while the bakery hides unpriced products
    priced = price_lines(
        session,
        tenant,
        customer=customer,
        products=products,
        lines=[(line.product_id, line.quantity) for line in kept],
        on=bakery_today(tenant, now),
        unpriced=unpriced,
    )
    unavailable += tuple(
        f"{products[pid].name} is no longer available to you and was left out." for pid in unpriced
    )
    for pid in unpriced:
        problems.pop(pid, None)
    return CartView(priced, unavailable, problems)
