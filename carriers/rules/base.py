"""Building blocks of a carrier type's rules: facts, rules, attachments, submission checks.

A type module (``carriers/rules/<code>.py``) declares one ``RULES = TypeRules(...)``
made of these pieces; the engine (``carriers.eligibility``) and the forms
(``carriers.forms``) read nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

FACT_KINDS = ("bool", "int", "decimal", "ratio", "date", "text", "choice", "service_functions")
RULE_KINDS = ("hard", "general", "bonus")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
NOT_FILLED = "未填写"


class FactValueError(ValueError):
    """A value that does not fit its fact; the message is plain Chinese."""


@dataclass(frozen=True)
class FactSpec:
    """One fact an applicant declares: its key, Chinese label, kind, range and unit.

    ``choices`` are (value, label) pairs: the options of a ``choice`` fact, or
    the allowed names of a ``service_functions`` fact.
    """

    key: str
    label: str
    kind: str
    min_value: int | Decimal | None = None
    max_value: int | Decimal | None = None
    unit: str = ""
    help_text: str = ""
    choices: tuple[tuple[str, str], ...] = ()

    def __post_init__(self):
        if self.kind not in FACT_KINDS:
            raise ValueError(f"unknown fact kind {self.kind!r} for {self.key}")
        if self.kind == "ratio":
            object.__setattr__(self, "min_value", Decimal(0))
            object.__setattr__(self, "max_value", Decimal(1))

    @property
    def is_number(self) -> bool:
        return self.kind in ("int", "decimal", "ratio")

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.choices)

    # --- the one set of range checks, shared by the JSON and the form paths ---

    def range_errors(self, value) -> list[str]:
        """Messages for a well-typed value outside the fact's range (empty when in range)."""
        if not self.is_number or value is None:
            return []
        if self.kind == "ratio" and not 0 <= value <= 1:
            return [f"{self.label}应在 0 到 1 之间（以小数填写，如 0.9 表示 90%）。"]
        if self.min_value is not None and value < self.min_value:
            if self.min_value == 0:
                return [f"{self.label}不能为负数。"]
            return [f"{self.label}不能小于 {_number(self.min_value)}。"]
        if self.max_value is not None and value > self.max_value:
            return [f"{self.label}不能大于 {_number(self.max_value)}。"]
        return []

    def canonical_functions(self, names) -> list[str]:
        """Service functions deduplicated, in the order the policy lists them."""
        chosen = set(names)
        return [name for name in self.choice_values if name in chosen]

    # --- strict JSON input ---

    def from_json(self, raw):
        """The Python value of a JSON value, or FactValueError; ``None`` stays missing."""
        if raw is None:
            return None
        value = self._typed_from_json(raw)
        errors = self.range_errors(value)
        if errors:
            raise FactValueError(errors[0])
        return value

    def _typed_from_json(self, raw):
        label = self.label
        if self.kind == "bool":
            if not isinstance(raw, bool):
                raise FactValueError(f"{label}应为 true 或 false（JSON 布尔值），不能是字符串或数字。")
            return raw
        if self.kind == "int":
            if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
                raise FactValueError(f"{label}应为整数（JSON 数字）。")
            if isinstance(raw, int):
                return raw
            if not _finite(raw) or raw != int(raw):
                raise FactValueError(f"{label}应为整数，不能带小数。")
            return int(raw)
        if self.kind in ("decimal", "ratio"):
            if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal) or not _finite(raw):
                raise FactValueError(f"{label}应为数字（JSON 数字）。")
            return Decimal(str(raw))
        if self.kind == "date":
            if not isinstance(raw, str) or not ISO_DATE.fullmatch(raw):
                raise FactValueError(f"{label}应为 YYYY-MM-DD 格式的日期。")
            try:
                return date.fromisoformat(raw)
            except ValueError:
                raise FactValueError(f"{label}不是有效的日期：{raw}。") from None
        if self.kind == "service_functions":
            return self._functions_from_json(raw)
        if not isinstance(raw, str):
            raise FactValueError(f"{label}应为文字（JSON 字符串）。")
        return raw.strip() or None

    def _functions_from_json(self, raw) -> list[str]:
        if not isinstance(raw, list) or not all(isinstance(name, str) for name in raw):
            raise FactValueError(f"{self.label}应为服务功能名称的列表。")
        unknown = [name for name in raw if name not in self.choice_values]
        if unknown:
            raise FactValueError("未知的服务功能：{}（可选：{}）。".format(
                "、".join(f"“{name}”" for name in unknown), "、".join(self.choice_values)))
        return self.canonical_functions(raw)

    # --- the stored document (see carriers.eligibility.facts_to_document) ---

    def from_document(self, raw):
        """The Python value of a stored value; ValueError when it no longer fits the kind."""
        if raw is None:
            return None
        try:
            if self.kind == "bool":
                return _strict_bool(raw)
            if self.kind == "int":
                return int(raw)
            if self.kind in ("decimal", "ratio"):
                return Decimal(str(raw))
            if self.kind == "date":
                return date.fromisoformat(raw)
            if self.kind == "service_functions":
                return [str(name) for name in raw]
            return str(raw)
        except (TypeError, InvalidOperation) as error:
            raise ValueError(str(error)) from error

    # --- display ---

    def display(self, value) -> str:
        """The value in plain Chinese with its unit: "80 平方米", "90%", "是"."""
        if value is None:
            return NOT_FILLED
        if self.kind == "bool":
            return "是" if value else "否"
        if self.kind == "ratio":
            return f"{_number(Decimal(value) * 100)}%"
        if self.is_number:
            return f"{_number(value)} {self.unit}".rstrip()
        if self.kind == "date":
            return f"{value.year}年{value.month}月{value.day}日"
        if self.kind == "service_functions":
            return "、".join(value) if value else "（未选择）"
        if self.kind == "choice":
            return dict(self.choices).get(value, f"“{value}”")
        return str(value)


def typed_facts(document: Mapping | None, specs: Mapping[str, FactSpec]) -> dict:
    """A stored document's values typed by ``specs``; unknown keys and values that no longer fit are dropped."""
    facts = {}
    for key, raw in (document or {}).items():
        spec = specs.get(key)
        if spec is None:
            continue
        try:
            value = spec.from_document(raw)
        except ValueError:
            continue
        if value is not None:
            facts[key] = value
    return facts


def _finite(number) -> bool:
    return Decimal(str(number)).is_finite()


def _strict_bool(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    raise ValueError(f"not a bool: {raw!r}")


def _number(value) -> str:
    """Digits without trailing zeros; thousands grouped from 10,000 up."""
    value = Decimal(value)
    text = format(value.normalize(), "f") if value != value.to_integral() else str(int(value))
    if abs(value) >= 10000:
        whole, _, fraction = text.partition(".")
        text = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    return text


@dataclass(frozen=True)
class Outcome:
    """What a rule's check found: ``passed`` is None when a fact it needs is missing.

    ``context`` fills the rule's message templates; ``applies`` False leaves
    the rule out of the report (a bonus the applicant does not claim).
    """

    passed: bool | None
    context: Mapping = field(default_factory=dict)
    applies: bool = True


NOT_APPLICABLE = Outcome(passed=False, applies=False)


@dataclass(frozen=True)
class Rule:
    """One condition of a type with its article and plain-Chinese messages.

    ``check(facts, as_of)`` returns an Outcome whose context fills
    ``passed_text``, ``failed_text`` or ``missing_text``.
    """

    key: str
    article: str
    kind: str
    check: Callable[[Mapping, date], Outcome]
    passed_text: str
    failed_text: str
    missing_text: str = "未填写：{missing}"
    facts: tuple[str, ...] = ()

    def __post_init__(self):
        if self.kind not in RULE_KINDS:
            raise ValueError(f"unknown rule kind {self.kind!r} for {self.key}")
        if not self.key.isidentifier():
            raise ValueError(f"rule key {self.key!r} must be an identifier (it names form fields)")

    def message(self, outcome: Outcome) -> str:
        if outcome.passed is None:
            template = self.missing_text
        else:
            template = self.passed_text if outcome.passed else self.failed_text
        return template.format(**outcome.context)


@dataclass(frozen=True)
class AttachmentSpec:
    """A document the applicant uploads, with the article that asks for it."""

    key: str
    label: str
    article: str
    required: bool = True


@dataclass(frozen=True)
class SubmissionCheck:
    """A condition on an application field (not an eligibility fact) that must hold at submission.

    ``problem(text)`` returns the plain-Chinese reason the text is not
    acceptable, or None; ``field`` names the application's field.
    """

    key: str
    field: str
    label: str
    article: str
    problem: Callable[[str], str | None]
    help_text: str = ""

    def problem_with_article(self, text: str) -> str | None:
        reason = self.problem((text or "").strip())
        if reason and self.article:
            return f"{reason}（{self.article}）"
        return reason


@dataclass(frozen=True)
class RevocationGround:
    """A ground on which the title is revoked (撤销), with its article and any re-apply ban."""

    key: str
    label: str
    article: str
    ban_years: int = 0
    withdraws: bool = False  # the holder asked to stop (GZ 四（三）7): withdrawn, not revoked

    @property
    def citation(self) -> str:
        return f"{self.article} {self.label}"


@dataclass(frozen=True)
class ExpertCriterion:
    """One scoring criterion of the expert review, with its maximum points and the article it judges."""

    key: str
    label: str
    max_points: int
    article: str


@dataclass(frozen=True)
class TypeRules:
    """Everything a carrier type asks of its applicants, as data."""

    code: str
    facts: tuple[FactSpec, ...] = ()
    rules: tuple[Rule, ...] = ()
    service_functions: tuple[str, ...] = ()
    min_service_functions: int = 0
    required_attachments: tuple[AttachmentSpec, ...] = ()
    submission_checks: tuple[SubmissionCheck, ...] = ()
    expert_criteria: tuple[ExpertCriterion, ...] = ()
    revocation_grounds: tuple[RevocationGround, ...] = ()
    # A holder files its re-review (复核) in the round of the year its validity ends (GZ 四（二）).
    re_review_in_final_year: bool = False
    expert_pass_mark: int = 60

    def __post_init__(self):
        fact_keys = [spec.key for spec in self.facts]
        rule_keys = [rule.key for rule in self.rules]
        for what, keys in (("fact", fact_keys), ("rule", rule_keys),
                           ("attachment", [a.key for a in self.required_attachments]),
                           ("submission check", [c.key for c in self.submission_checks])):
            if len(keys) != len(set(keys)):
                raise ValueError(f"{self.code}: duplicate {what} keys in {keys}")
        unknown = {key for rule in self.rules for key in rule.facts} - set(fact_keys)
        if unknown:
            raise ValueError(f"{self.code}: rules read undeclared facts {sorted(unknown)}")
        if self.min_service_functions > len(self.service_functions):
            raise ValueError(f"{self.code}: minimum of service functions above the number of functions")

    def revocation_ground(self, key: str) -> RevocationGround | None:
        return next((ground for ground in self.revocation_grounds if ground.key == key), None)

    @property
    def facts_by_key(self) -> dict[str, FactSpec]:
        return {spec.key: spec for spec in self.facts}

    def fact(self, key: str) -> FactSpec:
        return self.facts_by_key[key]

    def facts_from_document(self, document: Mapping | None) -> dict:
        """Stored facts of this type as Python values."""
        return typed_facts(document, self.facts_by_key)

    def describe_facts(self, document: Mapping | None) -> list[tuple[str, str]]:
        """(label, value) pairs of the stored facts for display and the printed 申报书."""
        facts = self.facts_from_document(document)
        return [(spec.label, spec.display(facts.get(spec.key))) for spec in self.facts]

    def submission_problems(self, application) -> list[str]:
        """Reasons the application's fields fail the submission checks (a mapping or an object)."""
        problems = []
        for check in self.submission_checks:
            if isinstance(application, Mapping):
                text = application.get(check.field, "")
            else:
                text = getattr(application, check.field, "")
            reason = check.problem_with_article(text)
            if reason:
                problems.append(reason)
        return problems

    def configure_form(self, form) -> None:
        """Make the form's fields that submission checks read required and validated by them."""
        from django.core.exceptions import ValidationError

        for check in self.submission_checks:
            form_field = form.fields.get(check.field)
            if form_field is None:
                continue
            form_field.required = True
            if check.help_text:
                form_field.help_text = check.help_text

            def validate(text, check=check):
                reason = check.problem_with_article(text)
                if reason:
                    raise ValidationError(reason, code=check.key)

            form_field.validators.append(validate)

    configure_carrier_form = configure_form
