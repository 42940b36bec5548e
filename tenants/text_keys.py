"""One comparison key for names people type, the same on every database.

SQLite's `lower()` folds ASCII only, so "Ökobäckerei" and "ökobäckerei" compared unequal there
while Python said equal, and imports crashed on the unique index. Names are compared on a key
computed here, in Python, stored beside the name and made unique.
"""

from __future__ import annotations

import unicodedata


def fold_key(name: str | None) -> str:
    """`name` with runs of whitespace made single spaces, NFKC-normalised and case-folded."""
    return unicodedata.normalize("NFKC", " ".join((name or "").split())).casefold()
