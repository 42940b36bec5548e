"""The platform operators' console at /platform/."""

import uuid
from functools import wraps

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from config.auth import enter_realm, register_realm
from config.extensions import db
from tenants.operators import Operator
from tenants.sign_in_sessions import signed_in_params, signed_in_select

bp = Blueprint("platform", __name__, url_prefix="/platform", template_folder="templates")


@bp.before_request
def _realm():
    enter_realm("operator")


_SIGNED_IN = signed_in_select(Operator, realm="operator")


def _load_operator(rest: str, secret: str):
    try:
        operator_id = uuid.UUID(rest)
    except ValueError:
        return None
    found = db.session.execute(_SIGNED_IN, signed_in_params(operator_id, secret)).first()
    return found if found is not None and found[0].active else None


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
