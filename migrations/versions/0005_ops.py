"""Ops: a platform function listing import runs whose job was lost, for the relay

Revision ID: 0005_ops
Revises: 0004_catalog
Create Date: 2026-11-30 20:20:00
"""

from alembic import op

from migrations.rls import create_definer_function

revision = "0005_ops"
down_revision = "0004_catalog"
branch_labels = None
depends_on = None

# Frozen copy of tenants.catalog.imports.STALE_IMPORTS_SQL as of this revision: ids only.
STALE_IMPORTS_SQL = """
SELECT r.tenant_id, r.id FROM import_runs r JOIN tenants t ON t.id = r.tenant_id
WHERE r.status = 'queued' AND r.created_at < p_before AND t.suspended_at IS NULL
ORDER BY r.created_at
LIMIT p_limit
"""


def upgrade():
    create_definer_function(
        "platform_stale_import_runs(p_before timestamptz, p_limit integer)",
        "TABLE (tenant_id uuid, id uuid)",
        STALE_IMPORTS_SQL,
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS platform_stale_import_runs(timestamptz, integer)")
