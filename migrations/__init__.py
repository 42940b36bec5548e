"""Alembic migrations. They run as the owner role (MIGRATION_DATABASE_URL); the app never does."""
