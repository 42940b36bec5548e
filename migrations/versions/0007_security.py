"""Security review: server-side sign-in sessions, one case-folded customer name key, owner email
verification, sign-in failures per account across addresses, and SECURITY DEFINER functions
with a pinned search_path

Revision ID: 0007_security
Revises: 0010_seams
Create Date: 2026-12-01 21:30:00
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

from migrations.rls import enable_tenant_rls, grant_app_access

revision = "0007_security"
# Chained after seams' 0010 since this branch merged seams; the integrator re-chains.
down_revision = "0010_seams"
branch_labels = None
depends_on = None


def _session_columns():
    return [
        sa.Column("realm", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_agent", sa.String(length=300), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
    ]


def _fold(name: str) -> str:
    # Frozen copy of tenants.text_keys.fold_key as of this revision.
    return unicodedata.normalize("NFKC", " ".join((name or "").split())).casefold()


def upgrade():
    op.create_table(
        "sign_in_sessions",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_session_columns(),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_sign_in_sessions_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_sign_in_sessions")),
    )
    op.create_index(
        "ix_sign_in_sessions_secret", "sign_in_sessions", ["tenant_id", "secret_hash"], unique=True
    )
    op.create_index(
        "ix_sign_in_sessions_user", "sign_in_sessions", ["tenant_id", "realm", "user_id"]
    )
    enable_tenant_rls("sign_in_sessions")

    op.create_table(
        "operator_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        *_session_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operator_sessions")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_operator_sessions_secret_hash")),
    )
    op.create_index("ix_operator_sessions_user", "operator_sessions", ["user_id"])

    # Customers' names compare on one case-folded key, the same on SQLite and PostgreSQL.
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("name_key", sa.String(length=200), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT tenant_id, id, business_name FROM customers")).all()
    for tenant_id, customer_id, name in rows:
        bind.execute(
            sa.text("UPDATE customers SET name_key = :key WHERE tenant_id = :t AND id = :i"),
            {"key": _fold(name), "t": tenant_id, "i": customer_id},
        )
    with op.batch_alter_table("customers") as batch:
        batch.alter_column("name_key", existing_type=sa.String(length=200), nullable=False)
        batch.drop_constraint("uq_customers_tenant_id_business_name", type_="unique")
        batch.create_unique_constraint("uq_customers_tenant_id_name_key", ["tenant_id", "name_key"])

    # A bakery that signed up mails nobody but its owner until the owner confirms the address.
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(
            sa.Column("owner_email_verified_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.execute("UPDATE tenants SET owner_email_verified_at = created_at")

    # Sign-in failures name the account a row counts against, so a reset clears them all.
    with op.batch_alter_table("sign_in_failures") as batch:
        batch.add_column(sa.Column("account_hash", sa.String(length=64), nullable=True))
    op.create_index("ix_sign_in_failures_account", "sign_in_failures", ["account_hash"])

    grant_app_access()
    if bind.dialect.name == "postgresql":
        # Pin every SECURITY DEFINER function's search_path, pg_temp last (PostgreSQL's advice):
        # otherwise a role able to create temporary objects could shadow what they call.
        op.execute(
            """
            DO $$
            DECLARE f record;
            BEGIN
              FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
                       JOIN pg_namespace n ON n.oid = p.pronamespace
                       WHERE p.prosecdef AND n.nspname = 'public'
              LOOP
                EXECUTE format('ALTER FUNCTION %s SET search_path = public, pg_temp', f.sig);
              END LOOP;
            END $$;
            """
        )


def downgrade():
    op.drop_index("ix_sign_in_failures_account", table_name="sign_in_failures")
    with op.batch_alter_table("sign_in_failures") as batch:
        batch.drop_column("account_hash")
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("owner_email_verified_at")
    with op.batch_alter_table("customers") as batch:
        batch.drop_constraint("uq_customers_tenant_id_name_key", type_="unique")
        batch.create_unique_constraint(
            "uq_customers_tenant_id_business_name", ["tenant_id", "business_name"]
        )
        batch.drop_column("name_key")
    op.drop_index("ix_operator_sessions_user", table_name="operator_sessions")
    op.drop_table("operator_sessions")
    op.drop_index("ix_sign_in_sessions_user", table_name="sign_in_sessions")
    op.drop_index("ix_sign_in_sessions_secret", table_name="sign_in_sessions")
    op.drop_table("sign_in_sessions")
