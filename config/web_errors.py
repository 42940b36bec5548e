"""Translate errors to HTTP answers in one place: domain errors, 404s, CSRF, oversized uploads."""

from flask import g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from config.error_pages import render_error
from tenants.errors import DomainError, FeatureNotAvailable, TenantSuspended


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/")


def register(app) -> None:
    @app.errorhandler(FeatureNotAvailable)
    def feature_not_available(exc):
        tenant = g.get("tenant")
        return render_template("errors/feature_unavailable.html", tenant=tenant, error=exc), 403

    @app.errorhandler(TenantSuspended)
    def suspended(exc):
        return render_template("errors/suspended.html", tenant=g.get("tenant")), 403

    @app.errorhandler(DomainError)
    def domain_error(exc):
        if _wants_json():
            return jsonify(error=exc.message, field=exc.field), exc.status_code
        return render_error(exc.status_code, exc.message)

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        message = "This form expired or was sent from elsewhere. Reload the page and try again."
        return render_error(400, message)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if _wants_json():
            return jsonify(error=exc.description), exc.code
        messages = {
            404: "We couldn't find that page.",
            403: "You don't have access to this page.",
            410: "This link has expired.",
            413: "That upload is too large.",
            429: "Too many attempts. Please wait a few minutes and try again.",
        }
        message = messages.get(exc.code, exc.description)
        return render_error(exc.code, message)
