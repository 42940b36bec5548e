"""Model discovery: every table's module is found without a hand-kept list."""

from __future__ import annotations

import ast
from pathlib import Path

from config.extensions import db
from config.root.models import MODEL_PACKAGES, import_models
from config.settings import PROJECT_ROOT


def _defines_a_model(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.ClassDef)
        and any(ast.unparse(base) == "db.Model" for base in node.bases)
        for node in ast.walk(tree)
    )


def test_every_module_that_defines_a_model_is_imported_by_discovery():
    imported = set(import_models())
    defining = {
        ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
        for package in MODEL_PACKAGES
        for path in (PROJECT_ROOT / package).rglob("*.py")
        if _defines_a_model(path) and "root" not in path.relative_to(PROJECT_ROOT).parts
    }
    assert defining  # the walk found the model modules at all
    assert defining <= imported


def test_every_mapped_model_comes_from_a_discovered_package():
    imported = set(import_models())
    modules = {
        m.class_.__module__
        for m in db.Model.registry.mappers
        if not m.class_.__module__.startswith("tests.")
    }
    assert modules <= imported


def test_no_edge_package_defines_a_model():
    edges = ("portal", "admin", "jobs", "config/root")
    assert [
        str(path.relative_to(PROJECT_ROOT))
        for package in edges
        for path in (PROJECT_ROOT / package).rglob("*.py")
        if _defines_a_model(path)
    ] == []
