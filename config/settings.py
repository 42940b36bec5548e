"""Settings read from the environment, and only from there.

One frozen object per app; `create_app` takes it so tests can build apps with their own.
The embedded default (no variables at all) is a SQLite file under ./instance, jobs inline,
mail captured to the outbox page, Stripe off: what a newcomer's first run needs.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(RuntimeError):
    """The environment does not describe a runnable deployment."""


def _flag(env: dict[str, str], name: str, default: bool = False) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _whole_number(env: dict[str, str], name: str) -> int:
    raw = (env.get(name) or "0").strip()
    if not raw.isdigit():
        raise SettingsError(f"{name} must be a whole number, not {raw!r}")
    return int(raw)


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from its environment."""

    env: str = "development"  # development | production | test
    secret_key: str = ""
    database_url: str = ""
    migration_database_url: str = ""
    redis_url: str = ""
    base_url: str = "http://127.0.0.1:5000"
    demo_mode: bool = False
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_use_tls: bool = False
    mail_from: str = "no-reply@bakery-platform.example"
    stripe_secret_key: str = ""
    stripe_webhook_secret: str = ""
    stripe_connect_webhook_secret: str = ""
    # The platform's fee on each buyer payment to a bakery, in basis points (150 = 1.5 %).
    stripe_application_fee_bps: int = 0
    upload_dir: str = ""
    # How many reverse proxies in front of the app append to X-Forwarded-For. 0 (the default)
    # trusts no header: a client could otherwise write any address and dodge sign-in limits.
    trusted_proxies: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def dialect(self) -> str:
        return self.database_url.split(":", 1)[0].split("+", 1)[0]

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Read settings from `env` (default: the process environment)."""
        env = dict(os.environ if env is None else env)
        app_env = env.get("APP_ENV", "development")
        secret = env.get("SECRET_KEY", "")
        if not secret:
            if app_env == "production":
                raise SettingsError("SECRET_KEY must be set in production")
            # A per-process key: sessions do not survive a restart, which is fine for a demo.
            secret = secrets.token_hex(32)
        if app_env == "production" and not env.get("SMTP_HOST", "").strip():
            # Without it mail would be captured to a local directory: silently never delivered.
            raise SettingsError("SMTP_HOST must be set in production (mail would not be sent)")
        instance = PROJECT_ROOT / "instance"
        database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'bakery.sqlite3'}"
        if database_url.startswith("postgres://"):
            database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
        elif database_url.startswith("postgresql://"):
            database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
        migration_url = env.get("MIGRATION_DATABASE_URL") or database_url
        if migration_url.startswith("postgresql://"):
            migration_url = "postgresql+psycopg://" + migration_url[len("postgresql://") :]
        return cls(
            env=app_env,
            secret_key=secret,
            database_url=database_url,
            migration_database_url=migration_url,
            redis_url=env.get("REDIS_URL", ""),
            base_url=env.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
            demo_mode=_flag(env, "DEMO_MODE"),
            smtp_host=env.get("SMTP_HOST", ""),
            smtp_port=int(env.get("SMTP_PORT", "25") or 25),
            smtp_user=env.get("SMTP_USER", ""),
            smtp_password=env.get("SMTP_PASSWORD", ""),
            smtp_use_tls=_flag(env, "SMTP_USE_TLS"),
            mail_from=env.get("MAIL_FROM", "no-reply@bakery-platform.example"),
            stripe_secret_key=env.get("STRIPE_SECRET_KEY", ""),
            stripe_webhook_secret=env.get("STRIPE_WEBHOOK_SECRET", ""),
            stripe_connect_webhook_secret=env.get("STRIPE_CONNECT_WEBHOOK_SECRET", ""),
            stripe_application_fee_bps=_whole_number(env, "STRIPE_APPLICATION_FEE_BPS"),
            upload_dir=env.get("UPLOAD_DIR") or str(instance / "uploads"),
            trusted_proxies=_whole_number(env, "TRUSTED_PROXIES"),
        )
