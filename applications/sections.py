"""The declaration's sections: each knows its form, its initial data and how it saves.

The type's facts section is built from the type's rules module, so a new
carrier type needs no change here.
"""

from dataclasses import dataclass

from carriers.eligibility import facts_from_document, facts_to_document
from carriers.forms import facts_form_class

from .section_forms import BasicInfoForm, CarrierInfoForm, LiaisonForm


@dataclass(frozen=True)
class Section:
    key: str
    title: str

    def form_class(self, application, rules):
        raise NotImplementedError

    def initial(self, application) -> dict:
        raise NotImplementedError

    def save(self, application, cleaned: dict) -> list[str]:
        raise NotImplementedError

    def bound_form(self, application, rules, data):
        """The section's form bound to submitted (or kept draft) input."""
        return self._make(self.form_class(application, rules), application, rules, data=data)

    def completeness_form(self, application, rules):
        """A form bound to the stored values, as strict as a submission requires."""
        return self._make(self.complete_form_class(application, rules), application, rules,
                          data=self.stored_data(application, rules))

    def complete_form_class(self, application, rules):
        return self.form_class(application, rules)

    def unbound_form(self, application, rules):
        return self._make(self.form_class(application, rules), application, rules,
                          initial=self.initial(application))

    def stored_data(self, application, rules) -> dict:
        """The stored values in the shape a bound form expects."""
        return {name: _as_form_value(value) for name, value in self.initial(application).items()}

    def _make(self, form_class, application, rules, **kwargs):
        return form_class(**kwargs)


def _as_form_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


@dataclass(frozen=True)
class ModelSection(Section):
    """A section editing columns of the application with a ModelForm."""

    form: type = None

    def form_class(self, application, rules):
        return self.form

    def initial(self, application) -> dict:
        return {name: getattr(application, name) for name in self.form._meta.fields}

    def save(self, application, cleaned: dict) -> list[str]:
        for name in self.form._meta.fields:
            setattr(application, name, cleaned[name])
        return list(self.form._meta.fields)

    def stored_data(self, application, rules) -> dict:
        return {name: "" if value is None else str(value) for name, value in self.initial(application).items()}

    def _make(self, form_class, application, rules, **kwargs):
        """The type's submission checks (e.g. 第四条 服务站 name) apply to the fields they name."""
        form = form_class(**kwargs)
        rules.configure_form(form)
        return form


@dataclass(frozen=True)
class FactsSection(Section):
    """申报条件: the type's facts, from its rules module."""

    def form_class(self, application, rules):
        return facts_form_class(rules)

    def complete_form_class(self, application, rules):
        """A declaration answers every fact; saving a part of them is allowed."""
        return facts_form_class(rules, required=True)

    def initial(self, application) -> dict:
        return facts_from_document(application.facts, rules=None)

    def save(self, application, cleaned: dict) -> list[str]:
        application.facts = facts_to_document({k: v for k, v in cleaned.items() if v is not None})
        return ["facts"]


SECTIONS = (
    ModelSection("basic", "基本信息", form=BasicInfoForm),
    FactsSection("facts", "申报条件"),
    ModelSection("carrier", "载体名称与服务方案", form=CarrierInfoForm),
    ModelSection("liaison", "联络员", form=LiaisonForm),
)
SECTIONS_BY_KEY = {s.key: s for s in SECTIONS}


def next_section_key(key: str) -> str | None:
    keys = [s.key for s in SECTIONS]
    index = keys.index(key)
    return keys[index + 1] if index + 1 < len(keys) else None
