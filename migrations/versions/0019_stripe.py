"""Stripe: tiers' price ids, bakeries' subscription and Connect state, stored webhook events

Revision ID: 0019_stripe
Revises: 0013_orderdesk
Create Date: 2026-12-06 21:30:00
"""

import sqlalchemy as sa
from alembic import op

from migrations.rls import create_definer_function, enable_tenant_rls, grant_app_access

revision = "0019_stripe"
down_revision = "0018_receivables"
branch_labels = None
depends_on = None

# Frozen copy of billing.stripe_events.PENDING_CONNECT_SQL as of this revision: ids only.
PENDING_CONNECT_SQL = """
SELECT e.tenant_id, e.id FROM stripe_connect_events e JOIN tenants t ON t.id = e.tenant_id
WHERE e.status = 'pending' AND e.created_at < p_before AND t.suspended_at IS NULL
ORDER BY e.created_at
LIMIT p_limit
"""


def _event_columns():
    return [
        sa.Column("type", sa.String(length=80), nullable=False),
        sa.Column("object_id", sa.String(length=100), nullable=False),
        sa.Column("stripe_created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
    ]


def upgrade():
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("stripe_price_id", sa.String(length=100), nullable=False, server_default="")
        )
    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stripe_customer_id", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column("stripe_subscription_id", sa.String(length=100), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "stripe_subscription_status",
                sa.String(length=30),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column("current_period_end", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "cancel_at_period_end", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.add_column(sa.Column("stripe_account_id", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column(
                "stripe_account_status", sa.String(length=20), nullable=False, server_default=""
            )
        )
        batch_op.add_column(
            sa.Column("stripe_account_due", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column("stripe_account_disconnected_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_tenants_stripe_customer_id"), ["stripe_customer_id"]
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_tenants_stripe_account_id"), ["stripe_account_id"]
        )

    op.create_table(
        "stripe_platform_events",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        *_event_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stripe_platform_events")),
    )
    with op.batch_alter_table("stripe_platform_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stripe_platform_events_status", ["status", "received_at"], unique=False
        )

    op.create_table(
        "stripe_connect_events",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("stripe_event_id", sa.String(length=100), nullable=False),
        sa.Column("account_id", sa.String(length=100), nullable=False),
        *_event_columns(),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_stripe_connect_events_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_stripe_connect_events")),
        sa.UniqueConstraint("tenant_id", "stripe_event_id", name="uq_stripe_connect_events_event"),
    )
    with op.batch_alter_table("stripe_connect_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stripe_connect_events_status", ["tenant_id", "status", "created_at"], unique=False
        )
    enable_tenant_rls("stripe_connect_events")
    create_definer_function(
        "platform_pending_connect_events(p_before timestamptz, p_limit integer)",
        "TABLE (tenant_id uuid, id uuid)",
        PENDING_CONNECT_SQL,
    )
    grant_app_access()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS platform_pending_connect_events(timestamptz, integer)")
    op.drop_table("stripe_connect_events")
    op.drop_table("stripe_platform_events")
    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_tenants_stripe_account_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_tenants_stripe_customer_id"), type_="unique")
        for column in (
            "stripe_account_disconnected_at",
            "stripe_account_due",
            "stripe_account_status",
            "stripe_account_id",
            "cancel_at_period_end",
            "current_period_end",
            "stripe_subscription_status",
            "stripe_subscription_id",
            "stripe_customer_id",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("stripe_price_id")
