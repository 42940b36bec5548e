"""Who is signed in, per realm (staff, buyer, operator), bound to the request's bakery.

One cookie holds one identity, "<realm>:<...>". A blueprint declares its realm before the user is
loaded; an identity of another realm, or of staff/buyers of another bakery, loads as anonymous.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import g

from config.extensions import login_manager

_LOADERS: dict[str, Callable[[str], object | None]] = {}


def register_realm(realm: str, loader: Callable[[str], object | None]) -> None:
    """`loader(rest_of_id)` returns the user or None; it must check the request's tenant."""
    _LOADERS[realm] = loader


def enter_realm(realm: str) -> None:
    """Called by a blueprint before any view of it runs."""
    g.auth_realm = realm


@login_manager.user_loader
def _load_user(user_id: str):
    realm, _, rest = user_id.partition(":")
    if realm != g.get("auth_realm") or realm not in _LOADERS:
        return None
    return _LOADERS[realm](rest)
