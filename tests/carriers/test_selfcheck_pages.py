"""The public self-check pages: no login, works without JavaScript, plain Chinese."""

import pytest
from django.urls import reverse

from tests.carriers.samples import ELIGIBLE

pytestmark = pytest.mark.django_db


def page_url(code: str) -> str:
    return reverse("carriers:eligibility_type", args=[code])


def posted(code: str, **changes) -> dict:
    data = {}
    for key, value in {**ELIGIBLE[code], **changes}.items():
        if isinstance(value, bool):
            data[key] = "true" if value else "false"
        elif isinstance(value, list):
            data[key] = value
        else:
            data[key] = str(value)
    return data


def test_index_lists_the_publicly_applicable_types(client):
    response = client.get(reverse("carriers:eligibility_index"))
    body = response.content.decode()
    assert response.status_code == 200
    for name in ("北京市专精特新企业服务站", "北京市中小企业公共服务示范平台", "北京市小型微型企业创业创新示范基地",
                 "广州市民营和中小企业服务站"):
        assert name in body
    assert "广州市民营和中小企业服务总站" not in body
    assert page_url("bj_demo_base") in body


def test_self_check_is_in_the_public_navigation(client):
    body = client.get(reverse("home")).content.decode()
    assert "申报条件自测" in body and reverse("carriers:eligibility_index") in body


def test_form_renders_in_chinese(client):
    response = client.get(page_url("bj_srdi_station"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "固定办公场所面积（平方米）" in body and "请选择" in body and "开始自测" in body
    assert 'type="date"' in body and "csrfmiddlewaretoken" in body


def test_service_functions_are_checkboxes(client):
    body = client.get(page_url("bj_demo_base")).content.decode()
    assert 'type="checkbox"' in body and "产业链服务" in body


@pytest.mark.parametrize("code", ["gz_hub_station", "no_such_type"])
def test_hub_and_unknown_types_are_404(client, code):
    assert client.get(page_url(code)).status_code == 404


def test_post_shows_results_with_articles(client):
    response = client.post(page_url("bj_srdi_station"), posted("bj_srdi_station", office_area_m2="80"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "不符合申报条件" in body
    assert "固定办公场所面积 80 平方米，低于 100 平方米的要求" in body
    assert "第六条（一）" in body and "硬性条件" in body and "未通过" in body and "通过" in body


def test_post_eligible_with_general_failure_lists_what_to_explain(client):
    response = client.post(page_url("bj_demo_platform"), posted("bj_demo_platform", legal_person=False,
                                                                government_or_association_run=True))
    body = response.content.decode()
    assert "符合申报条件" in body and "不符合申报条件" not in body
    assert "需书面说明的事项" in body and "不具有独立法人资格" in body and "一般条件" in body
    assert "加分项" in body and "第六条末款" in body


def test_as_of_is_used(client):
    data = posted("bj_demo_base", established_on="2024-07-01")
    body = client.post(page_url("bj_demo_base"), {**data, "as_of": "2026-06-30"}).content.decode()
    assert "成立不满 2 年" in body and "2026年6月30日" in body
    body = client.post(page_url("bj_demo_base"), {**data, "as_of": "2026-07-01"}).content.decode()
    assert "已满 2 年" in body


def test_invalid_input_shows_chinese_errors(client):
    response = client.post(page_url("bj_srdi_station"), posted("bj_srdi_station", office_area_m2="-5",
                                                               fulltime_staff="3.5"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "固定办公场所面积不能为负数。" in body
    assert "部分内容填写有误" in body
    assert "自测结果" not in body


def test_empty_form_reports_missing_facts(client):
    body = client.post(page_url("gz_service_station"), {}).content.decode()
    assert "未填写：专职提供民营和中小企业服务的工作人员" in body and "不符合申报条件" in body
