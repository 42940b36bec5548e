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

from sqlalchemy import Alias, Table, event, text
from sqlalchemy.orm import Session, with_loader_criteria

from config.extensions import db
from tenants.base import TenantOwned, is_tenant_owned

TENANT_KEY = "tenant_id"


class TenantNotSet(RuntimeError):
    """A tenant-owned model was queried on a session bound to no tenant."""


class TenantSwitch(RuntimeError):
    """A session bound to one tenant was asked to serve another."""


def bind_tenant(session, tenant_id: uuid.UUID) -> None:
    """Bind `session` to one tenant for the rest of its life."""
    real = _real(session)
    current = real.info.get(TENANT_KEY)
    if current is not None and current != tenant_id:
        raise TenantSwitch(f"session already bound to tenant {current}, not {tenant_id}")
    real.info[TENANT_KEY] = tenant_id
    if real.in_transaction():
        # after_begin already ran for this transaction with no tenant; set it now.
        _set_rls_tenant(real.connection(), tenant_id)


def bound_tenant_id(session) -> uuid.UUID | None:
    """The tenant the session is bound to, or None."""
    return _real(session).info.get(TENANT_KEY)


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
    _set_rls_tenant(connection, session.info.get(TENANT_KEY))


@event.listens_for(Session, "do_orm_execute")
def _scope_orm_statement(state):
    if state.is_column_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    owned = [m for m in state.all_mappers if is_tenant_owned(m.class_)]
    # `select(func.count()).select_from(Model)` names no entity, so it has no mapper and
    # loader criteria would not reach it: find such tables in the FROM list ourselves.
    statement = state.statement
    bare = _bare_tenant_froms(statement, owned) if hasattr(statement, "get_final_froms") else []
    if not owned and not bare:
        return
    tenant_id = state.session.info.get(TENANT_KEY)
    if tenant_id is None:
        names = sorted({m.class_.__name__ for m in owned} | {f.name for f in bare})
        raise TenantNotSet(f"query of tenant-owned {', '.join(names)} with no tenant bound")
    for from_ in bare:
        statement = statement.where(from_.c.tenant_id == tenant_id)
    if owned:
        statement = statement.options(
            with_loader_criteria(
                TenantOwned,
                lambda cls: cls.tenant_id == tenant_id,
                include_aliases=True,
            )
        )
    state.statement = statement


def _bare_tenant_froms(statement, owned_mappers) -> list:
    """Tenant-owned tables (or aliases) standing alone in the FROM list that no queried entity
    covers. Joins are left to the loader criteria (they reach joined entities, eager loads
    included) and, on PostgreSQL, to row-level security."""
    covered = {m.local_table.name for m in owned_mappers}
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


def _tenant_table_names() -> frozenset[str]:
    return frozenset(
        m.local_table.name for m in db.Model.registry.mappers if is_tenant_owned(m.class_)
    )


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
