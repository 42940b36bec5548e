"""The platform operators' console at /platform/."""

import uuid
from functools import wraps

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from config.auth import enter_realm, register_realm
from config.extensions import db
from tenants.operators import Operator

bp = Blueprint("platform", __name__, url_prefix="/platform", template_folder="templates")


@bp.before_request
def _realm():
    enter_realm("operator")


def _load_operator(rest: str):
    try:
        operator = db.session.get(Operator, uuid.UUID(rest))
    except ValueError:
        return None
    return operator if operator is not None and operator.active else None


register_realm("operator", _load_operator)


def operator_required(view):
    """Require a signed-in platform operator."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not isinstance(current_user._get_current_object(), Operator):
            return redirect(url_for("platform.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped


from admin.platform import views, views_jobs  # noqa: E402,F401
