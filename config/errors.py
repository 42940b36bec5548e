"""The base of every domain error, with the stable code and HTTP status its edge answers with.

Services raise these for a person to read; `config.web_errors` turns them into an HTML page
now and can turn them into `application/problem+json` for the API (a problem's `type` is the
error's `code`, which never changes even when the wording does). The bottom layer defines only
what the shared edge helpers need (the base and NotFound); each context adds its own in its
`errors.py`.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a service raises for a person to read."""

    status_code = 400
    # Stable, machine-readable and unique per class: subclasses set their own.
    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The object does not exist for this tenant (another tenant's id looks the same)."""

    status_code = 404
    code = "not_found"
