"""The rules that are more than one threshold: the BJ station OR rule, the manufacturing variants,
service-function minimums, missing facts and bonuses."""

import pytest

from carriers.eligibility import evaluate
from carriers.rules import get_rules
from tests.carriers.samples import AS_OF, PUBLIC_CODES, report_for, result_of

OR_RULE = "srdi_service_visits_or_smes_served"


@pytest.mark.parametrize(("visits", "smes", "passes"), [
    pytest.param(50, None, True, id="visits-at-50-alone"),
    pytest.param(49, None, False, id="visits-49-alone"),
    pytest.param(None, 300, True, id="smes-at-300-alone"),
    pytest.param(None, 299, False, id="smes-299-alone"),
    pytest.param(50, 300, True, id="both-met"),
    pytest.param(49, 300, True, id="only-smes-met"),
    pytest.param(50, 299, True, id="only-visits-met"),
    pytest.param(49, 299, False, id="neither-met"),
])
def test_bj_station_visits_or_smes_served(visits, smes, passes):
    """第六条（三）: 上年度服务专精特新企业不少于50家次，或服务中小企业数量不少于300家 — one hard rule."""
    report = report_for("bj_srdi_station", srdi_service_visits_last_year=visits, smes_served_last_year=smes)
    result = result_of(report, OR_RULE)
    assert (result.passed, result.article, result.kind, report.eligible) == (passes, "第六条（三）", "hard", passes)
    assert "未填写：" not in result.message
    assert not [r for r in report.results if r.rule in ("srdi_service_visits_last_year", "smes_served_last_year")]


def test_bj_station_or_rule_missing_only_when_both_missing():
    report = report_for("bj_srdi_station", srdi_service_visits_last_year=None, smes_served_last_year=None)
    result = result_of(report, OR_RULE)
    assert not result.passed and not report.eligible
    assert result.message == "未填写：上年度服务专精特新企业、上年度服务中小企业数量（至少填写一项）"


@pytest.mark.parametrize(("stage", "value", "passes"), [
    pytest.param(True, 49, False, id="manufacturing-49"),
    pytest.param(True, 50, True, id="manufacturing-50"),
    pytest.param(False, 99, False, id="standard-99"),
    pytest.param(False, 100, True, id="standard-100"),
    pytest.param(None, 99, False, id="flag-missing-uses-standard-99"),
    pytest.param(None, 100, True, id="flag-missing-uses-standard-100"),
])
def test_platform_smes_served_manufacturing_variant(stage, value, passes):
    """Platform 第六条（三）: 原则上不少于100家; 小试中试、概念验证、智能制造 环节 原则上不少于50家 — general."""
    report = report_for("bj_demo_platform", high_end_manufacturing_stage=stage, smes_served_per_year_jjj=value)
    result = result_of(report, "smes_served_per_year_jjj")
    assert (result.passed, result.kind, result.article) == (passes, "general", "第六条（三）")
    assert report.eligible is True
    assert ("高精尖" in result.message) is (stage is True)


@pytest.mark.parametrize(("high_end", "residents", "concentration", "residents_pass", "concentration_pass"), [
    pytest.param(False, 59, 0.59, False, False, id="standard-below"),
    pytest.param(False, 60, 0.60, True, True, id="standard-at"),
    pytest.param(True, 39, 0.79, False, False, id="manufacturing-below"),
    pytest.param(True, 40, 0.80, True, True, id="manufacturing-at"),
    pytest.param(True, 45, 0.70, True, False, id="manufacturing-needs-higher-concentration"),
    pytest.param(False, 45, 0.85, False, True, id="standard-needs-more-residents"),
])
def test_base_residents_and_concentration_variant(high_end, residents, concentration, residents_pass,
                                                  concentration_pass):
    """Base 第六条（五）: ≥60 家 and ≥60%; 高精尖 manufacturing bases ≥40 家 and ≥80% — general."""
    report = report_for("bj_demo_base", high_end_manufacturing_base=high_end,
                        resident_small_micro_enterprises=residents, top2_industry_concentration=concentration)
    first = result_of(report, "resident_small_micro_enterprises")
    second = result_of(report, "top2_industry_concentration")
    assert (first.passed, second.passed) == (residents_pass, concentration_pass)
    assert first.kind == second.kind == "general" and first.article == second.article == "第六条（五）"
    assert report.eligible is True


@pytest.mark.parametrize(("code", "chosen", "passes"), [
    pytest.param("bj_demo_platform", [], False, id="platform-0-of-6"),
    pytest.param("bj_demo_platform", ["融资促进"], True, id="platform-1-of-6"),
    pytest.param("bj_demo_platform", ["综合咨询", "创业辅导", "技术创新", "数字化应用", "人力资源", "融资促进"], True,
                 id="platform-6-of-6"),
    pytest.param("bj_demo_base", [], False, id="base-0-of-8"),
    pytest.param("bj_demo_base", ["创业辅导", "产业链服务"], False, id="base-2-of-8"),
    pytest.param("bj_demo_base", ["创业辅导", "产业链服务", "人员培训"], True, id="base-3-of-8"),
    pytest.param("bj_demo_base", ["创业辅导", "创业辅导", "产业链服务"], False, id="base-duplicates-count-once"),
])
def test_service_function_minimum(code, chosen, passes):
    """第七条: platform at least one of six, base at least three of eight — hard."""
    report = report_for(code, service_functions=chosen)
    result = result_of(report, "service_functions")
    assert (result.passed, result.kind, result.article, report.eligible) == (passes, "hard", "第七条", passes)


def test_service_functions_are_exactly_the_policy_names():
    assert get_rules("bj_demo_platform").service_functions == (
        "综合咨询", "创业辅导", "技术创新", "数字化应用", "人力资源", "融资促进")
    assert get_rules("bj_demo_base").service_functions == (
        "创业辅导", "创新支持", "信息服务", "投融资服务", "人员培训", "管理咨询", "专业咨询", "产业链服务")
    assert get_rules("bj_demo_platform").min_service_functions == 1
    assert get_rules("bj_demo_base").min_service_functions == 3


@pytest.mark.parametrize("code", PUBLIC_CODES)
def test_missing_facts_fail_with_a_missing_message(code):
    rules = get_rules(code)
    report = evaluate(rules, {}, AS_OF)
    assert report.eligible is False
    assert [r.rule for r in report.results] == [r.key for r in rules.rules if r.kind != "bonus"]
    assert all(not r.passed and r.message.startswith("未填写：") for r in report.results)


def test_missing_message_names_the_fact():
    report = report_for("bj_srdi_station", office_area_m2=None)
    assert result_of(report, "office_area_m2").message == "未填写：固定办公场所面积"
    assert report.eligible is False


def test_none_values_count_as_missing():
    rules = get_rules("gz_service_station")
    report = evaluate(rules, {"fulltime_staff": None}, AS_OF)
    assert result_of(report, "fulltime_staff").message.startswith("未填写")


def test_platform_government_run_bonus_does_not_change_eligibility():
    """Platform 第六条末款: run by 机关事业单位、社团法人 → the reviewer may relax the conditions."""
    report = report_for("bj_demo_platform", government_or_association_run=True)
    bonus = result_of(report, "government_or_association_run")
    assert (bonus.passed, bonus.kind, bonus.article) == (True, "bonus", "第六条末款")
    assert "适度放宽" in bonus.message and report.eligible is True
    failing = report_for("bj_demo_platform", government_or_association_run=True, qualified_staff=2)
    assert failing.eligible is False and result_of(failing, "government_or_association_run").passed


@pytest.mark.parametrize("value", [False, None])
def test_platform_bonus_absent_unless_claimed(value):
    report = report_for("bj_demo_platform", government_or_association_run=value)
    assert not [r for r in report.results if r.kind == "bonus"]


def test_base_srdi_station_bonus():
    """BJ station measures 第十四条: 申报示范基地时予以倾斜 — a bonus, never a condition."""
    report = report_for("bj_demo_base", holds_active_srdi_station=True)
    bonus = result_of(report, "holds_active_srdi_station")
    assert (bonus.passed, bonus.kind) == (True, "bonus") and "第十四条" in bonus.article
    assert report.bonuses == [bonus] and report.eligible is True
    assert not report_for("bj_demo_base", holds_active_srdi_station=False).bonuses


def test_results_follow_module_order():
    rules = get_rules("bj_srdi_station")
    assert [r.rule for r in report_for("bj_srdi_station").results] == [r.key for r in rules.rules]
