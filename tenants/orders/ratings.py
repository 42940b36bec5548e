"""Buyers rate a delivered order (1 to 5, with an optional comment); staff read the ratings.

A rating is its own row (`order_ratings`), one per order, changed in place if the buyer rates
again. Buyers reach only orders their access level shows them (another customer's order is
NotFound); staff read ratings per customer and the bakery's recent comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from tenants.customers.models import Customer
from tenants.errors import ValidationFailed, ValidationProblems
from tenants.orders.access import authorize
from tenants.orders.followup_models import MAX_COMMENT_LENGTH, OrderRating
from tenants.orders.models import Order
from tenants.orders.queries import get_order_for_contact

SCORES = (1, 2, 3, 4, 5)
RECENT_LIMIT = 50


def parse_score(raw) -> int:
    """A score from a form field: a whole number 1 to 5, else ValidationFailed on "score"."""
    try:
        score = int(str(raw).strip())
    except (TypeError, ValueError):
        score = 0
    if score not in SCORES:
        raise ValidationFailed("Choose 1 to 5 stars.", field="score")
    return score


def rate_order(
    session, tenant, *, contact, customer, order_id, score, comment: str, now: datetime
) -> OrderRating:
    """The buyer's rating of a delivered order they can see (a second rating replaces it)."""
    authorize(tenant, contact, customer, "view_orders", now=now)
    order = get_order_for_contact(session, contact, order_id)
    problems = []
    if order.status != "delivered":
        problems.append(
            ValidationFailed("You can rate an order once it is delivered.", field="score")
        )
    try:
        score = parse_score(score)
    except ValidationFailed as exc:
        problems.append(exc)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        problems.append(
            ValidationFailed(
                f"Keep the comment under {MAX_COMMENT_LENGTH} characters.", field="comment"
            )
        )
    if problems:
        raise problems[0] if len(problems) == 1 else ValidationProblems(problems)
    rating = rating_for(session, order)
    if rating is None:
        rating = OrderRating(tenant_id=tenant.id, order_id=order.id, customer_id=order.customer_id)
        session.add(rating)
    rating.contact_id, rating.rated_by_name = contact.id, contact.name
    rating.score, rating.comment, rating.updated_at = score, comment, now
    session.flush()
    return rating


def rating_for(session, order: Order) -> OrderRating | None:
    """The rating of `order`, if it has one."""
    return session.scalar(select(OrderRating).where(OrderRating.order_id == order.id))


@dataclass(frozen=True)
class RatingRow:
    rating: OrderRating
    order_number: int
    customer_name: str


def customer_ratings(session, customer, *, limit: int = RECENT_LIMIT) -> list[RatingRow]:
    """A customer's ratings, newest first (one query), and so their average on the page."""
    rows = session.execute(
        select(OrderRating, Order.number)
        .join(
            Order, (Order.tenant_id == OrderRating.tenant_id) & (Order.id == OrderRating.order_id)
        )
        .where(OrderRating.customer_id == customer.id)
        .order_by(OrderRating.updated_at.desc())
        .limit(limit)
    ).all()
    return [RatingRow(r, number, customer.display_name) for r, number in rows]


def average(rows: list[RatingRow]) -> float | None:
    """The mean score of `rows` to one decimal, or None without ratings."""
    if not rows:
        return None
    return round(sum(r.rating.score for r in rows) / len(rows), 1)


def recent_comments(session, *, limit: int = RECENT_LIMIT) -> list[RatingRow]:
    """The bakery's newest ratings that carry a comment, with order number and customer: one
    query whatever the count."""
    rows = session.execute(
        select(OrderRating, Order.number, Customer.business_name, Customer.trading_name)
        .join(
            Order, (Order.tenant_id == OrderRating.tenant_id) & (Order.id == OrderRating.order_id)
        )
        .join(
            Customer,
            (Customer.tenant_id == OrderRating.tenant_id)
            & (Customer.id == OrderRating.customer_id),
        )
        .where(OrderRating.comment != "")
        .order_by(OrderRating.updated_at.desc())
        .limit(limit)
    ).all()
    return [RatingRow(r, number, trading or business) for r, number, business, trading in rows]
