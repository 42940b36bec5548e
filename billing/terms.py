"""Due dates from a customer's payment terms (`tenants.customers.models.PAYMENT_TERMS`)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

# Days after the issue date for each "net" term; the others are special cases below.
NET_DAYS = {"due_on_receipt": 0, "net_7": 7, "net_14": 14, "net_30": 30, "net_60": 60}


def due_date(issue_date: date, terms: str) -> date:
    """When an invoice issued on `issue_date` under `terms` falls due.

    `end_of_month` (offered by some bakeries' imports) is the last day of the issue month;
    an unknown term is treated as net 14, the customers' default, rather than failing an issue.
    """
    if terms == "end_of_month":
        return issue_date.replace(day=calendar.monthrange(issue_date.year, issue_date.month)[1])
    return issue_date + timedelta(days=NET_DAYS.get(terms, 14))
