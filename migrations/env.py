"""Alembic environment: the owner connection (MIGRATION_DATABASE_URL), all models' metadata."""

from __future__ import annotations

from alembic import context
from flask import current_app
from sqlalchemy import create_engine, pool

from migrations.compare import include_object, render_item

config = context.config


def _target():
    db = current_app.extensions["migrate"].db
    settings = current_app.config["SETTINGS"]
    url = config.attributes.get("url") or settings.migration_database_url
    return db.metadata, url


def run_migrations_online() -> None:
    metadata, url = _target()
    connectable = config.attributes.get("connection")
    if connectable is None:
        engine = create_engine(url, poolclass=pool.NullPool)
        with engine.connect() as connection:
            _run(connection, metadata)
        engine.dispose()
    else:
        _run(connectable, metadata)


def _run(connection, metadata) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_migrations_online()
