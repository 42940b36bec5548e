"""Weekly reminders, back-in-stock requests and order ratings (issue 14)

Revision ID: 0016_reminders
Revises: 0014_standing
Create Date: 2026-12-06 21:12:38.142966
"""

import sqlalchemy as sa
from alembic import op

from migrations.rls import enable_tenant_rls, grant_app_access

TABLES = ("reminder_settings", "stock_requests", "order_ratings")

revision = "0016_reminders"
down_revision = "0015_bakeryday"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reminder_settings",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("at", sa.Time(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "weekday BETWEEN 0 AND 6", name=op.f("ck_reminder_settings_reminder_weekday_range")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_reminder_settings_tenant_id_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_reminder_settings_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_reminder_settings")),
        sa.UniqueConstraint(
            "tenant_id", "customer_id", name=op.f("uq_reminder_settings_tenant_id_customer_id")
        ),
    )
    op.create_table(
        "stock_requests",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "contact_id"],
            ["contacts.tenant_id", "contacts.id"],
            name=op.f("fk_stock_requests_tenant_id_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_stock_requests_tenant_id_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "product_id"],
            ["products.tenant_id", "products.id"],
            name=op.f("fk_stock_requests_tenant_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_stock_requests_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_stock_requests")),
        sa.UniqueConstraint(
            "tenant_id",
            "contact_id",
            "product_id",
            name=op.f("uq_stock_requests_tenant_id_contact_id_product_id"),
        ),
    )
    with op.batch_alter_table("stock_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stock_requests_product", ["tenant_id", "product_id"], unique=False
        )

    op.create_table(
        "order_ratings",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("rated_by_name", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "score BETWEEN 1 AND 5", name=op.f("ck_order_ratings_rating_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "customer_id"],
            ["customers.tenant_id", "customers.id"],
            name=op.f("fk_order_ratings_tenant_id_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "order_id"],
            ["orders.tenant_id", "orders.id"],
            name=op.f("fk_order_ratings_tenant_id_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_order_ratings_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_order_ratings")),
        sa.UniqueConstraint(
            "tenant_id", "order_id", name=op.f("uq_order_ratings_tenant_id_order_id")
        ),
    )
    with op.batch_alter_table("order_ratings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_order_ratings_customer", ["tenant_id", "customer_id", "updated_at"], unique=False
        )
    for table in TABLES:
        enable_tenant_rls(table)
    grant_app_access()


def downgrade():
    with op.batch_alter_table("order_ratings", schema=None) as batch_op:
        batch_op.drop_index("ix_order_ratings_customer")

    op.drop_table("order_ratings")
    with op.batch_alter_table("stock_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_requests_product")

    op.drop_table("stock_requests")
    op.drop_table("reminder_settings")
