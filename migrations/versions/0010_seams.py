"""Scheduled-run periods name a subject too ("2026-11-23T09:00/<customer id>"): widen to 80

Revision ID: 0010_seams
Revises: 0006_import_claims
Create Date: 2026-12-01 21:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_seams"
down_revision = "0006_import_claims"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("scheduled_runs") as batch:
        batch.alter_column("period", existing_type=sa.String(length=40), type_=sa.String(length=80))


def downgrade():
    with op.batch_alter_table("scheduled_runs") as batch:
        batch.alter_column("period", existing_type=sa.String(length=80), type_=sa.String(length=40))
