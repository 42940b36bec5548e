"""What text a field may hold: the one rule behind the forms and the CSV imports alike.

The forms (`config.forms`) and the services (`tenants.text_rules.check_text`) both ask
`text_problem`, so a CSV cell can't carry what a form refuses.

A one-line field (a name, an email, a phone) holds no control characters at all: line breaks end
up in email headers and CSV cells, and PostgreSQL refuses NUL outright. A text area may hold line
breaks and tabs. Neither may hold bidirectional overrides or isolates, which make a name read
differently on screen from what it is ("Trojan Source").
"""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l

MULTILINE_ALLOWED = frozenset({"\n", "\r", "\t"})
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Lazy: each page shows them in its own language (a buyer's in the bakery's).
SINGLE_LINE_MESSAGE = _l("Use a single line of text, without line breaks.")
MULTILINE_MESSAGE = _l("Remove the control characters from this text.")


def text_problem(value: str | None, *, multiline: bool = False) -> str | None:
    """Why `value` is not acceptable text for its kind of field, or None when it is: a plain
    string in the current page's language (a CSV import stores it as JSON, so never lazy)."""
    if not value:
        return None
    allowed = MULTILINE_ALLOWED if multiline else frozenset()
    for ch in value:
        if (unicodedata.category(ch) == "Cc" and ch not in allowed) or ch in BIDI_CONTROLS:
            return str(MULTILINE_MESSAGE if multiline else SINGLE_LINE_MESSAGE)
    return None
