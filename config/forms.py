"""Form helpers shared by every blueprint: the base form, and a service's error by its field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.validators import ValidationError

from tenants.errors import DomainError
from tenants.text_rules import text_problem


def single_line(form, field) -> None:
    """A one-line field (a name, an email) holds no line breaks or other control characters
    (the rule is `tenants.text_rules`, which the CSV imports apply too)."""
    problem = text_problem(field.data) if isinstance(field.data, str) else None
    if problem:
        raise ValidationError(problem)


def plain_text(form, field) -> None:
    """A text area may hold line breaks and tabs, but no other control characters."""
    problem = text_problem(field.data, multiline=True) if isinstance(field.data, str) else None
    if problem:
        raise ValidationError(problem)


class Form(FlaskForm):
    """The base of every form: CSRF from Flask-WTF, and text fields that refuse control
    characters with a message by the field, so no form has to remember to."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                check = plain_text if issubclass(field_class, TextAreaField) else single_line
                validators = unbound_field.kwargs.get("validators") or []
                options = {**options, "validators": [*validators, check]}
            return super().bind_field(form, unbound_field, options)


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
