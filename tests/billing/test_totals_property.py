"""Property: an invoice's total is the sum of its lines plus the tax per rate, each line's tax
rounded half-up on its own (checked against integer arithmetic, not the code's Decimal)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.totals import priced_line, tax_by_rate

RATES = [Decimal("0"), Decimal("5.5"), Decimal("7"), Decimal("19"), Decimal("20"), Decimal("7.75")]
lines_strategy = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=500),
        st.integers(min_value=0, max_value=100_000),
        st.sampled_from(RATES),
    ),
    min_size=1,
    max_size=20,
)


def half_up_tax(amount: int, rate: Decimal) -> int:
    """amount * rate / 100 rounded half-up, in integers: rate in hundredths of a percent."""
    hundredths = int(rate * 100)
    return (amount * hundredths * 2 + 10_000) // 20_000


# The machine is shared and slow at times: generation speed is not what is under test.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=200)
@given(lines_strategy)
def test_total_is_lines_plus_tax_per_rate_rounded_per_line(raw):
    lines = []
    for qty, price, rate in raw:
        amount, tax = priced_line(qty, price, rate)
        assert amount == qty * price
        assert tax == half_up_tax(amount, rate)
        lines.append(SimpleNamespace(tax_rate=rate, line_total_minor=amount, tax_minor=tax))
    bands = tax_by_rate(lines)
    subtotal = sum(line.line_total_minor for line in lines)
    assert sum(net for _, net, _ in bands) == subtotal
    assert sum(tax for _, _, tax in bands) == sum(line.tax_minor for line in lines)
    assert len(bands) == len({rate.normalize() for _, _, rate in raw})
    for rate, net, tax in bands:
        same = [line for line in lines if line.tax_rate.normalize() == rate]
        assert net == sum(line.line_total_minor for line in same)
        assert tax == sum(half_up_tax(line.line_total_minor, rate) for line in same)


def test_half_a_cent_rounds_up():
    assert priced_line(1, 50, Decimal("1"))[1] == 1  # 0.5 -> 1
    assert priced_line(1, 149, Decimal("1"))[1] == 1  # 1.49 -> 1
    assert priced_line(1, 150, Decimal("1"))[1] == 2  # 1.5 -> 2
