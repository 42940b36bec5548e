"""Every tenant-owned table keys on tenant_id: primary key, unique constraints, foreign keys."""

from sqlalchemy import (
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
    Uuid,
)

from config.app import _import_models
from config.extensions import db
from tenants.base import is_tenant_owned


def tenant_owned_tables():
    _import_models()
    return {
        m.local_table.name: m.local_table
        for m in db.Model.registry.mappers
        if is_tenant_owned(m.class_)
    }


def key_problems(tenant_tables: dict) -> list[str]:
    """Constraints of tenant-owned tables that leave tenant_id out."""
    problems = []
    for name, table in tenant_tables.items():
        for constraint in table.constraints:
            columns = {c.name for c in constraint.columns}
            if isinstance(constraint, PrimaryKeyConstraint | UniqueConstraint):
                if "tenant_id" not in columns:
                    problems.append(f"{name}: {type(constraint).__name__} {sorted(columns)}")
            elif isinstance(constraint, ForeignKeyConstraint):
                target = constraint.referred_table.name
                if target in tenant_tables and "tenant_id" not in columns:
                    problems.append(f"{name}: foreign key {sorted(columns)} -> {target}")
        for index in table.indexes:
            if index.unique and "tenant_id" not in {c.name for c in index.columns}:
                problems.append(f"{name}: unique index {index.name}")
    return problems


def test_the_metadata_has_tenant_owned_tables_to_check():
    assert {"staff_users", "customers", "one_time_tokens", "outbound_emails"} <= set(
        tenant_owned_tables()
    )


def test_every_tenant_owned_table_keys_and_references_through_tenant_id():
    assert key_problems(tenant_owned_tables()) == []


def test_the_rule_reports_keys_and_references_that_leave_tenant_id_out():
    metadata = MetaData()
    parents = Table(
        "parents",
        metadata,
        Column("tenant_id", Uuid, primary_key=True),
        Column("id", Uuid, primary_key=True),
        Column("code", Uuid, unique=True),
    )
    children = Table(
        "children",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("tenant_id", Uuid),
        Column("parent_code", Uuid, ForeignKey("parents.code")),
    )
    problems = key_problems({"parents": parents, "children": children})
    assert "parents: UniqueConstraint ['code']" in problems
    assert "children: PrimaryKeyConstraint ['id']" in problems
    assert "children: foreign key ['parent_code'] -> parents" in problems
