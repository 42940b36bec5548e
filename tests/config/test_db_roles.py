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


def test_the_app_refuses_a_superuser(pg_database):
    engine = _engine(databases.PG_ADMIN, pg_database)
    try:
        with pytest.raises(UnsafeDatabaseRole, match="bypasses"):
            check_app_role(engine)
    finally:
        engine.dispose()


def test_create_app_refuses_to_start_as_the_owner(pg_database):
    from config.app import create_app
    from tests.conftest import make_settings

    with pytest.raises(UnsafeDatabaseRole):
        create_app(make_settings(databases.url(databases.OWNER_ROLE, pg_database)))
