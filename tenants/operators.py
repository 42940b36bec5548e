"""Platform operators: separate accounts, created from the command line."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, String, Uuid, func, select
from sqlalchemy.orm import Mapped, mapped_column

from config.clock import utcnow
from config.extensions import db
from tenants.base import UTCDateTime, new_id
from tenants.passwords import (
    check_password_strength,
    hash_password,
    session_stamp,
    verify_password,
)

# What an operator may do: run the platform console (tiers, overrides, suspensions).
OPERATOR_PERMISSIONS = frozenset({"platform"})


class Operator(UserMixin, db.Model):
    """A person who runs the platform."""

    __tablename__ = "operators"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    realm = "operator"
    kind = "operator"

    def get_id(self) -> str:
        return f"operator:{self.id}|{session_stamp(self.password_hash)}"

    @property
    def is_active(self) -> bool:
        return self.active

    def may(self, permission: str, on=None) -> bool:
        """An actor's question (see tenants.actors): operators run the platform console and
        hold no bakery's permissions."""
        return self.active and permission in OPERATOR_PERMISSIONS


def create_operator(session, *, email: str, name: str, password: str) -> Operator:
    """Create an operator, or reset the password of an existing one with that email."""
    check_password_strength(password)
    email = email.strip().lower()
    operator = session.scalar(select(Operator).where(func.lower(Operator.email) == email))
    if operator is None:
        operator = Operator(email=email, name=name)
        session.add(operator)
    operator.name = name or operator.name
    operator.password_hash = hash_password(password)
    session.flush()
    return operator


def authenticate_operator(session, *, email: str, password: str) -> Operator | None:
    """The active operator with these credentials, or None."""
    operator = session.scalar(
        select(Operator).where(func.lower(Operator.email) == email.strip().lower())
    )
    valid = verify_password(operator.password_hash if operator else None, password)
    if operator is None or not operator.active or not valid:
        return None
    return operator
