"""Fixtures for the admin tests."""

from tests.support.catalog import bakeries  # noqa: F401 - two bakeries with colliding catalogs
