"""Public pages, security headers, display preferences, services."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_in_chinese_with_government_footer(client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "中小企业服务载体认定管理平台" in body
    for label in ("主办单位", "网站标识码", "ICP备", "公网安备"):
        assert label in body


def test_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_english_can_be_chosen(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert 'lang="en"' in body


def test_display_preferences_work_without_javascript(client):
    response = client.post(reverse("display_preferences"), {"font": "xlarge", "elder": "1", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    body = client.get("/").content.decode()
    assert 'class="font-xlarge elder-mode"' in body


def test_display_preferences_refuse_foreign_redirect(client):
    response = client.post(reverse("display_preferences"), {"font": "large", "next": "https://evil.example/"})
    assert response.url == "/"


def test_health_endpoint(client):
    assert client.get(reverse("healthz")).json() == {"status": "ok"}


def test_uploads_are_stored_outside_static():
    private = str(settings.PRIVATE_MEDIA_ROOT)
    assert not private.startswith(str(settings.STATIC_ROOT))
    assert all(not private.startswith(str(d)) for d in settings.STATICFILES_DIRS)
    assert settings.MEDIA_URL is None


def test_postgres_database_answers(postgres):
    with postgres.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert "PostgreSQL" in cursor.fetchone()[0]


def test_redis_is_the_cache_and_answers(redis_client):
    assert redis_client.ping()
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    cache.set("probe", "值", 10)
    assert cache.get("probe") == "值"


def test_chinese_by_default_whatever_the_browser_says(client):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-CN"' in body and "正在开展的申报" in body


def test_login_page_keeps_the_portal_name_and_footer(client):
    """Django's login view adds its own ``site``; the portal's identity must survive it."""
    body = client.get("/accounts/login/").content.decode()
    assert "中小企业服务载体认定管理平台" in body and "网站标识码" in body and "主办单位" in body
