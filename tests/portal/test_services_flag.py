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
