"""Work that must happen only once the current transaction commits (jobs, mail relays).

`after_commit(session, fn, *args)` records a callback on the session; it runs after the
outermost transaction commits and is dropped when it rolls back, so a failed request queues
nothing. Savepoints (`begin_nested`) are respected: releasing one is not a commit (SQLAlchemy
fires `after_commit` for it all the same), and rolling one back drops only the callbacks
recorded inside it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
_KEY = "after_commit_callbacks"


def after_commit(session, fn: Callable, *args, **kwargs) -> None:
    """Run `fn(*args, **kwargs)` once the session's current transaction commits."""
    real = session() if callable(session) and not isinstance(session, Session) else session
    # Tag each callback with the savepoint it was recorded in (None: the outer transaction).
    real.info.setdefault(_KEY, []).append((real.get_nested_transaction(), fn, args, kwargs))


def _enclosing_savepoint(transaction):
    parent = transaction.parent
    while parent is not None and not parent.nested:
        parent = parent.parent
    return parent


@event.listens_for(Session, "after_commit")
def _run_callbacks(session):
    released = session.get_nested_transaction()
    if released is not None:
        # Only a savepoint was released: its callbacks now belong to the enclosing one.
        outer = _enclosing_savepoint(released)
        session.info[_KEY] = [
            (outer if tag is released else tag, fn, args, kwargs)
            for tag, fn, args, kwargs in session.info.get(_KEY, [])
        ]
        return
    callbacks = session.info.pop(_KEY, [])
    for _tag, fn, args, kwargs in callbacks:
        try:
            fn(*args, **kwargs)
        except Exception:  # a failed hand-off must not turn a committed request into a 500
            log.exception("after-commit callback %r failed", fn)


@event.listens_for(Session, "after_soft_rollback")
def _drop_callbacks(session, previous_transaction):
    if previous_transaction.nested:
        session.info[_KEY] = [
            entry for entry in session.info.get(_KEY, []) if entry[0] is not previous_transaction
        ]
    elif previous_transaction.parent is None:
        session.info.pop(_KEY, None)
    # Otherwise a flush's internal sub-transaction failed; the enclosing rollback decides.
