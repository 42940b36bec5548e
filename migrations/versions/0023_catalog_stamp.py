"""The catalog stamp: a bakery's priced catalog can be kept until its catalog changes

Revision ID: 0023_catalog_stamp
Revises: 0022_card_now
Create Date: 2026-12-07 03:20:00
"""

import sqlalchemy as sa
from alembic import op

from migrations import catalog_stamp

revision = "0023_catalog_stamp"
down_revision = "0022_card_now"
branch_labels = None
depends_on = None


def upgrade():
    # Not batch mode: SQLite adds a column with a constant default in place, keeping the
    # tenants table (and the triggers that name it) as they are.
    op.add_column(
        "tenants",
        sa.Column("catalog_stamp", sa.String(length=32), nullable=False, server_default=""),
    )
    catalog_stamp.create_triggers()


def downgrade():
    catalog_stamp.drop_triggers()
    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.drop_column("catalog_stamp")
