"""Column types every model shares, tenant-owned or platform-wide."""

from __future__ import annotations

from sqlalchemy import DateTime, TypeDecorator

from config.clock import as_utc


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every dialect (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC datetime is required")
        return as_utc(value)

    def process_result_value(self, value, dialect):
        return as_utc(value)
