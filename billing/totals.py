"""Line and document totals: integer minor units, tax per line rounded half-up.

The one rule everywhere (invoices, credit notes, their PDFs): a line's amount is quantity x unit
price; its tax is amount x rate / 100 rounded half-up to a minor unit; a document's tax is the sum
of its lines' tax, shown grouped per rate; its total is subtotal + tax.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal


def line_amount(quantity: int, unit_price_minor: int) -> int:
    """A line's amount before tax."""
    return quantity * unit_price_minor


def line_tax(amount_minor: int, rate: Decimal) -> int:
    """A line's tax, half-up to the minor unit (negative amounts round away from zero alike)."""
    return int((Decimal(amount_minor) * Decimal(rate) / 100).quantize(0, rounding=ROUND_HALF_UP))


def tax_by_rate(lines: Iterable) -> list[tuple[Decimal, int, int]]:
    """[(rate, net amount, tax)] over lines with `tax_rate`, `line_total_minor`, `tax_minor`,
    highest rate first (what an invoice prints under its lines)."""
    net: dict[Decimal, int] = defaultdict(int)
    tax: dict[Decimal, int] = defaultdict(int)
    for line in lines:
        rate = Decimal(line.tax_rate).normalize()
        net[rate] += line.line_total_minor
        tax[rate] += line.tax_minor
    return [(rate, net[rate], tax[rate]) for rate in sorted(net, reverse=True)]


def priced_line(quantity: int, unit_price_minor: int, rate: Decimal) -> tuple[int, int]:
    """(amount, tax) of one line: the rule every invoice and credit note line follows."""
    amount = line_amount(quantity, unit_price_minor)
    return amount, line_tax(amount, rate)
