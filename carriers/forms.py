"""Django forms built from a type's FactSpecs, for the self-check page and the applicant's declaration.

Cleaned data holds the same Python types as ``carriers.eligibility.parse_facts``:
bool, int, Decimal, date, str, list of service-function names; None = missing.
"""

from django import forms
from django.core.exceptions import ValidationError

from .rules.base import FactSpec, TypeRules

BOOL_CHOICES = [("", "请选择"), ("true", "是"), ("false", "否")]


def _is_true(value: str) -> bool:
    return value == "true"


class BoolSelect(forms.Select):
    """是/否 select that also shows a stored True/False (a saved declaration's initial) as its option."""

    def format_value(self, value):
        if isinstance(value, bool):
            value = "true" if value else "false"
        return super().format_value(value)


class RangeValidator:
    """The FactSpec's own range checks (shared with the JSON path) as a form validator."""

    def __init__(self, spec: FactSpec):
        self.spec = spec

    def __call__(self, value):
        errors = self.spec.range_errors(value)
        if errors:
            raise ValidationError(errors, code="out_of_range")


def _number_attrs(spec: FactSpec) -> dict:
    attrs = {"step": "1" if spec.kind == "int" else "any"}
    if spec.min_value is not None:
        attrs["min"] = str(spec.min_value)
    if spec.max_value is not None:
        attrs["max"] = str(spec.max_value)
    return attrs


def _label(spec: FactSpec) -> str:
    if spec.unit and spec.is_number:
        return f"{spec.label}（{spec.unit}）"
    return spec.label


def fact_field(spec: FactSpec, required: bool = False) -> forms.Field:
    """The form field of one fact; left empty, it is a missing fact (unless ``required``)."""
    common = {"label": _label(spec), "help_text": spec.help_text, "required": required}
    if spec.kind == "bool":
        return forms.TypedChoiceField(choices=BOOL_CHOICES, coerce=_is_true, empty_value=None, widget=BoolSelect,
                                      **common)
    if spec.kind == "int":
        return forms.IntegerField(widget=forms.NumberInput(attrs=_number_attrs(spec)),
                                  validators=[RangeValidator(spec)], **common)
    if spec.kind in ("decimal", "ratio"):
        return forms.DecimalField(widget=forms.NumberInput(attrs=_number_attrs(spec)),
                                  validators=[RangeValidator(spec)], **common)
    if spec.kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if spec.kind == "choice":
        return forms.TypedChoiceField(choices=[("", "请选择"), *spec.choices], empty_value=None, **common)
    if spec.kind == "service_functions":
        return forms.MultipleChoiceField(choices=spec.choices, widget=forms.CheckboxSelectMultiple, **common)
    return forms.CharField(empty_value=None, **common)


class FactsForm(forms.Form):
    """Base of the generated facts forms; ``rules`` is set by ``facts_form_class``."""

    rules: TypeRules

    def clean(self):
        cleaned = super().clean()
        for spec in self.rules.facts:
            if spec.kind == "service_functions" and cleaned.get(spec.key) is not None:
                cleaned[spec.key] = spec.canonical_functions(cleaned[spec.key])
        return cleaned

    def facts(self) -> dict:
        """The declared facts (missing ones left out), ready for ``evaluate`` or ``facts_to_document``."""
        return {key: value for key, value in self.cleaned_data.items() if value is not None}


def facts_form_class(rules: TypeRules, *, required: bool = False) -> type[FactsForm]:
    """A form class with one field per fact of ``rules``, named by the fact key.

    ``required=True`` makes every fact mandatory (a complete declaration);
    by default any fact may be left empty and is then missing.
    """
    attrs = {spec.key: fact_field(spec, required) for spec in rules.facts}
    attrs["rules"] = rules
    return type(f"FactsForm_{rules.code}", (FactsForm,), attrs)


class AsOfForm(forms.Form):
    """The day up to which years are counted on the self-check page (default: today)."""

    as_of = forms.DateField(
        label="成立年限计算截至", required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="一般为当年申报通知规定的申报截止日期；不填则按今天计算。",
    )
