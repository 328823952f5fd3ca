"""Production settings and the docker-compose stack (without Docker)."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def production_env(tmp_path, **overrides):
    """An environment for manage.py with the production settings and nothing from the developer's shell
    that would change the result (database, Redis, debug; the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE)."""
    left_out = {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in left_out}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        PORTAL_VAR_DIR=str(tmp_path / "var"),
        ALLOWED_HOSTS="portal.example.gov.cn",
        PYTHONIOENCODING="utf-8",
    )
    env.update(overrides)
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_check_deploy_is_clean(tmp_path):
    secret = secrets.token_urlsafe(64)  # 86 characters
    assert len(secret) >= 50
    result = manage(production_env(tmp_path, SECRET_KEY=secret), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_hsts_preload_can_be_turned_off_for_a_host_not_on_the_list(tmp_path):
    env = production_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(64), SECURE_HSTS_PRELOAD="false")
    result = manage(env, "check", "--deploy")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "security.W021" in result.stderr + result.stdout  # Django names what was turned off


@pytest.mark.parametrize("debug", ["", "1"])
def test_production_refuses_to_start_without_secret_key(tmp_path, debug):
    # Empty rather than absent, so that a developer's .env cannot supply one.
    env = production_env(tmp_path, SECRET_KEY="", DEBUG=debug)
    result = manage(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY 未设置" in result.stderr


def compose_services(text):
    """Top-level service names and their blocks, read as text (no YAML package needed)."""
    services = text.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    blocks = re.split(r"\n(?=  [a-z][a-z0-9_-]*:\n)", "\n" + services)
    return {block.strip().split(":", 1)[0]: block for block in blocks if block.strip()}


def test_compose_file_has_the_services_with_health_checks():
    text = (BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8")
    services = compose_services(text)
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    for name, block in services.items():
        assert "healthcheck:" in block, f"{name} 没有健康检查"
    assert "pg_isready" in services["postgres"]
    assert "redis-cli" in services["redis"] and "ping" in services["redis"]
    assert "/healthz/" in services["web"] and "gunicorn" in services["web"]
    assert "inspect ping -d celery@$$HOSTNAME" in services["worker"]
    assert '"celery", "-A", "portal", "beat"' in services["beat"]
    assert "postgres:16" in services["postgres"] and "redis:7" in services["redis"]
    # Named volumes for the database and the private uploads.
    volumes = text.split("\nvolumes:\n", 1)[1]
    assert "pgdata:" in volumes and "private-media:" in volumes
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]
    assert "private-media:/var/lib/portal/private" in services["web"]
    assert "PRIVATE_MEDIA_ROOT: /var/lib/portal/private" in text
    assert "DJANGO_SETTINGS_MODULE: portal.settings.production" in text
    assert ".env.example" in text
    try:  # a stricter look when PyYAML happens to be installed (it is not a dependency)
        import yaml
    except ImportError:
        return
    data = yaml.safe_load(text)
    assert set(data["services"]) == set(services)
    assert all("healthcheck" in service for service in data["services"].values())
    assert data["services"]["web"]["environment"]["PORTAL_ROLE"] == "web"


def test_env_example_documents_every_setting_read():
    """Every variable the settings read from the environment appears in .env.example."""
    documented = (BASE_DIR / ".env.example").read_text(encoding="utf-8")
    read = set()
    for module in ("base.py", "production.py"):
        source = (BASE_DIR / "portal" / "settings" / module).read_text(encoding="utf-8")
        read |= set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))
        read |= set(re.findall(r"""Env\(\)\.str\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))
    assert {"SECRET_KEY", "DATABASE_URL", "PORTAL_VAR_DIR", "SECURE_SSL_REDIRECT"} <= read
    missing = sorted(name for name in read if not re.search(rf"^#? ?{name}=", documented, re.MULTILINE))
    assert not missing, f".env.example 缺少：{missing}"
