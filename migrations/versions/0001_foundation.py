"""Foundation: bakeries, tiers, operators, staff, customers, tokens, outbox, audit, RLS.

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-23 18:54:39.654945
"""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from migrations.rls import create_usage_function, enable_tenant_rls, grant_app_access

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


TENANT_TABLES = ["customers", "one_time_tokens", "outbound_emails", "staff_users"]

# Frozen copy of tenants.usage.USAGE_SQL as of this revision.
USAGE_SQL = """
SELECT tenant_id, 'customers' AS name, count(*) AS used FROM customers GROUP BY tenant_id
UNION ALL
SELECT tenant_id, 'staff_users' AS name, count(*) AS used FROM staff_users
  WHERE status <> 'disabled' GROUP BY tenant_id
"""

PROFESSIONAL = [
    "wholesale_portal",
    "standing_orders",
    "weekly_reminders",
    "online_payments",
    "catalog_export",
]
DEFAULT_PLANS = [
    ("starter", "Starter", 4900, [], 25, 3, 100, True, 1),
    ("professional", "Professional", 12900, PROFESSIONAL, 250, 15, 1000, False, 2),
    ("enterprise", "Enterprise", 29900, [*PROFESSIONAL, "api"], None, None, None, False, 3),
]


def _pg() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _insert_default_plans():
    plans = sa.table(
        "plans",
        sa.column("id", sa.Uuid()),
        sa.column("code", sa.String()),
        sa.column("name", sa.String()),
        sa.column("monthly_price_minor", sa.Integer()),
        sa.column("price_currency", sa.String()),
        sa.column("features", sa.JSON()),
        sa.column("max_customers", sa.Integer()),
        sa.column("max_staff_users", sa.Integer()),
        sa.column("max_products", sa.Integer()),
        sa.column("is_fallback", sa.Boolean()),
        sa.column("position", sa.Integer()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        plans,
        [
            {
                "id": uuid.uuid4(),
                "code": code,
                "name": name,
                "monthly_price_minor": price,
                "price_currency": "EUR",
                "features": features,
                "max_customers": customers,
                "max_staff_users": staff,
                "max_products": products,
                "is_fallback": fallback,
                "position": position,
                "created_at": now,
            }
            for (
                code,
                name,
                price,
                features,
                customers,
                staff,
                products,
                fallback,
                position,
            ) in DEFAULT_PLANS
        ],
    )


def upgrade():
    op.create_table(
        "operators",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operators")),
        sa.UniqueConstraint("email", name=op.f("uq_operators_email")),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("monthly_price_minor", sa.Integer(), nullable=False),
        sa.Column("price_currency", sa.String(length=3), nullable=False),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("max_customers", sa.Integer(), nullable=True),
        sa.Column("max_staff_users", sa.Integer(), nullable=True),
        sa.Column("max_products", sa.Integer(), nullable=True),
        sa.Column("is_fallback", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("code", name=op.f("uq_plans_code")),
    )
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
    )
    with op.batch_alter_table("sign_in_failures", schema=None) as batch_op:
        batch_op.create_index("ix_sign_in_failures_key_at", ["key_hash", "failed_at"], unique=False)

    op.create_table(
        "tenants",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("brand_colour", sa.String(length=7), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_content_type", sa.String(length=40), nullable=True),
        sa.Column("order_approval_required", sa.Boolean(), nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("subscription_status", sa.String(length=20), nullable=False),
        sa.Column("trial_ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("past_due_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("override_plan_id", sa.Uuid(), nullable=True),
        sa.Column("override_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("suspended_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["override_plan_id"], ["plans.id"], name=op.f("fk_tenants_override_plan_id_plans")
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_tenants_plan_id_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenants")),
        sa.UniqueConstraint("slug", name=op.f("uq_tenants_slug")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=True),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_audit_log_tenant_id_tenants"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "customers",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("business_name", sa.String(length=200), nullable=False),
        sa.Column("trading_name", sa.String(length=200), nullable=False),
        sa.Column("tax_number", sa.String(length=40), nullable=False),
        sa.Column("billing_email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("portal_enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_customers_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_customers")),
        sa.UniqueConstraint(
            "tenant_id", "business_name", name=op.f("uq_customers_tenant_id_business_name")
        ),
    )
    op.create_table(
        "one_time_tokens",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_one_time_tokens_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_one_time_tokens")),
        sa.UniqueConstraint(
            "tenant_id", "token_hash", name=op.f("uq_one_time_tokens_tenant_id_token_hash")
        ),
    )
    with op.batch_alter_table("one_time_tokens", schema=None) as batch_op:
        batch_op.create_index(
            "ix_one_time_tokens_subject", ["tenant_id", "purpose", "subject_id"], unique=False
        )

    op.create_table(
        "outbound_emails",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("to_email", sa.String(length=254), nullable=False),
        sa.Column("to_name", sa.String(length=200), nullable=False),
        sa.Column("template", sa.String(length=80), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("token_link", sa.JSON(), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_outbound_emails_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_outbound_emails")),
    )
    with op.batch_alter_table("outbound_emails", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbound_emails_status", ["tenant_id", "status", "next_attempt_at"], unique=False
        )

    op.create_table(
        "staff_users",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_staff_users_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_staff_users")),
        sa.UniqueConstraint("tenant_id", "email", name=op.f("uq_staff_users_tenant_id_email")),
    )
    for table in TENANT_TABLES:
        enable_tenant_rls(table)
    _insert_default_plans()
    create_usage_function(USAGE_SQL)
    grant_app_access()


def downgrade():
    if _pg():
        op.execute("DROP FUNCTION IF EXISTS platform_tenant_usage()")
    op.drop_table("staff_users")
    with op.batch_alter_table("outbound_emails", schema=None) as batch_op:
        batch_op.drop_index("ix_outbound_emails_status")

    op.drop_table("outbound_emails")
    with op.batch_alter_table("one_time_tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_one_time_tokens_subject")

    op.drop_table("one_time_tokens")
    op.drop_table("customers")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_tenant_id"))

    op.drop_table("audit_log")
    op.drop_table("tenants")
    with op.batch_alter_table("sign_in_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_sign_in_failures_key_at")

    op.drop_table("sign_in_failures")
    op.drop_table("plans")
    op.drop_table("operators")
