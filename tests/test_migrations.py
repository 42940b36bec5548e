"""The migrations build exactly the schema the models describe, on PostgreSQL too."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from config.extensions import db
from config.root.models import import_models
from migrations.compare import include_object
from tests.support import databases


def test_the_migrated_postgres_schema_matches_the_models(pg_database):
    import_models()
    engine = create_engine(databases.url(databases.OWNER_ROLE, pg_database))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_object": include_object}
            )
            diff = compare_metadata(context, db.metadata)
    finally:
        engine.dispose()
    assert diff == []
