"""Shared fixtures of the browser journeys (Playwright, sync API).

One Debian Chromium (settings.CHROMIUM_PATH, /usr/bin/chromium by default; never
a downloaded browser) serves every test of this package; each test gets fresh
browser contexts against pytest-django's `live_server`. Without Chromium the
journeys skip, except under CI=true, where they fail (`need("chromium")`).

`pytest --screenshots` (the option lives in tests/conftest.py, so that it is
known however pytest is started) saves the end of each journey to
docs/screenshots/.
"""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.conftest import need
from tests.e2e.helpers import PHONE
from tests.factories import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Playwright's default of 30 s hides a stuck page for too long on a 2-core box.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the whole e2e package."""
    need("chromium")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as mp:
        # The sync API keeps an event loop in this thread; Django would then refuse
        # the (still synchronous) ORM calls of the test bodies.
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as p:
            chromium = p.chromium.launch(
                executable_path=django_settings.CHROMIUM_PATH, args=["--no-sandbox"]
            )
            try:
                yield chromium
            finally:
                chromium.close()


@pytest.fixture(autouse=True)
def _eager_tasks():
    """Tasks run in the process, as the journeys expect, even after a test that
    started a real worker (`live_worker` turns eager mode off for the session)."""
    from cxplan.celery import app

    was = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = was


@pytest.fixture
def new_page(browser, live_server, settings, tmp_path):
    """`new_page(viewport=PHONE)` -> a page in its own context (own cookies).

    Each page records uncaught script errors and console errors (CSP refusals
    among them) in `page.errors`. Uploads and deck files go to a temporary
    MEDIA_ROOT.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    contexts = []

    def make(viewport=PHONE):
        context = browser.new_context(viewport=viewport, accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.on("console", lambda msg: _console(page, msg))
        return page

    yield make
    for context in contexts:
        context.close()


# Not faults: the browser asks for /favicon.ico on its own (the product has
# none), and htmx logs a poll cut short by leaving the page (a 4xx/5xx answer is
# still reported, as htmx:responseError).
BENIGN = ("htmx:sendAbort", "htmx:afterRequest")


def _console(page, msg) -> None:
    url = msg.location.get("url", "")
    if msg.type != "error" or url.endswith("favicon.ico"):
        return
    if msg.text.startswith(BENIGN):
        return
    page.errors.append(f"{msg.text} ({url})")


@pytest.fixture
def page(new_page):
    """A phone-sized page."""
    return new_page()


@pytest.fixture
def login(live_server):
    """`login(page, user, next="/")`: log in through the form, land on `next`."""

    def go(page, user, next="/"):
        page.goto(f"{live_server.url}/login/?next={next}")
        page.fill("input[name=username]", user.get_username())
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("form[action='/login/'] button[type=submit]")
        assert "/login/" not in page.url, "login failed"
        return page

    return go


@pytest.fixture
def screenshot(request):
    """`screenshot(page, name)`: with --screenshots, the viewport as
    docs/screenshots/<name>.png (not full page: the images stay small)."""
    enabled = request.config.getoption("--screenshots")

    def save(page, name: str):
        if not enabled:
            return None
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return save
