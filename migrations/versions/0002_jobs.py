"""Jobs and mail: scheduled runs, email opt-outs, outbox category, platform relay functions.

Revision ID: 0002_jobs
Revises: 0001_foundation
Create Date: 2026-11-23 19:02:32.666132
"""

import sqlalchemy as sa
from alembic import op

from migrations.rls import create_definer_function, enable_tenant_rls, grant_app_access

revision = "0002_jobs"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None

TENANT_TABLES = ["email_opt_outs", "scheduled_runs"]

# Frozen copies of tenants.outbox.DUE_EMAILS_SQL and FAILED_COUNTS_SQL as of this revision.
DUE_EMAILS_SQL = """
SELECT tenant_id, id, attempts FROM outbound_emails
WHERE (status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= p_now))
   OR (status = 'sending' AND claimed_at < p_stale_before)
ORDER BY next_attempt_at
LIMIT p_limit
"""
FAILED_COUNTS_SQL = """
SELECT tenant_id, count(*) AS failed FROM outbound_emails WHERE status = 'failed'
GROUP BY tenant_id
"""


def _pg() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    op.create_table(
        "email_opt_outs",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_email_opt_outs_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_email_opt_outs")),
        sa.UniqueConstraint(
            "tenant_id",
            "email",
            "category",
            name=op.f("uq_email_opt_outs_tenant_id_email_category"),
        ),
    )
    op.create_table(
        "scheduled_runs",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("task", sa.String(length=60), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_scheduled_runs_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_scheduled_runs")),
        sa.UniqueConstraint(
            "tenant_id", "task", "period", name=op.f("uq_scheduled_runs_tenant_id_task_period")
        ),
    )
    with op.batch_alter_table("outbound_emails", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("category", sa.String(length=20), nullable=False, server_default="")
        )

    for table in TENANT_TABLES:
        enable_tenant_rls(table)
    create_definer_function(
        "platform_due_emails(p_now timestamptz, p_stale_before timestamptz, p_limit integer)",
        "TABLE (tenant_id uuid, id uuid, attempts integer)",
        DUE_EMAILS_SQL,
    )
    create_definer_function(
        "platform_failed_emails()", "TABLE (tenant_id uuid, failed bigint)", FAILED_COUNTS_SQL
    )
    grant_app_access()


def downgrade():
    if _pg():
        op.execute("DROP FUNCTION IF EXISTS platform_failed_emails()")
        op.execute("DROP FUNCTION IF EXISTS platform_due_emails(timestamptz, timestamptz, integer)")
    with op.batch_alter_table("outbound_emails", schema=None) as batch_op:
        batch_op.drop_column("category")
    op.drop_table("scheduled_runs")
    op.drop_table("email_opt_outs")
