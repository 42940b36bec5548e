import pytest
from sqlalchemy import create_engine

from config.db_roles import UnsafeDatabaseRole, check_app_role
from tests.support import databases


def _engine(role, dbname):
    return create_engine(databases.url(role, dbname))


def test_the_app_role_owns_nothing_and_cannot_bypass_rls(pg_database):
    engine = _engine(databases.APP_ROLE, pg_database)
    try:
        check_app_role(engine)
    finally:
        engine.dispose()


def test_the_app_refuses_a_role_that_owns_the_tables(pg_database):
    engine = _engine(databases.OWNER_ROLE, pg_database)
    try:
        with pytest.raises(UnsafeDatabaseRole, match="owns"):
            check_app_role(engine)
    finally:
        engine.dispose()


@pytest.fixture
def member_of_owner(pg_database):
    """A throwaway login role granted the owner role (dropped afterwards)."""
    import psycopg
    from psycopg import sql

    name = databases.database_name("owner_member")  # unique per test run and xdist worker
    role = sql.Identifier(name)
    with psycopg.connect(databases.admin_dsn(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(role))
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS").format(role))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(databases.OWNER_ROLE), role))
    try:
        yield name
    finally:
        with psycopg.connect(databases.admin_dsn(), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(role))


def test_the_app_refuses_a_role_that_is_a_member_of_the_owner(pg_database, member_of_owner):
    engine = _engine(member_of_owner, pg_database)
    try:
        with pytest.raises(UnsafeDatabaseRole, match="member of 'bakery_owner'"):
            check_app_role(engine)
    finally:
        engine.dispose()


def test_the_app_refuses_a_superuser(pg_database):
    engine = _engine(databases.PG_ADMIN, pg_database)
    try:
        with pytest.raises(UnsafeDatabaseRole, match="bypasses"):
            check_app_role(engine)
    finally:
        engine.dispose()


def test_create_app_refuses_to_start_as_the_owner(pg_database):
    from config.root.app import create_app
    from tests.conftest import make_settings

    with pytest.raises(UnsafeDatabaseRole):
        create_app(make_settings(databases.url(databases.OWNER_ROLE, pg_database)))
