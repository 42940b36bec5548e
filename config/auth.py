"""Who is signed in, per realm (staff, buyer, operator), bound to the request's bakery.

One cookie holds one identity, "<realm>:<...>|<stamp>". A blueprint declares its realm before the
user is loaded; an identity of another realm, or of staff/buyers of another bakery, loads as
anonymous. The stamp fingerprints the user's password hash, so a new password ends every session
signed in with the old one: the identity a user gives now must equal the one in the cookie.

The cookie also carries the secret of a server-side session record (`tenants.sign_in_sessions`,
installed by the composition root with `use_session_store`):
an identity loads only while that record is live, so signing out (or "sign out everywhere", or
the idle and absolute lifetimes) makes every copy of the cookie anonymous.
"""

from __future__ import annotations

from collections.abc import Callable
from hmac import compare_digest

from flask import g, session

from config.extensions import db, login_manager

# The session key holding the secret of this sign-in's server-side record.
SESSION_KEY = "sign_in_session"
_LOADERS: dict[str, Callable[[str], object | None]] = {}
_SESSION_STORE: list = []


def use_session_store(store) -> None:
    """Keep signed-in sessions in `store` (the composition root passes
    `tenants.sign_in_sessions`; config, the bottom layer, names no package above it)."""
    _SESSION_STORE[:] = [store]


def session_store():
    """The store of server-side session records (see `use_session_store`)."""
    if not _SESSION_STORE:
        raise RuntimeError("no session store: create_app installs tenants.sign_in_sessions")
    return _SESSION_STORE[0]


def register_realm(realm: str, loader: Callable[[str, str], tuple | None]) -> None:
    """`loader(rest_of_id, secret)` returns (user, live session record) or None; it must check
    the request's tenant, and loads both in one statement (`tenants.sign_in_sessions.
    signed_in_select`): the record the cookie's session `secret` names, still live."""
    _LOADERS[realm] = loader


def enter_realm(realm: str) -> None:
    """Called by a blueprint before any view of it runs."""
    g.auth_realm = realm


def load_identity(user_id: str, realm: str | None):
    """The user a cookie identity names in `realm`, or None if it is stale, of another realm,
    or its server-side session is no longer live."""
    body, _, _stamp = (user_id or "").partition("|")
    named_realm, _, rest = body.partition(":")
    if named_realm != realm or realm not in _LOADERS:
        return None
    secret = session.get(SESSION_KEY)
    if not secret:
        return None  # a cookie without a session record's secret is no sign-in
    found = _LOADERS[realm](rest, secret)
    if found is None:
        return None  # no such user, or signed out, lapsed, or ended from another device
    user, record = found
    if user is None or record is None or not compare_digest(user.get_id(), user_id):
        return None
    if session_store().needs_touch(record):
        g.touch_sign_in_session = (realm, record.id)
    return user


def signed_in_realm() -> str | None:
    """The realm of the identity in this request's cookie, if it names one."""
    body = (session.get("_user_id") or "").partition("|")[0]
    realm = body.partition(":")[0]
    return realm if realm in _LOADERS else None


def touch_used_session(response):
    """After a request: note when a session was last used (at most every few minutes), so the
    idle lifetime counts from the last use. Its own commit: the view's work is already done."""
    pending = g.pop("touch_sign_in_session", None)
    if pending is not None:
        realm, record_id = pending
        try:
            session_store().touch(db.session, realm=realm, record_id=record_id)
            db.session.commit()
        except Exception:  # a missed "last seen" must never fail the page
            db.session.rollback()
    return response


@login_manager.user_loader
def _load_user(user_id: str):
    return load_identity(user_id, g.get("auth_realm"))
