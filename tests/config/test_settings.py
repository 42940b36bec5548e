import pytest

from config.settings import Settings, SettingsError


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        Settings.from_env({"APP_ENV": "production"})


def test_production_with_a_secret_key_is_accepted():
    settings = Settings.from_env({"APP_ENV": "production", "SECRET_KEY": "x" * 40})
    assert settings.secret_key == "x" * 40
    assert settings.is_production


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
    from config.app import create_app

    app = create_app(
        Settings.from_env(
            {"APP_ENV": "production", "SECRET_KEY": "k" * 40, "DATABASE_URL": "sqlite://"}
        )
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert "devmail" not in app.blueprints
