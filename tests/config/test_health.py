from config.root.app import create_app
from tests.conftest import make_settings


def test_healthz_answers_while_the_process_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_reports_the_database_reachable(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"]["database"] == "ok"


def test_readyz_answers_503_when_the_database_is_unreachable():
    app = create_app(
        make_settings("postgresql+psycopg://nobody@127.0.0.1:1/none"), check_db_role=False
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"].startswith("error")


def test_readyz_checks_redis_when_it_is_configured():
    app = create_app(make_settings("sqlite://", REDIS_URL="redis://127.0.0.1:1/0"))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["redis"].startswith("error")
