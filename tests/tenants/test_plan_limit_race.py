"""Plan limits hold under parallel requests: eight "new customer" requests at 24 of 25 make
exactly one customer, because the count and the insert run under the bakery's row lock.

This test commits for real (parallel requests need their own connections and transactions),
on its own bakery, and deletes that bakery afterwards.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
from sqlalchemy import select

from config.extensions import db
from tests.support import databases
from tests.support.factories import PASSWORD

SLUG = "race-bakery"
EMAIL = "owner@race.example"


def _committed_bakery_at(app, customers: int):
    from tenants.customers.models import Customer
    from tenants.models import Plan
    from tenants.signup import sign_up_bakery

    with app.app_context():
        tenant, _ = sign_up_bakery(
            db.session,
            name="Race Bakery",
            slug=SLUG,
            owner_name="Owner",
            email=EMAIL,
            password=PASSWORD,
            timezone="UTC",
            currency="EUR",
            locale="en_GB",
            email_verified=True,
        )
        starter = db.session.scalar(select(Plan).where(Plan.code == "starter"))
        tenant.plan_id, tenant.plan, tenant.subscription_status = starter.id, starter, "active"
        for i in range(customers):
            db.session.add(Customer(tenant_id=tenant.id, business_name=f"Customer {i}"))
        db.session.commit()
        tenant_id = tenant.id
        db.session.remove()
    return tenant_id, starter.max_customers


def _count_customers(pg_database, tenant_id) -> int:
    with psycopg.connect(databases.admin_dsn(pg_database)) as conn:
        return conn.execute(
            "SELECT count(*) FROM customers WHERE tenant_id = %s", (tenant_id,)
        ).fetchone()[0]


def test_parallel_new_customer_requests_at_the_limit_make_exactly_one(base_app, pg_database):
    tenant_id, limit = _committed_bakery_at(base_app, 24)
    try:
        assert limit == 25
        signed_in = base_app.test_client()
        response = signed_in.post(
            f"/admin/{SLUG}/login", data={"email": EMAIL, "password": PASSWORD}
        )
        assert response.status_code == 302
        cookie = signed_in.get_cookie("session").value
        start = threading.Barrier(8)

        def new_customer(i: int) -> int:
            client = base_app.test_client()
            client.set_cookie("session", cookie)
            start.wait()
            return client.post(
                f"/admin/{SLUG}/customers/new",
                data={"business_name": f"Racer {i}", "payment_terms": "net_14"},
            ).status_code

        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(new_customer, range(8)))
        assert statuses.count(302) == 1, statuses
        assert all(status in (302, 402, 403, 409, 422) for status in statuses), statuses
        assert _count_customers(pg_database, tenant_id) == 25
    finally:
        with psycopg.connect(databases.admin_dsn(pg_database), autocommit=True) as conn:
            conn.execute("DELETE FROM tenants WHERE id = %s", (tenant_id,))
        with base_app.app_context():
            db.session.remove()


def test_the_lock_is_the_bakery_row_for_update(app, two_bakeries):
    """The statement check_limit sends before counting: the tenant row, FOR UPDATE."""
    from tenants.models import Tenant
    from tenants.plans import check_limit
    from tests.support.factories import tenant_session
    from tests.support.queries import count_queries

    north, _ = two_bakeries
    with tenant_session(app, north.id) as session:
        tenant = session.get(Tenant, north.id)
        with count_queries(db.engine) as counter:
            check_limit(tenant, "customers")
    assert any("FOR UPDATE" in s and "tenants" in s for s in counter.statements)
