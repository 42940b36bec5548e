"""The one confirm step before an action that is hard to take back (removing, deleting,
suspending, switching off, downgrading), shared by the back office, the portal and the console.

It works without JavaScript: the button on the page is a link to the action's own URL, whose
GET answers this confirm page ("Remove Riverside? Ravi Rivers is assigned to it.") and changes
nothing; the page's form POSTs to the same URL, which acts. Actions that a form posts (a tier
change, a suspension with its reason) carry `confirmed=yes` once the person confirmed.

Red (`danger`) is kept for what cannot be undone; reversible actions (suspend, switch off,
downgrade) confirm with the ordinary button. Where an undo is cheap (re-enabling a contact) no
confirm step is asked: `flash_with_undo` offers the undo in the message instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import flash, render_template, request

CONFIRMED = "confirmed"


def confirm_page(
    base: str,
    *,
    question: str,
    details: Iterable[str] = (),
    button: str,
    cancel_url: str,
    danger: bool = False,
    action_url: str | None = None,
    hidden: dict[str, str] | None = None,
    form=None,
    fields: Iterable = (),
    status: int = 200,
):
    """The confirm page inside `base` (the blueprint's layout): the question, what will happen
    (`details`), the optional `fields` of `form` (a reason), and `button` / Cancel. It posts
    to `action_url` (the current URL by default) with `hidden` values and confirmed=yes."""
    return render_template(
        "confirm.html",
        base=base,
        in_portal=base.startswith("portal/"),
        question=question,
        details=list(details),
        button=button,
        cancel_url=cancel_url,
        danger=danger,
        action_url=action_url or request.path,
        hidden={**(hidden or {}), CONFIRMED: "yes"},
        form=form,
        fields=list(fields),
    ), status


def was_confirmed() -> bool:
    """Whether this POST comes from the confirm page (for actions a form posts directly)."""
    return request.method == "POST" and request.form.get(CONFIRMED) == "yes"


def flash_with_undo(message: str, undo_url: str, undo_label: str = "Undo") -> None:
    """Flash `message` with a button that posts to `undo_url` (the layout renders it)."""
    flash({"text": message, "undo_url": undo_url, "undo_label": undo_label}, "undo")
