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

from flask import abort, flash, g, redirect, request, session
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from config import throttle
from config.auth import SESSION_KEY, session_store, signed_in_realm
from config.extensions import db
from config.forms import client_address
from config.queue import enqueue_after_commit

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


def clear_sign_in_failures(realm: str, scope: str, email: str) -> None:
    """After a password reset: the account's failed sign-ins (from every address) are forgotten,
    so the person who just proved the account is theirs can sign in. The caller commits."""
    throttle.clear_account(db.session, account=throttle.account_key(realm, scope, email))


def token_attempt_allowed(realm: str, scope: str, token: str) -> bool:
    """Whether this address may try a token link (reset, invitation, sign-in link) again now."""
    account, address = throttle_keys(realm, scope, token)
    return not throttle.is_throttled(db.session, account=account, address=address)


def count_bad_token(realm: str, scope: str, token: str) -> None:
    """Count a dead or wrong token link against it and the address; commits."""
    account, address = throttle_keys(realm, scope, token)
    throttle.record_failure(db.session, account=account, address=address)
    db.session.commit()


def start_session(user) -> None:
    """Sign `user` in on a fresh session with a server-side record; nothing carries over.

    The record (see `tenants.sign_in_sessions`) is what keeps the cookie valid: it lapses after
    30 idle days or 90 days in all, and signing out ends it for every copy of the cookie.
    """
    session.clear()
    secret = session_store().open_session(
        db.session,
        realm=user.realm,
        user_id=user.id,
        user_agent=request.user_agent.string,
        address=client_address(request),
    )
    db.session.commit()
    login_user(user)
    session[SESSION_KEY] = secret
    session.permanent = True


def welcome(user, message: str, target: str) -> Response:
    """Sign in someone who just chose their password (an accepted invitation) and greet them."""
    start_session(user)
    flash(message)
    return redirect(target)


def end_session() -> None:
    """Sign out: end this session's record (so every copy of the cookie is anonymous from now
    on), then forget everything the session held."""
    realm = signed_in_realm()
    if realm is not None:
        session_store().end_session(db.session, realm=realm, secret=session.get(SESSION_KEY))
        db.session.commit()
    logout_user()
    session.clear()


def end_sessions_everywhere(user) -> None:
    """Sign `user` out on every device, this one included."""
    session_store().end_all_sessions(db.session, realm=user.realm, user_id=user.id)
    db.session.commit()
    logout_user()
    session.clear()


def keep_only_this_session(user) -> None:
    """After the signed-in person chose a new password: every other session of theirs ends,
    this one goes on under the identity the new password gives. The caller commits."""
    session_store().end_all_sessions(
        db.session, realm=user.realm, user_id=user.id, keep_secret=session.get(SESSION_KEY)
    )
    login_user(user)


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
    kind: str,
    message: str,
    target: str,
) -> tuple[Response | None, int]:
    """Ask for a link by email (password reset, sign-in link), throttled in its own `realm`.

    Requests count like failures so the form can't flood someone's inbox, and have their own
    realm so asking for links never locks the password sign-in. The answer (`message`, then
    `target`) is the same whether or not the address has an account, and so is the work: the
    request only queues `jobs.links.send_requested_link` (`kind` names the link), which looks
    the address up and writes the email outside the request.
    """
    if not form.validate_on_submit():
        return None, (422 if form.errors else 200)
    account, address = throttle_keys(realm, scope, form.email.data)
    if throttle.is_throttled(db.session, account=account, address=address):
        abort(429)
    throttle.record_failure(db.session, account=account, address=address)
    enqueue_after_commit(
        db.session,
        "jobs.links.send_requested_link",
        str(g.tenant.id),
        kind,
        form.email.data,
        queue="mail",
    )
    db.session.commit()
    flash(message)
    return redirect(target), 200


def active_session_rows(user, *, tenant=None) -> list[dict]:
    """The signed-in person's live sessions for their settings page: device, address, when it
    started and was last used (in the bakery's timezone, or UTC for operators), and which one is
    this browser."""
    from zoneinfo import ZoneInfo

    from config.formatting import format_date

    def when(value):
        # The date in the bakery's locale, the time to the minute, the zone named.
        if tenant is not None:
            local = value.astimezone(ZoneInfo(tenant.timezone))
            return f"{format_date(value, tenant)}, {local:%H:%M} {local.tzname()}"
        return value.strftime("%d %b %Y, %H:%M") + " UTC"

    secret = session.get(SESSION_KEY)
    return [
        {
            "device": record.device,
            "address": record.address,
            "started": when(record.started_at),
            "last_seen": when(record.last_seen_at),
            "current": session_store().is_current(record, secret),
        }
        for record in session_store().active_sessions(db.session, realm=user.realm, user_id=user.id)
    ]
