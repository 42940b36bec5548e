"""Count the SQL statements a block of code sends, for constant-query assertions."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries(engine):
    """Yield a counter of the statements `engine` executes inside the block (SAVEPOINTs and
    the per-transaction tenant setting are left out: they are not the page's queries)."""
    counter = QueryCounter()

    def before(conn, cursor, statement, parameters, context, executemany):
        text = statement.strip().upper()
        if text.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            return
        if "SET_CONFIG('APP.TENANT_ID'" in text:
            return
        counter.statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before)
