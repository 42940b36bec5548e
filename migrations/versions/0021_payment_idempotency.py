"""Payments: the payment form's idempotency key, unique per bakery

Revision ID: 0021_payment_idempotency
Revises: 0019_stripe
Create Date: 2026-12-06 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_payment_idempotency"
down_revision = "0020_invoice_payments"
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: payments recorded before this revision (and by code without a form) have none,
    # and NULLs never collide in a unique constraint.
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_payments_tenant_id_idempotency_key"), ["tenant_id", "idempotency_key"]
        )


def downgrade():
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_payments_tenant_id_idempotency_key"), type_="unique"
        )
        batch_op.drop_column("idempotency_key")
