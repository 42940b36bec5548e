"""The import contracts of pyproject.toml cover the whole bottom layer of config."""

from __future__ import annotations

import tomllib

from config.settings import PROJECT_ROOT


def _contract(contract_id: str) -> dict:
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["id"] == contract_id)


def test_every_bottom_module_of_config_is_forbidden_to_import_the_composition_root():
    bottom = {
        f"config.{path.stem}"
        for path in (PROJECT_ROOT / "config").glob("*.py")
        if path.stem != "__init__"
    } | {
        f"config.{path.name}"
        for path in (PROJECT_ROOT / "config").iterdir()
        if (path / "__init__.py").exists() and path.name != "root"
    }
    contract = _contract("bottom-below-root")
    assert contract["forbidden_modules"] == ["config.root"]
    assert set(contract["source_modules"]) == bottom
