"""The back office remembers each staff member's last look at the orders (home page)

Revision ID: 0013_orderdesk
Revises: 0012_orders
Create Date: 2026-12-01 21:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_orderdesk"
down_revision = "0012_orders"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("orders_seen_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.drop_column("orders_seen_at")
