"""Row-level security helpers for migrations (PostgreSQL only; no-ops elsewhere).

Each tenant-owned table gets RLS enabled and forced, with one policy comparing tenant_id to the
transaction's `app.tenant_id` (NULLIF: an unset setting reads as '' after a transaction). The
owner role that runs migrations gets its own permissive policy so data migrations can work across
bakeries; the app's role gets plain DML grants and nothing else.
"""

from __future__ import annotations

import os

from alembic import op


def app_role() -> str:
    """The role the app connects as (APP_DB_ROLE, default bakery_app)."""
    return os.environ.get("APP_DB_ROLE", "bakery_app")


def _is_pg() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def enable_tenant_rls(table: str) -> None:
    if not _is_pg():
        return
    op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
    op.execute(
        f'CREATE POLICY tenant_isolation ON "{table}" '
        "USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) "
        "WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)"
    )
    op.execute(f'CREATE POLICY migration_owner ON "{table}" TO CURRENT_USER USING (true)')


def grant_app_access() -> None:
    """Give the app role DML on every table and sequence, if that role exists."""
    if not _is_pg():
        return
    role = app_role()
    op.execute(
        f"""
        DO $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
            GRANT USAGE ON SCHEMA public TO "{role}";
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}";
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}";
            REVOKE ALL ON TABLE alembic_version FROM "{role}";
          END IF;
        END $$;
        """
    )


def create_usage_function(usage_sql: str) -> None:
    """(Re)define platform_tenant_usage(): per-tenant counts for operators, nothing else."""
    if not _is_pg():
        return
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION platform_tenant_usage()
        RETURNS TABLE (tenant_id uuid, name text, used bigint)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
        {usage_sql}
        $fn$
        """
    )
    op.execute("REVOKE ALL ON FUNCTION platform_tenant_usage() FROM PUBLIC")
    role = app_role()
    op.execute(
        f"""
        DO $$ BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
            GRANT EXECUTE ON FUNCTION platform_tenant_usage() TO "{role}";
          END IF;
        END $$;
        """
    )


def create_definer_function(signature: str, returns: str, body: str) -> None:
    """(Re)define a SECURITY DEFINER SQL function `signature` the app role may execute.

    For platform-wide reads that row-level security hides from the app: the body must hand out
    ids or counts, never rows' content. `signature` is e.g. "platform_x(p_now timestamptz)".
    """
    if not _is_pg():
        return
    name, _, params = signature.partition("(")
    arg_types = ", ".join(p.strip().split()[-1] for p in params.rstrip(")").split(",") if p.strip())
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {signature}
        RETURNS {returns}
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
        {body}
        $fn$
        """
    )
    op.execute(f"REVOKE ALL ON FUNCTION {name}({arg_types}) FROM PUBLIC")
    role = app_role()
    op.execute(
        f"""
        DO $$ BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
            GRANT EXECUTE ON FUNCTION {name}({arg_types}) TO "{role}";
          END IF;
        END $$;
        """
    )
