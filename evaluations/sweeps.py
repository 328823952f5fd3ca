"""Scheduled: after a campaign's self-assessment deadline, carriers that did not take part fail.

Not taking part counts as failing: BJ station 第二十条（一） and BJ platform/base 第十三条 (视同不合格)
revoke on ``missed_evaluation``; a GZ station that 无故不参加年度考核 is revoked on ``assessment_failed``
(四（三）6). Each revocation goes through carriers.lifecycle.revoke (row lock, CarrierEvent) and leaves a
SelfAssessment with result ``missed`` as the record of the evaluation; the unit is notified.

Set-based: one query lists the (campaign, carrier) candidates of every due campaign. Idempotent: a due
campaign is processed once (``processed_at``), and a revoked carrier is no longer a candidate. Safe if two
run at once: the due campaigns are locked (skip_locked) and revoke() refuses a carrier already revoked.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from carriers import lifecycle
from carriers.eligibility import today_in_china

from .forms import REGISTRY
from .models import EvaluationCampaign, Result, SelfAssessment

logger = logging.getLogger("evaluations.sweeps")
MISSED_COMMENT = "未在自评截止日期前提交绩效自评，视同评价不合格"


def _due_campaigns(today: datetime.date):
    return EvaluationCampaign.objects.filter(processed_at__isnull=True, self_assessment_deadline__lt=today,
                                             carrier_type__code__in=REGISTRY)


def _candidates(campaign_ids) -> list[tuple[int, int, str]]:
    """(campaign id, carrier id, type code): carriers in force since before the deadline, nothing submitted."""
    submitted = SelfAssessment.objects.filter(campaign_id=OuterRef("pk"), carrier_id=OuterRef("carrier_type__carriers"),
                                              submitted_at__isnull=False)
    return list(
        EvaluationCampaign.objects.filter(
            pk__in=campaign_ids, carrier_type__carriers__status__in=lifecycle.IN_FORCE,
            carrier_type__carriers__valid_from__lte=F("self_assessment_deadline"))
        .annotate(took_part=Exists(submitted)).filter(took_part=False)
        .order_by("pk", "carrier_type__carriers")
        .values_list("pk", "carrier_type__carriers", "carrier_type__code")
    )


def fail_missing_self_assessments(today: datetime.date | None = None, dry_run: bool = False) -> dict:
    """Fail and revoke the carriers with no submitted self-assessment in the campaigns due before ``today``.

    Returns ``{"counts": {...}, "ids": {...}}``: the campaigns processed, the carriers revoked (or that
    would be, in a dry run) and those skipped because their title had already ended.
    """
    today = today or today_in_china()
    result = {"counts": {"campaigns": 0, "revoked": 0, "skipped": 0},
              "ids": {"campaigns": [], "revoked": [], "skipped": []}}
    with transaction.atomic():
        due = _due_campaigns(today).order_by("pk")
        if not dry_run:
            due = due.select_for_update(skip_locked=True, of=("self",))
        campaign_ids = list(due.values_list("pk", flat=True))
        pairs = _candidates(campaign_ids)
        result["ids"]["campaigns"] = campaign_ids
        if dry_run:
            result["ids"]["revoked"] = sorted({carrier_pk for _, carrier_pk, _ in pairs})
        else:
            _fail(pairs, today, result)
            EvaluationCampaign.objects.filter(pk__in=campaign_ids, processed_at__isnull=True).update(
                processed_at=timezone.now())
    for key, ids in result["ids"].items():
        result["counts"][key] = len(ids)
    if not dry_run and campaign_ids:
        logger.info("missed self-assessments: %s", result["counts"])
    return result


def _fail(pairs, today, result):
    now = timezone.now()
    done = set()
    for campaign_pk, carrier_pk, code in pairs:
        if carrier_pk in done:  # in force for two due campaigns: revoked once, on the first
            continue
        done.add(carrier_pk)
        try:
            with transaction.atomic():
                carrier = lifecycle.revoke(carrier_pk, REGISTRY[code].missed_ground, None, today, MISSED_COMMENT)
                SelfAssessment.objects.update_or_create(
                    campaign_id=campaign_pk, carrier_id=carrier_pk,
                    defaults={"result": Result.MISSED, "city_comment": MISSED_COMMENT, "reviewed_at": now,
                              "reviewed_by": None})
                lifecycle.notify_unit_of_revocation(carrier, f"{MISSED_COMMENT}。")
        except lifecycle.LifecycleRefused:
            result["ids"]["skipped"].append(carrier_pk)
        else:
            result["ids"]["revoked"].append(carrier_pk)


SELF_ASSESSMENT_REMINDER_DAYS = 14
SELF_ASSESSMENT_REMINDER_ACTION = "self_assessment_reminder"


def self_assessment_reminders(today: datetime.date, dry_run: bool) -> dict:
    """自评提醒: a campaign's deadline within 14 days and nothing submitted: the unit is told once per campaign."""
    from django.urls import reverse

    from accounts.models import Role, User
    from carriers.models import Carrier, CarrierEvent
    from portal.notifications import notify

    campaigns = EvaluationCampaign.objects.filter(
        carrier_type__code__in=REGISTRY, self_assessment_deadline__gte=today,
        self_assessment_deadline__lte=today + datetime.timedelta(days=SELF_ASSESSMENT_REMINDER_DAYS))
    pairs = _candidates(campaigns.values("pk"))
    told = set(CarrierEvent.objects.filter(carrier__in={c for _, c, _ in pairs},
                                           action=SELF_ASSESSMENT_REMINDER_ACTION)
               .values_list("carrier_id", "new_values__campaign"))
    pairs = [(camp, carrier) for camp, carrier, _ in pairs if (carrier, camp) not in told]
    ids = sorted({carrier for _, carrier in pairs})
    if dry_run or not pairs:
        return {"counts": {"reminded": len(pairs)}, "ids": {"reminded": ids}}
    carriers = Carrier.objects.in_bulk(ids)
    deadlines = dict(campaigns.values_list("pk", "self_assessment_deadline"))
    members = {}
    for user in User.objects.filter(role=Role.APPLICANT, is_active=True,
                                    organisation_id__in={c.organisation_id for c in carriers.values()}):
        members.setdefault(user.organisation_id, []).append(user)
    with transaction.atomic():
        CarrierEvent.objects.bulk_create([
            CarrierEvent(carrier=carriers[carrier], action=SELF_ASSESSMENT_REMINDER_ACTION,
                         from_status=carriers[carrier].status, to_status=carriers[carrier].status,
                         comment=f"绩效自评截止{deadlines[camp]:%Y年%m月%d日}，已提醒运营单位",
                         new_values={"campaign": camp}, decided_on=today)
            for camp, carrier in pairs
        ])
        for camp, carrier_pk in pairs:
            carrier = carriers[carrier_pk]
            notify(members.get(carrier.organisation_id, []), f"请按时提交绩效自评：{carrier.name}",
                   f"{carrier.name}的年度绩效自评截止日期为{deadlines[camp]:%Y年%m月%d日}，逾期未提交视同不合格。",
                   reverse("evaluations:mine"))
    return {"counts": {"reminded": len(pairs)}, "ids": {"reminded": ids}}



RECTIFICATION_OVERDUE_ACTION = "rectification_overdue"


def rectification_overdue_reminders(today: datetime.date, dry_run: bool) -> dict:
    """整改期满: a GZ station still rectifying after its deadline awaits the city's one re-assessment (四（三）6).

    Nothing changes by itself (only a failed re-assessment revokes); the city's reviewers are told once per
    self-assessment, with a link to its review page.
    """
    from django.urls import reverse

    from accounts.models import Role, User
    from carriers.models import Carrier, CarrierEvent
    from portal.notifications import notify

    due = list(
        SelfAssessment.objects.filter(result=Result.FAILED, rectification_until__lt=today,
                                      reassessment_result="", carrier__status=Carrier.Status.RECTIFYING)
        .select_related("carrier__carrier_type")
        .order_by("pk")
    )
    told = set(CarrierEvent.objects.filter(action=RECTIFICATION_OVERDUE_ACTION, carrier__in={a.carrier_id for a in due})
               .values_list("new_values__assessment", flat=True))
    overdue = [a for a in due if a.pk not in told]
    ids = sorted({assessment.carrier_id for assessment in overdue})
    if dry_run or not overdue:
        return {"counts": {"reminded": len(overdue)}, "ids": {"reminded": ids}}
    reviewers = {}
    for user in User.objects.filter(role=Role.CITY_REVIEWER, is_active=True,
                                    city__in={a.carrier.carrier_type.city for a in overdue}):
        reviewers.setdefault(user.city, []).append(user)
    with transaction.atomic():
        CarrierEvent.objects.bulk_create([
            CarrierEvent(carrier=a.carrier, action=RECTIFICATION_OVERDUE_ACTION, from_status=a.carrier.status,
                         to_status=a.carrier.status, decided_on=today, new_values={"assessment": a.pk},
                         comment=f"整改期限{a.rectification_until:%Y年%m月%d日}已到，待整改后考核")
            for a in overdue
        ])
        for a in overdue:
            notify(reviewers.get(a.carrier.carrier_type.city, []), f"整改期满待考核：{a.carrier.name}",
                   f"{a.carrier.name}（{a.carrier.number}）的整改期限{a.rectification_until:%Y年%m月%d日}已到，"
                   "请组织整改后考核；整改后考核结果仍为“不合格”的，撤销其服务站资格（四（三）6）。",
                   reverse("evaluations:city_review", args=[a.pk]))
    return {"counts": {"reminded": len(overdue)}, "ids": {"reminded": ids}}
