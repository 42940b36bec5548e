"""How a price-list tier reads on the back office's pages ('£1.70', '10% off', 'Base price')
and how its price sits in an edit box, in the bakery's locale."""

from config.money import format_money
from config.numbers import format_number_input
from tenants.catalog.money import format_amount


def tier_text(tier, tenant) -> str:
    """How a price-list row reads: '£1.70', '10% off' or 'Base price' (not '1.70', '10%', '0%')."""
    if tier.unit_price_minor is not None:
        return format_money(tier.unit_price_minor, tenant)
    if not tier.discount_percent:
        return "Base price"
    return f"{format_number_input(tier.discount_percent, tenant.locale)}% off"


def tier_input(tier, tenant) -> str:
    """A tier's price as its box holds it, in the bakery's locale: '1.70' or '10'."""
    if tier.unit_price_minor is not None:
        return format_amount(tier.unit_price_minor, tenant.currency, tenant.locale)
    return format_number_input(tier.discount_percent, tenant.locale)


def breaks_input(tiers, tenant) -> str:
    """An entry's volume breaks as the breaks box takes them: '12 2.10' / '48 15%' lines."""
    return "\n".join(
        f"{t.min_qty} {tier_input(t, tenant)}{'' if t.unit_price_minor is not None else '%'}"
        for t in tiers[1:]
    )
