"""The day's pages use the production tests' two bakeries (tests/tenants/production)."""

from tests.tenants.production.conftest import day_shops  # noqa: F401 - fixture
