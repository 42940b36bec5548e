"""Quantities a product may be ordered in, and what a person typed for one.

A product's valid quantities are its minimum, then steps of its increment (min 6, step 6:
6, 12, 18...). A refused quantity names the nearest valid ones, so the buyer can just pick one.
Quantities are parsed strictly as whole numbers here; the shared locale-aware number parser
(issue 12) replaces `parse_quantity` when it lands.
"""

from __future__ import annotations

import re

from tenants.errors import ValidationFailed

# Above this a quantity is a typo, not an order (and it keeps totals far inside 32-bit ints).
MAX_QUANTITY = 10_000
_WHOLE = re.compile(r"\s*\+?(\d{1,9})\s*")


def parse_quantity(text, *, field: str = "quantity") -> int:
    """'12' -> 12. Refuses decimals, signs other than '+', words and absurd sizes."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    match = _WHOLE.fullmatch(str(text or ""))
    if not match:
        if re.fullmatch(r"\s*-\s*\d+\s*", str(text or "")):
            raise ValidationFailed("A quantity cannot be negative.", field=field)
        raise ValidationFailed("Enter a whole number, like 12.", field=field)
    return int(match.group(1))


def valid_neighbours(quantity: int, minimum: int, increment: int) -> list[int]:
    """The valid quantities nearest to `quantity`: the one below (if any) and the one above."""
    if quantity <= minimum:
        return [minimum]
    below = minimum + (quantity - minimum) // increment * increment
    above = below + increment
    return [q for q in (below, above) if q <= MAX_QUANTITY] or [below]


def check_quantity(product, quantity: int, *, field: str = "quantity") -> None:
    """Raise ValidationFailed (naming the nearest valid quantities) unless `quantity` of
    `product` may be ordered."""
    minimum, step = product.min_order_qty, product.qty_increment
    if quantity < 1:
        raise ValidationFailed(f"Order at least {minimum} of {product.name}.", field=field)
    if quantity > MAX_QUANTITY:
        raise ValidationFailed(
            f"{quantity} is more than we can take online (at most {MAX_QUANTITY}); "
            "call the bakery for an order this size.",
            field=field,
        )
    if quantity < minimum:
        raise ValidationFailed(f"{product.name}: the minimum is {minimum}.", field=field)
    if (quantity - minimum) % step:
        options = " or ".join(str(q) for q in valid_neighbours(quantity, minimum, step))
        raise ValidationFailed(
            f"{product.name} comes in steps of {step} from {minimum}: try {options}.",
            field=field,
        )
