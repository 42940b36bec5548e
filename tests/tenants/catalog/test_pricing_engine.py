"""The pure pricing engine: exact, monotone, explainable (hypothesis property tests)."""

import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from tenants.catalog.pricing import ListSnapshot, ProductSnapshot, Tier, percent_off, quote

DAY = date(2026, 6, 1)
PRODUCT = ProductSnapshot(uuid.uuid4(), 250)

prices = st.integers(min_value=0, max_value=10_000_000)
percents = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)
tiers = st.builds(
    lambda qty, price, pct, fixed: Tier(qty, price if fixed else None, None if fixed else pct),
    st.integers(min_value=2, max_value=500),
    prices,
    percents,
    st.booleans(),
)


def snapshot(product, first: Tier, breaks: list[Tier], **validity) -> ListSnapshot:
    unique = {t.min_qty: t for t in breaks}
    return ListSnapshot(
        uuid.uuid4(),
        "Cafés",
        validity.get("valid_from"),
        validity.get("valid_until"),
        {product.id: (first, *sorted(unique.values(), key=lambda t: t.min_qty))},
    )


@given(
    prices,
    st.one_of(
        st.builds(lambda p: Tier(1, p), prices), st.builds(lambda d: Tier(1, None, d), percents)
    ),
    st.lists(tiers, max_size=6),
    st.integers(min_value=1, max_value=999),
)
def test_unit_price_never_rises_as_quantity_rises(base, first, breaks, quantity):
    product = ProductSnapshot(uuid.uuid4(), base)
    price_list = snapshot(product, first, breaks)
    smaller = quote(product, price_list, quantity, DAY)
    bigger = quote(product, price_list, quantity + 1, DAY)
    assert bigger.unit_price_minor <= smaller.unit_price_minor


@given(prices, st.lists(tiers, max_size=6), st.integers(min_value=1, max_value=100_000))
def test_line_total_is_quantity_times_unit_price_exactly_and_never_negative(base, breaks, qty):
    product = ProductSnapshot(uuid.uuid4(), base)
    result = quote(product, snapshot(product, Tier(1, None, Decimal("5")), breaks), qty, DAY)
    assert result.line_total_minor == qty * result.unit_price_minor
    assert isinstance(result.unit_price_minor, int)
    assert result.unit_price_minor >= 0


@given(prices, percents)
def test_percent_off_rounds_half_up_to_whole_minor_units(base, pct):
    exact = Decimal(base) * (100 - pct) / 100
    assert abs(percent_off(base, pct) - exact) <= Decimal("0.5")
    assert 0 <= percent_off(base, pct) <= base


def test_half_a_minor_unit_rounds_up():
    assert percent_off(250, Decimal("1")) == 248  # 247.5 -> 248
    assert percent_off(5, Decimal("50")) == 3  # 2.5 -> 3


def test_a_break_applies_from_its_quantity_and_the_next_break_is_announced():
    price_list = snapshot(PRODUCT, Tier(1, 240), [Tier(12, 210), Tier(48, None, Decimal(20))])
    one = quote(PRODUCT, price_list, 11, DAY)
    assert (one.unit_price_minor, one.rule, one.line_total_minor) == (240, "list", 2640)
    assert (one.next_break.min_qty, one.next_break.unit_price_minor) == (12, 210)
    twelve = quote(PRODUCT, price_list, 12, DAY)
    assert (twelve.unit_price_minor, twelve.rule, twelve.detail) == (
        210,
        "break",
        "from 12: fixed price",
    )
    assert twelve.next_break.min_qty == 48 and twelve.next_break.unit_price_minor == 200
    many = quote(PRODUCT, price_list, 100, DAY)
    assert (many.unit_price_minor, many.detail, many.next_break) == (200, "from 48: 20% off", None)


def test_outside_its_validity_dates_a_list_gives_way_to_the_base_price():
    price_list = snapshot(
        PRODUCT, Tier(1, 100), [], valid_from=date(2026, 7, 1), valid_until=date(2026, 7, 31)
    )
    before = quote(PRODUCT, price_list, 1, DAY)
    during = quote(PRODUCT, price_list, 1, date(2026, 7, 31))
    assert (before.unit_price_minor, before.rule, before.priced) == (250, "base", False)
    assert (during.unit_price_minor, during.rule, during.priced) == (100, "list", True)


def test_a_product_missing_from_the_list_is_base_priced_and_marked_unpriced():
    other = ProductSnapshot(uuid.uuid4(), 400)
    result = quote(other, snapshot(PRODUCT, Tier(1, 100), []), 3, DAY)
    assert (result.unit_price_minor, result.line_total_minor, result.priced) == (400, 1200, False)


def test_the_fallback_list_prices_what_the_first_list_does_not():
    other = ProductSnapshot(uuid.uuid4(), 400)
    first = snapshot(PRODUCT, Tier(1, 100), [])
    fallback = ListSnapshot(uuid.uuid4(), "Standard", None, None, {other.id: (Tier(1, 380),)})
    assert quote(PRODUCT, first, 1, DAY, fallback).source == "Cafés"
    result = quote(other, first, 2, DAY, fallback)
    assert (result.source, result.unit_price_minor, result.price_list_id) == (
        "Standard",
        380,
        fallback.id,
    )


@given(st.integers(min_value=0, max_value=10_000_000), percents)
def test_percent_off_in_integers_matches_the_decimal_definition(base, pct):
    """The integer fast path gives exactly the Decimal half-up result it replaced."""
    reference = (Decimal(base) * (100 - pct) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert percent_off(base, pct) == int(reference)
