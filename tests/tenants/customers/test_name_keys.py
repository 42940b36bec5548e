"""Customers' names compare on one case-folded key on both databases: "Ökobäckerei" and
"ökobäckerei" are the same customer on SQLite (whose lower() folds ASCII only) as on PostgreSQL,
so duplicate checks hold and an exported customers CSV imports back."""

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from config.extensions import db
from tenants.catalog.imports import process_run, start_import
from tenants.customers.csv_import import customers_csv
from tenants.customers.models import Customer
from tenants.customers.services import create_customer
from tenants.errors import ValidationFailed
from tenants.models import Tenant
from tenants.scoping import bind_tenant
from tenants.signup import sign_up_bakery
from tenants.text_keys import fold_key


def test_the_key_folds_case_width_and_spacing_the_same_way_everywhere():
    assert fold_key("Ökobäckerei") == fold_key("ökobäckerei") == fold_key(" ÖKOBÄCKEREI ")
    assert fold_key("Straße  Café") == fold_key("STRASSE café")
    assert fold_key("Ｃａｆé") == fold_key("café")  # full-width letters (NFKC)
    assert fold_key("Café Aurora") != fold_key("Café Aurore")


@pytest.fixture(scope="module")
def sqlite_app(tmp_path_factory):
    from config.root.app import create_app
    from config.settings import Settings

    path = tmp_path_factory.mktemp("names") / "app.sqlite3"
    app = create_app(
        Settings.from_env(
            {"APP_ENV": "test", "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{path}"}
        ),
        check_db_role=False,
    )
    with app.app_context():
        upgrade()  # the real migrations, 0007's key column and unique constraint included
        for slug in ("north-bakery", "south-bakery"):
            sign_up_bakery(
                db.session,
                name=slug,
                slug=slug,
                owner_name="O",
                email="o@example.com",
                password="correct-horse-battery",
                timezone="UTC",
                currency="EUR",
                locale="en_GB",
                email_verified=True,
            )
            db.session.commit()
            db.session.remove()
    return app


@pytest.fixture(params=["sqlite", "postgresql"])
def bakery_session(request):
    """(open(slug) -> context manager of a session bound to that bakery, tenant getter)."""
    from contextlib import contextmanager

    if request.param == "sqlite":
        app = request.getfixturevalue("sqlite_app")  # not beside `app`: it swaps db.session
    else:
        app = request.getfixturevalue("app")
        request.getfixturevalue("two_bakeries")  # north-bakery and south-bakery

    @contextmanager
    def bound(slug):
        with app.app_context():
            tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
            bind_tenant(db.session, tenant.id)
            yield db.session, tenant
            db.session.commit()

    yield bound
    if request.param == "sqlite":
        with app.app_context():
            for slug in ("north-bakery", "south-bakery"):
                tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
                bind_tenant(db.session, tenant.id)
                db.session.query(Customer).delete()
                db.session.commit()
                db.session.remove()


def _import(bound, slug, data: bytes):
    with bound(slug) as (session, tenant):
        run_id = start_import(
            session, tenant, actor=None, kind="customers", data=data, filename="c.csv"
        ).id
    with bound(slug) as (session, tenant):
        run = process_run(session, tenant, run_id)
        return run.status, run.errors, run.summary


def _names(bound, slug):
    with bound(slug) as (session, _):
        return sorted(session.scalars(select(Customer.business_name)))


def test_a_customer_differing_only_in_non_ascii_case_is_a_duplicate(bakery_session):
    with bakery_session("north-bakery") as (session, tenant):
        create_customer(session, tenant, actor=None, business_name="Ökobäckerei")
    with (
        bakery_session("north-bakery") as (session, tenant),
        pytest.raises(ValidationFailed, match="exists"),
    ):
        create_customer(session, tenant, actor=None, business_name="ökobäckerei")
    with bakery_session("south-bakery") as (session, tenant):  # another bakery: no clash
        create_customer(session, tenant, actor=None, business_name="ökobäckerei")


def test_an_import_matches_existing_customers_on_the_folded_key(bakery_session):
    with bakery_session("north-bakery") as (session, tenant):
        create_customer(session, tenant, actor=None, business_name="Ökobäckerei")
    status, errors, summary = _import(
        bakery_session, "north-bakery", "business_name,phone\nökobäckerei,0123\n".encode()
    )
    assert (status, errors) == ("done", [])
    assert summary["created"] == 0 and summary["updated"] == 1
    assert _names(bakery_session, "north-bakery") == ["Ökobäckerei"]


def test_two_rows_differing_only_in_case_are_one_customer(bakery_session):
    data = "business_name,phone\nÖkobäckerei,0123\nökobäckerei,0123\n".encode()
    status, _, summary = _import(bakery_session, "north-bakery", data)
    assert status == "done" and summary["created"] == 1
    with bakery_session("north-bakery") as (session, _):
        assert session.scalar(select(func.count(Customer.id))) == 1


def test_an_exported_customers_file_imports_back_unchanged(bakery_session):
    for name in ("Ökobäckerei", "Çiğdem Fırın", "Zürcher Brot"):
        with bakery_session("north-bakery") as (session, tenant):
            create_customer(session, tenant, actor=None, business_name=name)
    with bakery_session("north-bakery") as (session, _):
        exported = customers_csv(session)
    status, errors, summary = _import(bakery_session, "north-bakery", exported.encode())
    assert (status, errors) == ("done", [])
    assert summary == {"created": 0, "updated": 0, "unchanged": 3, "skipped": 0}
    assert _names(bakery_session, "south-bakery") == []
