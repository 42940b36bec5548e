"""CSV import of products and price lists, and CSV export (round trip, formula safety)."""

import pytest
from sqlalchemy import select

from tenants.catalog.errors import BadCsv
from tenants.catalog.exports import price_list_csv, products_csv
from tenants.catalog.imports import process_run, start_import
from tenants.catalog.models import Category, PriceListEntry, Product, VolumeBreak
from tenants.catalog.price_lists import get_price_list
from tests.support.catalog import add_price_list, add_product, tenant_of
from tests.support.factories import tenant_session

HEADER = "sku,name,base_price,category,unit,pack_size,bake_days,active\n"
GOOD = HEADER + (
    "BAG-01,Baguette,2.50,Breads,each,1,Mon Tue Wed Thu Fri,yes\n"
    "CRO-01,Croissant,1.20,Viennoiserie,tray,12,Mon Tue Wed Thu Fri Sat,yes\n"
)


@pytest.fixture
def bakeries(app, two_bakeries):
    """Two bakeries; the second has products with the SKUs the files use, which no import
    into the first may touch (checked after each test)."""
    north, south = two_bakeries
    add_product(app, south, sku="BAG-01", name="South baguette", price=999)
    add_product(app, south, sku="PAI-01", name="South pain", price=999)
    before = products_of(app, south)
    yield north, south
    assert products_of(app, south) == before


def run_import(app, bakery, data: bytes, **options):
    """Start an import and run its job the way the worker does; returns the finished run."""
    with tenant_session(app, bakery.id) as session:
        if "price_list_id" in options:
            options["price_list"] = get_price_list(session, options.pop("price_list_id"))
        run = start_import(
            session,
            tenant_of(session, bakery),
            actor=None,
            kind=options.pop("kind", "products"),
            data=data,
            filename="file.csv",
            **options,
        )
        run_id = run.id
    with tenant_session(app, bakery.id) as session:
        run = process_run(session, tenant_of(session, bakery), run_id)
        return {
            "status": run.status,
            "errors": run.errors,
            "summary": run.summary,
            "done": run.done,
            "total": run.total,
        }


def products_of(app, bakery):
    with tenant_session(app, bakery.id) as session:
        return {
            p.sku: (p.name, p.base_price_minor, p.pack_size, p.bake_days)
            for p in session.scalars(select(Product))
        }


def test_a_products_file_imports_and_reimporting_it_changes_nothing(app, two_bakeries):
    north, south = two_bakeries
    add_product(app, south, sku="BAG-01", name="South baguette", price=999)
    first = run_import(app, north, GOOD.encode())
    assert (first["status"], first["summary"], first["done"], first["total"]) == (
        "done",
        {"created": 2, "updated": 0, "unchanged": 0, "skipped": 0},
        2,
        2,
    )
    assert products_of(app, north)["CRO-01"] == ("Croissant", 120, 12, "1111110")
    again = run_import(app, north, GOOD.encode())
    assert again["summary"] == {"created": 0, "updated": 0, "unchanged": 2, "skipped": 0}
    assert products_of(app, south) == {"BAG-01": ("South baguette", 999, 1, "1111111")}
    with tenant_session(app, north.id) as session:
        assert sorted(c.name for c in session.scalars(select(Category))) == [
            "Breads",
            "Viennoiserie",
        ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "latin-1"])
def test_files_with_a_bom_or_in_latin_1_keep_their_accents(app, bakeries, encoding):
    north, _ = bakeries
    text = HEADER + "PAI-01,Pain de campagne brûlé,3.10,Pains,each,1,Mon,yes\n"
    assert run_import(app, north, text.encode(encoding))["status"] == "done"
    assert products_of(app, north)["PAI-01"][0] == "Pain de campagne brûlé"


def test_one_bad_row_fails_the_whole_import_with_row_column_and_reason(app, bakeries):
    north, _ = bakeries
    text = (
        GOOD
        + "BAD-01,Bad,-1.00,,each,1,Mon,yes\nBAG-01,Duplicate,1.00,,each,1,Mon,yes\n"
        + "DAY-01,Days,1.00,,each,1,Funday,yes\n"
    )
    result = run_import(app, north, text.encode())
    assert result["status"] == "failed"
    assert {(e["row"], e["column"]) for e in result["errors"]} == {
        (4, "base_price"),
        (5, "sku"),
        (6, "bake_days"),
    }
    assert "negative" in result["errors"][0]["reason"]
    assert products_of(app, north) == {}


def test_import_valid_rows_skips_the_bad_ones(app, bakeries):
    north, _ = bakeries
    text = GOOD + "BAD-01,Bad,abc,,each,1,Mon,yes\n"
    result = run_import(app, north, text.encode(), import_valid_rows=True)
    assert result["status"] == "done"
    assert result["summary"]["created"] == 2 and result["summary"]["skipped"] == 1
    assert sorted(products_of(app, north)) == ["BAG-01", "CRO-01"]


def test_an_import_that_would_pass_the_product_limit_imports_nothing(app, bakeries):
    north, _ = bakeries
    with tenant_session(app, north.id) as session:
        tenant_of(session, north).plan.max_products = 1
    result = run_import(app, north, GOOD.encode())
    assert result["status"] == "failed"
    assert "allows 1 products; you have 0." in result["errors"][0]["reason"]
    assert products_of(app, north) == {}


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"name,base_price\nBaguette,2.50\n", "Missing column(s): sku"),
        (b"sku,name,base_price,colour\nA,B,1,red\n", "Unknown column(s): colour"),
        (b"sku,name,base_price\n", "no rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV"),
        ("sku,name,base_price\nA,B,1\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_unreadable_files_are_refused_before_anything_is_queued(app, bakeries, data, message):
    north, _ = bakeries
    with tenant_session(app, north.id) as session, pytest.raises(BadCsv) as caught:
        start_import(session, tenant_of(session, north), actor=None, kind="products", data=data)
    assert message in caught.value.message and caught.value.field == "file"


def test_price_list_rows_import_with_breaks_and_unknown_skus_are_reported(app, two_bakeries):
    north, south = two_bakeries
    add_product(app, north, sku="BAG-01", price=250)
    add_product(app, south, sku="SOUTH-ONLY", price=250)
    cafes = add_price_list(app, north, "Cafés")
    text = (
        "sku,min_qty,unit_price,discount_percent\nBAG-01,1,2.20,\nBAG-01,12,2.00,\n"
        "BAG-01,48,,25\nSOUTH-ONLY,1,1.00,\n"
    )
    failed = run_import(app, north, text.encode(), kind="price_list", price_list_id=cafes)
    assert failed["status"] == "failed"
    assert failed["errors"] == [
        {"row": 5, "column": "sku", "reason": "No product has SKU SOUTH-ONLY."}
    ]
    good = text.replace("SOUTH-ONLY,1,1.00,\n", "")
    done = run_import(app, north, good.encode(), kind="price_list", price_list_id=cafes)
    assert done["summary"] == {"updated": 1, "unchanged": 0, "skipped": 0}
    again = run_import(app, north, good.encode(), kind="price_list", price_list_id=cafes)
    assert again["summary"] == {"updated": 0, "unchanged": 1, "skipped": 0}
    with tenant_session(app, north.id) as session:
        assert session.scalar(select(PriceListEntry.unit_price_minor)) == 220
        assert sorted(session.scalars(select(VolumeBreak.min_qty))) == [12, 48]
        exported = price_list_csv(
            session, tenant_of(session, north), get_price_list(session, cafes)
        )
    assert exported.splitlines() == [
        "sku,min_qty,unit_price,discount_percent",
        "BAG-01,1,2.20,",
        "BAG-01,12,2.00,",
        "BAG-01,48,,25",
    ]


def test_breaks_out_of_order_in_a_price_file_are_reported_on_the_sku(app, bakeries):
    north, _ = bakeries
    add_product(app, north, sku="BAG-01", price=250)
    cafes = add_price_list(app, north, "Cafés")
    text = "sku,min_qty,unit_price\nBAG-01,1,2.20\nBAG-01,24,2.00\nBAG-01,12,2.10\n"
    result = run_import(app, north, text.encode(), kind="price_list", price_list_id=cafes)
    assert result["status"] == "failed"
    assert "out of order" in result["errors"][0]["reason"]


def test_the_products_export_round_trips_and_escapes_formulas(app, two_bakeries):
    north, south = two_bakeries
    add_product(
        app, north, sku="EVIL-1", name='=HYPERLINK("http://x")', price=100, description="@SUM(A1)"
    )
    add_product(app, south, sku="SOUTH-1", price=100)
    with tenant_session(app, north.id) as session:
        exported = products_csv(session, tenant_of(session, north))
    assert "'=HYPERLINK" in exported and "'@SUM(A1)" in exported
    assert "SOUTH-1" not in exported
    result = run_import(app, north, exported.encode())
    assert result["summary"] == {"created": 0, "updated": 0, "unchanged": 1, "skipped": 0}
    assert products_of(app, north)["EVIL-1"][0] == '=HYPERLINK("http://x")'


def test_a_price_file_without_a_price_column_is_refused_on_upload(app, bakeries):
    north, _ = bakeries
    cafes = add_price_list(app, north, "Cafés")
    with tenant_session(app, north.id) as session, pytest.raises(BadCsv) as caught:
        start_import(
            session,
            tenant_of(session, north),
            actor=None,
            kind="price_list",
            data=b"sku,min_qty\nBAG-01,1\n",
            price_list=get_price_list(session, cafes),
        )
    assert "unit_price or a discount_percent" in caught.value.message


def test_a_category_name_too_long_for_its_column_is_a_row_error(app, bakeries):
    north, _ = bakeries
    long_name = "Sourdough " * 13  # 130 characters; the column holds 120
    text = GOOD + f"SOU-01,Sourdough,4.00,{long_name},each,1,Mon,yes\n"
    result = run_import(app, north, text.encode())
    assert result["status"] == "failed"
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(4, "category")]
    assert "120" in result["errors"][0]["reason"]
    assert products_of(app, north) == {}
    valid_rows = run_import(app, north, text.encode(), import_valid_rows=True)
    assert valid_rows["status"] == "done" and valid_rows["summary"]["skipped"] == 1
    assert sorted(products_of(app, north)) == ["BAG-01", "CRO-01"]
