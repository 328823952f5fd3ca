"""Browser tests: Playwright drives Debian's Chromium against a live server.

The live server (pytest-django's ``live_server``) shares the test database, so
tests arrange data with the factories and act through the browser. Chromium,
the Playwright package and axe-core (``npm ci``) are services here: without
them the tests skip, and fail when PORTAL_REQUIRE_SERVICES is set (as in CI).
Screenshots of every step go to ``test-artifacts/e2e-screenshots/`` (or
``E2E_SCREENSHOT_DIR``).
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test.testcases import _MediaFilesHandler

from tests import factories
from tests.conftest import service_missing

# Uploads are private and have no URL (MEDIA_URL is None): the live server must
# not serve them either, and Django's media handler cannot parse a None URL.
_MediaFilesHandler._should_handle = lambda self, path: False

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SCREENSHOT_DIR = Path(os.environ.get("E2E_SCREENSHOT_DIR", settings.BASE_DIR / "test-artifacts" / "e2e-screenshots"))
AXE_SCRIPT = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = factories.PASSWORD  # every user made by the factories signs in with it


def pytest_collection_modifyitems(items):
    """Marks the tests here ``e2e``, so ``-m "not e2e"`` leaves the browser out."""
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def _playwright(django_db_setup):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        service_missing("Playwright（pip install -r requirements-dev.txt）")
    from django.db import connections

    # Playwright's sync API keeps an event loop on this thread; the ORM calls of
    # the tests themselves are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # With that loop running, Django's connection handler becomes context-local: the tests get new
    # connection objects, which lack the reference data serialized when the test database was created
    # (so a serialized rollback would restore nothing). Carry it over.
    serialized = {alias: connections[alias]._test_serialized_contents for alias in connections
                  if hasattr(connections[alias], "_test_serialized_contents")}
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        yield playwright
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def browser(_playwright):
    if not shutil.which(CHROMIUM):
        service_missing(f"Chromium（{CHROMIUM}；apt-get install chromium）")
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def e2e_server(live_server, django_db_serialized_rollback, transactional_db):
    """The live server's URL; the database is flushed after each test (reference data restored)."""
    return live_server.url


@pytest.fixture
def new_context(browser, e2e_server, request):
    """Opens browser contexts (one per person) that fail the test on a page error or a CSP violation."""
    contexts = []
    problems = []

    def open_context(*, javascript=True, axe=False, viewport=(1366, 900)):
        context = browser.new_context(
            base_url=e2e_server, locale="zh-CN", timezone_id="Asia/Shanghai",
            viewport={"width": viewport[0], "height": viewport[1]},
            java_script_enabled=javascript, accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        if axe:
            if not AXE_SCRIPT.exists():
                service_missing(f"axe-core（{AXE_SCRIPT}；npm ci）")
            context.add_init_script(path=str(AXE_SCRIPT))
        context.on("page", lambda page: _watch(page, problems))
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    if problems and not getattr(request.node, "rep_call_failed", False):
        pytest.fail("浏览器报告了错误：\n" + "\n".join(problems), pytrace=False)


# The portal answers a form that does not validate with 400 and the form again, with its errors (and the
# eligibility API answers the live panel's invalid facts with 400 and their errors, which the panel shows):
# Chromium reports that status as a console error, which is no problem. Any other 4xx/5xx still is.
FORM_REJECTED = "Failed to load resource: the server responded with a status of 400"


def _watch(page, problems):
    rejected_forms = set()

    def on_response(response):
        if response.status == 400 and response.request.resource_type in ("document", "fetch"):
            rejected_forms.add(response.url)

    def on_console(message):
        expected = message.text.startswith(FORM_REJECTED) and message.location.get("url") in rejected_forms
        if message.type == "error" and not expected:
            problems.append(f"{page.url}: {message.text}")

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))


@pytest.fixture
def page(new_context):
    """One page in a fresh context with JavaScript on."""
    return new_context().new_page()


class Steps:
    """Numbered screenshots of one test: ``steps.shot(page, "登录")``."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)

    def shot(self, page, name: str) -> Path:
        self.count += 1
        safe = re.sub(r"[^\w\-]+", "-", name).strip("-")
        path = self.folder / f"{self.count:02d}-{safe}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def steps(request):
    return Steps(SCREENSHOT_DIR / request.node.name.replace("[", "-").rstrip("]"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.rep_call_failed = True
    return report
