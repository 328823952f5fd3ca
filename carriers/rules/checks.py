"""Rule builders (thresholds, yes/no, city, age, service functions, bonuses) and submission-check builders.

Each builder returns a ``Rule`` whose messages name the value and the
threshold in plain Chinese; a type module only says which fact, which
threshold, which article and which kind.
"""

from collections.abc import Mapping
from datetime import date

from dateutil.relativedelta import relativedelta

from .base import NOT_APPLICABLE, FactSpec, Outcome, Rule, SubmissionCheck
from .facts import CITY_CHOICES


def _exact(threshold):
    """Thresholds compare exactly with Decimal facts: a float threshold is a mistake in a rules module."""
    if isinstance(threshold, float):
        raise TypeError(f"threshold {threshold!r} must be an int or a Decimal, not a float")
    return threshold


def _missing(*specs: FactSpec) -> Outcome:
    return Outcome(None, {"missing": "、".join(spec.label for spec in specs)})


def at_least(spec: FactSpec, threshold, *, article: str, kind: str = "hard") -> Rule:
    """``spec`` ≥ ``threshold``."""
    threshold = _exact(threshold)

    def check(facts: Mapping, as_of: date) -> Outcome:
        value = facts.get(spec.key)
        if value is None:
            return _missing(spec)
        return Outcome(value >= threshold, {"label": spec.label, "value": spec.display(value),
                                            "threshold": spec.display(threshold)})

    return Rule(spec.key, article, kind, check, facts=(spec.key,),
                passed_text="{label} {value}，达到不少于 {threshold}的要求",
                failed_text="{label} {value}，低于 {threshold}的要求")


def at_least_or_relaxed(spec: FactSpec, threshold, *, relaxed_by: FactSpec, relaxed_threshold, relaxed_note: str,
                        article: str, kind: str = "hard") -> Rule:
    """``spec`` ≥ ``threshold``, or ≥ ``relaxed_threshold`` when the ``relaxed_by`` flag is true.

    A missing flag counts as not claimed: the standard threshold applies.
    """
    threshold, relaxed_threshold = _exact(threshold), _exact(relaxed_threshold)

    def check(facts: Mapping, as_of: date) -> Outcome:
        value = facts.get(spec.key)
        if value is None:
            return _missing(spec)
        relaxed = facts.get(relaxed_by.key) is True
        applied = relaxed_threshold if relaxed else threshold
        return Outcome(value >= applied, {
            "label": spec.label, "value": spec.display(value), "threshold": spec.display(applied),
            "note": f"（{relaxed_note}）" if relaxed else "",
        })

    return Rule(spec.key, article, kind, check, facts=(spec.key, relaxed_by.key),
                passed_text="{label} {value}，达到不少于 {threshold}的要求{note}",
                failed_text="{label} {value}，低于 {threshold}的要求{note}")


def at_least_either(key: str, first: tuple[FactSpec, int], second: tuple[FactSpec, int], *, article: str,
                    kind: str = "hard") -> Rule:
    """One rule met when either fact reaches its threshold; missing only when both are missing."""
    (first_spec, first_min), (second_spec, second_min) = first, second
    first_min, second_min = _exact(first_min), _exact(second_min)

    def part(spec: FactSpec, minimum, value) -> str:
        if value is None:
            return f"{spec.label}未填写"
        return f"{spec.label} {spec.display(value)}（要求不少于 {spec.display(minimum)}）"

    def check(facts: Mapping, as_of: date) -> Outcome:
        one, other = facts.get(first_spec.key), facts.get(second_spec.key)
        if one is None and other is None:
            return Outcome(None, {"first": first_spec.label, "second": second_spec.label})
        passed = (one is not None and one >= first_min) or (other is not None and other >= second_min)
        parts = f"{part(first_spec, first_min, one)}；{part(second_spec, second_min, other)}"
        return Outcome(passed, {"parts": parts})

    return Rule(key, article, kind, check, facts=(first_spec.key, second_spec.key),
                passed_text="满足两项之一：{parts}",
                failed_text="两项均未达到：{parts}",
                missing_text="未填写：{first}、{second}（至少填写一项）")


def flag_is(spec: FactSpec, expected: bool, *, article: str, when_true: str, when_false: str,
            kind: str = "hard") -> Rule:
    """A yes/no fact must be ``expected``; the message says what the answer means."""

    def check(facts: Mapping, as_of: date) -> Outcome:
        value = facts.get(spec.key)
        if value is None:
            return _missing(spec)
        return Outcome(value is expected)

    passed_text, failed_text = (when_true, when_false) if expected else (when_false, when_true)
    return Rule(spec.key, article, kind, check, facts=(spec.key,), passed_text=passed_text, failed_text=failed_text)


def city_is(spec: FactSpec, city: str, *, article: str, kind: str = "hard") -> Rule:
    """Registered in ``city``; any other value is accepted as an answer and fails."""
    city_label = dict(CITY_CHOICES)[city]

    def check(facts: Mapping, as_of: date) -> Outcome:
        value = facts.get(spec.key)
        if value is None:
            return _missing(spec)
        return Outcome(value == city, {"value": spec.display(value), "city": city_label})

    return Rule(spec.key, article, kind, check, facts=(spec.key,),
                passed_text="注册地为{value}", failed_text="注册地为{value}，须注册在{city}")


def years_since(spec: FactSpec, years: int, *, article: str, kind: str = "hard") -> Rule:
    """At least ``years`` full years from ``spec`` to ``as_of``, by calendar anniversary.

    The anniversary is ``founded + relativedelta(years=n)``: a unit founded
    on 29 February reaches its anniversary on 28 February of a common year
    (2024-02-29 → two years on 2026-02-28).
    """

    def check(facts: Mapping, as_of: date) -> Outcome:
        founded = facts.get(spec.key)
        if founded is None:
            return _missing(spec)
        anniversary = founded + relativedelta(years=years)
        return Outcome(as_of >= anniversary, {
            "founded": spec.display(founded), "as_of": spec.display(as_of),
            "anniversary": spec.display(anniversary), "years": years,
        })

    return Rule(spec.key, article, kind, check, facts=(spec.key,),
                passed_text="成立于 {founded}，截至 {as_of} 已满 {years} 年",
                failed_text="成立于 {founded}，截至 {as_of} 成立不满 {years} 年（满 {years} 年之日为 {anniversary}）")


def service_function_minimum(spec: FactSpec, minimum: int, *, article: str, kind: str = "hard") -> Rule:
    """At least ``minimum`` of the type's service functions."""

    def check(facts: Mapping, as_of: date) -> Outcome:
        chosen = facts.get(spec.key)
        if chosen is None:
            return _missing(spec)
        return Outcome(len(chosen) >= minimum, {
            "count": len(chosen), "minimum": minimum, "chosen": spec.display(chosen),
            "options": "、".join(spec.choice_values),
        })

    return Rule(spec.key, article, kind, check, facts=(spec.key,),
                passed_text="具备 {count} 项服务功能（{chosen}），达到至少 {minimum} 项的要求",
                failed_text="具备 {count} 项服务功能，少于至少 {minimum} 项的要求（可选：{options}）")


def bonus_when_true(spec: FactSpec, *, article: str, message: str) -> Rule:
    """A passed bonus result when the flag is true; no result otherwise. Never changes ``eligible``."""

    def check(facts: Mapping, as_of: date) -> Outcome:
        return Outcome(True) if facts.get(spec.key) is True else NOT_APPLICABLE

    return Rule(spec.key, article, "bonus", check, facts=(spec.key,), passed_text=message, failed_text=message)


# --- submission checks: fields of the application, not eligibility facts ---


def required_text(field: str, label: str, *, article: str = "", help_text: str = "") -> SubmissionCheck:
    def problem(text: str) -> str | None:
        return None if text else f"请填写{label}"

    return SubmissionCheck(f"{field}_required", field, label, article, problem, help_text)


def ends_with(field: str, label: str, suffix: str, *, reason: str, article: str,
              help_text: str = "") -> SubmissionCheck:
    """The text ends with ``suffix``; ``reason`` is the message when it does not."""

    def problem(text: str) -> str | None:
        if not text:
            return f"请填写{label}"
        return None if text.endswith(suffix) else reason

    return SubmissionCheck(f"{field}_suffix", field, label, article, problem, help_text)


def mentions_all(field: str, label: str, parts: tuple[str, ...], *, article: str,
                 help_text: str = "") -> SubmissionCheck:
    """The text names each of ``parts`` (the contents the policy asks for, used as headings)."""

    def problem(text: str) -> str | None:
        if not text:
            return f"请填写{label}"
        missing = [part for part in parts if part not in text]
        if missing:
            return f"{label}应写明{'、'.join(parts)}等内容，尚未写明：{'、'.join(missing)}"
        return None

    return SubmissionCheck(f"{field}_contents", field, label, article, problem, help_text)
