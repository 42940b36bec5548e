"""Errors of the catalog context. They are DomainErrors, so the edge renders them uniformly."""

from tenants.errors import NotFound, PermissionDenied, ValidationFailed

__all__ = ["BadCsv", "NotFound", "PermissionDenied", "ValidationFailed"]


class BadCsv(ValidationFailed):
    """An uploaded CSV file that cannot be read at all (encoding, header, size)."""

    code = "bad_csv"
