"""PORTAL_REQUIRE_SERVICES turns a skip for a missing service into a failure."""

import os
import subprocess
import sys

from django.conf import settings

TARGET = "tests/portal/test_site.py::test_postgres_database_answers"


def run_pytest(**env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "PORTAL_REQUIRE_SERVICES")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TARGET],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def test_missing_postgres_is_a_skip_without_the_flag():
    result = run_pytest()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout


def test_unreachable_postgres_fails_with_the_flag():
    result = run_pytest(DATABASE_URL="postgres://postgres@127.0.0.1:5999/portal",
                        REDIS_URL="redis://127.0.0.1:6399/0", PORTAL_REQUIRE_SERVICES="1")
    assert result.returncode != 0
    assert "skipped" not in result.stdout


def test_the_flag_without_postgres_configured_refuses_to_run():
    result = run_pytest(PORTAL_REQUIRE_SERVICES="1")
    assert result.returncode != 0
    assert "PORTAL_REQUIRE_SERVICES=1 需要 DATABASE_URL" in result.stdout + result.stderr


def run_browser_tests(**env_overrides):
    """The browser tests with Chromium missing."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "PORTAL_REQUIRE_SERVICES")}
    env.update(PORTAL_CHROMIUM="/nonexistent/chromium", E2E_SCREENSHOT_DIR=str(settings.VAR_DIR / "e2e-flag"),
               **env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "tests/e2e"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=600, check=False,
    )


def test_missing_chromium_is_a_skip_without_the_flag():
    result = run_browser_tests()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "skipped" in result.stdout and "passed" not in result.stdout
    assert "Chromium（/nonexistent/chromium" in result.stdout


def test_missing_chromium_fails_with_the_flag(postgres, redis_client):
    """Run on the real services (a database of its own), so the browser is the only thing missing."""
    database = settings.DATABASES["default"]
    result = run_browser_tests(
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/portal_flag_check",
        REDIS_URL=settings.REDIS_URL, PORTAL_REQUIRE_SERVICES="1",
    )
    assert result.returncode != 0
    assert "skipped" not in result.stdout and "passed" not in result.stdout
    assert "Chromium（/nonexistent/chromium" in result.stdout
