"""Facts from strict JSON and from the HTML form share their range checks and give the same Python values;
stored documents read back unchanged."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django import forms

from carriers.eligibility import InvalidFacts, facts_from_document, facts_to_document, parse_facts
from carriers.forms import facts_form_class
from carriers.rules import get_rules
from tests.carriers.samples import ELIGIBLE, PUBLIC_CODES, json_facts

STATION = get_rules("bj_srdi_station")
PLATFORM = get_rules("bj_demo_platform")


def errors_for(rules, facts) -> dict:
    with pytest.raises(InvalidFacts) as caught:
        parse_facts(rules, facts)
    return caught.value.errors


@pytest.mark.parametrize(("rules", "key", "value", "fragment"), [
    pytest.param(STATION, "legal_person", "true", "true 或 false", id="bool-as-string"),
    pytest.param(STATION, "legal_person", 1, "true 或 false", id="bool-as-number"),
    pytest.param(STATION, "fulltime_staff", 3.5, "整数", id="int-with-fraction"),
    pytest.param(STATION, "fulltime_staff", "3", "整数", id="int-as-string"),
    pytest.param(STATION, "fulltime_staff", True, "整数", id="int-as-bool"),
    pytest.param(STATION, "fulltime_staff", -1, "不能为负数", id="negative-count"),
    pytest.param(STATION, "office_area_m2", -0.5, "不能为负数", id="negative-area"),
    pytest.param(STATION, "office_area_m2", "120", "数字", id="area-as-string"),
    pytest.param(STATION, "office_area_m2", False, "数字", id="area-as-bool"),
    pytest.param(PLATFORM, "total_assets_cny", -1, "不能为负数", id="negative-money"),
    pytest.param(PLATFORM, "satisfaction_rate", 1.01, "0 到 1", id="ratio-above-1"),
    pytest.param(PLATFORM, "satisfaction_rate", -0.01, "0 到 1", id="ratio-below-0"),
    pytest.param(PLATFORM, "satisfaction_rate", 90, "0 到 1", id="ratio-as-percent"),
    pytest.param(STATION, "established_on", "2024/01/01", "YYYY-MM-DD", id="date-wrong-format"),
    pytest.param(STATION, "established_on", "2023-02-29", "不是有效的日期", id="date-impossible"),
    pytest.param(STATION, "established_on", 20240101, "YYYY-MM-DD", id="date-as-number"),
    pytest.param(STATION, "registered_city", 110000, "文字", id="city-as-number"),
    pytest.param(PLATFORM, "service_functions", "综合咨询", "列表", id="functions-not-a-list"),
])
def test_json_values_of_the_wrong_type_or_range_are_errors(rules, key, value, fragment):
    errors = errors_for(rules, json_facts(rules.code, **{key: value}))
    assert list(errors) == [key]
    assert fragment in errors[key][0]


def test_unknown_service_function_is_named():
    errors = errors_for(PLATFORM, json_facts("bj_demo_platform", service_functions=["综合咨询", "代理记账"]))
    assert "“代理记账”" in errors["service_functions"][0]


def test_all_errors_are_reported_at_once():
    errors = errors_for(STATION, {"legal_person": "yes", "office_area_m2": -1, "established_on": "soon"})
    assert set(errors) == {"legal_person", "office_area_m2", "established_on"}


def test_accepted_json_values():
    facts = parse_facts(PLATFORM, {
        "qualified_staff": 8.0, "satisfaction_rate": 1, "sme_service_revenue_share": 0, "total_assets_cny": 3000000.5,
        "registered_city": "shanghai", "established_on": "2024-02-29", "legal_person": None,
        "service_functions": ["融资促进", "综合咨询", "融资促进"], "not_a_fact": "ignored",
    })
    assert facts == {
        "qualified_staff": 8, "satisfaction_rate": Decimal(1), "sme_service_revenue_share": Decimal(0),
        "total_assets_cny": Decimal("3000000.5"), "registered_city": "shanghai",
        "established_on": date(2024, 2, 29), "service_functions": ["综合咨询", "融资促进"],
    }
    assert type(facts["qualified_staff"]) is int


def test_facts_must_be_an_object():
    assert "facts" in errors_for(STATION, ["legal_person"])


def _form_data(json_values: dict) -> dict:
    """What a browser posts for these JSON facts."""
    data = {}
    for key, value in json_values.items():
        if isinstance(value, bool):
            data[key] = "true" if value else "false"
        elif isinstance(value, list):
            data[key] = value
        else:
            data[key] = str(value)
    return data


@pytest.mark.parametrize("code", PUBLIC_CODES)
def test_form_gives_the_same_values_as_json(code):
    rules = get_rules(code)
    form = facts_form_class(rules)(_form_data(ELIGIBLE[code]))
    assert form.is_valid(), form.errors
    assert form.facts() == parse_facts(rules, ELIGIBLE[code])


@pytest.mark.parametrize(("rules", "key", "posted", "message"), [
    pytest.param(STATION, "office_area_m2", "-5", "固定办公场所面积不能为负数。", id="negative-area"),
    pytest.param(STATION, "fulltime_staff", "-1", "具有相关专业知识及经验的专职人员不能为负数。", id="negative-count"),
    pytest.param(PLATFORM, "satisfaction_rate", "1.01",
                 "服务对象满意度应在 0 到 1 之间（以小数填写，如 0.9 表示 90%）。", id="ratio-above-1"),
])
def test_form_and_json_share_range_messages(rules, key, posted, message):
    form = facts_form_class(rules)({key: posted})
    assert not form.is_valid()
    assert form.errors[key] == [message]
    assert errors_for(rules, {key: json.loads(posted)})[key] == [message]


def test_form_rejects_fractions_for_counts_and_unknown_functions():
    form = facts_form_class(PLATFORM)({"qualified_staff": "3.5", "service_functions": ["代理记账"]})
    assert not form.is_valid()
    assert set(form.errors) == {"qualified_staff", "service_functions"}


def test_form_empty_fields_are_missing_and_bools_offer_a_choice():
    form_class = facts_form_class(STATION)
    form = form_class({"legal_person": ""})
    assert form.is_valid()
    assert form.facts() == {}
    assert isinstance(form_class.base_fields["legal_person"].widget, forms.Select)
    assert [label for _, label in form_class.base_fields["legal_person"].choices] == ["请选择", "是", "否"]
    assert form_class.base_fields["office_area_m2"].widget.attrs["min"] == "0"


def test_required_form_needs_every_fact():
    form = facts_form_class(STATION, required=True)({})
    assert not form.is_valid() and set(form.errors) == {spec.key for spec in STATION.facts}


def test_form_widgets():
    fields = facts_form_class(PLATFORM).base_fields
    assert isinstance(fields["service_functions"].widget, forms.CheckboxSelectMultiple)
    assert fields["established_on"].widget.input_type == "date"
    assert fields["satisfaction_rate"].widget.attrs["max"] == "1"


@pytest.mark.parametrize("code", PUBLIC_CODES)
def test_document_round_trip(code):
    rules = get_rules(code)
    facts = parse_facts(rules, ELIGIBLE[code])
    document = json.loads(json.dumps(facts_to_document(facts)))
    assert facts_from_document(document) == facts
    assert facts_from_document(document, rules) == facts


def test_document_format():
    document = facts_to_document({"established_on": date(2018, 3, 12), "office_area_m2": Decimal("120.50"),
                                  "legal_person": True, "fulltime_staff": 4, "smes_served_last_year": None})
    assert document == {"established_on": "2018-03-12", "office_area_m2": "120.50", "legal_person": True,
                        "fulltime_staff": 4}


def test_document_drops_unknown_keys_and_values_that_no_longer_fit():
    facts = facts_from_document({"office_area_m2": "abc", "no_such_fact": 1, "fulltime_staff": 3}, STATION)
    assert facts == {"fulltime_staff": 3}
    assert facts_from_document(None) == {}


def test_describe_facts_for_display():
    described = dict(STATION.describe_facts({"office_area_m2": "120", "legal_person": False,
                                             "established_on": "2018-03-12"}))
    assert described["固定办公场所面积"] == "120 平方米"
    assert described["是否具有独立法人资格"] == "否"
    assert described["成立日期"] == "2018年3月12日"
    assert described["具有相关专业知识及经验的专职人员"] == "未填写"
