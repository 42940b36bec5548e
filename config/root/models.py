"""Model discovery: import every module of the packages that may define tables.

SQLAlchemy's metadata (and so Alembic's `flask db check`) only knows a model once its module
was imported. Walking the packages, rather than keeping a list of model modules by hand, means a
new package's models (orders, invoices, ...) cannot be missed.
"""

from __future__ import annotations

import importlib
import pkgutil

# The layers that own tables; the edges (portal, admin, jobs) define none.
MODEL_PACKAGES = ("config", "tenants", "billing")
ROOT = "config.root"


def import_models(packages: tuple[str, ...] = MODEL_PACKAGES) -> list[str]:
    """Import every module under `packages`; returns the dotted names, in import order."""
    names = []
    for package_name in packages:
        package = importlib.import_module(package_name)
        names.append(package_name)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
            if module.name == ROOT or module.name.startswith(ROOT + "."):
                continue  # the composition root defines no tables and imports everything
            importlib.import_module(module.name)
            names.append(module.name)
    return names
