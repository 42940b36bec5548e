"""CSV import of customers on the generic import runner, and the customers export."""

import pytest
from sqlalchemy import func, select

from tenants.catalog.imports import process_run, start_import
from tenants.customers.csv_import import customers_csv
from tenants.customers.models import Customer, CustomerActivity, DeliveryLocation
from tenants.errors import PermissionDenied
from tests.support.catalog import add_price_list, tenant_of
from tests.support.factories import add_staff, make_customer, tenant_session

HEADER = (
    "business_name,trading_name,billing_email,payment_terms,price_list,"
    "location_name,location_address\n"
)
GOOD = HEADER + (
    "Café Aurora,Aurora,Accounts@Aurora.example,net_30,Cafés,Old Town,1 Market Sq\n"
    "Café Aurora,Aurora,Accounts@Aurora.example,net_30,Cafés,Riverside,2 Quay St\n"
    "Corner Deli,,,Net 7 days,,,\n"
)


@pytest.fixture
def bakeries(app, two_bakeries):
    """Two bakeries with a 'Cafés' list each; the second already has a Café Aurora on its own
    list, which no import into the first may touch (checked after each test)."""
    north, south = two_bakeries
    add_price_list(app, north, "Cafés")
    theirs = add_price_list(app, south, "Cafés")
    add_price_list(app, south, "Hotels")
    make_customer(app, south, "Café Aurora", price_list_id=theirs, trading_name="South")
    before = customers_of(app, south)
    yield north, south
    assert customers_of(app, south) == before


def run_import(app, bakery, data: bytes, *, actor_id=None, **options):
    """Start a customers import and run its job the way the worker does; returns the run."""
    from tenants.staff.models import StaffUser

    with tenant_session(app, bakery.id) as session:
        actor = session.get(StaffUser, (bakery.id, actor_id)) if actor_id else None
        run_id = start_import(
            session,
            tenant_of(session, bakery),
            actor=actor,
            kind="customers",
            data=data,
            filename="customers.csv",
            **options,
        ).id
    with tenant_session(app, bakery.id) as session:
        run = process_run(session, tenant_of(session, bakery), run_id)
        return {"status": run.status, "errors": run.errors, "summary": run.summary}


def customers_of(app, bakery):
    """{business name: (fields..., price list name, sorted locations)} of a bakery."""
    from tenants.catalog.models import PriceList

    with tenant_session(app, bakery.id) as session:
        lists = dict(session.execute(select(PriceList.id, PriceList.name)).all())
        locations = {}
        for loc in session.scalars(select(DeliveryLocation)):
            locations.setdefault(loc.customer_id, []).append((loc.name, loc.address))
        return {
            c.business_name: (
                c.trading_name,
                c.billing_email,
                c.payment_terms,
                lists.get(c.price_list_id),
                sorted(locations.get(c.id, [])),
            )
            for c in session.scalars(select(Customer))
        }


def activity_count(app, bakery):
    with tenant_session(app, bakery.id) as session:
        return session.scalar(select(func.count(CustomerActivity.id)))


def test_a_customers_file_imports_and_reimporting_it_changes_nothing(app, bakeries):
    north, _ = bakeries
    staff = add_staff(app, north, email="sales@example.com", role="sales", name="Sam Sales")
    first = run_import(app, north, GOOD.encode(), actor_id=staff)
    assert first == {
        "status": "done",
        "errors": [],
        "summary": {"created": 2, "updated": 0, "unchanged": 0, "skipped": 0},
    }
    assert customers_of(app, north) == {
        "Café Aurora": (
            "Aurora",
            "accounts@aurora.example",
            "net_30",
            "Cafés",
            [("Old Town", "1 Market Sq"), ("Riverside", "2 Quay St")],
        ),
        "Corner Deli": ("", "", "net_7", None, []),
    }
    logged = activity_count(app, north)
    with tenant_session(app, north.id) as session:
        names = set(session.scalars(select(CustomerActivity.actor_name)))
    assert logged == 2 and names == {"Sam Sales"}
    again = run_import(app, north, GOOD.encode(), actor_id=staff)
    assert again["summary"] == {"created": 0, "updated": 0, "unchanged": 2, "skipped": 0}
    assert activity_count(app, north) == logged


def test_a_changed_file_updates_by_business_name_and_logs_the_change(app, bakeries):
    north, _ = bakeries
    run_import(app, north, GOOD.encode())
    changed = "business_name,trading_name,location_name,location_address\n" + (
        "café aurora,Aurora Coffee,Old Town,3 Market Sq\n"
    )
    result = run_import(app, north, changed.encode())
    assert result["summary"] == {"created": 0, "updated": 1, "unchanged": 0, "skipped": 0}
    aurora = customers_of(app, north)["Café Aurora"]
    # columns left out of the file (billing email, terms, price list) keep their values
    assert aurora == (
        "Aurora Coffee",
        "accounts@aurora.example",
        "net_30",
        "Cafés",
        [("Old Town", "3 Market Sq"), ("Riverside", "2 Quay St")],
    )
    with tenant_session(app, north.id) as session:
        summaries = list(session.scalars(select(CustomerActivity.summary)))
    assert any("trading name, location Old Town (CSV import" in s for s in summaries)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "latin-1"])
def test_files_with_a_bom_or_in_latin_1_keep_their_accents(app, bakeries, encoding):
    north, _ = bakeries
    data = "business_name,trading_name\nBäckerei Müller Café,Müller\n".encode(encoding)
    assert run_import(app, north, data)["status"] == "done"
    assert customers_of(app, north)["Bäckerei Müller Café"][0] == "Müller"


def test_bad_rows_fail_the_whole_import_with_row_column_and_reason(app, bakeries):
    north, _ = bakeries
    bad = HEADER + (
        "Good Café,,,,,,\n"
        "Bad Mail,,not-an-email,,,,\n"
        "Bad Terms,,,net 90,,,\n"
        "Foreign List,,,,Hotels,,\n"  # only the other bakery has a list of that name
        "Good Café,Other,,,,,\n"
        "No Name Place,,,,,,somewhere\n"
    )
    result = run_import(app, north, bad.encode())
    assert result["status"] == "failed"
    assert [(e["row"], e["column"]) for e in result["errors"]] == [
        (3, "billing_email"),
        (4, "payment_terms"),
        (5, "price_list"),
        (6, "business_name"),
        (7, "location_name"),
    ]
    assert result["errors"][2]["reason"] == "No price list is named Hotels."
    assert "also on row 2" in result["errors"][3]["reason"]
    assert customers_of(app, north) == {}


def test_import_valid_rows_skips_the_bad_ones(app, bakeries):
    north, _ = bakeries
    data = HEADER + "Good Café,,,,Cafés,,\nBad Mail,,not-an-email,,,,\n"
    result = run_import(app, north, data.encode(), import_valid_rows=True)
    assert result["status"] == "done" and result["summary"]["skipped"] == 1
    assert list(customers_of(app, north)) == ["Good Café"]


def test_an_import_that_would_pass_the_customer_limit_imports_nothing(app, bakeries):
    north, _ = bakeries
    make_customer(app, north, "Already Here")
    with tenant_session(app, north.id) as session:
        tenant_of(session, north).plan.max_customers = 2
    result = run_import(app, north, GOOD.encode())
    assert result["status"] == "failed"
    assert "allows 2 customers; you have 1." in result["errors"][0]["reason"]
    assert list(customers_of(app, north)) == ["Already Here"]
    # updating existing customers needs no room
    ok = run_import(app, north, b"business_name,trading_name\nAlready Here,Here\n")
    assert ok["summary"]["updated"] == 1


def test_staff_without_the_customers_permission_cannot_start_an_import(app, bakeries):
    from tenants.staff.models import StaffUser

    north, _ = bakeries
    clerk = add_staff(app, north, email="acc@example.com", role="accounts")
    with tenant_session(app, north.id) as session, pytest.raises(PermissionDenied):
        start_import(
            session,
            tenant_of(session, north),
            actor=session.get(StaffUser, (north.id, clerk)),
            kind="customers",
            data=GOOD.encode(),
        )


def test_the_export_round_trips_and_escapes_formulas(app, bakeries):
    north, _ = bakeries
    tricky = HEADER.replace("\n", ",phone,notes\n") + (
        '"=HYPERLINK(""http://x"")",+Plus,,due_on_receipt,Cafés,@Home,"-1 Road\nTown",'
        '+44 20 7946,"multi\nline"\n'
    )
    assert run_import(app, north, GOOD.encode())["status"] == "done"
    assert run_import(app, north, tricky.encode())["status"] == "done"
    before = customers_of(app, north)
    with tenant_session(app, north.id) as session:
        exported = customers_csv(session)
    assert exported.startswith(
        "business_name,trading_name,tax_number,billing_email,phone,payment_terms,price_list"
    )
    assert "'=HYPERLINK" in exported and "'+Plus" in exported and "'@Home" in exported
    assert "'+44 20 7946" in exported and "South" not in exported
    again = run_import(app, north, exported.encode())
    assert again["summary"] == {"created": 0, "updated": 0, "unchanged": 3, "skipped": 0}
    assert customers_of(app, north) == before
    assert before['=HYPERLINK("http://x")'][0] == "+Plus"


@pytest.mark.parametrize(
    ("cell", "column"),
    [
        ("Bad\x07Bell", "business_name"),
        ("Right\u202eto left", "business_name"),
        ("Line\u2066isolate\u2069", "business_name"),
        ("Shop\x1bEscape", "trading_name"),
        ("Two\u202elines", "phone"),
    ],
)
def test_csv_cells_go_through_the_same_text_rules_as_the_forms(app, bakeries, cell, column):
    north, _ = bakeries
    other = "business_name" if column != "business_name" else "trading_name"
    data = f'{column},{other}\n"{cell}",Fine Name\n'.encode()
    result = run_import(app, north, data)
    assert result["status"] == "failed"
    assert [(e["column"], e["reason"]) for e in result["errors"]] == [
        (column, "Use a single line of text, without line breaks.")
    ]
    assert customers_of(app, north) == {}


def test_a_line_break_in_a_business_name_is_refused_but_notes_may_have_one(app, bakeries):
    north, _ = bakeries
    refused = run_import(app, north, b'business_name\n"Two\nLines"\n')
    assert refused["status"] == "failed"
    assert refused["errors"][0]["column"] == "business_name"
    allowed = run_import(app, north, b'business_name,notes\nOne Line,"two\nlines"\n')
    assert allowed["status"] == "done"
    bad_notes = run_import(app, north, b'business_name,notes\nOther,"bell\x07"\n')
    assert bad_notes["errors"][0]["column"] == "notes"
