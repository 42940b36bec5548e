"""Buyers pay invoices online: attempts, the invoices they pay, autopay, Stripe payment ids

Revision ID: 0020_invoice_payments
Revises: 0019_stripe
Create Date: 2026-12-06 22:45:00
"""

import sqlalchemy as sa
from alembic import op

from migrations.rls import enable_tenant_rls, grant_app_access

revision = "0020_invoice_payments"
down_revision = "0019_stripe"
branch_labels = None
depends_on = None


def _tenant_fk(table):
    return sa.ForeignKeyConstraint(
        ["tenant_id"],
        ["tenants.id"],
        name=op.f(f"fk_{table}_tenant_id_tenants"),
        ondelete="CASCADE",
    )


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target}.tenant_id", f"{target}.id"],
        name=op.f(f"fk_{table}_tenant_id_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade():
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("stripe_payment_intent_id", sa.String(length=100), nullable=True)
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_payments_tenant_id_stripe_payment_intent_id"),
            ["tenant_id", "stripe_payment_intent_id"],
        )

    op.create_table(
        "online_payments",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("idempotency_key", sa.String(length=120), nullable=False),
        sa.Column("selection_key", sa.String(length=64), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("application_fee_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("checkout_session_id", sa.String(length=100), nullable=True),
        sa.Column("checkout_url", sa.Text(), nullable=False),
        sa.Column("payment_intent_id", sa.String(length=100), nullable=True),
        sa.Column("charge_id", sa.String(length=100), nullable=False),
        sa.Column("payment_id", sa.Uuid(), nullable=True),
        sa.Column("refunded_minor", sa.Integer(), nullable=False),
        sa.Column("dispute_status", sa.String(length=30), nullable=False),
        sa.Column("failure_message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "amount_minor > 0", name=op.f("ck_online_payments_online_payment_amount_positive")
        ),
        _fk("online_payments", "contact_id", "contacts", "SET NULL"),
        _fk("online_payments", "customer_id", "customers", "CASCADE"),
        _fk("online_payments", "payment_id", "payments", "SET NULL"),
        _tenant_fk("online_payments"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_online_payments")),
        sa.UniqueConstraint(
            "tenant_id",
            "checkout_session_id",
            name=op.f("uq_online_payments_tenant_id_checkout_session_id"),
        ),
        sa.UniqueConstraint(
            "tenant_id",
            "idempotency_key",
            name=op.f("uq_online_payments_tenant_id_idempotency_key"),
        ),
        sa.UniqueConstraint(
            "tenant_id",
            "payment_intent_id",
            name=op.f("uq_online_payments_tenant_id_payment_intent_id"),
        ),
    )
    with op.batch_alter_table("online_payments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_online_payments_customer", ["tenant_id", "customer_id", "created_at"], unique=False
        )

    op.create_table(
        "online_payment_invoices",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("online_payment_id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "amount_minor > 0",
            name=op.f("ck_online_payment_invoices_online_payment_invoice_amount_positive"),
        ),
        _fk("online_payment_invoices", "invoice_id", "invoices", "CASCADE"),
        _fk("online_payment_invoices", "online_payment_id", "online_payments", "CASCADE"),
        _tenant_fk("online_payment_invoices"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_online_payment_invoices")),
        sa.UniqueConstraint(
            "tenant_id",
            "online_payment_id",
            "invoice_id",
            name=op.f("uq_online_payment_invoices_tenant_id_online_payment_id_invoice_id"),
        ),
    )
    with op.batch_alter_table("online_payment_invoices", schema=None) as batch_op:
        batch_op.create_index(
            "ix_online_payment_invoices_invoice", ["tenant_id", "invoice_id"], unique=False
        )

    op.create_table(
        "autopay",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("stripe_customer_id", sa.String(length=100), nullable=False),
        sa.Column("payment_method_id", sa.String(length=100), nullable=False),
        sa.Column("card_label", sa.String(length=60), nullable=False),
        sa.Column("setup_session_id", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("autopay", "customer_id", "customers", "CASCADE"),
        _tenant_fk("autopay"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_autopay")),
        sa.UniqueConstraint(
            "tenant_id", "customer_id", name=op.f("uq_autopay_tenant_id_customer_id")
        ),
    )
    for table in ("online_payments", "online_payment_invoices", "autopay"):
        enable_tenant_rls(table)
    grant_app_access()


def downgrade():
    op.drop_table("autopay")
    op.drop_table("online_payment_invoices")
    op.drop_table("online_payments")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_payments_tenant_id_stripe_payment_intent_id"), type_="unique"
        )
        batch_op.drop_column("stripe_payment_intent_id")
