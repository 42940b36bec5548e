import pytest

from config.settings import Settings, SettingsError


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        Settings.from_env({"APP_ENV": "production"})


PRODUCTION = {"APP_ENV": "production", "SECRET_KEY": "k" * 40, "SMTP_HOST": "smtp.example"}


def test_production_with_a_secret_key_and_an_smtp_host_is_accepted():
    settings = Settings.from_env(PRODUCTION)
    assert settings.secret_key == "k" * 40
    assert settings.smtp_host == "smtp.example"
    assert settings.is_production


def test_production_refuses_to_start_without_an_smtp_host():
    # Otherwise every email would be captured to a local directory and never delivered.
    for blank in ({}, {"SMTP_HOST": ""}, {"SMTP_HOST": "  "}):
        env = {**PRODUCTION, **blank}
        if not blank:
            del env["SMTP_HOST"]
        with pytest.raises(SettingsError, match="SMTP_HOST"):
            Settings.from_env(env)


def test_development_without_an_smtp_host_captures_mail():
    from config.root.app import create_app
    from jobs.transport import CaptureTransport

    app = create_app(Settings.from_env({"DATABASE_URL": "sqlite://"}))
    assert isinstance(app.extensions["mail_transport"], CaptureTransport)


def test_the_embedded_default_is_a_sqlite_file_with_inline_jobs():
    settings = Settings.from_env({})
    assert settings.dialect == "sqlite"
    assert settings.redis_url == ""
    assert settings.smtp_host == ""


def test_plain_postgres_urls_use_the_psycopg3_driver():
    settings = Settings.from_env({"DATABASE_URL": "postgres://app@db/bakery"})
    assert settings.database_url == "postgresql+psycopg://app@db/bakery"
    assert settings.migration_database_url == settings.database_url


def test_production_cookies_are_secure_and_http_only():
    from config.root.app import create_app

    app = create_app(Settings.from_env({**PRODUCTION, "DATABASE_URL": "sqlite://"}))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize(
    "env",
    [
        {**PRODUCTION, "DEMO_MODE": "1"},  # DEMO_MODE must not open captured mail in production
        {"APP_ENV": "development"},  # nor is it open without DEMO_MODE
    ],
    ids=["production-with-demo-mode", "development-without-demo-mode"],
)
def test_captured_mail_is_not_served_in_production_or_without_demo_mode(env):
    from config.root.app import create_app

    app = create_app(Settings.from_env({**env, "DATABASE_URL": "sqlite://"}))
    assert "devmail" not in app.blueprints
    assert app.test_client().get("/dev/mail/").status_code == 404


def test_development_with_demo_mode_serves_captured_mail():
    from config.root.app import create_app

    app = create_app(Settings.from_env({"DEMO_MODE": "1", "DATABASE_URL": "sqlite://"}))
    assert "devmail" in app.blueprints
    assert app.test_client().get("/dev/mail/").status_code == 200


def _address_seen_by(app, **request_kwargs):
    from flask import request

    from config.forms import client_address

    app.add_url_rule("/probe-address", "probe_address", lambda: client_address(request))
    return app.test_client().get("/probe-address", **request_kwargs).get_data(as_text=True)


def test_a_forged_forwarded_for_header_is_ignored_without_trusted_proxies():
    from config.root.app import create_app

    app = create_app(Settings.from_env({"DATABASE_URL": "sqlite://"}))
    seen = _address_seen_by(
        app, headers={"X-Forwarded-For": "192.0.2.1"}, environ_base={"REMOTE_ADDR": "10.0.0.5"}
    )
    assert seen == "10.0.0.5"


def test_with_one_trusted_proxy_the_address_it_appended_is_the_client():
    from config.root.app import create_app

    app = create_app(Settings.from_env({"DATABASE_URL": "sqlite://", "TRUSTED_PROXIES": "1"}))
    # The client forged the first entry; our proxy appended the real peer last.
    seen = _address_seen_by(
        app,
        headers={"X-Forwarded-For": "192.0.2.1, 198.51.100.4"},
        environ_base={"REMOTE_ADDR": "10.0.0.5"},
    )
    assert seen == "198.51.100.4"


def test_trusted_proxies_must_be_a_whole_number():
    with pytest.raises(SettingsError, match="TRUSTED_PROXIES"):
        Settings.from_env({"TRUSTED_PROXIES": "two"})


def test_https_deployments_tell_browsers_to_stay_on_https():
    from config.root.app import create_app

    secure = create_app(Settings.from_env({**PRODUCTION, "DATABASE_URL": "sqlite://"}))
    local = create_app(Settings.from_env({"DATABASE_URL": "sqlite://"}))
    assert secure.test_client().get("/healthz").headers["Strict-Transport-Security"] == (
        "max-age=31536000"
    )
    plain = local.test_client().get("/healthz")
    assert plain.status_code == 200 and "Strict-Transport-Security" not in plain.headers
