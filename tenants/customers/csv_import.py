"""Customers as CSV: the "customers" kind of the generic import runner, and its export.

Same rules as the catalog's files (tenants.catalog.imports): a background job, a per-row error
report, nothing written if any row fails unless "import valid rows" is chosen, the tier's
customer limit checked once for the whole file. The business name is the key (case-insensitive),
so importing the same file again changes nothing.

A column that is in the file sets its value (a blank cell clears it; a blank price_list means
the bakery's default list); a column left out of the file leaves that value alone. A customer
with several delivery locations takes one row per location, its other cells repeated, which is
how the export writes it, so exported files import back unchanged.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import func, select

from config.clock import utcnow
from tenants.actors import require
from tenants.catalog.csv_io import write_csv
from tenants.catalog.csv_schemas import row_errors
from tenants.catalog.imports import ImportKind, register_kind, report_progress, row_error
from tenants.catalog.models import PriceList
from tenants.customers.activity import log_activity
from tenants.customers.models import PAYMENT_TERMS, Customer, DeliveryLocation
from tenants.customers.services import FIELD_LABELS, clean_fields
from tenants.errors import ValidationFailed
from tenants.plans import check_limit
from tenants.staff.models import StaffUser
from tenants.text_keys import fold_key
from tenants.text_rules import check_text

CUSTOMER_COLUMNS = (
    "business_name",
    "trading_name",
    "tax_number",
    "billing_email",
    "phone",
    "payment_terms",
    "price_list",
    "notes",
    "location_name",
    "location_address",
)
CUSTOMER_REQUIRED = ("business_name",)
TEXT_FIELDS = ("trading_name", "tax_number", "billing_email", "phone", "notes")
# "Net 30 days", "net_30" and "net 30" all mean net_30.
_TERMS = {
    **{code: code for code in PAYMENT_TERMS},
    **{label.lower(): code for code, label in PAYMENT_TERMS.items()},
    **{code.replace("_", " "): code for code in PAYMENT_TERMS},
}


class CustomerRowSchema(Schema):
    """One row of the customers CSV: text cells, with the database's length limits."""

    business_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    trading_name = fields.String(load_default="", validate=validate.Length(max=200))
    tax_number = fields.String(load_default="", validate=validate.Length(max=40))
    billing_email = fields.String(load_default="", validate=validate.Length(max=254))
    phone = fields.String(load_default="", validate=validate.Length(max=40))
    payment_terms = fields.String(load_default="")
    price_list = fields.String(load_default="")
    notes = fields.String(load_default="", validate=validate.Length(max=5000))
    location_name = fields.String(load_default="", validate=validate.Length(max=120))
    location_address = fields.String(load_default="", validate=validate.Length(max=1000))


def _row_values(raw: dict, data: dict, price_lists: dict) -> dict:
    """The customer values a row sets (only columns the file has); raises ValidationFailed."""
    values = {name: data[name] for name in TEXT_FIELDS if name in raw}
    # The business name is the row's key, but it passes the same field rules as the form's.
    data["business_name"] = clean_fields({"business_name": data["business_name"]})["business_name"]
    for name in ("location_name", "location_address"):
        check_text(data[name], field=name, multiline=name == "location_address")
    if data["payment_terms"]:
        code = _TERMS.get(" ".join(data["payment_terms"].lower().split()))
        if code is None:
            raise ValidationFailed(
                "Use one of: " + ", ".join(PAYMENT_TERMS) + ".", field="payment_terms"
            )
        values["payment_terms"] = code
    values = clean_fields(values)
    if "price_list" in raw:
        name = data["price_list"]
        if name and name.lower() not in price_lists:
            raise ValidationFailed(f"No price list is named {name}.", field="price_list")
        values["price_list_id"] = price_lists[name.lower()] if name else None
    return values


def _authorize(actor) -> None:
    """Importing customers is editing customers."""
    require(actor, "customers")


def _validate(session, tenant, run, rows, errors, checkpoint):
    """Check every row; group rows by business name. Writes nothing."""
    schema = CustomerRowSchema()
    # Plain tuples, not ORM objects: progress commits would expire objects and reload each.
    price_lists = {
        name.lower(): pid for pid, name in session.execute(select(PriceList.id, PriceList.name))
    }
    groups: dict[str, dict] = {}
    for index, (number, raw) in enumerate(rows, start=1):
        report_progress(run, index, checkpoint)
        try:
            data = schema.load({k: v for k, v in raw.items() if k in CUSTOMER_COLUMNS})
            values = _row_values(raw, data, price_lists)
        except ValidationError as exc:
            for column, reason in row_errors(exc):
                row_error(errors, number, column, reason)
            continue
        except ValidationFailed as exc:
            row_error(errors, number, exc.field or "", exc.message)
            continue
        if data["location_address"] and not data["location_name"]:
            row_error(errors, number, "location_name", "Name the location this address is for.")
            continue
        key = fold_key(data["business_name"])
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "row": number,
                "business_name": data["business_name"],
                "values": values,
                "locations": {},
            }
        elif group["values"] != values:
            row_error(
                errors,
                number,
                "business_name",
                f"{data['business_name']} is also on row {group['row']} with other details; "
                "repeat the same details on each of its rows.",
            )
            continue
        if data["location_name"]:
            address = data["location_address"] if "location_address" in raw else None
            seen = group["locations"].setdefault(
                data["location_name"].lower(), (data["location_name"], address)
            )
            if seen[1] != address:
                row_error(
                    errors,
                    number,
                    "location_address",
                    f"Location {data['location_name']} appears twice with different addresses.",
                )
    return list(groups.values())


def _apply(session, tenant, run, groups, now):
    """Create or update the customers and their locations; count what changed."""
    now = now or utcnow()
    actor = (
        session.scalar(select(StaffUser).where(StaffUser.id == run.created_by_id))
        if run.created_by_id
        else None
    )
    # One case-folded key on every database (SQLite's lower() leaves "Ö" alone).
    keys = [fold_key(g["business_name"]) for g in groups]
    existing = (
        {
            c.name_key: c
            for c in session.scalars(select(Customer).where(Customer.name_key.in_(keys)))
        }
        if keys
        else {}
    )
    new = [g for g in groups if fold_key(g["business_name"]) not in existing]
    if new:
        check_limit(tenant, "customers", adding=len(new), now=now)
    locations: dict[tuple, DeliveryLocation] = {}
    if existing:
        ids = [c.id for c in existing.values()]
        for loc in session.scalars(
            select(DeliveryLocation).where(DeliveryLocation.customer_id.in_(ids))
        ):
            locations[(loc.customer_id, loc.name.lower())] = loc
    source = f" (CSV import {run.filename})" if run.filename else " (CSV import)"
    made = {}
    for group in new:
        made[fold_key(group["business_name"])] = customer = Customer(
            tenant_id=tenant.id, business_name=group["business_name"], **group["values"]
        )
        session.add(customer)
    session.flush()  # the new customers exist before their locations and log entries
    updated = unchanged = 0
    for group in groups:
        key = fold_key(group["business_name"])
        if key in made:
            customer = made[key]
            _apply_locations(session, tenant, customer, group, locations)
            log_activity(
                session,
                customer,
                actor=actor,
                action="customer.created",
                summary=f"Created {customer.business_name}{source}",
                now=now,
            )
            continue
        customer = existing[key]
        changed = {
            name: [_plain(getattr(customer, name)), _plain(value)]
            for name, value in group["values"].items()
            if getattr(customer, name) != value
        }
        for name in changed:
            setattr(customer, name, group["values"][name])
        changed_locations = _apply_locations(session, tenant, customer, group, locations)
        if changed or changed_locations:
            labels = [FIELD_LABELS.get(n, n.replace("_id", "").replace("_", " ")) for n in changed]
            labels += [f"location {n}" for n in changed_locations]
            log_activity(
                session,
                customer,
                actor=actor,
                action="customer.updated",
                summary="Changed " + ", ".join(labels) + source,
                details={"changes": changed, "locations": changed_locations},
                now=now,
            )
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return {"created": len(made), "updated": updated, "unchanged": unchanged}


def _apply_locations(session, tenant, customer, group, locations) -> list[str]:
    """Add the group's missing locations and set changed addresses; the names changed."""
    changed = []
    for name, address in group["locations"].values():
        loc = locations.get((customer.id, name.lower()))
        if loc is None:
            session.add(
                DeliveryLocation(
                    tenant_id=tenant.id, customer_id=customer.id, name=name, address=address or ""
                )
            )
            changed.append(name)
        elif address is not None and loc.address != address:
            loc.address = address
            changed.append(name)
    return changed


def _plain(value):
    return value if isinstance(value, str | int | bool | type(None)) else str(value)


def customers_csv(session) -> str:
    """Every customer as the customers CSV: one row per delivery location (one row if none)."""
    stmt = (
        select(Customer, PriceList.name, DeliveryLocation.name, DeliveryLocation.address)
        .outerjoin(
            PriceList,
            (PriceList.tenant_id == Customer.tenant_id) & (PriceList.id == Customer.price_list_id),
        )
        .outerjoin(
            DeliveryLocation,
            (DeliveryLocation.tenant_id == Customer.tenant_id)
            & (DeliveryLocation.customer_id == Customer.id),
        )
        .order_by(func.lower(Customer.business_name), DeliveryLocation.name)
    )
    rows = (
        (
            c.business_name,
            c.trading_name,
            c.tax_number,
            c.billing_email,
            c.phone,
            c.payment_terms,
            price_list or "",
            c.notes,
            location or "",
            address or "",
        )
        for c, price_list, location, address in session.execute(stmt)
    )
    return write_csv(list(CUSTOMER_COLUMNS), rows)


register_kind(
    "customers",
    ImportKind(CUSTOMER_REQUIRED, CUSTOMER_COLUMNS, _authorize, _validate, _apply),
)


def template_csv(tenant) -> str:
    """A template customers CSV: the columns the import reads and one example row."""
    example = {
        "business_name": "Café Aurora",
        "billing_email": "accounts@cafe-aurora.example",
        "payment_terms": "net_14",
        "location_name": "Main Street",
        "location_address": "1 Main Street",
    }
    return write_csv(list(CUSTOMER_COLUMNS), [[example.get(c, "") for c in CUSTOMER_COLUMNS]])
