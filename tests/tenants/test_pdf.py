"""The one PDF module: Unicode text, escaped user text, stable bytes, branding, page x of y,
table headers on every page."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm

from tenants.pdf import BrandedDocument, Column, Group, Muted, text_colour_on


@dataclass
class FakeBakery:
    """What a document reads of a bakery (a plain object: no database is needed here)."""

    name: str = "Łódź Bakery <b>& Co</b>"
    brand_colour: str | None = "#1d4e89"
    logo: bytes | None = None
    logo_content_type: str | None = None


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils is needed (scripts/test.sh installs it)"
    return subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _document(rows=3, name="Roggenbrot"):
    doc = BrandedDocument(FakeBakery(), title="Catalog", subtitle="For <i>Café</i> Ærø")
    columns = [Column("SKU", 30 * mm), Column("Product", 60 * mm), Column("Price", 25 * mm, True)]
    body = [Group("Brot & <Brötchen>")]
    body += [[f"SKU-{i:03d}", f"{name} {i}", f"€{i}.50"] for i in range(rows)]
    body.append(["LONG", Muted("x " * 60 + "end-of-name", "note <grey>"), "€1.00"])
    doc.add_table(columns, body)
    return doc


def test_unicode_and_markup_in_user_text_come_out_as_written(tmp_path):
    text = _text(_document().render(), tmp_path)
    assert "Łódź Bakery <b>& Co</b>" in text
    assert "For <i>Café</i> Ærø" in text
    assert "Brot & <Brötchen>" in text and "note <grey>" in text
    assert "end-of-name" in text  # a name too wide for its column wraps instead of vanishing


def test_the_same_document_renders_to_the_same_bytes():
    assert _document().render() == _document().render()


def test_every_page_repeats_the_table_header_and_says_page_x_of_y(tmp_path):
    text = _text(_document(rows=150).render(), tmp_path)
    pages = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "SKU" in page and "Product" in page and "Price" in page
        assert "Łódź Bakery <b>& Co</b> · Catalog" in page
    assert "SKU-149" in pages[-1]


def test_header_text_reads_on_the_bakerys_colour_light_or_dark():
    assert text_colour_on(colors.HexColor("#1d4e89")) == colors.white
    assert text_colour_on(colors.HexColor("#f5e6a8")) != colors.white


def test_the_fonts_embedded_cover_more_than_latin_1():
    assert b"DejaVuSans" in _document().render()
