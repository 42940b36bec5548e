"""Work that must happen only once the current transaction commits (jobs, mail relays).

`after_commit(session, fn, *args)` records a callback on the session; it runs after a successful
commit and is dropped on rollback, so a failed request queues nothing.
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
    real.info.setdefault(_KEY, []).append((fn, args, kwargs))


@event.listens_for(Session, "after_commit")
def _run_callbacks(session):
    callbacks = session.info.pop(_KEY, [])
    for fn, args, kwargs in callbacks:
        try:
            fn(*args, **kwargs)
        except Exception:  # a failed hand-off must not turn a committed request into a 500
            log.exception("after-commit callback %r failed", fn)


@event.listens_for(Session, "after_rollback")
def _drop_callbacks(session):
    session.info.pop(_KEY, None)
