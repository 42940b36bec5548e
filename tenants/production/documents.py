"""The day's documents: the production sheet as PDF and CSV, the packing slips as one PDF
(one slip per page, "Page x of y" in every footer). PDFs go through the one document helper,
`tenants.pdf.BrandedDocument`; CSV through the catalog's formula-escaping writer."""

from __future__ import annotations

from reportlab.lib.units import mm

from config.formatting import format_date, format_datetime
from tenants.catalog.csv_io import write_csv
from tenants.pdf import BrandedDocument, Column, Group, Muted
from tenants.production.packing import PackingSlip
from tenants.production.sheet import ProductionSheet

SHEET_COLUMNS = [
    "category",
    "sku",
    "product",
    "unit",
    "quantity",
    "orders",
    "projected_quantity",
    "projected_standing_orders",
    "total",
]


def _day(tenant, day) -> str:
    return f"{day:%A} {format_date(day, tenant)}"


def sheet_pdf(tenant, sheet: ProductionSheet) -> bytes:
    """The sheet as the bakers read it: totals per product, grouped by category."""
    title = f"Production sheet {sheet.day.isoformat()}"
    doc = BrandedDocument(
        tenant,
        title=title,
        subtitle=f"Production sheet for delivery on {_day(tenant, sheet.day)}",
    )
    waiting = (
        f" {sheet.pending_review} more wait for review and are not included."
        if sheet.pending_review
        else ""
    )
    doc.add_paragraph(
        f"Generated {format_datetime(sheet.generated_at, tenant)} from {sheet.orders} "
        f"confirmed orders.{waiting}",
        muted=True,
    )
    doc.add_space(3)
    width = doc.width
    numbers = ["Orders", "Confirmed", "Projected", "To bake"]
    if not sheet.has_projected:
        numbers.remove("Projected")
    columns = [
        Column("SKU", 28 * mm),
        Column("Product", width - 28 * mm - len(numbers) * 22 * mm),
        *(Column(heading, 22 * mm, right=True) for heading in numbers),
    ]
    rows: list = []
    for group in sheet.groups:
        rows.append(Group(group.title))
        for line in group.lines:
            cells = [
                line.sku,
                Muted(line.name, line.unit if line.unit != "each" else ""),
                str(line.orders) + (f" + {line.projected_orders}" if line.projected_orders else ""),
                str(line.quantity),
                f"{line.projected_quantity} (projected)" if line.projected_quantity else "",
                str(line.total),
            ]
            if not sheet.has_projected:
                del cells[4]
            rows.append(cells)
    if not rows:
        doc.add_paragraph("No confirmed orders for this date yet.")
    else:
        doc.add_table(columns, rows)
    if sheet.has_projected:
        doc.add_space(3)
        doc.add_paragraph(
            "Projected: standing orders that become orders at their cut-off; they may still be "
            "skipped or changed.",
            muted=True,
        )
    return doc.render()


def sheet_csv(sheet: ProductionSheet) -> str:
    """The sheet as CSV, one row per product (cells escaped against spreadsheet formulas)."""
    rows = (
        (
            group.title,
            line.sku,
            line.name,
            line.unit,
            line.quantity,
            line.orders,
            line.projected_quantity,
            line.projected_orders,
            line.total,
        )
        for group in sheet.groups
        for line in group.lines
    )
    return write_csv(SHEET_COLUMNS, rows)


def _quantity(quantity: int, unit: str) -> str:
    return str(quantity) if unit == "each" else f"{quantity} × {unit}"


def slips_pdf(tenant, day, slips: list[PackingSlip]) -> bytes:
    """Every slip of the day in route order, each on its own page."""
    doc = BrandedDocument(
        tenant,
        title=f"Packing slips {day.isoformat()}",
        subtitle=f"Packing slips for {_day(tenant, day)}",
    )
    if not slips:
        doc.add_paragraph("No confirmed orders for this date yet.")
        return doc.render()
    width = doc.width
    columns = [
        Column("Packed", 18 * mm),
        Column("SKU", 28 * mm),
        Column("Product", width - 18 * mm - 28 * mm - 30 * mm),
        Column("Quantity", 30 * mm, right=True),
    ]
    for number, slip in enumerate(slips):
        if number:
            doc.new_page()
        stop = f"Stop {slip.position}" if slip.position else "Not on the route"
        doc.add_subheading(f"{stop} · {slip.customer_name} · {slip.location_name}")
        doc.add_paragraph(f"Delivery {_day(tenant, day)}", muted=True)
        parts = 2
        if slip.address:
            doc.add_paragraph(slip.address)
            parts += 1
        numbers = ", ".join(str(n) for n in slip.order_numbers)
        doc.add_paragraph(("Orders " if len(slip.order_numbers) > 1 else "Order ") + numbers)
        parts += 1
        if slip.po_numbers:
            doc.add_paragraph("PO " + ", ".join(slip.po_numbers))
            parts += 1
        if slip.instructions:
            doc.add_paragraph("Delivery instructions: " + slip.instructions)
            parts += 1
        for note in slip.notes:
            doc.add_paragraph("Note from the order: " + note, muted=True)
            parts += 1
        doc.keep_together(parts)
        doc.add_space(3)
        doc.add_table(
            columns,
            [
                # Plain strings: the document helper's fast path (no markup parse per cell),
                # which a day of two thousand slips needs.
                ["☐", line.sku, line.name, _quantity(line.quantity, line.unit)]
                for line in slip.lines
            ],
        )
        doc.add_space(2)
        doc.add_paragraph(f"{len(slip.lines)} products, {slip.items} items in all.", muted=True)
    return doc.render()
