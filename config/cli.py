"""`flask` commands: operators, the demo data, the role check."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from config.extensions import db


def register(app) -> None:
    app.cli.add_command(create_operator_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(check_db_role_command)


@click.command("create-operator")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.password_option()
@with_appcontext
def create_operator_command(email: str, name: str, password: str):
    """Create a platform operator (or reset the password of an existing one)."""
    from tenants.errors import ValidationFailed
    from tenants.operators import create_operator

    try:
        operator = create_operator(db.session, email=email, name=name, password=password)
        db.session.commit()
    except ValidationFailed as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Operator {operator.email} is ready; sign in at {_base_url()}/platform/login")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Load the demo bakeries, accounts and customers (safe to run again)."""
    from config.demo import DEMO_PASSWORD, seed_demo

    accounts = seed_demo(current_app._get_current_object())
    click.echo(f"Demo data ready. Every demo account's password is {DEMO_PASSWORD}")
    for line in accounts:
        click.echo(f"  {line}")


@click.command("check-db-role")
@with_appcontext
def check_db_role_command():
    """Fail unless the app's database role is safe under row-level security."""
    from config.db_roles import check_app_role

    check_app_role(db.engine)
    click.echo("database role OK")


def _base_url() -> str:
    return current_app.config["SETTINGS"].base_url
