"""Back-office access checks: signed in as this bakery's staff, holding a permission."""

from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from tenants.actors import allowed
from tenants.staff.models import StaffUser


def staff_required(*permissions: str):
    """Require a signed-in staff user of this bakery holding every one of `permissions`."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not isinstance(current_user._get_current_object(), StaffUser):
                return redirect(url_for("backoffice.login", next=request.full_path))
            if not all(allowed(current_user, permission) for permission in permissions):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
