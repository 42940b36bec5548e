"""The ORM scopes every tenant-owned query to the session's one bakery."""

import pytest
from sqlalchemy import select, update

from config.extensions import db
from tenants.customers.models import Customer
from tenants.scoping import TenantNotSet, TenantSwitch, bind_tenant
from tenants.staff.models import StaffUser
from tests.support.factories import make_bakery, tenant_session


def _add_customers(app, bakery, *names):
    with tenant_session(app, bakery.id) as session:
        for name in names:
            session.add(Customer(business_name=name))


def test_a_bound_session_sees_only_its_own_bakerys_rows(app, two_bakeries):
    north, south = two_bakeries
    _add_customers(app, north, "Café Aurora", "Deli One")
    _add_customers(app, south, "Café Aurora")
    with tenant_session(app, north.id) as session:
        names = session.scalars(select(Customer.business_name).order_by(Customer.business_name))
        assert list(names) == ["Café Aurora", "Deli One"]
    with tenant_session(app, south.id) as session:
        rows = session.scalars(select(Customer)).all()
        assert [(c.business_name, c.tenant_id) for c in rows] == [("Café Aurora", south.id)]


def test_querying_a_tenant_owned_model_with_no_bakery_bound_raises(app, two_bakeries):
    with app.app_context(), pytest.raises(TenantNotSet):
        db.session.scalars(select(StaffUser)).all()


def test_writing_a_tenant_owned_row_with_no_bakery_bound_raises(app, two_bakeries):
    north, _ = two_bakeries
    with app.app_context():
        db.session.add(Customer(tenant_id=north.id, business_name="Sneaky"))
        with pytest.raises(TenantNotSet):
            db.session.flush()


def test_new_rows_are_stamped_with_the_bound_bakery(app, two_bakeries):
    north, _ = two_bakeries
    with tenant_session(app, north.id) as session:
        customer = Customer(business_name="Stamped")
        session.add(customer)
        session.flush()
        assert customer.tenant_id == north.id


def test_a_row_for_another_bakery_cannot_be_written_through_a_bound_session(app, two_bakeries):
    north, south = two_bakeries
    with app.app_context():
        bind_tenant(db.session, north.id)
        db.session.add(Customer(tenant_id=south.id, business_name="Cross"))
        with pytest.raises(TenantSwitch):
            db.session.flush()


def test_a_session_cannot_switch_bakery(app, two_bakeries):
    north, south = two_bakeries
    with app.app_context():
        bind_tenant(db.session, north.id)
        with pytest.raises(TenantSwitch):
            bind_tenant(db.session, south.id)


def test_bulk_updates_only_touch_the_bound_bakerys_rows(app, two_bakeries):
    north, south = two_bakeries
    _add_customers(app, north, "Same Name")
    _add_customers(app, south, "Same Name")
    with tenant_session(app, north.id) as session:
        session.execute(
            update(Customer).values(notes="changed").execution_options(synchronize_session=False)
        )
    with tenant_session(app, south.id) as session:
        assert session.scalar(select(Customer.notes)) == ""


def test_get_by_primary_key_cannot_reach_another_bakerys_row(app, two_bakeries):
    north, south = two_bakeries
    with tenant_session(app, south.id) as session:
        theirs = StaffUser(email="x@example.com", name="X", role="sales")
        session.add(theirs)
        session.flush()
        key = (south.id, theirs.id)
    with tenant_session(app, north.id) as session:
        assert session.get(StaffUser, key) is None


def test_a_count_that_names_no_entity_is_still_scoped(app, two_bakeries):
    from sqlalchemy import func

    north, south = two_bakeries
    _add_customers(app, north, "One", "Two")
    _add_customers(app, south, "Three")
    with tenant_session(app, south.id) as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 1
    with app.app_context(), pytest.raises(TenantNotSet):
        db.session.scalar(select(func.count()).select_from(Customer))


def test_a_statement_shape_first_run_bound_still_raises_when_run_unbound(app, two_bakeries):
    north, _ = two_bakeries
    from sqlalchemy import func

    # The hook decides a shape once; the decision must not remember that a bakery was bound.
    shapes = [
        lambda: select(Customer).where(Customer.business_name == "x"),
        lambda: select(func.count()).select_from(Customer),
    ]
    for make in shapes:
        with tenant_session(app, north.id) as session:
            session.execute(make()).all()
        with app.app_context(), pytest.raises(TenantNotSet):
            db.session.execute(make()).all()


def test_the_same_statement_shape_serves_each_bakery_only_its_own_rows(app, two_bakeries):
    from sqlalchemy import func
    from sqlalchemy.orm import aliased

    north, south = two_bakeries
    _add_customers(app, north, "North one", "North two")
    _add_customers(app, south, "South one")
    other = aliased(Customer)
    for bakery, names in ((north, ["North one", "North two"]), (south, ["South one"])) * 2:
        with tenant_session(app, bakery.id) as session:
            rows = session.scalars(select(Customer.business_name).order_by(Customer.business_name))
            assert list(rows) == names
            # no entity named: the table is filtered by the hook itself, each time
            assert session.scalar(select(func.count()).select_from(Customer)) == len(names)
            # an aliased table standing alone in FROM, found only through the WHERE clause
            count = select(func.count()).where(other.business_name.is_not(None))
            assert session.scalar(count) == len(names)


def test_a_scoped_query_hits_sqlalchemys_compiled_cache_on_its_second_run(app, two_bakeries):
    from sqlalchemy import event

    north, south = two_bakeries
    with app.app_context():
        engine = db.engine
    hits = []

    def after(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT CUSTOMERS."):
            hits.append(context.cache_hit == context.dialect.CACHE_HIT)

    event.listen(engine, "after_cursor_execute", after)
    third = make_bakery(app, "third-bakery")
    try:
        for bakery in (north, south, north, south, third):
            with tenant_session(app, bakery.id) as session:
                session.execute(select(Customer).where(Customer.business_name == "x")).all()
    finally:
        event.remove(engine, "after_cursor_execute", after)
    # The first runs may compile (SQLAlchemy settles a loader criteria lambda's cache key on
    # its second use, so a test run alone sees two misses); from then on every bakery's run,
    # a bakery that never queried before included, reuses the compiled form.
    assert len(hits) == 5 and hits[2:] == [True, True, True]


def test_a_request_shaped_session_sends_set_config_once_per_transaction(app):
    import uuid

    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from tenants.models import Tenant

    with app.app_context():
        engine = db.engine
    sent = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if "set_config" in statement:
            sent.append(parameters)

    event.listen(engine, "before_cursor_execute", before)
    try:
        # A session on the engine, as a request's is: its own transaction, nothing written.
        with Session(engine) as session:
            session.scalar(select(Tenant).where(Tenant.slug == "no-such-bakery"))
            bind_tenant(session, uuid.uuid4())
            session.scalars(select(Customer)).all()
            assert len(sent) == 1
            session.commit()
            session.scalars(select(Customer)).all()
            assert len(sent) == 2
    finally:
        event.remove(engine, "before_cursor_execute", before)


def test_a_new_transaction_reads_no_bakery_without_being_told(app):
    import uuid

    from sqlalchemy import text
    from sqlalchemy.orm import Session

    setting = text("SELECT NULLIF(current_setting('app.tenant_id', true), '')")
    with app.app_context():
        engine = db.engine
    # What skipping set_config for unbound sessions rests on: after a bakery's transaction
    # ends, the same pooled connection's next transaction sees no bakery (RLS shows nothing).
    for _ in range(2):
        with Session(engine) as bound:
            bind_tenant(bound, uuid.uuid4())
            assert bound.execute(setting).scalar() is not None
            bound.commit()
        with Session(engine) as unbound:
            assert unbound.execute(setting).scalar() is None
