"""Finding objects the same way in every context: one by the id in a URL, or a name in use."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from tenants.errors import NotFound


def get_by_id(session, model, raw_id, *, missing: str, where=()):
    """The `model` row with id `raw_id` (and the `where` conditions), or NotFound(`missing`).

    A malformed id is NotFound too, so a garbled id, a missing one and another bakery's (which
    the tenant filter hides) all answer alike.
    """
    try:
        key = uuid.UUID(str(raw_id))
    except ValueError as exc:
        raise NotFound(missing) from exc
    found = session.scalar(select(model).where(model.id == key, *where))
    if found is None:
        raise NotFound(missing)
    return found


def name_taken(session, model, name: str, *, other_than=None, where=()) -> bool:
    """Whether a `model` row other than `other_than` already has `name`, ignoring case."""
    stmt = select(model.id).where(func.lower(model.name) == name.lower(), *where)
    if other_than is not None:
        stmt = stmt.where(model.id != other_than.id)
    return bool(session.scalar(stmt))
