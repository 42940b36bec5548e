"""The ordering context: the delivery calendar, the buyer's cart, placing orders, their
lifecycle (statuses, edits, cancellation), reorder, and the mail they cause."""

from tenants.orders import models  # noqa: F401 - registers the tables with the metadata
