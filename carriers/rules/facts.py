"""Fact constructors, and the facts several carrier types share (domain.md, common fact keys)."""

from decimal import Decimal

from .base import FactSpec

RATIO_HELP = "以 0 到 1 之间的小数填写，例如 0.9 表示 90%。"
CITY_CHOICES = (("beijing", "北京市"), ("guangzhou", "广州市"), ("other", "其他城市"))


def flag(key: str, label: str, help_text: str = "") -> FactSpec:
    """A yes/no fact; the label is the question (是否……)."""
    return FactSpec(key, label, "bool", help_text=help_text)


def count(key: str, label: str, unit: str, help_text: str = "") -> FactSpec:
    """A whole number of enterprises, people, visits or activities (≥ 0)."""
    return FactSpec(key, label, "int", min_value=0, unit=unit, help_text=help_text)


def area(key: str, label: str, help_text: str = "") -> FactSpec:
    """A floor area in square metres (≥ 0)."""
    return FactSpec(key, label, "decimal", min_value=Decimal(0), unit="平方米", help_text=help_text)


def money(key: str, label: str, help_text: str = "") -> FactSpec:
    """An amount in yuan (≥ 0)."""
    return FactSpec(key, label, "decimal", min_value=Decimal(0), unit="元", help_text=help_text)


def ratio(key: str, label: str, help_text: str = RATIO_HELP) -> FactSpec:
    """A share or rate between 0 and 1."""
    return FactSpec(key, label, "ratio", help_text=help_text)


def day(key: str, label: str, help_text: str = "") -> FactSpec:
    return FactSpec(key, label, "date", help_text=help_text)


def service_functions(names: tuple[str, ...], help_text: str = "") -> FactSpec:
    """The service functions the applicant offers, chosen from the type's list."""
    return FactSpec("service_functions", "服务功能", "service_functions",
                    choices=tuple((name, name) for name in names), help_text=help_text)


LEGAL_PERSON = flag("legal_person", "是否具有独立法人资格")
REGISTERED_CITY = FactSpec("registered_city", "注册地", "choice", choices=CITY_CHOICES,
                           help_text="以营业执照（登记证书）所载住所为准。")
ESTABLISHED_ON = day("established_on", "成立日期", help_text="以营业执照（登记证书）所载成立日期为准。")
SERIOUS_DISHONESTY = flag("serious_dishonesty", "单位或法定代表人是否存在司法、行政机关认定的严重失信行为")
CRIMINAL_OR_SERIOUS_ADMIN_PENALTY_2Y = flag(
    "criminal_or_serious_admin_penalty_2y", "申请受理截止日期前两年内，单位或法定代表人是否受到刑事及严重行政处罚")
PROVIDES_FREE_SERVICES = flag("provides_free_services", "是否面向中小企业提供一定的公益性免费服务")
QUALIFIED_STAFF = count("qualified_staff", "本科及以上学历和中级及以上技术职称人员", "名",
                        help_text="为中小（小微）企业服务的人员中具有本科及以上学历和中级及以上技术职称的人数。")
