"""Every numeric threshold of every type at its boundary (just below, at, just above), with its article."""

from datetime import date

import pytest

from tests.carriers.samples import PUBLIC_CODES, report_for, result_of

# (type, fact key, just below, at, just above, article, kind)
THRESHOLDS = [
    ("bj_srdi_station", "office_area_m2", 99.99, 100, 100.01, "第六条（一）", "hard"),
    ("bj_srdi_station", "event_space_m2", 999.9, 1000, 1000.1, "第六条（一）", "hard"),
    ("bj_srdi_station", "fulltime_staff", 2, 3, 4, "第六条（二）", "hard"),
    ("bj_srdi_station", "public_welfare_activities_last_year", 14, 15, 16, "第六条（三）", "hard"),
    ("bj_demo_platform", "total_assets_cny", 2999999.99, 3000000, 3000000.01, "第六条（一）", "hard"),
    ("bj_demo_platform", "smes_served_per_year_jjj", 99, 100, 101, "第六条（三）", "general"),
    ("bj_demo_platform", "partner_service_institutions", 4, 5, 6, "第六条（四）", "hard"),
    ("bj_demo_platform", "qualified_staff", 7, 8, 9, "第六条（七）", "hard"),
    ("bj_demo_platform", "sme_service_revenue_share", 0.49, 0.5, 0.51, "第六条（八）", "hard"),
    ("bj_demo_platform", "satisfaction_rate", 0.89, 0.9, 0.91, "第六条（九）", "hard"),
    ("bj_demo_base", "building_area_m2", 4999.9, 5000, 5000.1, "第六条（四）", "hard"),
    ("bj_demo_base", "public_service_space_m2", 499.9, 500, 500.1, "第六条（四）", "hard"),
    ("bj_demo_base", "resident_small_micro_enterprises", 59, 60, 61, "第六条（五）", "general"),
    ("bj_demo_base", "top2_industry_concentration", 0.59, 0.6, 0.61, "第六条（五）", "general"),
    ("bj_demo_base", "qualified_staff", 7, 8, 9, "第六条（八）", "hard"),
    ("bj_demo_base", "resident_satisfaction_rate", 0.89, 0.9, 0.91, "第六条（九）", "hard"),
    ("gz_service_station", "fulltime_staff", 1, 2, 3, "四（一）2（5）", "hard"),
]


def _ids(row):
    return f"{row[0]}-{row[5]}-{row[1]}"


@pytest.mark.parametrize(("code", "key", "below", "at", "above", "article", "kind"), THRESHOLDS,
                         ids=[_ids(row) for row in THRESHOLDS])
def test_threshold_boundaries(code, key, below, at, above, article, kind):
    for value, passes in ((below, False), (at, True), (above, True)):
        report = report_for(code, **{key: value})
        result = result_of(report, key)
        assert (result.passed, result.article, result.kind) == (passes, article, kind), value
        # A general condition warns but never blocks; a hard one blocks.
        assert report.eligible is (passes or kind == "general")


def test_below_message_names_value_and_threshold():
    """第六条（一）: the message says what was declared and what is required."""
    result = result_of(report_for("bj_srdi_station", office_area_m2=80), "office_area_m2")
    assert result.message == "固定办公场所面积 80 平方米，低于 100 平方米的要求"


def test_ratio_and_money_messages_are_readable():
    report = report_for("bj_demo_platform", satisfaction_rate=0.855, total_assets_cny=2500000)
    assert result_of(report, "satisfaction_rate").message == "服务对象满意度 85.5%，低于 90%的要求"
    assert result_of(report, "total_assets_cny").message == "资产总额 2,500,000 元，低于 3,000,000 元的要求"


# (type, fact key, value that passes, article, kind)
FLAGS = [
    ("bj_srdi_station", "legal_person", True, "第五条（二）", "general"),
    ("bj_srdi_station", "serious_dishonesty", False, "第五条（三）", "hard"),
    ("bj_srdi_station", "suspension_or_license_revocation_penalty", False, "第五条（三）", "hard"),
    ("bj_srdi_station", "legal_rep_criminal_penalty", False, "第五条（三）", "hard"),
    ("bj_demo_platform", "legal_person", True, "第六条（一）", "general"),
    ("bj_demo_platform", "criminal_or_serious_admin_penalty_2y", False, "第六条（二）", "hard"),
    ("bj_demo_platform", "serious_dishonesty", False, "第六条（二）", "hard"),
    ("bj_demo_platform", "has_information_service_system", True, "第六条（五）", "hard"),
    ("bj_demo_platform", "provides_free_services", True, "第六条（八）", "hard"),
    ("bj_demo_base", "legal_person", True, "第六条（一）", "general"),
    ("bj_demo_base", "criminal_or_serious_admin_penalty_2y", False, "第六条（二）", "hard"),
    ("bj_demo_base", "serious_dishonesty", False, "第六条（二）", "hard"),
    ("bj_demo_base", "provides_free_services", True, "第六条（九）", "hard"),
    ("bj_demo_base", "has_enterprise_service_station", True, "第六条（十）", "hard"),
    ("gz_service_station", "legal_person", True, "四（一）2（1）", "hard"),
    ("gz_service_station", "has_fixed_office", True, "四（一）2（2）", "hard"),
    ("gz_service_station", "has_service_management_system", True, "四（一）2（4）", "hard"),
]


@pytest.mark.parametrize(("code", "key", "good", "article", "kind"), FLAGS,
                         ids=[f"{r[0]}-{r[3]}-{r[1]}" for r in FLAGS])
def test_yes_no_conditions(code, key, good, article, kind):
    passing = result_of(report_for(code, **{key: good}), key)
    report = report_for(code, **{key: not good})
    failing = result_of(report, key)
    assert (passing.passed, failing.passed) == (True, False)
    assert passing.article == failing.article == article and failing.kind == kind
    assert passing.message != failing.message
    assert report.eligible is (kind == "general")


@pytest.mark.parametrize("code", ["bj_srdi_station", "bj_demo_platform", "bj_demo_base"])
def test_legal_person_is_general_in_beijing(code):
    """一般应具有独立法人资格 (BJ station 第五条（二）, platform and base 第六条（一）): a warning, not a block."""
    report = report_for(code, legal_person=False)
    assert report.eligible is True
    assert [r.rule for r in report.general_failures] == ["legal_person"]
    assert "一般应" in report.general_failures[0].message


def test_legal_person_is_hard_in_guangzhou():
    """四（一）2（1）在广州注册并具备法人资格: hard."""
    report = report_for("gz_service_station", legal_person=False)
    assert report.eligible is False
    assert [r.rule for r in report.hard_failures] == ["legal_person"]


@pytest.mark.parametrize(("code", "city", "article"), [
    ("bj_srdi_station", "beijing", "第五条（二）"),
    ("bj_demo_platform", "beijing", "第六条（一）"),
    ("bj_demo_base", "beijing", "第六条（一）"),
    ("gz_service_station", "guangzhou", "四（一）2（1）"),
])
def test_registered_city(code, city, article):
    assert result_of(report_for(code, registered_city=city), "registered_city").passed
    other = "guangzhou" if city == "beijing" else "beijing"
    for value in (other, "other", "shanghai"):
        report = report_for(code, registered_city=value)
        result = result_of(report, "registered_city")
        assert (result.passed, result.article, result.kind, report.eligible) == (False, article, "hard", False)
    assert "“shanghai”" in result.message


@pytest.mark.parametrize(("founded", "as_of", "passes"), [
    ("2024-06-30", date(2026, 6, 29), False),
    ("2024-06-30", date(2026, 6, 30), True),
    ("2024-06-30", date(2026, 7, 1), True),
    # Founded on 29 February: the second anniversary is 28 February 2026 (relativedelta clamps to month end).
    ("2024-02-29", date(2026, 2, 27), False),
    ("2024-02-29", date(2026, 2, 28), True),
    ("2024-02-29", date(2026, 3, 1), True),
    # Founded after as_of: not two years.
    ("2026-07-01", date(2026, 6, 30), False),
])
@pytest.mark.parametrize(("code", "article"), [
    ("bj_srdi_station", "第五条（二）"), ("bj_demo_platform", "第六条（一）"), ("bj_demo_base", "第六条（一）"),
])
def test_established_two_years_by_anniversary(code, article, founded, as_of, passes):
    """成立时间两年及以上 / 两年以上 (以上 includes the bound), counted to as_of."""
    report = report_for(code, as_of=as_of, established_on=founded)
    result = result_of(report, "established_on")
    assert (result.passed, result.article, result.kind, report.eligible) == (passes, article, "hard", passes)


def test_age_message_names_the_anniversary():
    result = result_of(report_for("bj_srdi_station", as_of=date(2026, 2, 27), established_on="2024-02-29"),
                       "established_on")
    assert result.message == "成立于 2024年2月29日，截至 2026年2月27日 成立不满 2 年（满 2 年之日为 2026年2月28日）"


def test_guangzhou_station_has_no_age_rule():
    """The GZ guideline sets no minimum age."""
    assert not [r for r in report_for("gz_service_station").results if r.rule == "established_on"]


@pytest.mark.parametrize("code", PUBLIC_CODES)
def test_full_eligible_facts_pass_every_rule(code):
    report = report_for(code)
    assert report.eligible is True
    assert all(r.passed for r in report.results), [r.message for r in report.results if not r.passed]
