"""Every SECURITY DEFINER function pins its search_path to public, then pg_temp, as PostgreSQL's
guidance asks: otherwise a role that can create temporary objects could shadow what it calls."""

from sqlalchemy import text

from config.extensions import db


def test_every_security_definer_function_pins_search_path_with_pg_temp_last(app):
    with app.app_context():
        rows = db.session.execute(
            text(
                "SELECT p.proname, p.proconfig FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE p.prosecdef AND n.nspname = 'public' ORDER BY p.proname"
            )
        ).all()
    names = [name for name, _ in rows]
    assert {"platform_due_emails", "platform_tenant_usage"} <= set(names)
    for name, config in rows:
        assert "search_path=public, pg_temp" in (config or []), (name, config)
