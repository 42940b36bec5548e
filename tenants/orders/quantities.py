"""Quantities a product may be ordered in, and what a person typed for one.

A product's valid quantities are its minimum, then steps of its increment (min 6, step 6:
6, 12, 18...). A refused quantity names the nearest valid ones, so the buyer can just pick one.
What a person typed is read by the one number parser (config.numbers), in the bakery's
locale, so "1.200" is twelve hundred in de_DE exactly as it is in a price-list box.
"""

from __future__ import annotations

from config.numbers import NumberInputError, parse_whole_number
from tenants.errors import ValidationFailed

# Above this a quantity is a typo, not an order (and it keeps totals far inside 32-bit ints).
MAX_QUANTITY = 10_000


def parse_quantity(text, locale: str | None = None, *, field: str = "quantity") -> int:
    """'12' -> 12, read in `locale` (the bakery's). Refuses decimals, words and negatives;
    sizes are checked against the product by `check_quantity`."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    try:
        value = parse_whole_number(
            str(text or ""), locale, message="Enter a whole number, like 12."
        )
    except NumberInputError as exc:
        raise ValidationFailed(exc.message, field=field) from exc
    if value < 0:
        raise ValidationFailed("A quantity cannot be negative.", field=field)
    return value


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
