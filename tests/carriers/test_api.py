"""POST /api/v1/eligibility/<type_code>/: answers, every 400 path, 404, 405, 429."""

import json

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.carriers.samples import ELIGIBLE, PUBLIC_CODES, json_facts

pytestmark = pytest.mark.django_db


def api_url(code: str) -> str:
    return reverse("carriers:api_eligibility", args=[code])


def post(client, code, body, raw=False):
    data = body if raw else json.dumps(body, ensure_ascii=False)
    return client.post(api_url(code), data=data, content_type="application/json")


@pytest.mark.parametrize("code", PUBLIC_CODES)
def test_full_eligible_body_is_eligible(client, code):
    response = post(client, code, {"facts": ELIGIBLE[code], "as_of": "2026-06-30"})
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == code and body["eligible"] is True
    assert body["results"] and all(r["passed"] for r in body["results"])
    assert set(body["results"][0]) == {"rule", "article", "kind", "passed", "message"}


def test_answer_names_rule_article_kind_and_reason(client):
    response = post(client, "bj_srdi_station",
                    {"facts": json_facts("bj_srdi_station", office_area_m2=80, legal_person=False)})
    body = response.json()
    assert response.status_code == 200 and body["eligible"] is False
    by_rule = {r["rule"]: r for r in body["results"]}
    assert by_rule["office_area_m2"] == {
        "rule": "office_area_m2", "article": "第六条（一）", "kind": "hard", "passed": False,
        "message": "固定办公场所面积 80 平方米，低于 100 平方米的要求",
    }
    assert by_rule["legal_person"]["kind"] == "general" and not by_rule["legal_person"]["passed"]
    assert "srdi_service_visits_or_smes_served" in by_rule
    assert "固定办公场所面积" in response.content.decode("utf-8")  # readable UTF-8, not \\u escapes


def test_as_of_changes_the_years_counted(client):
    facts = json_facts("bj_demo_platform", established_on="2024-07-01")
    early = post(client, "bj_demo_platform", {"facts": facts, "as_of": "2026-06-30"}).json()
    late = post(client, "bj_demo_platform", {"facts": facts, "as_of": "2026-07-01"}).json()
    assert (early["eligible"], late["eligible"]) == (False, True)


def test_as_of_defaults_to_today_in_china(client):
    from dateutil.relativedelta import relativedelta

    from carriers.eligibility import today_in_china

    today = today_in_china()
    two_years = json_facts("bj_demo_base", established_on=(today - relativedelta(years=2)).isoformat())
    assert post(client, "bj_demo_base", {"facts": two_years}).json()["eligible"] is True
    one_day_short = today - relativedelta(years=2) + relativedelta(days=1)
    too_young = json_facts("bj_demo_base", established_on=one_day_short.isoformat())
    assert post(client, "bj_demo_base", {"facts": too_young}).json()["eligible"] is False


@pytest.mark.parametrize(("body", "raw", "key", "fragment"), [
    pytest.param(b"{not json", True, "__all__", "不是有效的 JSON", id="malformed-json"),
    pytest.param(b"", True, "__all__", "不是有效的 JSON", id="empty-body"),
    pytest.param(b'{"facts": {"office_area_m2": NaN}}', True, "__all__", "不是有效的 JSON", id="nan"),
    pytest.param([1, 2], False, "__all__", "JSON 对象", id="body-not-object"),
    pytest.param("facts", False, "__all__", "JSON 对象", id="body-is-string"),
    pytest.param({"as_of": "2026-06-30"}, False, "facts", "缺少 facts", id="facts-absent"),
    pytest.param({"facts": [1]}, False, "facts", "JSON 对象", id="facts-not-object"),
    pytest.param({"facts": {"legal_person": "true"}}, False, "legal_person", "true 或 false", id="bool-as-string"),
    pytest.param({"facts": {"fulltime_staff": 3.5}}, False, "fulltime_staff", "整数", id="int-as-float"),
    pytest.param({"facts": {"office_area_m2": -1}}, False, "office_area_m2", "不能为负数", id="negative-area"),
    pytest.param({"facts": {"established_on": "12/03/2018"}}, False, "established_on", "YYYY-MM-DD", id="bad-date"),
    pytest.param({"facts": {}, "as_of": "2026-13-01"}, False, "as_of", "YYYY-MM-DD", id="bad-as-of"),
    pytest.param({"facts": {}, "as_of": 20260630}, False, "as_of", "YYYY-MM-DD", id="as-of-number"),
])
def test_bad_requests_are_400_with_chinese_errors(client, body, raw, key, fragment):
    response = post(client, "bj_srdi_station", body, raw=raw)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert key in errors and fragment in errors[key][0]


def test_ratio_above_one_is_400(client):
    response = post(client, "bj_demo_platform", {"facts": json_facts("bj_demo_platform", satisfaction_rate=1.01)})
    assert response.status_code == 400 and "0 到 1" in response.json()["errors"]["satisfaction_rate"][0]


def test_unknown_service_function_is_400(client):
    response = post(client, "bj_demo_base", {"facts": json_facts("bj_demo_base", service_functions=["代理记账"])})
    assert response.status_code == 400 and "代理记账" in response.json()["errors"]["service_functions"][0]


def test_fact_and_as_of_errors_together(client):
    response = post(client, "bj_srdi_station", {"facts": {"office_area_m2": -1}, "as_of": "tomorrow"})
    assert set(response.json()["errors"]) == {"office_area_m2", "as_of"}


@pytest.mark.parametrize("code", ["no_such_type", "gz_hub_station", "中文", "base"])
def test_unknown_or_non_public_type_is_404(client, code):
    response = post(client, code, {"facts": {}})
    assert response.status_code == 404
    assert "type" in response.json()["errors"]


def test_get_is_405_json(client):
    response = client.get(api_url("bj_srdi_station"))
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert response.json()["errors"]["__all__"] == ["仅支持 POST 请求。"]


def test_no_csrf_token_needed():
    client = Client(enforce_csrf_checks=True)
    assert post(client, "gz_service_station", {"facts": ELIGIBLE["gz_service_station"]}).status_code == 200


@pytest.fixture
def frozen_rate_window(monkeypatch):
    """Rate windows are aligned to the clock: freeze it so a test never straddles two windows."""
    import types

    from django_ratelimit import core

    monkeypatch.setattr(core, "time", types.SimpleNamespace(time=lambda: 1_800_000_000.0))


@override_settings(ELIGIBILITY_API_RATE="3/m")
def test_rate_limited_per_ip(client, frozen_rate_window):
    for _ in range(3):
        assert post(client, "gz_service_station", {"facts": {}}).status_code == 200
    response = post(client, "gz_service_station", {"facts": {}})
    assert response.status_code == 429
    assert "请求过于频繁" in response.json()["errors"]["__all__"][0]
    other_ip = client.post(api_url("gz_service_station"), data="{\"facts\": {}}", content_type="application/json",
                           REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 200


def test_default_rate_is_60_a_minute(client, frozen_rate_window):
    for _ in range(60):
        assert post(client, "gz_service_station", {"facts": {}}).status_code == 200
    assert post(client, "gz_service_station", {"facts": {}}).status_code == 429
