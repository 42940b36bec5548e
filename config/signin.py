"""Signing in and out, the same way in every realm (staff, buyers, operators).

Each realm brings its own authenticate function, throttle realm and wording; the steps are shared:
throttle per account and per address, count failures, start a fresh session, follow only a local
`next`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import abort, flash, redirect, request, session
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from config import throttle
from config.extensions import db
from config.forms import client_address

NO_MATCH = "That email and password don't match an account here."


def safe_next(target: str | None, default: str, *, within: str = "/") -> str:
    """Follow `next` only to a path under `within` on this site; anything else goes to `default`.

    Browsers drop tabs and newlines from URLs and read a backslash as a slash, so a slash, a tab
    and "/evil.example" would leave the site: any control character, whitespace or backslash is
    refused, as is anything with a scheme or host once parsed.
    """
    if not target or any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in unquote(target)):
        return default  # checked decoded too: a proxy or browser may decode it once more
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return default
    # "/admin/mine/../../platform/" starts with the prefix but leaves it once resolved.
    resolved = posixpath.normpath(unquote(parts.path))
    if not (resolved.rstrip("/") + "/").startswith(within):
        return default
    return target


def throttle_keys(realm: str, scope: str, key: str) -> tuple[str, str]:
    """The throttle's (account, address) keys for `key` (an email, a token) in `realm`."""
    return (
        throttle.account_key(realm, scope, key),
        throttle.address_key(realm, client_address(request)),
    )


def start_session(user) -> None:
    """Sign `user` in on a fresh, permanent (sliding 30-day) session; nothing carries over."""
    session.clear()
    login_user(user)
    session.permanent = True


def welcome(user, message: str, target: str) -> Response:
    """Sign in someone who just chose their password (an accepted invitation) and greet them."""
    start_session(user)
    flash(message)
    return redirect(target)


def end_session() -> None:
    """Sign out and forget everything the session held."""
    logout_user()
    session.clear()


def password_sign_in(
    form,
    *,
    realm: str,
    scope: str,
    authenticate: Callable[[str, str], Any],
    home: str,
    within: str,
    too_many: str,
    no_match: str = NO_MATCH,
) -> tuple[Response | None, int]:
    """Sign in with the email and password of `form`, throttled per account and address.

    `authenticate(email, password)` returns the user or None; `next` is followed only to a path
    under `within` (the realm's, and the bakery's, own prefix). Answers like
    `config.edge.submit_form`: the redirect to a local `next` (or `home`) once signed in, else
    None and the status to re-render the form with (422 invalid, 429 throttled, 401 no match).
    """
    if not form.validate_on_submit():
        return None, (422 if form.errors else 200)
    account, address = throttle_keys(realm, scope, form.email.data)
    if throttle.is_throttled(db.session, account=account, address=address):
        form.form_errors.append(too_many)
        return None, 429
    user = authenticate(form.email.data, form.password.data)
    if user is None:
        throttle.record_failure(db.session, account=account, address=address)
        db.session.commit()
        form.form_errors.append(no_match)
        return None, 401
    throttle.clear_account(db.session, account=account)
    db.session.commit()
    start_session(user)
    return redirect(safe_next(request.args.get("next"), home, within=within)), 200


def request_emailed_link(
    form,
    *,
    realm: str,
    scope: str,
    send: Callable[[str], Any],
    message: str,
    target: str,
) -> tuple[Response | None, int]:
    """Ask for a link by email (password reset, sign-in link), throttled in its own `realm`.

    Requests count like failures so the form can't flood someone's inbox, and have their own
    realm so asking for links never locks the password sign-in. The answer (`message`, then
    `target`) is the same whether or not the address has an account.
    """
    if not form.validate_on_submit():
        return None, (422 if form.errors else 200)
    account, address = throttle_keys(realm, scope, form.email.data)
    if throttle.is_throttled(db.session, account=account, address=address):
        abort(429)
    throttle.record_failure(db.session, account=account, address=address)
    send(form.email.data)
    db.session.commit()
    flash(message)
    return redirect(target), 200
