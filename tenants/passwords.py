"""Password rules and hashing shared by staff, buyers and operators."""

from __future__ import annotations

import hashlib

from werkzeug.security import check_password_hash, generate_password_hash

from tenants.errors import ValidationFailed

MIN_LENGTH = 10
# A short list of the passwords attackers try first; length does most of the work.
_COMMON = {
    "password12",
    "password123",
    "1234567890",
    "qwertyuiop",
    "letmein123",
    "iloveyou12",
    "welcome123",
    "bakery1234",
    "admin12345",
    "passw0rd12",
}


def check_password_strength(password: str, *, field: str = "password") -> None:
    """Raise ValidationFailed for a password that is too weak."""
    if len(password) < MIN_LENGTH:
        raise ValidationFailed(
            f"Use at least {MIN_LENGTH} characters for your password.", field=field
        )
    if password.lower() in _COMMON or len(set(password)) < 4:
        raise ValidationFailed(
            "That password is too easy to guess. Try a longer phrase.", field=field
        )


def hash_password(password: str) -> str:
    return generate_password_hash(password)


_DUMMY_HASH: list[str] = []


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; an unknown account costs the same time as a known one."""
    if not password_hash:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(generate_password_hash("not-a-real-password"))
        check_password_hash(_DUMMY_HASH[0], password)
        return False
    return check_password_hash(password_hash, password)


def session_stamp(password_hash: str | None) -> str:
    """A short fingerprint of the password hash, carried in the sign-in cookie.

    The cookie's identity ends in it, so setting a new password (a reset, a change, a temporary
    password from staff) signs out every other session at its next request.
    """
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]
