"""Submission checks and required attachments: data on the rules module for the application form."""

import pytest
from django import forms

from carriers.rules import get_rules
from tests.carriers.samples import PUBLIC_CODES

STATION = get_rules("bj_srdi_station")
GOOD_STATION = {
    "carrier_name": "智造创新服务站",
    "service_plan": "服务目标：……服务内容和实施计划：……工作保障措施：……",
    "work_rules": "工作流程：……服务标准：……人员管理：……",
    "liaison_name": "李联络",
    "liaison_phone": "13800138000",
}


class CarrierForm(forms.Form):
    carrier_name = forms.CharField(required=False)
    service_plan = forms.CharField(required=False)
    work_rules = forms.CharField(required=False)


def test_complete_bj_station_has_no_problems():
    assert STATION.submission_problems(GOOD_STATION) == []


@pytest.mark.parametrize(("field", "value", "fragment"), [
    pytest.param("carrier_name", "智造创新中心", "须以“服务站”结尾（第四条）", id="第四条-name-suffix"),
    pytest.param("carrier_name", "  ", "请填写服务站名称（第四条）", id="第四条-name-empty"),
    pytest.param("service_plan", "服务目标：……服务内容：……", "尚未写明：实施计划、保障措施（第十一条）",
                 id="第十一条-plan-parts"),
    pytest.param("work_rules", "工作流程、服务标准", "尚未写明：人员管理（第十二条）", id="第十二条-work-rules"),
    pytest.param("liaison_name", "", "请填写联络员姓名（第十三条）", id="第十三条-liaison"),
])
def test_bj_station_submission_problems(field, value, fragment):
    problems = STATION.submission_problems({**GOOD_STATION, field: value})
    assert len(problems) == 1 and fragment in problems[0]


def test_submission_problems_read_objects_too():
    class Application:
        pass

    application = Application()
    for key, value in GOOD_STATION.items():
        setattr(application, key, value)
    application.carrier_name = "智造创新"
    assert STATION.submission_problems(application) == [
        "服务站名称应由“公司简称”加“服务站”构成，须以“服务站”结尾（第四条）"]


def test_configure_form_makes_checked_fields_required_and_validated():
    form = CarrierForm({"carrier_name": "智造创新中心", "service_plan": "", "work_rules": "工作流程 服务标准 人员管理"})
    STATION.configure_carrier_form(form)
    assert not form.is_valid()
    assert "服务站" in form.errors["carrier_name"][0]
    assert form.errors["service_plan"]  # now required
    assert "work_rules" not in form.errors
    assert CarrierForm.base_fields["carrier_name"].required is False  # the class is left alone


@pytest.mark.parametrize("code", ["bj_demo_platform", "bj_demo_base", "gz_service_station"])
def test_other_types_only_need_a_name(code):
    rules = get_rules(code)
    assert rules.submission_problems({"carrier_name": "某某平台"}) == []
    assert len(rules.submission_problems({})) == 1


@pytest.mark.parametrize("code", PUBLIC_CODES)
def test_required_attachments_have_unique_keys_and_articles(code):
    specs = get_rules(code).required_attachments
    assert specs and all(spec.article for spec in specs)
    assert any(spec.required for spec in specs)


def test_optional_attachments_back_the_bonuses():
    assert not {s.key: s for s in get_rules("bj_demo_platform").required_attachments}["sponsor_proof"].required
    assert not {s.key: s for s in get_rules("bj_demo_base").required_attachments}["srdi_station_certificate"].required
