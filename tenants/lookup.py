"""Finding one object by the id in a URL, the same way in every context."""

from __future__ import annotations

import uuid

from sqlalchemy import select

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
