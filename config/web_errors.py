"""Translate errors to HTTP answers in one place: domain errors (by their stable `code`), 404s,
CSRF, oversized uploads."""

from flask import g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
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


def plain_error_page(code: int, message: str):
    """An error page in the plain layout; the composition root passes one that knows the areas."""
    return render_template("errors/http.html", code=code, message=message), code


def register(app, render_error=plain_error_page) -> None:
    """Install the handlers; `render_error(code, message)` draws every HTML error page."""

    @app.errorhandler(DomainError)
    def domain_error(exc):
        page = PAGES.get(exc.code)
        if page is not None:
            return render_template(page, tenant=g.get("tenant"), error=exc), exc.status_code
        if _wants_json():
            return jsonify(error=exc.message, field=exc.field), exc.status_code
        return render_error(exc.status_code, exc.message)

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        message = _l("This form expired or was sent from elsewhere. Reload the page and try again.")
        return render_error(400, message)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if _wants_json():
            return jsonify(error=exc.description), exc.code
        messages = {
            # lazy: the page is drawn in the bakery's language once the error page knows the bakery
            404: _l("We couldn't find that page."),
            403: _l("You don't have access to this page."),
            410: _l("This link has expired."),
            413: _l("That upload is too large."),
            429: _l("Too many attempts. Please wait a few minutes and try again."),
        }
        message = messages.get(exc.code, exc.description)
        return render_error(exc.code, message)
