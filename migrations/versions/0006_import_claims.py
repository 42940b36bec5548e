"""Import runs record when a job last showed life, so a run whose worker died is taken again

Revision ID: 0006_import_claims
Revises: 0005_ops
Create Date: 2026-11-30 21:10:00
"""

import sqlalchemy as sa
from alembic import op

from migrations.rls import create_definer_function

revision = "0006_import_claims"
down_revision = "0005_ops"
branch_labels = None
depends_on = None

# Frozen copy of tenants.catalog.imports.STALLED_IMPORTS_SQL as of this revision: ids only.
STALLED_IMPORTS_SQL = """
SELECT r.tenant_id, r.id FROM import_runs r JOIN tenants t ON t.id = r.tenant_id
WHERE t.suspended_at IS NULL AND (
  (r.status = 'queued' AND r.created_at < p_queued_before)
  OR (r.status = 'running' AND r.claimed_at < p_running_before)
)
ORDER BY r.created_at
LIMIT p_limit
"""


def upgrade():
    op.add_column("import_runs", sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
    create_definer_function(
        "platform_stalled_import_runs(p_queued_before timestamptz, "
        "p_running_before timestamptz, p_limit integer)",
        "TABLE (tenant_id uuid, id uuid)",
        STALLED_IMPORTS_SQL,
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS platform_stale_import_runs(timestamptz, integer)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DROP FUNCTION IF EXISTS "
            "platform_stalled_import_runs(timestamptz, timestamptz, integer)"
        )
    with op.batch_alter_table("import_runs") as batch:
        batch.drop_column("claimed_at")
