"""The rules registry: one module per carrier type, found by its code."""

import pytest

from carriers.models import CarrierType
from carriers.rules import UnknownCarrierType, all_rules, fact_catalogue, get_rules
from carriers.rules.base import TypeRules


@pytest.mark.django_db
def test_every_carrier_type_has_a_rules_module_that_agrees_with_the_fixture():
    for carrier_type in CarrierType.objects.all():
        rules = get_rules(carrier_type.code)
        assert rules.code == carrier_type.code
        assert rules.min_service_functions == carrier_type.min_service_functions


@pytest.mark.django_db
def test_hub_is_not_publicly_applicable_and_has_no_rules():
    hub = CarrierType.objects.get(code="gz_hub_station")
    assert hub.publicly_applicable is False
    rules = get_rules("gz_hub_station")
    assert rules.facts == () and rules.rules == ()


def test_registry_lists_the_type_modules_only():
    assert set(all_rules()) == {"bj_srdi_station", "bj_demo_platform", "bj_demo_base", "gz_service_station",
                                "gz_hub_station"}


@pytest.mark.parametrize("code", ["nope", "base", "facts", "checks", "../base", "BJ_SRDI_STATION", "", "a.b"])
def test_unknown_codes_raise_a_clear_error(code):
    with pytest.raises(UnknownCarrierType, match="未知的载体类型"):
        get_rules(code)


def test_a_fact_key_has_one_kind_in_every_type():
    catalogue = fact_catalogue()
    assert catalogue["legal_person"].kind == "bool"
    assert catalogue["qualified_staff"].kind == "int"
    assert catalogue["established_on"].kind == "date"


@pytest.mark.parametrize("rules", list(all_rules().values()), ids=lambda r: r.code)
def test_every_rule_names_its_article_and_every_attachment_has_one(rules: TypeRules):
    for rule in rules.rules:
        assert rule.article and rule.kind in ("hard", "general", "bonus")
    for spec in rules.required_attachments:
        assert spec.label and spec.article


def test_duplicate_rule_keys_are_refused():
    rules = get_rules("gz_service_station")
    with pytest.raises(ValueError, match="duplicate"):
        TypeRules(code="x", facts=rules.facts, rules=rules.rules + rules.rules[:1])


def test_float_thresholds_are_refused():
    from carriers.rules.checks import at_least
    from carriers.rules.facts import ratio

    with pytest.raises(TypeError):
        at_least(ratio("r", "比例"), 0.9, article="第一条")
