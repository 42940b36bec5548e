"""Money in: invoices, buyers' payments and the bakeries' own plan subscriptions.

Part of the fixed layout (see ../shared/DESIGN.md): `config <- tenants <- billing <- {portal,
admin, jobs}`. Invoices (numbering, PDF), card payments through Stripe Connect, Stripe Billing for
the bakeries' tiers and the signed webhooks at /webhooks/stripe/ land here with the orders and
invoices work; only this package will import `stripe`. Nothing is registered from it yet, so no
route or job depends on it.
"""
