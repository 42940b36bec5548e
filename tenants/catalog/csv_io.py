"""CSV plumbing shared by every import and export: decoding uploads, safe cells.

Uploads arrive from spreadsheets in UTF-8 (with or without a byte-order mark), Windows-1252 or
Latin-1. Exported cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR first)
get a leading apostrophe, which the importer strips again so files round-trip.
"""

from __future__ import annotations

import csv
import io

from tenants.catalog.errors import BadCsv

MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def decode_upload(data: bytes) -> str:
    """Bytes of an uploaded CSV to text: UTF-8 (BOM or not), else Windows-1252, else Latin-1."""
    if len(data) > MAX_CSV_BYTES:
        raise BadCsv(f"The file is over {MAX_CSV_BYTES // (1024 * 1024)} MB.", field="file")
    if not data.strip():
        raise BadCsv("The file is empty.", field="file")
    if b"\x00" in data:
        raise BadCsv(
            "This is not a CSV text file (or it is saved as UTF-16). Save it as "
            "'CSV UTF-8' and try again.",
            field="file",
        )
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadCsv("The file's text encoding is not recognised.", field="file")  # pragma: no cover


def read_rows(
    text: str, required: tuple[str, ...], known: tuple[str, ...]
) -> list[tuple[int, dict[str, str]]]:
    """Rows as (spreadsheet row number, {column: value}) after checking the header."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration as exc:
        raise BadCsv("The file is empty.", field="file") from exc
    except csv.Error as exc:
        raise BadCsv(f"The file is not valid CSV: {exc}.", field="file") from exc
    missing = [c for c in required if c not in header]
    if missing:
        raise BadCsv(f"Missing column(s): {', '.join(missing)}.", field="file")
    unknown = [c for c in header if c and c not in known]
    if unknown:
        raise BadCsv(f"Unknown column(s): {', '.join(unknown)}.", field="file")
    if len(set(header)) != len(header):
        raise BadCsv("A column appears twice in the header.", field="file")
    rows = []
    try:
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise BadCsv(f"The file has more than {MAX_ROWS} rows; split it.", field="file")
            row = {
                h: unescape_cell(values[i]) if i < len(values) else ""
                for i, h in enumerate(header)
                if h
            }
            rows.append((number, row))
    except csv.Error as exc:
        raise BadCsv(f"The file is not valid CSV: {exc}.", field="file") from exc
    if not rows:
        raise BadCsv("The file has a header but no rows.", field="file")
    return rows


def escape_cell(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unescape_cell(value: str) -> str:
    """Undo `escape_cell` (and trim spaces)."""
    value = value.strip()
    if value.startswith("'") and value[1:2] and value[1] in "=+-@":
        return value[1:]
    return value


def write_csv(header: list[str], rows) -> str:
    """A CSV text with every cell escaped."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([escape_cell(v) for v in row])
    return out.getvalue()
