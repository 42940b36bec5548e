"""Row-level security catches what the ORM filter cannot see: raw SQL under the app role."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from config.extensions import db
from tenants.customers.models import Customer
from tenants.scoping import bind_tenant
from tests.support.factories import tenant_session


def test_raw_sql_under_the_app_role_sees_only_the_current_bakerys_rows(app, two_bakeries):
    north, south = two_bakeries
    for bakery, name in ((north, "North Café"), (south, "South Café")):
        with tenant_session(app, bakery.id) as session:
            session.add(Customer(business_name=name))
    with app.app_context():
        assert db.session.execute(text("SELECT current_user")).scalar() == "bakery_app"
        bind_tenant(db.session, north.id)
        names = db.session.execute(text("SELECT business_name FROM customers")).scalars().all()
    assert names == ["North Café"]


def test_raw_sql_with_no_bakery_set_sees_no_rows(app, two_bakeries):
    north, _ = two_bakeries
    with tenant_session(app, north.id) as session:
        session.add(Customer(business_name="Hidden"))
    with app.app_context():
        count = db.session.execute(text("SELECT count(*) FROM customers")).scalar()
        staff = db.session.execute(text("SELECT count(*) FROM staff_users")).scalar()
    assert (count, staff) == (0, 0)


def test_raw_sql_cannot_insert_a_row_for_another_bakery(app, two_bakeries):
    north, south = two_bakeries
    with app.app_context():
        bind_tenant(db.session, north.id)
        with pytest.raises(ProgrammingError, match="row-level security"):
            db.session.execute(
                text(
                    "INSERT INTO customers (tenant_id, id, business_name, trading_name, tax_number,"
                    " billing_email, phone, notes, status, portal_enabled, created_at) VALUES "
                    "(:t, gen_random_uuid(), 'X', '', '', '', '', '', 'active', false, now())"
                ),
                {"t": south.id},
            )


def test_every_tenant_owned_table_has_row_level_security_forced(app):
    from tests.tenants.test_schema_keys import tenant_owned_tables

    with app.app_context():
        rows = db.session.execute(
            text(
                "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
            )
        ).all()
    flags = {name: (enabled, forced) for name, enabled, forced in rows}
    tables = tenant_owned_tables()
    assert tables
    assert {name: flags[name] for name in tables} == {name: (True, True) for name in tables}
