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

from config.extensions import db
from config.root.models import import_models
from tenants.base import is_tenant_owned


def tenant_owned_tables():
    import_models()
    return {
        m.local_table.name: m.local_table
        for m in db.Model.registry.mappers
        if is_tenant_owned(m.class_)
    }


# Platform tables that carry a tenant_id without belonging to one bakery, and why.
PLATFORM_TABLES_WITH_TENANT_ID = {
    # Operators' actions span bakeries; the column says which bakery an entry concerns and is
    # nullable (SET NULL) so the log outlives a deleted bakery. Only operators read it.
    "audit_log",
}


def unowned_tables_with_tenant_id(metadata: MetaData, owned: set[str]) -> list[str]:
    """Tables with a tenant_id column that are neither tenant-owned nor allowed platform ones."""
    return sorted(
        table.name
        for table in metadata.tables.values()
        if "tenant_id" in table.c
        and table.name not in owned
        and table.name not in PLATFORM_TABLES_WITH_TENANT_ID
    )


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


def test_every_table_with_a_tenant_id_is_tenant_owned_or_an_allowed_platform_table():
    # A table declared without the mixin escapes the automatic tenant filter and the key rules.
    owned = set(tenant_owned_tables())
    assert unowned_tables_with_tenant_id(db.metadata, owned) == []
    assert set(db.metadata.tables) - owned >= PLATFORM_TABLES_WITH_TENANT_ID  # not stale


def test_the_rule_reports_a_table_with_a_tenant_id_but_without_the_mixin():
    metadata = MetaData()
    Table("notes", metadata, Column("id", Uuid, primary_key=True), Column("tenant_id", Uuid))
    Table("audit_log", metadata, Column("id", Uuid, primary_key=True), Column("tenant_id", Uuid))
    Table("plans", metadata, Column("id", Uuid, primary_key=True))
    assert unowned_tables_with_tenant_id(metadata, owned=set()) == ["notes"]


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
