"""Browser harness: the real app served on localhost over a committed PostgreSQL database with the
demo data, driven by Playwright in Debian's Chromium (its own browser download can't work here).
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.support import databases

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(smtp_server, tmp_path_factory):
    """(base_url, app) of a server with the demo data in its own committed database."""
    from config.root.app import create_app
    from config.root.demo import seed_demo
    from tests.conftest import _require_postgres, make_settings
    from tests.support.smtp import free_port

    _require_postgres()
    databases.ensure_roles()
    name = databases.database_name("e2e")
    databases.recreate_database(name)
    databases.migrate(name)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    app = create_app(
        make_settings(databases.url(databases.APP_ROLE, name), smtp_server.port, BASE_URL=base_url)
    )
    seed_demo(app)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url, app
    server.shutdown()
    thread.join(timeout=5)
    from config.extensions import db

    with app.app_context():
        db.engine.dispose()
    databases.drop_database(name)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed (scripts/test.sh installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A phone-sized viewport (375 px, the narrowest common phone) with touch."""
    context = browser.new_context(
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


from tests.browser.stripe_on import payments_on  # noqa: E402,F401 - the fixture
