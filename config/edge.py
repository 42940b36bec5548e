"""View helpers every blueprint uses the same way, so the edges stay thin and alike.

- `commit_change`: run one service and commit once, or roll back and hand back its refusal.
- `found_or_404`: look an object up by id; a missing one (or another bakery's) answers 404.
- `chosen_or_404`: the object a select field chose, or None when it chose nothing.
- `submit_form`: validate a form, run one service, commit once; or put the error by its field.
- `redirect_after`: the usual success of a form: flash a message, redirect.
- `save_form`: `submit_form`, then redirect on success or re-render the form's template.
- `apply_change`: run one change from a button, commit once, flash the outcome, redirect.
- `read_upload`: the bytes of a file field's upload, or a default when no file was chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template
from werkzeug.wrappers import Response

from config.errors import DomainError, NotFound
from config.extensions import db
from config.forms import attach_error


def commit_change(
    action: Callable[[], Any], *, catch: type[DomainError] = DomainError
) -> tuple[Any, DomainError | None]:
    """Run `action()` and commit once: `(result, None)`; or, when it raises a `catch` error,
    roll back everything it wrote and return `(None, error)` for the view to show.

    The one place a view's transaction ends; errors of other classes go on to the error pages.
    """
    try:
        result = action()
        db.session.commit()
    except catch as exc:
        db.session.rollback()
        return None, exc
    return result, None


def found_or_404(getter: Callable[..., Any], *args, **kwargs):
    """`getter(db.session, *args, **kwargs)`, or a 404 when it raises NotFound."""
    try:
        return getter(db.session, *args, **kwargs)
    except NotFound:
        abort(404)


def chosen_or_404(getter: Callable[..., Any], raw_id):
    """`found_or_404(getter, raw_id)`, or None when nothing was chosen (an empty id)."""
    return found_or_404(getter, raw_id) if raw_id else None


def submit_form(
    form,
    action: Callable[[], Any],
    done: Callable[[Any], Response],
    *,
    aliases: dict[str, str] | None = None,
    catch: type[DomainError] = DomainError,
) -> tuple[Response | None, int]:
    """Validate `form`, run `action()`, commit once and answer `done(result)`.

    Returns `(response, status)`: the response of `done` after the commit, or None and the status
    to re-render the form with: 200 when nothing was posted, 422 when the form is invalid, the
    error's own status when the service refused (rolled back, its message next to its field;
    `aliases` maps a service's field name to the form's). Only errors of the `catch` class are
    shown on the form; others go on to the app's error pages.
    """
    if form.validate_on_submit():
        result, refused = commit_change(action, catch=catch)
        if refused is not None:
            if aliases and refused.field in aliases:
                refused.field = aliases[refused.field]
            attach_error(form, refused)
            return None, refused.status_code
        return done(result), 200
    return None, (422 if form.errors else 200)


def redirect_after(
    message: str | Callable[[Any], str] | None, target: str | Callable[[Any], str]
) -> Callable[[Any], Response]:
    """A `done` for `submit_form`: flash `message` (if any) and redirect to `target`.

    Either may be a function of what the service returned (the new object, say).
    """

    def done(result):
        if message:
            flash(message(result) if callable(message) else message)
        return redirect(target(result) if callable(target) else target)

    return done


def save_form(
    form,
    action: Callable[[], Any],
    target: str | Callable[[Any], str],
    template: str,
    *,
    message: str | Callable[[Any], str] | None = None,
    catch: type[DomainError] = DomainError,
    **context,
):
    """`submit_form`, then flash `message` (if any) and redirect to `target`; or re-render.

    `message` and `target` may be functions of what the service returned, as in
    `redirect_after`; `catch` is passed on to `submit_form`.
    """
    response, status = submit_form(form, action, redirect_after(message, target), catch=catch)
    if response is not None:
        return response
    return render_template(template, form=form, **context), status


def apply_change(
    action: Callable[[], Any],
    success: str | Callable[[Any], str],
    target: str,
    *,
    refused_target: str | None = None,
    catch: type[DomainError] = DomainError,
) -> Response:
    """Run one change, commit it, flash the outcome and redirect to `target`.

    `success` is the message, or a function of what `action` returned that makes it. A refused
    change (a `catch` error) is rolled back, its message flashed as an error, and the redirect
    goes to `refused_target` when given (the page the change was asked from), else `target`.
    """
    result, refused = commit_change(action, catch=catch)
    if refused is not None:
        flash(refused.message, "error")
        return redirect(refused_target or target)
    flash(success(result) if callable(success) else success)
    return redirect(target)


def read_upload(upload, default: bytes | None = b"") -> bytes | None:
    """The uploaded file's bytes, or `default` when no file was chosen.

    Flask-WTF leaves a file field's data None unless a file with a name was sent.
    """
    return upload.read() if upload and getattr(upload, "filename", "") else default
