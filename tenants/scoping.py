"""Every query of a tenant-owned model is scoped to the session's one tenant.

A session is bound to one bakery with `bind_tenant` (per request or job). From then on:
- ORM SELECT/UPDATE/DELETE of tenant-owned models get `tenant_id = :bound` added
  (`with_loader_criteria`, which also reaches relationship and lazy loads);
- the same statements raise `TenantNotSet` when the session has no tenant;
- new tenant-owned objects get the bound tenant_id at flush, and a mismatch raises;
- on PostgreSQL each transaction sets `app.tenant_id`, which row-level security reads. That is
  the backstop for what the ORM cannot see (`text()`, Core connections).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Alias, Connection, String, Table, cast, event, func, text
from sqlalchemy.orm import Session, with_loader_criteria
from sqlalchemy.util import LRUCache

from config.extensions import db
from tenants.base import TenantOwned, is_tenant_owned

TENANT_KEY = "tenant_id"


class TenantNotSet(RuntimeError):
    """A tenant-owned model was queried on a session bound to no tenant."""


class TenantMismatch(RuntimeError):
    """A service was handed a tenant other than the one its session is bound to."""


class TenantSwitch(RuntimeError):
    """A session bound to one tenant was asked to serve another."""


def bind_tenant(session, tenant_id: uuid.UUID) -> None:
    """Bind `session` to one tenant for the rest of its life."""
    real = _real(session)
    current = real.info.get(TENANT_KEY)
    if current is not None and current != tenant_id:
        raise TenantSwitch(f"session already bound to tenant {current}, not {tenant_id}")
    real.info[TENANT_KEY] = tenant_id
    if real.in_transaction() and real.info.pop(_RLS_SET_BY_QUERY, None) != (
        real.get_transaction(),
        tenant_id,
    ):
        # after_begin already ran for this transaction with no tenant; set it now.
        _set_rls_tenant(real.connection(), tenant_id)


# (transaction, tenant id) when the statement that found the bakery also set its row-level
# security tenant (`find_bakery`), so binding needs no statement of its own.
_RLS_SET_BY_QUERY = "rls_tenant_set_by_query"


def find_bakery(session, tenant_select, id_column):
    """Run `tenant_select` (the select of one bakery a request starts with); the bakery it finds
    or None. On PostgreSQL the same statement sets the transaction's row-level security tenant
    to that bakery (one round trip instead of two), so the `bind_tenant` that follows in this
    transaction sends nothing."""
    real = _real(session)
    if real.get_bind().dialect.name == "postgresql":
        rls = func.set_config("app.tenant_id", cast(id_column, String), True)
        tenant_select = tenant_select.add_columns(rls.label("rls_tenant"))
    row = real.execute(tenant_select).first()
    if row is None:
        return None
    tenant = row[0]
    if len(row) > 1 and row[1] == str(tenant.id):
        real.info[_RLS_SET_BY_QUERY] = (real.get_transaction(), tenant.id)
    return tenant


def bound_tenant_id(session) -> uuid.UUID | None:
    """The tenant the session is bound to, or None."""
    return _real(session).info.get(TENANT_KEY)


def check_bound(session, tenant) -> None:
    """A service given `tenant` acts on the session's bound bakery, the one source of truth:
    being handed another bakery (or an unbound session) is a programming error, never a way
    to reach that bakery's rows."""
    if tenant is None or str(tenant.id) != str(bound_tenant_id(session)):
        raise TenantMismatch(
            f"service called for tenant {getattr(tenant, 'id', None)} on a session bound to "
            f"{bound_tenant_id(session)}"
        )


def _real(session) -> Session:
    # A scoped_session proxies to the current Session; `info` must be the real one's.
    return session() if callable(session) and not isinstance(session, Session) else session


def _set_rls_tenant(connection, tenant_id: uuid.UUID | None) -> None:
    if connection.dialect.name != "postgresql":
        return
    # set_config(..., true) is transaction-local; '' (not NULL) is what "no tenant" reads as.
    connection.execute(
        text("SELECT set_config('app.tenant_id', :tenant, true)"),
        {"tenant": str(tenant_id) if tenant_id else ""},
    )


@event.listens_for(Session, "after_begin")
def _after_begin(session, transaction, connection):
    tenant_id = session.info.get(TENANT_KEY)
    # A transaction this session opened itself starts with the setting unset ('' or NULL, both
    # "no tenant" to the policies), so with no bakery bound yet there is nothing to send; and
    # bind_tenant sets it when a bakery is bound mid-transaction. A request (slug look-up, then
    # bind) so sends set_config once. A session joining a transaction someone else began (a
    # savepoint, a session on a Connection: tests, scripts) may inherit another bakery's
    # setting, so it always sets its own.
    joined = isinstance(session.bind, Connection) or connection.in_nested_transaction()
    if tenant_id is not None or joined:
        _set_rls_tenant(connection, tenant_id)


@dataclass(frozen=True)
class _Shape:
    """What the tenancy hook needs to know of a statement, which depends on its shape only."""

    owned: tuple[str, ...]  # tenant-owned entities the statement queries (class names)
    owned_tables: frozenset[str]  # their tables
    bare: tuple[str, ...]  # tenant-owned tables in its FROM list that no such entity covers


# Decided once per statement shape: SQLAlchemy's cache key names the shape exactly (it is what
# its compiled-SQL cache is keyed on) and leaves bound values out, so a decision made for one
# bakery's query holds for every bakery's. Bounded like SQLAlchemy's own compiled cache.
_SHAPES: LRUCache = LRUCache(2000)


def _shape_of(state) -> _Shape:
    statement = state.statement
    cache_key = statement._generate_cache_key()
    key = None if cache_key is None else cache_key.key
    shape = _SHAPES.get(key) if key is not None else None
    if shape is None:
        owned = [m for m in state.all_mappers if is_tenant_owned(m.class_)]
        owned_tables = frozenset(m.local_table.name for m in owned)
        bare = _bare_tenant_froms(statement, owned_tables) if state.is_select else []
        shape = _Shape(
            tuple(sorted({m.class_.__name__ for m in owned})),
            owned_tables,
            tuple(sorted({_tenant_table_name(f) for f in bare})),
        )
        if key is not None:  # an uncacheable statement is looked at on every execution
            _SHAPES[key] = shape
    return shape


@lru_cache(maxsize=4096)
def _tenant_criteria(tenant_id: uuid.UUID):
    """The loader criteria for one bakery, built once. The lambda's closure holds the id as a
    bound value, so every bakery's statements share one compiled form in SQLAlchemy's cache."""
    return with_loader_criteria(
        TenantOwned, lambda cls: cls.tenant_id == tenant_id, include_aliases=True
    )


@event.listens_for(Session, "do_orm_execute")
def _scope_orm_statement(state):
    if state.is_column_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    shape = _shape_of(state)
    if not shape.owned and not shape.bare:
        return
    tenant_id = state.session.info.get(TENANT_KEY)
    if tenant_id is None:
        names = sorted(set(shape.owned) | set(shape.bare))
        raise TenantNotSet(f"query of tenant-owned {', '.join(names)} with no tenant bound")
    statement = state.statement
    if shape.bare:
        # `select(func.count()).select_from(Model)` names no entity, so it has no mapper and
        # loader criteria would not reach it: filter such tables ourselves. Only these (rare)
        # shapes look at the FROM list again, for this statement's own table objects.
        for from_ in _bare_tenant_froms(statement, shape.owned_tables):
            statement = statement.where(from_.c.tenant_id == tenant_id)
    if shape.owned:
        statement = statement.options(_tenant_criteria(tenant_id))
    state.statement = statement


def _bare_tenant_froms(statement, covered: frozenset[str]) -> list:
    """Tenant-owned tables (or aliases) standing alone in the FROM list that no queried entity
    covers (`covered`: their table names). Joins are left to the loader criteria (they reach
    joined entities, eager loads included) and, on PostgreSQL, to row-level security."""
    if not hasattr(statement, "get_final_froms"):
        return []
    found = []
    for from_ in statement.get_final_froms():
        name = _tenant_table_name(from_)
        if name and name not in covered:
            found.append(from_)
    return found


def _tenant_table_name(from_) -> str | None:
    table = from_.element if isinstance(from_, Alias) else from_
    if isinstance(table, Table) and table.name in _tenant_table_names():
        return table.name
    return None


_TENANT_TABLES: dict[int, frozenset[str]] = {}


def _tenant_table_names() -> frozenset[str]:
    """The tables of every tenant-owned model, rebuilt only when the registry grows."""
    mappers = db.Model.registry.mappers
    names = _TENANT_TABLES.get(len(mappers))
    if names is None:
        names = frozenset(m.local_table.name for m in mappers if is_tenant_owned(m.class_))
        _TENANT_TABLES.clear()
        _TENANT_TABLES[len(mappers)] = names
    return names


@event.listens_for(Session, "before_flush")
def _stamp_new_rows(session, flush_context, instances):
    tenant_id = session.info.get(TENANT_KEY)
    for obj in list(session.new) + list(session.dirty):
        if not is_tenant_owned(type(obj)):
            continue
        if tenant_id is None:
            raise TenantNotSet(f"writing {type(obj).__name__} with no tenant bound")
        if obj.tenant_id is None:
            obj.tenant_id = tenant_id
        elif tenant_id is not None and obj.tenant_id != tenant_id:
            raise TenantSwitch(
                f"{type(obj).__name__} belongs to tenant {obj.tenant_id}, session to {tenant_id}"
            )
