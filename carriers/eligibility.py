"""The eligibility engine: strict JSON facts in, a report of rule results out, and stored fact documents.

    rules = get_rules("bj_srdi_station")
    facts = parse_facts(rules, {"office_area_m2": 120, ...})      # InvalidFacts on bad input
    report = evaluate(rules, facts, as_of=date(2026, 5, 31))
    report.eligible, report.results[0].message

The business rules themselves live in ``carriers/rules/<code>.py``.
"""

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from .rules import UnknownCarrierType, fact_catalogue, get_rules
from .rules.base import ISO_DATE, FactValueError, TypeRules, typed_facts

CHINA = ZoneInfo("Asia/Shanghai")
KIND_LABELS = {"hard": "硬性条件", "general": "一般条件", "bonus": "加分项"}


@dataclass(frozen=True)
class RuleResult:
    rule: str
    article: str
    kind: str
    passed: bool
    message: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class EligibilityReport:
    """``eligible``: every hard rule passed. General failures need a written explanation."""

    type_code: str
    as_of: date
    eligible: bool
    results: tuple[RuleResult, ...]

    @property
    def hard_failures(self) -> list[RuleResult]:
        return [r for r in self.results if r.kind == "hard" and not r.passed]

    @property
    def general_failures(self) -> list[RuleResult]:
        return [r for r in self.results if r.kind == "general" and not r.passed]

    @property
    def bonuses(self) -> list[RuleResult]:
        return [r for r in self.results if r.kind == "bonus" and r.passed]

    def as_dict(self) -> dict:
        """The API's answer body."""
        return {"type": self.type_code, "eligible": self.eligible, "results": [r.as_dict() for r in self.results]}


def evaluate(rules: TypeRules, facts: Mapping, as_of: date) -> EligibilityReport:
    """Every rule of the type, in the module's order, on ``facts`` (None = missing), years counted to ``as_of``."""
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    present = {key: value for key, value in facts.items() if value is not None}
    results = []
    for rule in rules.rules:
        outcome = rule.check(present, as_of)
        if outcome.applies:
            results.append(RuleResult(rule.key, rule.article, rule.kind, outcome.passed is True,
                                      rule.message(outcome)))
    eligible = all(r.passed for r in results if r.kind == "hard")
    return EligibilityReport(rules.code, as_of, eligible, tuple(results))


# --- strict JSON input ---


class InvalidFacts(ValueError):
    """Input that cannot be evaluated: ``errors`` maps a fact key (or __all__, facts, as_of) to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(errors)


def parse_facts(rules: TypeRules, data) -> dict:
    """Facts of ``rules`` from a decoded JSON object; unknown keys are ignored, null means missing."""
    if not isinstance(data, Mapping):
        raise InvalidFacts({"facts": ["facts 应为 JSON 对象（键为事实名称）。"]})
    facts, errors = {}, {}
    for spec in rules.facts:
        if spec.key not in data:
            continue
        try:
            value = spec.from_json(data[spec.key])
        except FactValueError as error:
            errors[spec.key] = [str(error)]
            continue
        if value is not None:
            facts[spec.key] = value
    if errors:
        raise InvalidFacts(errors)
    return facts


def parse_as_of(raw, default: date) -> date:
    if raw is None:
        return default
    if isinstance(raw, str) and ISO_DATE.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise InvalidFacts({"as_of": ["as_of 应为 YYYY-MM-DD 格式的有效日期。"]})


def _reject_constant(name):
    raise ValueError(f"not JSON: {name}")


def parse_eligibility_request(rules: TypeRules, body: bytes, default_as_of: date) -> tuple[dict, date]:
    """The facts and the as_of date of an API body ``{"facts": {...}, "as_of": "YYYY-MM-DD"}``."""
    try:
        data = json.loads(body, parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError):
        raise InvalidFacts({"__all__": ["请求体不是有效的 JSON。"]}) from None
    if not isinstance(data, dict):
        raise InvalidFacts({"__all__": ["请求体应为 JSON 对象：{\"facts\": {...}, \"as_of\": \"YYYY-MM-DD\"}。"]})
    if "facts" not in data:
        raise InvalidFacts({"facts": ["缺少 facts。"]})
    errors = {}
    facts = as_of = None
    try:
        facts = parse_facts(rules, data["facts"])
    except InvalidFacts as invalid:
        errors.update(invalid.errors)
    try:
        as_of = parse_as_of(data.get("as_of"), default_as_of)
    except InvalidFacts as invalid:
        errors.update(invalid.errors)
    if errors:
        raise InvalidFacts(errors)
    return facts, as_of


def today_in_china() -> date:
    return timezone.localdate(timezone=CHINA)


def public_type_rules(code: str):
    """The CarrierType open to public application and its rules; UnknownCarrierType otherwise (e.g. the hub)."""
    from .models import CarrierType

    carrier_type = CarrierType.objects.open_to_applications().filter(code=code).first()
    if carrier_type is None:
        raise UnknownCarrierType(code)
    return carrier_type, get_rules(code)


# --- the stored document: JSON with dates as ISO strings and decimals as strings ---


def facts_to_document(facts: Mapping) -> dict:
    """Facts as a JSON-ready dict; missing (None) facts are left out."""
    document = {}
    for key, value in facts.items():
        if value is None:
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, list | tuple):
            value = list(value)
        document[key] = value
    return document


def facts_from_document(document: Mapping | None, rules: TypeRules | None = None) -> dict:
    """Stored facts as Python values, typed by ``rules`` or else by the catalogue of all types' facts.

    Keys no type knows, and values that no longer fit their kind, are dropped.
    """
    return typed_facts(document, rules.facts_by_key if rules is not None else fact_catalogue())
