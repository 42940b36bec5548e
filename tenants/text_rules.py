"""The text rules (`config.text_rules`) as the services apply them: a refusal naming the field."""

from __future__ import annotations

from config.text_rules import text_problem
from tenants.errors import ValidationFailed


def check_text(value: str | None, *, field: str, multiline: bool = False) -> None:
    """Raise ValidationFailed naming `field` when `value` breaks the text rules."""
    problem = text_problem(value, multiline=multiline)
    if problem:
        raise ValidationFailed(problem, field=field)
