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

from sqlalchemy import event, text
from sqlalchemy.orm import Session, with_loader_criteria

from tenants.base import TenantOwned, is_tenant_owned

TENANT_KEY = "tenant_id"
BYPASS_KEY = "tenant_scope_bypass"


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
    if state.is_column_load or state.session.info.get(BYPASS_KEY):
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if not any(is_tenant_owned(m.class_) for m in state.all_mappers):
        return
    tenant_id = state.session.info.get(TENANT_KEY)
    if tenant_id is None:
        names = ", ".join(sorted(m.class_.__name__ for m in state.all_mappers))
        raise TenantNotSet(f"query of tenant-owned model(s) {names} with no tenant bound")
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantOwned,
            lambda cls: cls.tenant_id == tenant_id,
            include_aliases=True,
        )
    )


@event.listens_for(Session, "before_flush")
def _stamp_new_rows(session, flush_context, instances):
    tenant_id = session.info.get(TENANT_KEY)
    for obj in list(session.new) + list(session.dirty):
        if not is_tenant_owned(type(obj)):
            continue
        if tenant_id is None and not session.info.get(BYPASS_KEY):
            raise TenantNotSet(f"writing {type(obj).__name__} with no tenant bound")
        if obj.tenant_id is None:
            obj.tenant_id = tenant_id
        elif tenant_id is not None and obj.tenant_id != tenant_id:
            raise TenantSwitch(
                f"{type(obj).__name__} belongs to tenant {obj.tenant_id}, session to {tenant_id}"
            )
