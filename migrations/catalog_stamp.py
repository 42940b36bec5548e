"""The catalog stamp: `tenants.catalog_stamp` changes whenever what a buyer's catalog shows may
have changed, so the priced catalog can be kept between requests (tenants/catalog/memo.py).

The database keeps it, not the code that writes: every INSERT, UPDATE and DELETE of the tables
below restamps the bakery, whatever sends it (a service, an import's bulk insert, a cascade, a
data migration, psql). A stamp is a fresh random value, never a counter: a transaction that
rolls back takes its stamp with it, and no later write can reuse it for other content.

PostgreSQL: a deferred constraint trigger restamps the bakery at COMMIT, once per transaction
(a transaction-local setting remembers it did), so no catalog write holds the bakery's row
locked while it runs: concurrent writers queue on it only for the instant of their commits,
and cannot deadlock on it. Until then the transaction's own reads must not trust the old
stamp: a statement trigger sets `app.catalog_dirty` for the rest of the transaction, and the
memo neither serves nor keeps a catalog while it is set.

SQLite (one writer at a time): row triggers restamp at once, so the writer's own reads see
the new stamp. SQLite drops a table's triggers with the table, and Alembic's batch mode
rebuilds a table to alter it: a migration that batch-alters one of these tables must call
`create_sqlite_triggers` for it again (tests/test_migrations.py checks every table has them).
"""

from __future__ import annotations

from alembic import op

# What `customer_catalog` reads, besides the customer's own row.
CATALOG_TABLES = (
    "products",
    "categories",
    "price_lists",
    "price_list_entries",
    "volume_breaks",
    "assortments",
    "assortment_items",
    "catalog_settings",
)

_PG_FUNCTIONS = """
CREATE OR REPLACE FUNCTION catalog_mark_dirty() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM set_config('app.catalog_dirty', 'on', true);
  RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION catalog_restamp() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  bakery text := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id::text ELSE NEW.tenant_id::text END;
  done text := coalesce(current_setting('app.catalog_restamped', true), '');
BEGIN
  IF position(bakery IN done) > 0 THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('app.catalog_restamped', done || bakery || ' ', true);
  UPDATE tenants SET catalog_stamp = replace(gen_random_uuid()::text, '-', '')
   WHERE id = bakery::uuid;
  RETURN NULL;
END
$fn$;
"""


def _is_pg() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def create_triggers(tables=CATALOG_TABLES) -> None:
    """Create the functions (PostgreSQL) and every table's triggers."""
    if _is_pg():
        op.execute(_PG_FUNCTIONS)
        for table in tables:
            op.execute(
                f'CREATE TRIGGER "{table}_catalog_dirty" AFTER INSERT OR UPDATE OR DELETE '
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION catalog_mark_dirty()'
            )
            op.execute(
                f'CREATE CONSTRAINT TRIGGER "{table}_catalog_restamp" '
                f'AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION catalog_restamp()"
            )
    else:
        create_sqlite_triggers(tables)


def create_sqlite_triggers(tables=CATALOG_TABLES) -> None:
    """SQLite's row triggers for `tables` (again after a batch rebuild of one of them)."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in tables:
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            op.execute(
                f'CREATE TRIGGER IF NOT EXISTS "{table}_catalog_{event.lower()}" '
                f'AFTER {event} ON "{table}" BEGIN '
                "UPDATE tenants SET catalog_stamp = lower(hex(randomblob(16))) "
                f"WHERE id = {row}.tenant_id; END"
            )


def drop_triggers(tables=CATALOG_TABLES) -> None:
    """Undo `create_triggers`."""
    if _is_pg():
        for table in tables:
            op.execute(f'DROP TRIGGER IF EXISTS "{table}_catalog_dirty" ON "{table}"')
            op.execute(f'DROP TRIGGER IF EXISTS "{table}_catalog_restamp" ON "{table}"')
        op.execute("DROP FUNCTION IF EXISTS catalog_mark_dirty()")
        op.execute("DROP FUNCTION IF EXISTS catalog_restamp()")
        return
    for table in tables:
        for event in ("insert", "update", "delete"):
            op.execute(f'DROP TRIGGER IF EXISTS "{table}_catalog_{event}"')
