"""Back-office access checks: signed in as this bakery's staff, holding a permission."""

from functools import wraps
from urllib.parse import unquote, urlsplit

from flask import abort, redirect, request, url_for
from flask_login import current_user

from tenants.staff.models import StaffUser


def staff_required(permission: str | None = None):
    """Require a signed-in staff user of this bakery (and `permission`, when given)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not isinstance(current_user._get_current_object(), StaffUser):
                return redirect(url_for("backoffice.login", next=request.full_path))
            if permission and not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def safe_next(target: str | None, default: str, *, within: str = "/") -> str:
    """Follow `next` only to a path under `within` on this site; anything else goes to `default`.

    Browsers drop tabs and newlines from URLs and read a backslash as a slash, so a slash, a tab
    and "/evil.example" would leave the site: any control character, whitespace or backslash is
    refused, as is anything with a scheme or host once parsed.
    """
    if not target or any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in unquote(target)):
        return default  # checked decoded too: a proxy or browser may decode it once more
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith(within) or target.startswith("//"):
        return default
    return target
