"""Fixtures: the real PostgreSQL (migrated, app role), a real SMTP server, per-test rollback.

Every test runs inside one outer transaction on one connection that is rolled back at the end.
Each app context (request, job, factory) gets its own Session joined to that connection with
`join_transaction_mode="create_savepoint"`, so a view's commit or rollback stays inside the test.
"""

from __future__ import annotations

import os

import pytest
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy.orm import scoped_session, sessionmaker

from config.extensions import db
from tests.support import databases
from tests.support.smtp import SMTPServer


def _require_postgres():
    import psycopg

    try:
        psycopg.connect(databases.admin_dsn(), connect_timeout=3).close()
    except psycopg.OperationalError as exc:  # a missing database fails the run, never skips
        pytest.exit(
            f"PostgreSQL is not reachable at {databases.PG_HOST}:{databases.PG_PORT}: {exc}",
            returncode=3,
        )


@pytest.fixture(scope="session")
def smtp_server():
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_database():
    _require_postgres()
    databases.ensure_roles()
    name = databases.database_name("app")
    databases.recreate_database(name)
    databases.migrate(name)
    yield name
    databases.drop_database(name)


def make_settings(database_url: str, smtp_port: int | None = None, **extra):
    from config.settings import Settings

    env = {
        "APP_ENV": "test",
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "BASE_URL": "https://bakery.test",
        **({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port)} if smtp_port else {}),
        **extra,
    }
    return Settings.from_env(env)


@pytest.fixture(scope="session")
def base_app(pg_database, smtp_server):
    from config.root.app import create_app

    app = create_app(
        make_settings(databases.url(databases.APP_ROLE, pg_database), smtp_server.port)
    )
    app.config["WTF_CSRF_ENABLED"] = False
    return app


@pytest.fixture
def app(base_app, smtp_server):
    """The app, with everything the test writes rolled back afterwards."""
    with base_app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = scoped_session(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
        scopefunc=_app_ctx_id,
    )
    smtp_server.clear()
    try:
        yield base_app
    finally:
        db.session = original
        outer.rollback()
        connection.close()
        base_app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def mailbox(smtp_server):
    """Messages the SMTP server received during this test."""
    return smtp_server


@pytest.fixture
def two_bakeries(app):
    """Two bakeries on Professional whose owners share an email, as real ones might."""
    from tests.support.factories import make_bakery

    return make_bakery(app, "north-bakery"), make_bakery(app, "south-bakery")


def pytest_report_header(config):
    return f"postgres: {databases.PG_HOST}:{databases.PG_PORT}; CI={os.environ.get('CI', '')}"


from tests.support.queues import redis_conn, rq_app, work  # noqa: E402,F401
