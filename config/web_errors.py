"""Translate errors to HTTP answers in one place: domain errors (by their stable `code`), 404s,
CSRF, oversized uploads."""

from flask import g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from config.errors import DomainError

# Domain errors with a page of their own, by their stable code; the rest share errors/http.html.
PAGES = {
    "feature_not_available": "errors/feature_unavailable.html",
    "tenant_suspended": "errors/suspended.html",
}


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/")


def register(app) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc):
        page = PAGES.get(exc.code)
        if page is not None:
            return render_template(page, tenant=g.get("tenant"), error=exc), exc.status_code
        if _wants_json():
            return jsonify(error=exc.message, field=exc.field), exc.status_code
        return (
            render_template("errors/http.html", code=exc.status_code, message=exc.message),
            exc.status_code,
        )

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        message = "This form expired or was sent from elsewhere. Reload the page and try again."
        return render_template("errors/http.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if _wants_json():
            return jsonify(error=exc.description), exc.code
        messages = {
            404: "We couldn't find that page.",
            403: "You don't have access to this page.",
            413: "That upload is too large.",
            429: "Too many attempts. Please wait a few minutes and try again.",
        }
        message = messages.get(exc.code, exc.description)
        return render_template("errors/http.html", code=exc.code, message=message), exc.code
