"""Browser fixtures: Debian's Chromium driven by Playwright against Django's live server.

Browser tests never skip: if Chromium is missing the suite fails (the test command installs it).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

from alongside.accounts.models import User
from alongside.demo.content import DEMO_PASSWORD
from alongside.demo.world import build_demo_world

# Debian's Chromium in its headless build (package chromium-headless-shell: the same source and
# version as /usr/bin/chromium, without the desktop browser's windowing and UI), which is what
# Playwright itself runs for headless tests. Measured on the 2-core CI machine, three accessibility
# tests used 51 CPU-seconds with it against 68 with /usr/bin/chromium. The full browser still runs
# one journey (test_full_browser.py), so both stay tested.
CHROMIUM = os.environ.get("ALONGSIDE_CHROMIUM", "/usr/bin/chromium-headless-shell")
FULL_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; Django's ORM is used from the test body
# and the live server, never from inside that loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


def launch(playwright: Playwright, executable: str) -> Iterator[Browser]:
    if not Path(executable).exists():
        pytest.fail(f"Chromium not found at {executable}: run scripts/test, which installs it")
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    yield from launch(playwright, CHROMIUM)


class PageProblems:
    """Console errors (CSP violations included) and failed requests seen by a page."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def console(self, message: ConsoleMessage) -> None:
        if message.type in {"error", "warning"}:
            self.messages.append(message.text)


@pytest.fixture
def demo_world(frameworks_loaded: None) -> None:
    build_demo_world()
    # Demo users prefer their own languages; these tests read English unless they switch.
    User.objects.update(preferred_language="en")


@pytest.fixture(scope="session")
def full_browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's full Chromium (/usr/bin/chromium), for the journey that runs in both builds."""
    yield from launch(playwright, FULL_CHROMIUM)


@pytest.fixture
def open_page(
    browser: Browser, live_server: Any, demo_world: None
) -> Iterator[Callable[..., tuple[Page, PageProblems]]]:
    yield from pages_in(browser, live_server)


@pytest.fixture
def open_full_page(
    full_browser: Browser, live_server: Any, demo_world: None
) -> Iterator[Callable[..., tuple[Page, PageProblems]]]:
    yield from pages_in(full_browser, live_server)


def pages_in(
    browser: Browser, live_server: Any
) -> Iterator[Callable[..., tuple[Page, PageProblems]]]:
    contexts = []

    def make(
        viewport: dict[str, int] = DESKTOP, locale: str = "en-GB"
    ) -> tuple[Page, PageProblems]:
        context = browser.new_context(viewport=viewport, locale=locale, base_url=live_server.url)  # type: ignore[arg-type]
        contexts.append(context)
        page = context.new_page()
        problems = PageProblems()
        page.on("console", problems.console)
        return page, problems

    yield make
    for context in contexts:
        context.close()


def log_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_load_state()


AXE = Axe()


def assert_accessible(page: Page) -> None:
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5_000
    return path
