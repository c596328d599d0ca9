"""End-to-end fixtures: the app served on 127.0.0.1 and Debian's Chromium driven by Playwright.

These tests never skip: without Chromium they fail, so that a missing browser cannot hide.
"""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from tests.parallel import on_postgresql

PROJECT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = PROJECT / "test-artifacts" / "screenshots"
# One set of pictures is enough: the PostgreSQL run would take the same ones again.
TAKE_SCREENSHOTS = not on_postgresql()
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--mute-audio",
    "--disable-renderer-backgrounding",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
    # The browser tests first: they are the long ones (the jury's journey takes minutes), and a
    # long test handed out last would keep every other process of a parallel run waiting.
    items.sort(key=lambda item: "tests/e2e/" not in str(item.fspath))


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run `make system-deps`.")
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is not installed: run `make setup`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(app, browser, live_server, monkeypatch):
    # Real browser, real forms: CSRF on; the test server speaks plain http on loopback.
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", False)
    context = browser.new_context(
        base_url=live_server,
        locale="de-DE",
        viewport={"width": 1280, "height": 900},
        bypass_csp=True,  # only so that the axe script can be injected
        # as many people set it: pages jump instead of KERN's smooth scrolling (also no waiting
        # for each scroll animation before a click)
        reduced_motion="reduce",
    )
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page: Page, name: str) -> None:
    """axe-core finds no WCAG 2.2 A/AA violation; a screenshot is kept for people to look at."""
    if TAKE_SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        # A full-page picture leaves the page scrolled elsewhere than scripts see; the next click
        # would jump back there first and miss. So the place is set again afterwards.
        where = page.evaluate("[scrollX, scrollY]")
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        page.evaluate("([x, y]) => window.scrollTo({left: x, top: y, behavior: 'instant'})", where)
    page.add_script_tag(path=str(AXE_SCRIPT))
    # Only the violations are gathered and sent back (the passes of a long page are thousands)
    found = page.evaluate(
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'],"
        " resultTypes: ['violations']}).then(result => result.violations)"
    )
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
            "help": v["help"],
        }
        for v in found
    ]
    assert violations == [], f"{name}: {json.dumps(violations, indent=2, ensure_ascii=False)}"
