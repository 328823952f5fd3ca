"""Who may start or submit an application: the filing guards, each with its message."""

import datetime

from carriers.models import Carrier
from carriers.rules import get_rules

from .models import Application, Round


def re_review_of(carrier, round_: Round):
    """The carrier this round re-reviews (复核), when its type re-reviews in the final year and this is that year."""
    if carrier is None or not get_rules(carrier.carrier_type.code).re_review_in_final_year:
        return None
    if carrier.valid_until is None or carrier.valid_until.year != round_.year:
        return None
    return carrier


def holding_carrier(organisation, carrier_type):
    return Carrier.objects.holding_title().filter(organisation=organisation, carrier_type=carrier_type).first()


def filing_problems(organisation, round_: Round, day: datetime.date, *, exclude_pk=None) -> list[str]:
    """Plain-Chinese reasons why ``organisation`` may not file in ``round_`` on ``day``; empty when it may."""
    carrier_type = round_.carrier_type
    problems = []
    if not carrier_type.publicly_applicable or not carrier_type.active:
        problems.append(f"{carrier_type.name}不接受公开申报。")
    if organisation.district.city != carrier_type.city:
        problems.append(
            f"贵单位注册在{organisation.district.get_city_display()}，不能申报{carrier_type.get_city_display()}的"
            f"{carrier_type.name}。"
        )
    if not round_.is_open(day):
        problems.append(
            f"“{round_.title}”的申报期为{round_.opens_on:%Y年%m月%d日}至{round_.closes_on:%Y年%m月%d日}，当前不在申报期内。"
        )
    live = Application.objects.live().filter(organisation=organisation, carrier_type=carrier_type, round=round_)
    if exclude_pk:
        live = live.exclude(pk=exclude_pk)
    if live.exists():
        problems.append("贵单位在本批次已有一份该类型的申报，不能重复申报；如需重新填报，请先撤回原申报。")
    holding = holding_carrier(organisation, carrier_type)
    if holding and re_review_of(holding, round_) is None:
        problems.append(f"贵单位已持有有效的“{carrier_type.name}”称号（{holding.number}），不能重复申报。")
    banned = Carrier.objects.banning_on(day).filter(organisation=organisation, carrier_type=carrier_type).first()
    if banned:
        problems.append(
            f"贵单位的“{carrier_type.name}”称号已于{banned.revoked_on:%Y年%m月%d日}被撤销"
            f"（{banned.revocation_ground}），{banned.ban_until:%Y年%m月%d日}前不得再次申报。"
        )
    return problems
