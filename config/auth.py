"""Who is signed in, per realm (staff, buyer, operator), bound to the request's bakery.

One cookie holds one identity, "<realm>:<...>|<stamp>". A blueprint declares its realm before the
user is loaded; an identity of another realm, or of staff/buyers of another bakery, loads as
anonymous. The stamp fingerprints the user's password hash, so a new password ends every session
signed in with the old one: the identity a user gives now must equal the one in the cookie.
"""

from __future__ import annotations

from collections.abc import Callable
from hmac import compare_digest

from flask import g

from config.extensions import login_manager

_LOADERS: dict[str, Callable[[str], object | None]] = {}


def register_realm(realm: str, loader: Callable[[str], object | None]) -> None:
    """`loader(rest_of_id)` returns the user or None; it must check the request's tenant."""
    _LOADERS[realm] = loader


def enter_realm(realm: str) -> None:
    """Called by a blueprint before any view of it runs."""
    g.auth_realm = realm


def load_identity(user_id: str, realm: str | None):
    """The user a cookie identity names in `realm`, or None if it is stale or of another realm."""
    body, _, _stamp = (user_id or "").partition("|")
    named_realm, _, rest = body.partition(":")
    if named_realm != realm or realm not in _LOADERS:
        return None
    user = _LOADERS[realm](rest)
    if user is None or not compare_digest(user.get_id(), user_id):
        return None
    return user


@login_manager.user_loader
def _load_user(user_id: str):
    return load_identity(user_id, g.get("auth_realm"))
