from sqlalchemy import select

from config.extensions import db
from tenants.operators import Operator
from tests.support.factories import sign_in_operator


def test_create_operator_makes_an_account_that_can_sign_in(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-operator",
            "--email",
            "Root@Platform.example",
            "--name",
            "Root",
            "--password",
            "a sturdy passphrase",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Operator root@platform.example is ready" in result.output
    with app.app_context():
        operator = db.session.scalar(
            select(Operator).where(Operator.email == "root@platform.example")
        )
        assert operator.password_hash != "a sturdy passphrase"
    sign_in_operator(app.test_client(), "root@platform.example", "a sturdy passphrase")


def test_create_operator_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-operator",
            "--email",
            "weak@platform.example",
            "--name",
            "Weak",
            "--password",
            "short",
        ],
    )
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    with app.app_context():
        assert (
            db.session.scalar(select(Operator).where(Operator.email == "weak@platform.example"))
            is None
        )


def test_check_db_role_passes_for_the_app_role(app):
    result = app.test_cli_runner().invoke(args=["check-db-role"])
    assert result.exit_code == 0
    assert "database role OK" in result.output
