"""Provision the real PostgreSQL for tests: roles, one database per xdist worker, migrations.

Two roles, as in production: `bakery_owner` owns the schema and runs migrations; `bakery_app`
owns nothing and cannot bypass row-level security. The app under test connects as the latter.
"""

from __future__ import annotations

import contextlib
import os

import psycopg
from psycopg import sql

PG_HOST = os.environ.get("TEST_PG_HOST", "127.0.0.1")
PG_PORT = os.environ.get("TEST_PG_PORT", "5432")
PG_ADMIN = os.environ.get("TEST_PG_ADMIN_USER", "postgres")
OWNER_ROLE = "bakery_owner"
APP_ROLE = "bakery_app"


def admin_dsn(dbname: str = "postgres") -> str:
    return f"host={PG_HOST} port={PG_PORT} user={PG_ADMIN} dbname={dbname}"


def url(role: str, dbname: str) -> str:
    return f"postgresql+psycopg://{role}@{PG_HOST}:{PG_PORT}/{dbname}"


def ensure_roles() -> None:
    with psycopg.connect(admin_dsn(), autocommit=True) as conn:
        for role in (OWNER_ROLE, APP_ROLE):
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
            if not exists:
                # Another xdist worker may create it first.
                with contextlib.suppress(
                    psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation
                ):
                    conn.execute(
                        sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS").format(
                            sql.Identifier(role)
                        )
                    )


def recreate_database(dbname: str) -> None:
    with psycopg.connect(admin_dsn(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname))
        )
        conn.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(dbname), sql.Identifier(OWNER_ROLE)
            )
        )
    # PostgreSQL 15 no longer lets every role create in public; the owner needs it.
    with psycopg.connect(admin_dsn(dbname), autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(OWNER_ROLE)))


def drop_database(dbname: str) -> None:
    with psycopg.connect(admin_dsn(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname))
        )


def migrate(dbname: str) -> None:
    """Build the schema with the real Alembic migrations, as the owner role."""
    from flask_migrate import upgrade

    from config.root.app import create_app
    from config.settings import Settings

    os.environ["APP_DB_ROLE"] = APP_ROLE
    settings = Settings.from_env(
        {
            "APP_ENV": "test",
            "SECRET_KEY": "test",
            "DATABASE_URL": url(OWNER_ROLE, dbname),
            "MIGRATION_DATABASE_URL": url(OWNER_ROLE, dbname),
        }
    )
    app = create_app(settings, check_db_role=False)
    with app.app_context():
        upgrade()
        from config.extensions import db

        db.engine.dispose()


def worker_suffix() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def database_name(purpose: str) -> str:
    prefix = os.environ.get("TEST_DB_PREFIX", "bakery_test")
    return f"{prefix}_{purpose}_{worker_suffix()}"


def delete_bakeries(dbname: str, bakery_ids) -> None:
    """Delete bakeries a test committed for real, with everything they hold (by cascade), as
    the owner role (the app's role cannot see past row-level security)."""
    dsn = f"host={PG_HOST} port={PG_PORT} user={OWNER_ROLE} dbname={dbname}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DELETE FROM tenants WHERE id = ANY(%s)", ([str(i) for i in bakery_ids],))
