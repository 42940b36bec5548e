"""Refuse to serve on PostgreSQL with a role that could see past row-level security."""

from sqlalchemy import text


class UnsafeDatabaseRole(RuntimeError):
    """The application's database role can bypass RLS, owns tables or can act as their owner."""


def check_app_role(engine) -> None:
    """Raise UnsafeDatabaseRole if the role is a superuser, has BYPASSRLS, owns a table or is
    a member of a role that owns one."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as conn:
        role = conn.execute(
            text(
                "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
            )
        ).one()
        if role.rolsuper or role.rolbypassrls:
            raise UnsafeDatabaseRole(
                f"database role {role.rolname!r} bypasses row-level security; connect the app "
                "as a non-owner role without BYPASSRLS (migrations use MIGRATION_DATABASE_URL)"
            )
        owned = conn.execute(
            text(
                "SELECT count(*) FROM pg_tables WHERE tableowner = current_user "
                "AND schemaname = current_schema()"
            )
        ).scalar()
        if owned:
            raise UnsafeDatabaseRole(
                f"database role {role.rolname!r} owns {owned} table(s); table owners can bypass "
                "row-level security, so the app must connect as a role that owns none"
            )
        # A member of the owner role can SET ROLE to it (or inherits its rights) and so reads
        # every bakery's rows past row-level security, though it owns nothing itself.
        owners = (
            conn.execute(
                text(
                    "SELECT DISTINCT tableowner FROM pg_tables "
                    "WHERE schemaname = current_schema() AND tableowner <> current_user "
                    "AND pg_has_role(current_user, tableowner, 'MEMBER') ORDER BY tableowner"
                )
            )
            .scalars()
            .all()
        )
        if owners:
            raise UnsafeDatabaseRole(
                f"database role {role.rolname!r} is a member of {', '.join(map(repr, owners))}, "
                "which owns tables; a member can act as the owner and bypass row-level security, "
                "so revoke that membership from the app's role"
            )
