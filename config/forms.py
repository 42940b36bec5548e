"""Form helpers shared by every blueprint: the base form, the forms both edges use (sign-in,
email, new password, confirm), checkboxes, and a service's error by its field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from config.errors import DomainError
from config.text_rules import text_problem


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


def new_password_field(label: str) -> PasswordField:
    """A password someone chooses: required, with the strength rule the service enforces."""
    return PasswordField(
        label,
        validators=[DataRequired(message=_l("Choose a password.")), Length(max=200)],
        description=_l("At least 10 characters."),
    )


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SignInForm(Form):
    """Email and password, in every realm (staff, buyers, operators)."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class EmailForm(Form):
    """An email address to send a link to (password reset, sign-in link)."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])


class NewPasswordForm(Form):
    """A password someone chooses (reset, invitation)."""

    password = new_password_field(_l("New password"))


class ConfirmForm(Form):
    """A form with only its CSRF token: for buttons that post."""


def attach_error(form, exc: DomainError) -> None:
    """Show `exc` under the form field it names, or above the form when it names none; each of
    several problems (tenants.errors.ValidationProblems) by its own field."""
    for problem in getattr(exc, "problems", None) or []:
        attach_error(form, problem)
    if getattr(exc, "problems", None):
        return
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*list(field.errors or []), exc.message]
    else:
        form.form_errors.append(exc.message)


def client_address(request) -> str:
    """The client's address: the peer, or what the trusted proxies reported (see ProxyFix)."""
    return request.remote_addr or "unknown"
