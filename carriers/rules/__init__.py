"""Registry of carrier-type rules: ``carriers/rules/<code>.py`` declares ``RULES`` for type ``<code>``.

Adding a type is a new module here plus a fixture row; nothing else changes.
Helper modules (base, facts, checks) declare no ``RULES`` and are not types.
"""

import importlib
import pkgutil
import re
from functools import cache

from .base import FactSpec, TypeRules

__all__ = ["UnknownCarrierType", "all_rules", "fact_catalogue", "get_rules"]

CODE_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")


class UnknownCarrierType(LookupError):
    """No rules module for this carrier-type code."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(f"未知的载体类型：{code}")


def get_rules(code: str) -> TypeRules:
    """The rules of type ``code``; UnknownCarrierType when there is no such module."""
    if not isinstance(code, str) or not CODE_PATTERN.fullmatch(code):
        raise UnknownCarrierType(str(code))
    module_name = f"{__name__}.{code}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:
            raise UnknownCarrierType(code) from None
        raise
    rules = getattr(module, "RULES", None)
    if not isinstance(rules, TypeRules):
        raise UnknownCarrierType(code)
    if rules.code != code:
        raise ValueError(f"{module_name} declares rules for {rules.code!r}")
    return rules


def all_rules() -> dict[str, TypeRules]:
    """Every type module in this package, by code."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        try:
            found[info.name] = get_rules(info.name)
        except UnknownCarrierType:
            continue
    return found


@cache
def fact_catalogue() -> dict[str, FactSpec]:
    """Every fact key of every type; a key must have one kind everywhere (facts are shared keys)."""
    catalogue: dict[str, FactSpec] = {}
    for rules in all_rules().values():
        for spec in rules.facts:
            known = catalogue.setdefault(spec.key, spec)
            if known.kind != spec.kind:
                raise ValueError(f"fact {spec.key!r} is {known.kind} in one type and {spec.kind} in another")
    return catalogue
