"""The ordering tests' two bakeries (a café each, Tuesday/Thursday delivery, a frozen Monday)."""

from tests.tenants.orders.conftest import frozen, shops  # noqa: F401 - fixtures
