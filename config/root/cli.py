"""`flask` commands: operators, the demo data, the role check, the worker and the scheduler."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from config.db_roles import check_app_role
from config.extensions import db
from config.root.demo import DEMO_PASSWORD, seed_demo
from jobs.cron import build_scheduler
from jobs.runtime import execute
from jobs.worker import QUEUES, build_worker
from tenants.errors import ValidationFailed
from tenants.operators import create_operator


def register(app) -> None:
    app.cli.add_command(create_operator_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(check_db_role_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(relay_outbox_command)
    app.cli.add_command(dispatch_command)


@click.command("create-operator")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.password_option()
@with_appcontext
def create_operator_command(email: str, name: str, password: str):
    """Create a platform operator (or reset the password of an existing one)."""
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
    accounts = seed_demo(current_app._get_current_object())
    click.echo(f"Demo data ready. Every demo account's password is {DEMO_PASSWORD}")
    for line in accounts:
        click.echo(f"  {line}")


@click.command("check-db-role")
@with_appcontext
def check_db_role_command():
    """Fail unless the app's database role is safe under row-level security."""
    check_app_role(db.engine)
    click.echo("database role OK")


def _base_url() -> str:
    return current_app.config["SETTINGS"].base_url


def _redis_backend():
    backend = current_app.extensions["job_backend"]
    if not hasattr(backend, "redis"):
        raise click.ClickException("REDIS_URL is not set: jobs run inline in this process.")
    return backend


@click.command("worker")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@with_appcontext
def worker_command(queues: tuple[str, ...], burst: bool):
    """Run an RQ worker on QUEUES (default: mail default)."""
    _redis_backend()
    worker = build_worker(current_app._get_current_object(), queues or QUEUES)
    worker.work(burst=burst)


@click.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the one periodic scheduler (outbox relay, per-bakery dispatch). Run exactly one."""
    build_scheduler(_redis_backend().redis).start()


@click.command("relay-outbox")
@with_appcontext
def relay_outbox_command():
    """Queue (or, without Redis, send) every due email now."""
    count = execute(current_app._get_current_object(), "jobs.relay.relay_outbox", None)
    click.echo(f"{count} email(s) due")


@click.command("dispatch")
@with_appcontext
def dispatch_command():
    """Queue (or, without Redis, run) every per-bakery periodic task due now."""
    count = execute(current_app._get_current_object(), "jobs.schedule.dispatch", None)
    click.echo(f"{count} periodic job(s) due")
