"""The catalog context: products, categories, assortments, price lists with volume breaks, the
pricing engine, and CSV import/export of products and price-list entries."""

from tenants.catalog import models  # noqa: F401 - registers the tables with the metadata
