"""The invoice email: through the outbox to the billing contact, in the bakery's language, with
the PDF rendered at send time and attached; the credit note's likewise."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from tests.support.catalog import tenant_of
from tests.support.factories import platform_session, tenant_session
from tests.support.invoices import delivered_order
from tests.support.orders import customer_row


def _issue_and_credit(app, shop):
    from billing.credits import issue_credit_note
    from billing.invoicing import issue_invoice
    from billing.models import InvoiceLine
    from tenants.orders.models import Order

    order = delivered_order(
        app,
        shop.bakery,
        customer_id=shop.customer["id"],
        location_id=shop.main,
        day=date(2026, 12, 3),
        lines=[(shop.bread, 4, None)],
    )
    with tenant_session(app, shop.bakery.id) as session:
        tenant = tenant_of(session, shop.bakery)
        invoice = issue_invoice(
            session,
            tenant,
            customer=customer_row(session, shop.customer["id"]),
            orders=[session.scalar(select(Order).where(Order.id == order))],
            mode="on_demand",
        )
        invoice_id = invoice.id
    with tenant_session(app, shop.bakery.id) as session:
        tenant = tenant_of(session, shop.bakery)
        from billing.queries import get_invoice

        invoice = get_invoice(session, invoice_id)
        line = session.scalar(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id))
        issue_credit_note(
            session, tenant, actor=None, invoice=invoice, quantities={line.id: 1}, reason="Stale"
        )


def test_the_invoice_and_credit_note_arrive_with_their_pdfs_in_german(app, shops, mailbox):
    from tenants.models import Tenant

    north, south = shops
    with platform_session(app) as session:
        session.get(Tenant, north.bakery.id).locale = "de_DE"
    _issue_and_credit(app, north)
    mine = [m for m in mailbox.messages if m["X-Envelope-To"] == "billing@example.com"]
    assert len(mine) == 2
    invoice_mail, credit_mail = sorted(mine, key=lambda m: m["Subject"], reverse=True)
    assert invoice_mail["Subject"] == "Rechnung INV-2026-0001 von North Bakery"
    assert credit_mail["Subject"] == "Gutschrift CN-2026-0001 von North Bakery"
    assert "Anbei die Rechnung INV-2026-0001" in invoice_mail.get_body(("plain",)).get_content()
    for message, filename, text in (
        (invoice_mail, "INV-2026-0001.pdf", "Rechnung INV-2026-0001"),
        (credit_mail, "CN-2026-0001.pdf", "Gutschrift CN-2026-0001"),
    ):
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_filename() == filename
        assert attachment.get_content_type() == "application/pdf"
        pdf = attachment.get_content()
        assert text in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
