"""Shared fixtures. Tests that need PostgreSQL or Redis skip where the service
is absent, and fail instead when PORTAL_REQUIRE_SERVICES is set (as in CI)."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from tests import factories


def service_missing(what: str):
    """Skip, or fail when services are required."""
    if settings.PORTAL_REQUIRE_SERVICES:
        pytest.fail(f"{what} 不可用，但 PORTAL_REQUIRE_SERVICES 要求它必须可用。", pytrace=False)
    pytest.skip(f"{what} 不可用（设置 PORTAL_REQUIRE_SERVICES=1 时此处改为失败）")


def pytest_configure(config):
    if settings.PORTAL_REQUIRE_SERVICES:
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise pytest.UsageError("PORTAL_REQUIRE_SERVICES=1 需要 DATABASE_URL 指向 PostgreSQL。")
        if not settings.REDIS_URL:
            raise pytest.UsageError("PORTAL_REQUIRE_SERVICES=1 需要 REDIS_URL。")


@pytest.fixture
def postgres(db):
    """The test database is PostgreSQL."""
    if connection.vendor != "postgresql":
        service_missing("PostgreSQL（DATABASE_URL）")
    return connection


@pytest.fixture
def redis_client():
    """A live Redis connection from REDIS_URL."""
    if not settings.REDIS_URL:
        service_missing("Redis（REDIS_URL）")
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        service_missing(f"Redis（{settings.REDIS_URL}：{error}）")
    return client


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache: start every test from zero."""
    cache.clear()
    yield


@pytest.fixture
def beijing_org(db):
    return factories.OrganisationFactory(district_code="110108")


@pytest.fixture
def guangzhou_org(db):
    return factories.OrganisationFactory(district_code="440106")


@pytest.fixture
def applicant(beijing_org):
    return factories.ApplicantFactory(organisation=beijing_org, is_org_admin=True)


@pytest.fixture
def bj_city(db):
    """A Beijing city reviewer (市经济和信息化局)."""
    return factories.CityReviewerFactory(city="beijing")


@pytest.fixture
def gz_city(db):
    """A Guangzhou city reviewer (市工业和信息化局)."""
    return factories.CityReviewerFactory(city="guangzhou")
