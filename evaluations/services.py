"""What the annual evaluation does: save and submit a self-assessment, the district's opinion, the city's
review with its outcome on the carrier, and GZ rectification (整改) with its one re-assessment.

Every step locks its row and runs in one transaction; the carrier's status changes only through
carriers.lifecycle (revoke, extend, record).
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from carriers import lifecycle
from carriers.eligibility import today_in_china
from carriers.models import Carrier
from portal.notifications import notify

from .forms import GRADED, PASS_EXTENDS, PASS_RECTIFY, kind_of
from .models import EvaluationCampaign, Grade, Result, SelfAssessment

__all__ = ["EvaluationRefused", "add_district_opinion", "end_rectification", "reassess", "review",
           "save_self_assessment", "start_rectification", "today_in_china"]


class EvaluationRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def deadline_passed(campaign: EvaluationCampaign, today: datetime.date | None = None) -> bool:
    """The deadline day itself still counts (Asia/Shanghai date, decided on the server)."""
    return (today or today_in_china()) > campaign.self_assessment_deadline


def _deadline_text(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def save_self_assessment(campaign, carrier, data: dict, user, *, submit: bool,
                         today: datetime.date | None = None) -> SelfAssessment:
    """暂存 (submit=False) or 提交 the self-assessment of ``carrier`` in ``campaign`` before the deadline."""
    if deadline_passed(campaign, today):
        raise EvaluationRefused(
            f"自评截止日期（{_deadline_text(campaign.self_assessment_deadline)}）已过，不能再暂存或提交自评。")
    if carrier.carrier_type_id != campaign.carrier_type_id:
        raise EvaluationRefused("该载体不属于本次绩效评价的载体类型。")
    with transaction.atomic():
        locked = Carrier.objects.select_for_update().filter(pk=carrier.pk).values_list("status", flat=True).first()
        if locked not in lifecycle.IN_FORCE:
            raise EvaluationRefused("该载体称号已不在有效期内，无需参加绩效评价。")
        assessment, _ = SelfAssessment.objects.select_for_update().get_or_create(campaign=campaign, carrier=carrier)
        if assessment.submitted_at or assessment.result:
            raise EvaluationRefused("自评已提交，不能再修改。")
        assessment.data = data
        fields = ["data", "updated_at"]
        if submit:
            assessment.submitted_at = timezone.now()
            assessment.submitted_by = user
            fields += ["submitted_at", "submitted_by"]
        assessment.save(update_fields=fields)
    return assessment


def _locked_assessment(pk) -> SelfAssessment:
    assessment = SelfAssessment.objects.select_for_update(of=("self",)).select_related(
        "campaign__carrier_type", "carrier").filter(pk=pk).first()
    if assessment is None:
        raise EvaluationRefused("未找到该自评。")
    return assessment


def add_district_opinion(pk, officer, opinion: str) -> SelfAssessment:
    """第十八条: the district officer of the station's district records its tracking opinion before the review."""
    with transaction.atomic():
        assessment = _locked_assessment(pk)
        kind = kind_of(assessment.campaign.carrier_type.code)
        if kind is None or not kind.district_opinion:
            raise EvaluationRefused("该类载体的绩效评价不需要区级跟踪意见。")
        if assessment.carrier.district_id != officer.district_id:
            raise EvaluationRefused("只能对本区服务站填写跟踪意见。")
        if not assessment.submitted_at:
            raise EvaluationRefused("服务站尚未提交自评。")
        if assessment.result:
            raise EvaluationRefused("市级已完成复核，不能再修改区级跟踪意见。")
        assessment.district_opinion = opinion.strip()
        assessment.district_opinion_by = officer
        assessment.district_opinion_at = timezone.now()
        assessment.save(update_fields=["district_opinion", "district_opinion_by", "district_opinion_at", "updated_at"])
    return assessment


# --- GZ rectification (四（三）6) ---


def _locked_carrier(carrier_pk) -> Carrier:
    carrier = Carrier.objects.select_for_update(of=("self",)).select_related("carrier_type").filter(
        pk=carrier_pk).first()
    if carrier is None:
        raise EvaluationRefused("未找到该服务载体。")
    return carrier


def start_rectification(carrier_pk, until: datetime.date, actor, decided_on: datetime.date,
                        comment: str = "") -> Carrier:
    """整改: a GZ station that failed its annual 考核 goes active → rectifying until ``until`` (四（三）6)."""
    with transaction.atomic():
        carrier = _locked_carrier(carrier_pk)
        if carrier.status != Carrier.Status.ACTIVE:
            raise EvaluationRefused(f"该载体当前状态为“{carrier.get_status_display()}”，不能责令整改。")
        from_status = carrier.status
        carrier.status = Carrier.Status.RECTIFYING
        carrier.save(update_fields=["status"])
        lifecycle.record(carrier, "rectify", from_status, actor=actor, decided_on=decided_on,
                         ground="四（三）6 年度考核不合格，限期整改", comment=comment,
                         new={"rectification_until": until.isoformat()})
    return carrier


def end_rectification(carrier_pk, actor, decided_on: datetime.date, comment: str = "") -> Carrier:
    """The re-assessment after rectification passed: rectifying → active."""
    with transaction.atomic():
        carrier = _locked_carrier(carrier_pk)
        if carrier.status != Carrier.Status.RECTIFYING:
            raise EvaluationRefused(f"该载体当前状态为“{carrier.get_status_display()}”，不在整改中。")
        carrier.status = Carrier.Status.ACTIVE
        carrier.save(update_fields=["status"])
        lifecycle.record(carrier, "rectified", Carrier.Status.RECTIFYING, actor=actor, decided_on=decided_on,
                         ground="四（三）6 整改后年度考核合格", comment=comment)
    return carrier


# --- the city's review (复核) ---


def review(pk, actor, cleaned: dict, decided_on: datetime.date | None = None) -> SelfAssessment:
    """复核 one submitted self-assessment and apply the type's outcome to the carrier.

    BJ platform/base (第十四条): 不合格 revokes (no ban), 一般 keeps the title without funds, 较好 is funded
    by tier. BJ station (第十七、十九条): pass extends the validity a year, fail revokes. GZ (四（三）6):
    不合格 puts the station into rectification with one re-assessment to follow.
    """
    decided_on = decided_on or today_in_china()
    try:
        with transaction.atomic():
            assessment = _locked_assessment(pk)
            if not assessment.submitted_at:
                raise EvaluationRefused("该载体尚未提交自评，不能复核。")
            if assessment.result:
                raise EvaluationRefused("该自评已复核，不能重复复核。")
            campaign, carrier = assessment.campaign, assessment.carrier
            kind = kind_of(campaign.carrier_type.code)
            comment = (cleaned.get("comment") or "").strip()
            reason = f"{campaign.title}：" + (comment or "复核")
            fields = ["result", "city_comment", "reviewed_by", "reviewed_at", "updated_at"]
            if kind.scheme == GRADED:
                assessment.grade = cleaned["grade"]
                assessment.stars = cleaned.get("stars")
                assessment.funding_tier = cleaned.get("funding_tier") or ""
                fields += ["grade", "stars", "funding_tier"]
                failed = assessment.grade == Grade.UNQUALIFIED
                assessment.result = Result.FAILED if failed else Result.PASSED
                if failed:
                    lifecycle.revoke(carrier.pk, kind.failed_ground, actor, decided_on, reason)
            elif kind.scheme == PASS_EXTENDS:
                assessment.result = cleaned["result"]
                if assessment.result == Result.PASSED:
                    base = _locked_carrier(carrier.pk).valid_until or decided_on
                    lifecycle.extend(carrier.pk, base + relativedelta(years=1), actor, decided_on,
                                     f"{campaign.title}合格，有效期延续一年（第十七条）")
                else:
                    lifecycle.revoke(carrier.pk, kind.failed_ground, actor, decided_on, reason)
            elif kind.scheme == PASS_RECTIFY:
                assessment.result = cleaned["result"]
                if assessment.result == Result.FAILED:
                    assessment.rectification_until = cleaned["rectification_until"]
                    fields.append("rectification_until")
                    start_rectification(carrier.pk, assessment.rectification_until, actor, decided_on, reason)
            assessment.city_comment = comment
            assessment.reviewed_by = actor
            assessment.reviewed_at = timezone.now()
            assessment.save(update_fields=fields)
            _tell_the_unit(assessment, f"{campaign.title}复核结果：{assessment.status_label}")
    except lifecycle.LifecycleRefused as refused:
        raise EvaluationRefused(refused.message) from None
    return assessment


def reassess(pk, actor, cleaned: dict, decided_on: datetime.date | None = None) -> SelfAssessment:
    """The one re-assessment of a GZ station after rectification: pass → active, fail → revoked (四（三）6)."""
    decided_on = decided_on or today_in_china()
    try:
        with transaction.atomic():
            assessment = _locked_assessment(pk)
            if not assessment.awaiting_reassessment:
                raise EvaluationRefused("该自评不在整改待考核状态，不能进行整改后考核。")
            comment = (cleaned.get("comment") or "").strip()
            reason = f"{assessment.campaign.title}整改后考核：" + (comment or "复核")
            assessment.reassessment_result = cleaned["result"]
            if assessment.reassessment_result == Result.PASSED:
                end_rectification(assessment.carrier_id, actor, decided_on, reason)
            else:
                kind = kind_of(assessment.campaign.carrier_type.code)
                lifecycle.revoke(assessment.carrier_id, kind.failed_ground, actor, decided_on, reason)
            assessment.reassessment_comment = comment
            assessment.reassessed_by = actor
            assessment.reassessed_at = timezone.now()
            assessment.save(update_fields=["reassessment_result", "reassessment_comment", "reassessed_by",
                                           "reassessed_at", "updated_at"])
            _tell_the_unit(assessment, f"{assessment.campaign.title}整改后考核结果："
                                       f"{assessment.get_reassessment_result_display()}")
    except lifecycle.LifecycleRefused as refused:
        raise EvaluationRefused(refused.message) from None
    return assessment


def _tell_the_unit(assessment, title: str):
    from django.urls import reverse

    users = User.objects.filter(role=Role.APPLICANT, organisation_id=assessment.carrier.organisation_id,
                                is_active=True)
    url = reverse("evaluations:fill", kwargs={"campaign_pk": assessment.campaign_id,
                                               "carrier_pk": assessment.carrier_id})
    notify(users, f"{assessment.carrier.name}：{title}", assessment.city_comment, url)


# The evaluation lists' exports (portal.exports): the columns on screen.
ASSESSMENT_EXPORT_COLUMNS = [
    ("载体名称", "carrier.name"),
    ("载体编号", "carrier.number"),
    ("运营单位", "carrier.organisation.name"),
    ("所属区", "carrier.district.name"),
    ("评价批次", "campaign.title"),
    ("提交时间", "submitted_at"),
    ("区级跟踪意见", lambda a: "已填写" if a.district_opinion_at else ""),
    ("结果", "status_label"),
]
CAMPAIGN_EXPORT_COLUMNS = [
    ("评价批次", "title"),
    ("年度", "year"),
    ("载体类型", "carrier_type.name"),
    ("自评截止日期", "self_assessment_deadline"),
    ("复核截止日期", "review_deadline"),
    ("已提交自评", "submitted"),
    ("已出结果", "reviewed"),
]
