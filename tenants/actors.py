"""Who acts, and the one permission check every service makes.

An actor is whoever a service acts for: a staff member (`tenants.staff.models.StaffUser`), a
buyer (`tenants.customers.models.Contact`), a platform operator (`tenants.operators.Operator`)
or the system (`SYSTEM`: demo data, jobs, imports; `None` is accepted for it too), and later an
API key. Each has a `kind`, an `id` and a `name` (what the activity log records) and answers
`may(permission, on=...)`:

- staff hold their role's permissions across their bakery (`on` does not narrow them), and an
  account-level permission on a customer ("edit_account", "manage_users") through the staff
  permission that covers it (see `tenants.staff.permissions.STAFF_FOR_ACCOUNT`);
- a contact holds portal permissions on their own customer account only (`on` must be it), never
  a staff permission;
- operators hold the platform's, the system everything.

`require(actor, permission, on=...)` raises PermissionDenied unless the actor may; `allowed` is
the same question for pages that hide a button.
"""

from __future__ import annotations

from typing import Any, Protocol

from tenants.errors import PermissionDenied

DENIED = "You don't have permission to do that."


class Actor(Protocol):
    """What every actor offers the services."""

    kind: str
    name: str

    @property
    def id(self) -> Any: ...

    def may(self, permission: str, on: Any = None) -> bool: ...


class System:
    """Work nobody in particular asked for (demo data, jobs, imports): every permission."""

    kind = "system"
    id = None
    name = "System"

    def may(self, permission: str, on: Any = None) -> bool:
        return True

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = System()


def as_actor(actor: Actor | None) -> Actor:
    """`actor`, with None read as the system."""
    return SYSTEM if actor is None else actor


def kind_of(actor: Actor | None) -> str:
    """ "staff", "contact", "operator", "system" (or a later kind): who is acting."""
    return as_actor(actor).kind


def allowed(actor: Actor | None, permission: str, *, on: Any = None) -> bool:
    """Whether `actor` may do `permission` (on `on`, a customer account, when given)."""
    return as_actor(actor).may(permission, on=on)


def require(actor: Actor | None, permission: str, *, on: Any = None, message: str = DENIED):
    """Raise PermissionDenied (with `message`) unless `actor` may do `permission` on `on`."""
    if not allowed(actor, permission, on=on):
        raise PermissionDenied(message)
