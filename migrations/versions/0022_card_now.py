"""Card now at checkout: what checkout offers (bakery and customer), how an order is paid

Revision ID: 0022_card_now
Revises: 0021_payment_idempotency
Create Date: 2026-12-07 01:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_card_now"
down_revision = "0021_payment_idempotency"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("billing_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "checkout_payment", sa.String(length=10), nullable=False, server_default="account"
            )
        )
    with op.batch_alter_table("customer_billing", schema=None) as batch_op:
        # NULL: the bakery's choice.
        batch_op.add_column(sa.Column("checkout_payment", sa.String(length=10), nullable=True))
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "payment_method", sa.String(length=10), nullable=False, server_default="account"
            )
        )


def downgrade():
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("payment_method")
    with op.batch_alter_table("customer_billing", schema=None) as batch_op:
        batch_op.drop_column("checkout_payment")
    with op.batch_alter_table("billing_settings", schema=None) as batch_op:
        batch_op.drop_column("checkout_payment")
