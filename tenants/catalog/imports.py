"""CSV import runs: queue a file, then validate and apply it in a background job.

A run validates every row first (committing only its progress, so the page can show it), then
applies all rows in one transaction, or none if any row failed, unless the person chose
"import valid rows". SKU is the key: re-importing the same file changes nothing.
The `import_runs` table and this runner are generic: a kind of file is an `ImportKind` (its
columns, who may import it, how rows are checked and applied). Other contexts register theirs
with `register_kind` (tenants.customers.csv_import adds "customers").
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from marshmallow import ValidationError
from sqlalchemy import Uuid, bindparam, func, or_, select, text, update

from config.clock import utcnow
from config.queue import enqueue_after_commit, safe_job_id
from tenants.base import UTCDateTime
from tenants.catalog.csv_io import decode_upload, read_rows
from tenants.catalog.csv_schemas import (
    PRICE_COLUMNS,
    PRICE_REQUIRED,
    PRODUCT_COLUMNS,
    PRODUCT_REQUIRED,
    PriceRowSchema,
    ProductRowSchema,
    bake_days_mask,
    row_errors,
)
from tenants.catalog.errors import BadCsv, NotFound, ValidationFailed
from tenants.catalog.models import ImportRun, PriceList, Product
from tenants.catalog.money import parse_amount
from tenants.catalog.price_lists import (
    BreakInput,
    get_price_list,
    replace_entries,
    validate_tiers,
)
from tenants.catalog.pricing import Tier
from tenants.catalog.products import (
    PRODUCT_FIELDS,
    category_by_name,
    clean_product_fields,
    require_catalog,
)
from tenants.catalog.quotes import load_snapshot
from tenants.errors import LimitReached
from tenants.plans import check_limit

JOB = "jobs.catalog_import.run_import"
PROGRESS_EVERY = 200
# A run still queued this long after upload lost its job (Redis was down at the upload, or
# the job vanished); the outbox relay offers it again.
STALE_QUEUED = timedelta(minutes=5)
# A run "running" with no progress for this long lost its worker (a crash, a killed container);
# its import is one transaction, so nothing of it was applied and it can start over. Progress is
# reported every PROGRESS_EVERY rows, far more often than this.
STALE_RUNNING = timedelta(minutes=30)
RELAY_BATCH = 200
# Runs to offer again, across active bakeries. On PostgreSQL the body of the SECURITY DEFINER
# function platform_stalled_import_runs(p_queued_before, p_running_before, p_limit), which hands
# out ids only (row-level security hides other bakeries' runs from the app's role); SQLite runs
# it directly.
STALLED_IMPORTS_SQL = """
SELECT r.tenant_id, r.id FROM import_runs r JOIN tenants t ON t.id = r.tenant_id
WHERE t.suspended_at IS NULL AND (
  (r.status = 'queued' AND r.created_at < {queued_before})
  OR (r.status = 'running' AND r.claimed_at < {running_before})
)
ORDER BY r.created_at
LIMIT {limit}
"""
# Service field names -> the CSV column a person sees in the error report.
COLUMN_OF = {
    "base_price_minor": "base_price",
    "category_id": "category",
    "price": "unit_price",
    "breaks": "min_qty",
}


def start_import(
    session,
    tenant,
    *,
    actor,
    kind: str,
    data: bytes,
    filename: str = "",
    import_valid_rows: bool = False,
    price_list: PriceList | None = None,
) -> ImportRun:
    """Check the file can be read, record a run, and queue its job after commit."""
    spec = kind_of(kind)
    spec.authorize(actor)
    if kind == "price_list" and price_list is None:
        raise ValidationFailed("Choose the price list to import into.", field="price_list_id")
    text = decode_upload(data)
    rows = read_rows(text, spec.required, spec.known)
    if kind == "price_list" and not {"unit_price", "discount_percent"} & set(rows[0][1]):
        raise BadCsv("Add a unit_price or a discount_percent column.", field="file")
    options = {"import_valid_rows": bool(import_valid_rows)}
    if price_list is not None:
        options["price_list_id"] = str(price_list.id)
    run = ImportRun(
        tenant_id=tenant.id,
        kind=kind,
        status="queued",
        filename=filename[:200],
        total=len(rows),
        done=0,
        errors=[],
        options=options,
        summary={},
        payload=text,
        created_by_id=getattr(actor, "id", None),
    )
    session.add(run)
    session.flush()
    enqueue_after_commit(session, JOB, str(tenant.id), str(run.id), job_id=import_job_id(run.id))
    return run


def import_job_id(run_id) -> str:
    """The RQ job id of one import run: the upload and the relay agree on it."""
    return safe_job_id("import", run_id)


def stalled_runs(session, *, now: datetime | None = None, limit: int = RELAY_BATCH):
    """[(tenant_id, run_id)] of runs whose job was lost, across bakeries: queued for longer than
    STALE_QUEUED, or running with no sign of life for longer than STALE_RUNNING."""
    now = now or utcnow()
    if session.get_bind().dialect.name == "postgresql":
        stmt = text(
            "SELECT tenant_id, id FROM platform_stalled_import_runs("
            ":queued_before, :running_before, :limit)"
        )
    else:
        stmt = text(
            STALLED_IMPORTS_SQL.format(
                queued_before=":queued_before", running_before=":running_before", limit=":limit"
            )
        )
    stmt = stmt.bindparams(
        bindparam("queued_before", type_=UTCDateTime),
        bindparam("running_before", type_=UTCDateTime),
    ).columns(tenant_id=Uuid, id=Uuid)
    params = {
        "queued_before": now - STALE_QUEUED,
        "running_before": now - STALE_RUNNING,
        "limit": limit,
    }
    return [tuple(row) for row in session.execute(stmt, params)]


def get_run(session, run_id, kinds: tuple[str, ...] | None = None) -> ImportRun:
    """This bakery's import run (of one of `kinds`, when given), or NotFound."""
    try:
        rid = uuid.UUID(str(run_id))
    except ValueError as exc:
        raise NotFound("No such import.") from exc
    stmt = select(ImportRun).where(ImportRun.id == rid)
    if kinds is not None:
        stmt = stmt.where(ImportRun.kind.in_(kinds))
    run = session.scalar(stmt)
    if run is None:
        raise NotFound("No such import.")
    return run


def recent_runs(session, limit: int = 10, kinds: tuple[str, ...] | None = None) -> list[ImportRun]:
    """The latest import runs (of `kinds`, when given), newest first."""
    stmt = select(ImportRun).order_by(ImportRun.created_at.desc()).limit(limit)
    if kinds is not None:
        stmt = stmt.where(ImportRun.kind.in_(kinds))
    return list(session.scalars(stmt))


def process_run(
    session,
    tenant,
    run_id,
    *,
    checkpoint: Callable[[], None] = lambda: None,
    now: datetime | None = None,
) -> ImportRun:
    """Validate then apply one run. Safe to call twice: only a queued run, or a running one
    whose worker died (no sign of life for STALE_RUNNING), is claimed.

    `checkpoint` is called after progress updates (the job commits there).
    """
    now = now or utcnow()
    run = get_run(session, run_id)
    claimed = session.scalar(
        update(ImportRun)
        .where(
            ImportRun.id == run.id,
            or_(
                ImportRun.status == "queued",
                (ImportRun.status == "running") & (ImportRun.claimed_at < now - STALE_RUNNING),
            ),
        )
        .values(status="running", done=0, errors=[], claimed_at=now)
        .returning(ImportRun.id)
        .execution_options(synchronize_session=False)
    )
    session.refresh(run)
    if claimed is None:  # finished, or another job is running it
        return run
    checkpoint()
    spec = kind_of(run.kind)
    rows = read_rows(run.payload, spec.required, spec.known)
    errors: list[dict] = []
    valid = spec.validate(session, tenant, run, rows, errors, checkpoint)
    run.done = run.total = len(rows)
    if errors and not run.options.get("import_valid_rows"):
        return _finish(run, "failed", errors, {"applied": 0}, now)
    try:
        summary = spec.apply(session, tenant, run, valid, now)
    except LimitReached as exc:
        errors.append({"row": 0, "column": "", "reason": exc.message})
        return _finish(run, "failed", errors, {"applied": 0}, now)
    summary["skipped"] = len({e["row"] for e in errors})
    return _finish(run, "done", errors, summary, now)


def _finish(run, status, errors, summary, now):
    run.status, run.errors, run.summary = status, errors, summary
    run.finished_at = now or utcnow()
    run.payload = run.payload if status == "failed" else ""
    return run


def row_error(errors, row, column, reason):
    """Record a problem with one row (its spreadsheet number, the column, what is wrong)."""
    errors.append({"row": row, "column": COLUMN_OF.get(column, column), "reason": reason})


def report_progress(run, index, checkpoint):
    """Every PROGRESS_EVERY rows, save how far validation got so the page can show it."""
    if index % PROGRESS_EVERY == 0:
        run.done = index
        run.claimed_at = utcnow()  # a sign of life: this run's worker is still at it
        checkpoint()


def _loaded_rows(schema, run, rows, errors, checkpoint):
    """Each row as `schema` loads it, with its number, reporting progress as it goes.

    A row that does not load is recorded in `errors` (per column) and skipped.
    """
    for index, (number, raw) in enumerate(rows, start=1):
        report_progress(run, index, checkpoint)
        try:
            data = schema.load(raw)
        except ValidationError as exc:
            for column, reason in row_errors(exc):
                row_error(errors, number, column, reason)
            continue
        yield number, data


def _validate_products(session, tenant, run, rows, errors, checkpoint):
    schema = ProductRowSchema(locale=tenant.locale)
    seen: dict[str, int] = {}
    valid = []
    for number, data in _loaded_rows(schema, run, rows, errors, checkpoint):
        try:
            fields = {k: data.get(k) for k in PRODUCT_FIELDS if k in data}
            fields["base_price_minor"] = parse_amount(
                data["base_price"], tenant.currency, field="base_price_minor"
            )
            fields["bake_days"] = bake_days_mask(data["bake_days"])
            fields["category_id"] = None
            clean = clean_product_fields(fields)
        except ValidationFailed as exc:
            row_error(errors, number, exc.field or "", exc.message)
            continue
        key = clean["sku"].lower()
        if key in seen:
            row_error(errors, number, "sku", f"SKU {clean['sku']} is also on row {seen[key]}.")
            continue
        seen[key] = number
        valid.append((number, clean, data.get("category") or ""))
    return valid


def _apply_products(session, tenant, run, valid, now):
    existing = (
        {
            p.sku.lower(): p
            for p in session.scalars(
                select(Product).where(
                    func.lower(Product.sku).in_([c["sku"].lower() for _, c, _ in valid])
                )
            )
        }
        if valid
        else {}
    )
    new = [v for v in valid if v[1]["sku"].lower() not in existing]
    if new:
        check_limit(tenant, "products", adding=len(new), now=now)
    created = updated = unchanged = 0
    categories: dict[str, object] = {}
    for _, clean, category_name in valid:
        key = category_name.strip().lower()
        if key and key not in categories:
            categories[key] = category_by_name(session, tenant, category_name, create=True)
        clean["category_id"] = categories[key].id if key else None
        product = existing.get(clean["sku"].lower())
        if product is None:
            session.add(Product(tenant_id=tenant.id, updated_at=now or utcnow(), **clean))
            created += 1
            continue
        clean["sku"] = product.sku  # the key keeps its original spelling
        changes = {k: v for k, v in clean.items() if getattr(product, k) != v}
        if changes:
            for name, value in changes.items():
                setattr(product, name, value)
            product.updated_at = now or utcnow()
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return {"created": created, "updated": updated, "unchanged": unchanged}


def _validate_prices(session, tenant, run, rows, errors, checkpoint):
    schema = PriceRowSchema(locale=tenant.locale)
    # Plain tuples, not ORM objects: progress commits would expire objects and reload each.
    products = {
        sku.lower(): _ProductKey(pid, sku, base)
        for pid, sku, base in session.execute(
            select(Product.id, Product.sku, Product.base_price_minor)
        )
    }
    groups: dict[str, dict] = {}
    for number, data in _loaded_rows(schema, run, rows, errors, checkpoint):
        product = products.get(data["sku"].strip().lower())
        if product is None:
            row_error(errors, number, "sku", f"No product has SKU {data['sku']}.")
            continue
        try:
            price = (
                parse_amount(data["unit_price"], tenant.currency, field="unit_price")
                if data["unit_price"] is not None
                else None
            )
        except ValidationFailed as exc:
            row_error(errors, number, "unit_price", exc.message)
            continue
        group = groups.setdefault(product.id, {"product": product, "rows": [], "bad": False})
        group["rows"].append((number, data["min_qty"], price, data["discount_percent"]))
    valid = []
    for group in groups.values():
        rows_ = group["rows"]
        first = [r for r in rows_ if r[1] == 1]
        if len(first) != 1:
            reason = (
                "Give one row with min_qty 1 (the price from one unit)."
                if not first
                else "The price from one unit is given twice."
            )
            row_error(errors, rows_[0][0], "min_qty", reason)
            continue
        breaks = [BreakInput(q, p, d) for _, q, p, d in rows_ if q != 1]
        try:
            validate_tiers(group["product"].base_price_minor, first[0][2], first[0][3], breaks)
        except ValidationFailed as exc:
            row_error(
                errors, rows_[0][0], exc.field or "", f"{group['product'].sku}: {exc.message}"
            )
            continue
        valid.append((group["product"], first[0][2], first[0][3], breaks))
    return valid


@dataclass(frozen=True)
class _ProductKey:
    id: uuid.UUID
    sku: str
    base_price_minor: int


def _apply_prices(session, tenant, run, valid, now):
    price_list = get_price_list(session, run.options.get("price_list_id"))
    current = load_snapshot(session, price_list).tiers
    changed = []
    for product, price, pct, breaks in valid:
        wanted = (
            Tier(1, price, pct),
            *(Tier(b.min_qty, b.unit_price_minor, b.discount_percent) for b in breaks),
        )
        if not _same_tiers(current.get(product.id), wanted):
            changed.append((product, price, pct, breaks))
    replace_entries(session, tenant, actor=None, price_list=price_list, entries=changed, now=now)
    changed, unchanged = len(changed), len(valid) - len(changed)
    return {"updated": changed, "unchanged": unchanged}


def _same_tiers(have, want) -> bool:
    if have is None or len(have) != len(want):
        return False
    return all(
        a.min_qty == b.min_qty
        and a.unit_price_minor == b.unit_price_minor
        and (a.discount_percent is None) == (b.discount_percent is None)
        and (a.discount_percent is None or a.discount_percent == b.discount_percent)
        for a, b in zip(have, want, strict=True)
    )


@dataclass(frozen=True)
class ImportKind:
    """One kind of CSV file: its columns, who may import it, and how its rows are used.

    `validate(session, tenant, run, rows, errors, checkpoint)` writes nothing: it appends to
    `errors` (with `row_error`) and returns the valid rows in whatever shape `apply` takes.
    `apply(session, tenant, run, valid, now)` writes them and returns the summary counts; it may
    raise LimitReached, which fails the whole run.
    """

    required: tuple[str, ...]
    known: tuple[str, ...]
    authorize: Callable
    validate: Callable
    apply: Callable


KINDS: dict[str, ImportKind] = {
    "products": ImportKind(
        PRODUCT_REQUIRED, PRODUCT_COLUMNS, require_catalog, _validate_products, _apply_products
    ),
    "price_list": ImportKind(
        PRICE_REQUIRED, PRICE_COLUMNS, require_catalog, _validate_prices, _apply_prices
    ),
}
CATALOG_KINDS = ("products", "price_list")
# Modules of other contexts that register kinds; imported on first use because they import
# this module.
KIND_MODULES = ("tenants.customers.csv_import",)


def register_kind(name: str, kind: ImportKind) -> None:
    """Make `name` a kind of file the runner accepts."""
    KINDS[name] = kind


def kind_of(name: str) -> ImportKind:
    """The registered kind `name`, or ValidationFailed on the form's `kind` field."""
    for module in KIND_MODULES:
        importlib.import_module(module)
    if name not in KINDS:
        raise ValidationFailed("Choose what the file contains.", field="kind")
    return KINDS[name]


__all__ = [
    "ImportKind",
    "get_run",
    "kind_of",
    "process_run",
    "recent_runs",
    "register_kind",
    "report_progress",
    "row_error",
    "start_import",
]
