"""The one PDF document module: a bakery-branded document of headings, notes and long tables.

The buyer's catalog, the production sheet and the packing slips use it (invoices will), so each
gets the same things right once:
- fonts with full Unicode coverage: DejaVu Sans from Debian's fonts-dejavu-core is embedded
  (reportlab's built-in fonts lack glyphs for names like "Łódź Bakery");
- user text is escaped before reportlab's Paragraph markup parser sees it, and text drawn as a
  plain table cell is never parsed at all;
- byte-stable output (`invariant=1`), so golden tests can compare documents;
- branding: the bakery's logo (from bytes, never a URL), name and colour, with header text in
  white or near-black, whichever reads on that colour;
- "Page x of y" in every page's footer, and table headers repeated on every page;
- documents of many parts (a packing slip per page) start each part on a new page with
  `new_page()`, and keep a short block (a slip's heading and instructions) on one page with
  `keep_together()`.
- the parts business documents (invoices, credit notes) need: side-by-side address blocks
  (`add_blocks`) and a right-aligned column of totals (`add_summary`).

Speed: a Paragraph per cell costs a markup parse and a layout each; a catalog of 200 products
had 800 of them. A cell here is a plain string (measured, not parsed) unless it is too wide for
its column and must wrap, and then it becomes an escaped Paragraph.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from flask_babel import gettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
DEFAULT_BRAND = "#8a5a2b"
BODY_SIZE = 9
CELL_PADDING = 6  # reportlab's default left + right cell padding, in points
MARGIN = 15 * mm


@cache
def register_fonts() -> None:
    """Embed DejaVu Sans (regular and bold) once per process."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    # So <b> in a Paragraph (a block's title) picks the bold face instead of a fallback.
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def text_colour_on(background: colors.Color) -> colors.Color:
    """White on a dark colour, near-black on a light one (relative luminance, WCAG)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in (background.red, background.green, background.blue))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return colors.white if luminance < 0.4 else colors.HexColor("#1a1a1a")


@dataclass(frozen=True)
class Column:
    """A table column: its heading, width in points, and whether it aligns right (amounts)."""

    heading: str
    width: float
    right: bool = False


@dataclass(frozen=True)
class Group:
    """A row spanning the table that starts a group (a category, a delivery route)."""

    title: str


@dataclass(frozen=True)
class Muted:
    """A cell of two lines: `text`, then `note` in grey (a category, a customer reference)."""

    text: str
    note: str = ""


Cell = str | Muted


class BrandedDocument:
    """A document for one bakery: `add_*` the parts in order, then `render()` the bytes.

    `tenant` gives the name, colour and logo; `title` names the document in its metadata and
    its footer; `subtitle` is a line of plain text under the bakery's name.
    """

    def __init__(self, tenant, *, title: str, subtitle: str = "", pagesize=A4):
        register_fonts()
        self.tenant = tenant
        self.title = title
        self.pagesize = pagesize
        self.brand = colors.HexColor(tenant.brand_colour or DEFAULT_BRAND)
        self.on_brand = text_colour_on(self.brand)
        self.styles = {
            "title": ParagraphStyle(
                "title", fontName=FONT_BOLD, fontSize=16, leading=20, textColor=self.brand
            ),
            "subtitle": ParagraphStyle(
                "subtitle", fontName=FONT_BOLD, fontSize=12, leading=15, spaceBefore=4
            ),
            "body": ParagraphStyle("body", fontName=FONT, fontSize=BODY_SIZE, leading=11),
            "right": ParagraphStyle(
                "right", fontName=FONT, fontSize=BODY_SIZE, leading=11, alignment=TA_RIGHT
            ),
            "muted": ParagraphStyle(
                "muted", fontName=FONT, fontSize=BODY_SIZE, leading=11, textColor=colors.grey
            ),
        }
        self.story: list = []
        if tenant.logo_content_type and tenant.logo:
            self.story.append(
                Image(io.BytesIO(tenant.logo), width=30 * mm, height=15 * mm, kind="proportional")
            )
        self.add_heading(tenant.name)
        if subtitle:
            self.add_paragraph(subtitle)
        self.story.append(Spacer(1, 6 * mm))

    @property
    def width(self) -> float:
        """The width between the margins, for sizing columns."""
        return self.pagesize[0] - 2 * MARGIN

    def add_heading(self, text: str) -> None:
        """A heading in the bakery's colour (plain text, escaped)."""
        self.story.append(Paragraph(escape(text), self.styles["title"]))

    def add_paragraph(self, text: str, *, muted: bool = False) -> None:
        """A paragraph of plain text (escaped: user text is never read as markup)."""
        self.story.append(Paragraph(escape(text), self.styles["muted" if muted else "body"]))

    def add_lines(self, text: str, *, muted: bool = False) -> None:
        """Plain text whose line breaks are kept (an address, bank details), escaped."""
        self.story.append(Paragraph(_lines(text), self.styles["muted" if muted else "body"]))

    def add_blocks(self, blocks: Sequence[tuple[str, str]]) -> None:
        """Side-by-side blocks of a bold title over plain multi-line text ("Bill to", an
        address), sharing the width equally; user text is escaped."""
        if not blocks:
            return
        cells = [
            Paragraph(f"<b>{escape(title)}</b><br/>{_lines(text)}", self.styles["body"])
            for title, text in blocks
        ]
        table = Table([cells], colWidths=[self.width / len(cells)] * len(cells), hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                ]
            )
        )
        self.story.append(table)

    def add_summary(self, rows: Sequence[tuple[str, str]], *, strong: Sequence[int] = ()) -> None:
        """Label/amount pairs right-aligned under a table (subtotal, tax, total, amount due);
        the rows at indexes `strong` are bold with a rule above. Plain cells, never parsed."""
        if not rows:
            return
        style = [
            ("FONT", (0, 0), (-1, -1), FONT, BODY_SIZE),
            ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
        ]
        for i in strong:
            index = i if i >= 0 else len(rows) + i
            style += [
                ("FONT", (0, index), (-1, index), FONT_BOLD, BODY_SIZE + 1),
                ("LINEABOVE", (0, index), (-1, index), 0.5, self.brand),
            ]
        table = Table(
            [list(row) for row in rows],
            colWidths=[self.width * 0.3, self.width * 0.2],
            hAlign="RIGHT",
        )
        table.setStyle(TableStyle(style))
        self.story.append(table)

    def add_space(self, height_mm: float = 4) -> None:
        self.story.append(Spacer(1, height_mm * mm))

    def add_subheading(self, text: str) -> None:
        """A smaller heading (plain text, escaped): a slip's customer, a section."""
        self.story.append(Paragraph(escape(text), self.styles["subtitle"]))

    def new_page(self) -> None:
        """Start what follows on a new page (one packing slip per page)."""
        self.story.append(PageBreak())

    def keep_together(self, count: int) -> None:
        """Keep the last `count` parts added on one page where they fit."""
        if count > 1:
            self.story[-count:] = [KeepTogether(self.story[-count:])]

    def add_table(self, columns: Sequence[Column], rows: Iterable[Sequence[Cell] | Group]) -> None:
        """A table whose heading row repeats on every page; `Group` rows span it in bold."""
        data: list[list] = [[c.heading for c in columns]]
        style = [
            ("FONT", (0, 0), (-1, -1), FONT, BODY_SIZE),
            ("FONT", (0, 0), (-1, 0), FONT_BOLD, BODY_SIZE),
            ("TEXTCOLOR", (0, 0), (-1, 0), self.on_brand),
            ("BACKGROUND", (0, 0), (-1, 0), self.brand),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        style += [("ALIGN", (i, 0), (i, -1), "RIGHT") for i, c in enumerate(columns) if c.right]
        for row in rows:
            n = len(data)
            if isinstance(row, Group):
                data.append([row.title] + [""] * (len(columns) - 1))
                style += [
                    ("SPAN", (0, n), (-1, n)),
                    ("FONT", (0, n), (-1, n), FONT_BOLD, BODY_SIZE),
                    ("ALIGN", (0, n), (-1, n), "LEFT"),
                    ("TOPPADDING", (0, n), (-1, n), 6),
                ]
            else:
                data.append([self._cell(v, c) for v, c in zip(row, columns, strict=True)])
        table = Table(data, colWidths=[c.width for c in columns], repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle(style))
        self.story.append(table)

    def _cell(self, value: Cell, column: Column):
        room = column.width - CELL_PADDING
        if isinstance(value, Muted):
            if not value.note:
                value = value.text
            else:
                return Paragraph(
                    f"{escape(value.text)}<br/><font color='grey'>{escape(value.note)}</font>",
                    self.styles["right" if column.right else "body"],
                )
        # A plain string cell is drawn as it is (no markup parsing) but does not wrap.
        if "\n" not in value and pdfmetrics.stringWidth(value, FONT, BODY_SIZE) <= room:
            return value
        style = self.styles["right" if column.right else "body"]
        return Paragraph(escape(value).replace("\n", "<br/>"), style)

    def render(self) -> bytes:
        """The PDF's bytes (identical for identical content)."""
        out = io.BytesIO()
        doc = SimpleDocTemplate(
            out,
            pagesize=self.pagesize,
            title=self.title,
            author=self.tenant.name,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 5 * mm,
            invariant=1,
        )
        footer = f"{self.tenant.name} · {self.title}"
        doc.build(list(self.story), canvasmaker=_numbered_canvas(footer, self.brand))
        return out.getvalue()


def _lines(text: str) -> str:
    """`text` escaped for Paragraph markup, its line breaks kept."""
    return "<br/>".join(escape(line) for line in text.splitlines())


def _numbered_canvas(footer: str, brand: colors.Color):
    """A canvas class that holds each page until the last, so every footer can say "of y"
    (in the document's language, looked up now: the pages are drawn later)."""
    page_of = gettext("Page %(number)d of %(total)d")

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._draw_footer(number, total)
                super().showPage()
            super().save()

        def _draw_footer(self, number: int, total: int) -> None:
            width = self._pagesize[0]
            self.saveState()
            self.setStrokeColor(brand)
            self.setLineWidth(0.5)
            self.line(MARGIN, MARGIN, width - MARGIN, MARGIN)
            self.setFont(FONT, 8)
            self.setFillColor(colors.grey)
            self.drawString(MARGIN, MARGIN - 4 * mm, footer)
            self.drawRightString(
                width - MARGIN, MARGIN - 4 * mm, page_of % {"number": number, "total": total}
            )
            self.restoreState()

    return NumberedCanvas
