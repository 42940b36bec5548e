"""The Flask application factory: the one place every package is wired together."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, abort, current_app, g, request, session
from werkzeug.middleware.proxy_fix import ProxyFix

from admin.backoffice import bp as backoffice_bp
from admin.devmail import bp as devmail_bp
from admin.platform import bp as platform_bp
from admin.preferences import bp as preferences_bp
from admin.public import bp as signup_bp
from billing.webhooks import bp as stripe_webhooks_bp
from config import i18n, money, web_errors
from config.auth import touch_used_session, use_session_store
from config.db_roles import check_app_role
from config.extensions import csrf, db, login_manager, migrate
from config.formatting import install_template_filters
from config.health import bp as health_bp
from config.root import cli, error_pages, urls
from config.root.models import import_models
from config.settings import PROJECT_ROOT, Settings
from jobs.backends import InlineBackend, RQBackend
from jobs.mail import templates as mail_templates
from jobs.transport import transport_for
from portal import bp as portal_bp
from tenants import sign_in_sessions
from tenants.orders.models import status_text

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, check_db_role: bool = True) -> Flask:
    """Build the app from `settings` (default: the environment)."""
    settings = settings or Settings.from_env()
    app = Flask(
        __name__,
        # The shared layout, error pages and static files belong to the bottom layer (config/),
        # whose error handlers and edge helpers render them.
        root_path=str(PROJECT_ROOT / "config"),
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder="templates",
        static_folder="static",
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    secure_cookies = settings.is_production or settings.base_url.startswith("https://")
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(settings),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=secure_cookies,
        SESSION_COOKIE_SAMESITE="Lax",
        # Sessions slide: every request renews the cookie, 30 days of inactivity ends it.
        PERMANENT_SESSION_LIFETIME=timedelta(days=30),
        SESSION_REFRESH_EACH_REQUEST=True,
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,
        TESTING=settings.env == "test",
    )

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    # Signed-in sessions are server-side records kept by the tenancy layer; config.auth checks
    # every identity against them (config may not import tenants, so the root hands them over).
    use_session_store(sign_in_sessions)

    import_models()
    _install_backends(app, settings)
    _register_blueprints(app)

    web_errors.register(app, render_error=error_pages.render_error)
    money.register(app)
    cli.register(app)
    app.before_request(_refuse_nul_characters)
    app.after_request(_security_headers)
    app.after_request(touch_used_session)
    app.context_processor(lambda: {"csp_nonce": csp_nonce})
    install_template_filters(app)
    app.add_template_filter(status_text, "order_status")
    i18n.init_app(app)
    urls.install(app)
    if settings.trusted_proxies:
        # Only the hops we run may rewrite the client address; see Settings.trusted_proxies.
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies
        )

    if check_db_role and settings.dialect == "postgresql":
        with app.app_context():
            check_app_role(db.engine)
    return app


def _engine_options(settings: Settings) -> dict:
    if settings.dialect == "sqlite":
        return {"connect_args": {"timeout": 15}}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 10}


def _install_backends(app: Flask, settings: Settings) -> None:
    app.extensions["job_backend"] = (
        RQBackend(settings.redis_url) if settings.redis_url else InlineBackend()
    )
    app.extensions["mail_transport"] = transport_for(settings, app.instance_path)


def _register_blueprints(app: Flask) -> None:
    for bp in (
        health_bp,
        signup_bp,
        backoffice_bp,
        platform_bp,
        portal_bp,
        preferences_bp,
        mail_templates,
        stripe_webhooks_bp,
    ):
        app.register_blueprint(bp)

    settings: Settings = app.config["SETTINGS"]
    if settings.demo_mode and not settings.is_production:
        app.register_blueprint(devmail_bp)


def csp_nonce() -> str:
    """A per-response nonce for a page's small inline <script nonce="...">; only a page that
    asks for one lets an inline script run, and only that script."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _refuse_nul_characters():
    """No text we keep may hold NUL (PostgreSQL refuses it in text): turn it away at the door,
    whatever the route, before it reaches a query or a form."""
    values = [request.path]
    values += [v for _, vs in request.args.lists() for v in vs]
    if request.method in ("POST", "PUT", "PATCH"):
        values += [v for _, vs in request.form.lists() for v in vs]
        # An upload's file name is text we keep (the import run's filename) too.
        values += [f.filename or "" for _, fs in request.files.lists() for f in fs]
    if any("\x00" in value for value in values):
        abort(400, description="The request contained a NUL character, which no field accepts.")


# Stripe's hosted pages a form may redirect to (Checkout, the customer portal, Connect
# onboarding): browsers apply form-action to the redirect after a POST too.
STRIPE_PAGES = "https://checkout.stripe.com https://billing.stripe.com https://connect.stripe.com"


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if "_user_id" in session and response.mimetype == "text/html":
        # A signed-in page is one person's: no shared cache, nor the browser's back button
        # after sign-out, may show it to someone else.
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("Cookie")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        # Served over HTTPS (production or an https BASE_URL): browsers must never fall back.
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    scripts = f"; script-src 'self' 'nonce-{g.csp_nonce}'" if "csp_nonce" in g else ""
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        f"form-action 'self' {STRIPE_PAGES}; frame-ancestors 'none'" + scripts,
    )
    return response
