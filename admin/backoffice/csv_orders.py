"""The orders list as CSV: one marshmallow schema at the edge says the columns and formats."""

from __future__ import annotations

import csv
import io

from marshmallow import Schema, fields

from config.formatting import minor_to_decimal
from tenants.orders.models import SOURCES

ORDER_COLUMNS = [
    "number",
    "delivery_date",
    "status",
    "customer",
    "location",
    "source",
    "placed_by",
    "placed_at",
    "po_number",
    "lines",
    "currency",
    "subtotal",
    "tax",
    "total",
]


class OrderCsvSchema(Schema):
    """One staff list row (tenants.orders.desk.StaffRow) as a CSV row."""

    number = fields.Integer(attribute="order.number")
    delivery_date = fields.Date(attribute="order.delivery_date")
    status = fields.String(attribute="order.status_label")
    customer = fields.String(attribute="customer_name")
    location = fields.String(attribute="location_name")
    source = fields.Function(lambda row: SOURCES.get(row.order.source, row.order.source))
    placed_by = fields.String(attribute="order.placed_by_name")
    placed_at = fields.DateTime(attribute="order.placed_at", format="iso")
    po_number = fields.String(attribute="order.po_number")
    lines = fields.Integer(attribute="line_count")
    currency = fields.String(attribute="order.currency")
    subtotal = fields.Function(lambda row: _amount(row.order.subtotal_minor, row.order.currency))
    tax = fields.Function(lambda row: _amount(row.order.tax_minor, row.order.currency))
    total = fields.Function(lambda row: _amount(row.order.total_minor, row.order.currency))


def _amount(minor: int, currency: str) -> str:
    return str(minor_to_decimal(minor, currency))


def _cell(value) -> str:
    # A cell a spreadsheet would run as a formula gets a leading quote (CSV injection).
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def orders_csv(rows) -> str:
    """The rows as CSV text with a header line."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ORDER_COLUMNS)
    for data in OrderCsvSchema(many=True).dump(rows):
        writer.writerow([_cell(data[c]) for c in ORDER_COLUMNS])
    return out.getvalue()
