"""A customer's own catalog at that customer's prices, as CSV and as a branded PDF.

A Professional feature (`catalog_export`): every function checks the gate itself, so the portal,
the back office and any job get the same answer. The PDF embeds DejaVu Sans (Debian's
fonts-dejavu-core), whose glyphs cover names like "Łódź"; user text is escaped before it reaches
reportlab's Paragraph markup parser.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from tenants.catalog.csv_io import write_csv
from tenants.catalog.money import format_amount
from tenants.catalog.quotes import customer_catalog
from tenants.plans import require_feature

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
BUYER_COLUMNS = [
    "sku",
    "name",
    "category",
    "unit",
    "pack_size",
    "min_order_qty",
    "qty_increment",
    "unit_price",
    "price_rule",
    "volume_break",
]


def _break_text(line, currency) -> str:
    nb = line.quote.next_break
    return (
        "" if nb is None else f"from {nb.min_qty}: {format_amount(nb.unit_price_minor, currency)}"
    )


def buyer_catalog_csv(session, tenant, *, customer, on: date) -> str:
    """The customer's catalog with its prices as CSV (cells escaped against formulas)."""
    require_feature(tenant, "catalog_export")
    rows = (
        (
            line.product.sku,
            line.product.name,
            line.category_name,
            line.product.unit,
            line.product.pack_size,
            line.product.min_order_qty,
            line.product.qty_increment,
            format_amount(line.quote.unit_price_minor, tenant.currency),
            line.quote.detail,
            _break_text(line, tenant.currency),
        )
        for line in customer_catalog(session, tenant, customer=customer, on=on)
    )
    return write_csv(BUYER_COLUMNS, rows)


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def buyer_catalog_pdf(session, tenant, *, customer, on: date) -> bytes:
    """The customer's catalog with its prices as a PDF in the bakery's colours."""
    require_feature(tenant, "catalog_export")
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_fonts()
    brand = colors.HexColor(tenant.brand_colour or "#8a5a2b")
    title = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=16, leading=20, textColor=brand)
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11)
    lines = customer_catalog(session, tenant, customer=customer, on=on)
    story = []
    if tenant.logo_content_type and tenant.logo:
        story.append(
            Image(io.BytesIO(tenant.logo), width=30 * mm, height=15 * mm, kind="proportional")
        )
    story += [
        Paragraph(escape(tenant.name), title),
        Paragraph(
            escape(
                f"Price list for {customer.display_name} · {on.isoformat()} · "
                f"prices in {tenant.currency}, excluding tax"
            ),
            body,
        ),
        Spacer(1, 6 * mm),
    ]
    data = [["SKU", "Product", "Unit", "Price", "Volume price"]]
    for line in lines:
        unit = f"{line.product.unit}" + (
            f" × {line.product.pack_size}" if line.product.pack_size > 1 else ""
        )
        data.append(
            [
                Paragraph(escape(line.product.sku), body),
                Paragraph(
                    escape(line.product.name)
                    + (
                        f"<br/><font color='grey'>{escape(line.category_name)}</font>"
                        if line.category_name
                        else ""
                    ),
                    body,
                ),
                Paragraph(escape(unit), body),
                format_amount(line.quote.unit_price_minor, tenant.currency),
                Paragraph(escape(_break_text(line, tenant.currency)), body),
            ]
        )
    table = Table(data, colWidths=[25 * mm, 75 * mm, 25 * mm, 20 * mm, 35 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 9),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("BACKGROUND", (0, 0), (-1, 0), brand),
                ("ALIGN", (3, 0), (3, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=f"{tenant.name} catalog",
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        invariant=1,
    )
    doc.build(story)
    return out.getvalue()
