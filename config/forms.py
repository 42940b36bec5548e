"""Form helpers shared by every blueprint: put a service's error next to its field."""

from __future__ import annotations

from tenants.errors import DomainError


def attach_error(form, exc: DomainError) -> None:
    """Show `exc` under the form field it names, or above the form when it names none."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*list(field.errors or []), exc.message]
    else:
        form.form_errors.append(exc.message)


def client_address(request) -> str:
    """The client's address: the peer, or what the trusted proxies reported (see ProxyFix)."""
    return request.remote_addr or "unknown"
