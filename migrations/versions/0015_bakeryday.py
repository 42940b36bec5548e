"""The bakery's day: delivery route positions and production sheet / packing slip prints

Revision ID: 0015_bakeryday
Revises: 0014_standing
Create Date: 2026-12-06 21:40:00
"""

import sqlalchemy as sa
from alembic import op

from migrations.rls import enable_tenant_rls, grant_app_access

revision = "0015_bakeryday"
down_revision = "0014_standing"
branch_labels = None
depends_on = None

TENANT_TABLES = ["route_positions", "production_prints"]


def upgrade():
    op.create_table(
        "route_positions",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "position >= 1", name=op.f("ck_route_positions_route_position_positive")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "location_id"],
            ["delivery_locations.tenant_id", "delivery_locations.id"],
            name=op.f("fk_route_positions_tenant_id_location_id_delivery_locations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_route_positions_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_route_positions")),
        sa.UniqueConstraint(
            "tenant_id", "location_id", name=op.f("uq_route_positions_tenant_id_location_id")
        ),
    )
    op.create_table(
        "production_prints",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("delivery_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("printed_by_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('sheet', 'slips')", name=op.f("ck_production_prints_production_print_kind")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_production_prints_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_production_prints")),
    )
    with op.batch_alter_table("production_prints", schema=None) as batch_op:
        batch_op.create_index(
            "ix_production_prints_day",
            ["tenant_id", "delivery_date", "kind", "printed_at"],
            unique=False,
        )
    for table in TENANT_TABLES:
        enable_tenant_rls(table)
    grant_app_access()


def downgrade():
    with op.batch_alter_table("production_prints", schema=None) as batch_op:
        batch_op.drop_index("ix_production_prints_day")
    op.drop_table("production_prints")
    op.drop_table("route_positions")
