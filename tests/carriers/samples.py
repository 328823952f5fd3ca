"""Eligible fact sets per type, as JSON values (what the API receives), and helpers to evaluate them."""

import copy
from datetime import date

from carriers.eligibility import evaluate, parse_facts
from carriers.rules import get_rules

AS_OF = date(2026, 6, 30)

ELIGIBLE = {
    "bj_srdi_station": {
        "legal_person": True, "registered_city": "beijing", "established_on": "2018-03-12",
        "serious_dishonesty": False, "suspension_or_license_revocation_penalty": False,
        "legal_rep_criminal_penalty": False, "office_area_m2": 120, "event_space_m2": 1200, "fulltime_staff": 4,
        "srdi_service_visits_last_year": 60, "smes_served_last_year": 320, "public_welfare_activities_last_year": 20,
    },
    "bj_demo_platform": {
        "legal_person": True, "registered_city": "beijing", "established_on": "2015-06-01",
        "total_assets_cny": 5000000, "criminal_or_serious_admin_penalty_2y": False, "serious_dishonesty": False,
        "smes_served_per_year_jjj": 150, "high_end_manufacturing_stage": False, "partner_service_institutions": 6,
        "has_information_service_system": True, "qualified_staff": 10, "sme_service_revenue_share": 0.65,
        "provides_free_services": True, "satisfaction_rate": 0.95, "service_functions": ["综合咨询", "融资促进"],
        "government_or_association_run": False,
    },
    "bj_demo_base": {
        "legal_person": True, "registered_city": "beijing", "established_on": "2014-09-01",
        "criminal_or_serious_admin_penalty_2y": False, "serious_dishonesty": False, "building_area_m2": 8000,
        "public_service_space_m2": 800, "high_end_manufacturing_base": False,
        "resident_small_micro_enterprises": 80, "top2_industry_concentration": 0.7, "qualified_staff": 12,
        "resident_satisfaction_rate": 0.93, "provides_free_services": True, "has_enterprise_service_station": True,
        "service_functions": ["创业辅导", "创新支持", "信息服务"], "holds_active_srdi_station": False,
    },
    "gz_service_station": {
        "registered_city": "guangzhou", "legal_person": True, "has_fixed_office": True,
        "has_service_management_system": True, "fulltime_staff": 3,
    },
}
PUBLIC_CODES = tuple(ELIGIBLE)


def json_facts(code: str, **changes) -> dict:
    """The eligible JSON facts of ``code`` with ``changes``; a change to None removes the fact."""
    facts = copy.deepcopy(ELIGIBLE[code])
    for key, value in changes.items():
        if value is None:
            facts.pop(key, None)
        else:
            facts[key] = value
    return facts


def report_for(code: str, as_of: date = AS_OF, **changes):
    rules = get_rules(code)
    return evaluate(rules, parse_facts(rules, json_facts(code, **changes)), as_of)


def result_of(report, rule_key: str):
    matches = [r for r in report.results if r.rule == rule_key]
    assert len(matches) == 1, f"expected one result for {rule_key}, got {matches}"
    return matches[0]
