"""Valid quantities are the minimum, then steps of the increment; a refusal names the nearest."""

from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenants.errors import ValidationFailed
from tenants.orders.quantities import MAX_QUANTITY, check_quantity, valid_neighbours


def _product(minimum, step):
    return SimpleNamespace(name="Roll", min_order_qty=minimum, qty_increment=step)


@pytest.mark.parametrize(
    ("quantity", "minimum", "step", "expected"),
    [(1, 6, 6, [6]), (6, 6, 6, [6]), (7, 6, 6, [6, 12]), (17, 5, 5, [15, 20]), (3, 1, 2, [3])],
)
def test_the_nearest_valid_quantities_are_the_steps_around_it(quantity, minimum, step, expected):
    assert valid_neighbours(quantity, minimum, step)[: len(expected)] == expected


# The machine running the suite is shared: generation speed is not what this test is about.
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    quantity=st.integers(1, MAX_QUANTITY),
    minimum=st.integers(1, 50),
    step=st.integers(1, 50),
)
def test_every_suggested_quantity_is_itself_accepted(quantity, minimum, step):
    product = _product(minimum, step)
    for suggestion in valid_neighbours(quantity, minimum, step):
        if suggestion <= MAX_QUANTITY:
            check_quantity(product, suggestion)  # raises if the suggestion were refused


def test_a_quantity_beyond_what_can_be_taken_online_is_refused():
    with pytest.raises(ValidationFailed, match="call the bakery"):
        check_quantity(_product(1, 1), MAX_QUANTITY + 1)
