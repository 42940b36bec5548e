"""Errors of the ordering context. All are DomainErrors, so `config.web_errors` answers them."""

from __future__ import annotations

from flask_babel import gettext

from tenants.errors import DomainError, NotFound, PermissionDenied, ValidationFailed

__all__ = [
    "DateNotOrderable",
    "NotFound",
    "OpenOrderExists",
    "OrderConflict",
    "PermissionDenied",
    "ValidationFailed",
]


class DateNotOrderable(ValidationFailed):
    """The delivery date is refused by the calendar; `refusals` say every reason why."""

    def __init__(self, message: str, refusals: list):
        super().__init__(message, field="delivery_date")
        self.refusals = refusals


class OpenOrderExists(DomainError):
    """The customer already has an open order for that delivery date and place."""

    status_code = 409

    def __init__(self, order):
        super().__init__(
            gettext(
                "You already have order %(number)s for that day and place. "
                "Add these items to it instead, or place a second order on purpose.",
                number=order.number,
            ),
            field="delivery_date",
        )
        self.order = order


class OrderConflict(DomainError):
    """Someone else saved the order since this form was loaded (optimistic locking)."""

    status_code = 409

    def __init__(self, order, who: str, when_text: str):
        super().__init__(
            gettext(
                "This order was changed by %(who)s at %(when)s. Review it and save again.",
                who=who or gettext("someone else"),
                when=when_text,
            )
        )
        self.order = order
