"""Browser fixtures: Playwright (Python) driving Debian's chromium (/usr/bin/chromium, no browser download),
against pytest-django's live server on the test database. Screenshots go to test-artifacts/screens/."""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("JUMIN_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screens"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} がありません。`make test` が Debian の chromium を入れます。")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are plain sync code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Screen:
    """One clerk's browser window: a page with the live server's address and a screenshot helper."""

    def __init__(self, browser, base_url, name, width=1366, height=768):
        self.context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP")
        self.page = self.context.new_page()
        self.page.set_default_timeout(30000)   # generous: a loaded 2-core CI machine is slow, not wrong
        self.base_url = base_url
        self.name = name

    def go(self, path):
        self.page.goto(self.base_url + path)
        return self.page

    def shot(self, label):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.name}-{label}.png"), full_page=True)

    def login(self, username, password="correct horse battery"):
        page = self.go("/login/")
        page.locator("input[name=username]").focus()   # do not race the page's autofocus
        page.keyboard.type(username)
        page.keyboard.press("Tab")
        page.keyboard.type(password)
        page.keyboard.press("Enter")
        page.wait_for_url(self.base_url + "/")
        return page

    def close(self):
        self.context.close()


@pytest.fixture
def screens(chromium, live_server):
    opened = []

    def open_screen(name, **size):
        screen = Screen(chromium, live_server.url, name, **size)
        opened.append(screen)
        return screen

    yield open_screen
    for screen in opened:
        screen.close()
