"""Scheduled sweeps of the application stage (registered in portal.sweeps).

- ``revoke_gz_without_re_review``: GZ stations whose three years ended without a 复核 (四（三）5);
- ``open_close_rounds``: tell the city's applicant units a round opened, and the district officers
  that its applicant deadline passed — once each (Round.opened_notified_at / closed_notified_at).

Each is ``f(today, dry_run) -> {"counts": ..., "ids": ...}``, set-based and idempotent.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from carriers import lifecycle
from carriers.models import Carrier
from portal.notifications import notify

from .models import Application, ApplicationState, Round

logger = logging.getLogger("applications.sweeps")
GZ_STATION = "gz_service_station"
NOT_FILED = (ApplicationState.DRAFT, ApplicationState.WITHDRAWN, ApplicationState.REJECTED)


def gz_stations_without_re_review(today: datetime.date):
    """GZ service stations in force whose validity ended before ``today`` and that filed no 复核.

    《广州市民营和中小企业服务站建设工作指引》四（二）: in its third year a station files its re-review with
    that year's round (the round of the year its validity ends); 四（三）5: not filing revokes. Filed means
    an application of the same type by the same unit in that round that is live and past draft (a rejected
    re-review is revoked by the review itself). While that round still takes applications (closes_on not
    passed) the station may still file: it is not revoked yet.
    """
    year = ExtractYear(OuterRef("valid_until"))
    filed = Application.objects.filter(
        organisation_id=OuterRef("organisation_id"), carrier_type_id=OuterRef("carrier_type_id"), round__year=year,
    ).exclude(state__in=NOT_FILED)
    round_still_open = Round.objects.filter(carrier_type_id=OuterRef("carrier_type_id"), year=year,
                                            closes_on__gte=today)
    return (Carrier.objects.holding_title()
            .filter(carrier_type__code=GZ_STATION, valid_until__lt=today)
            .filter(~Exists(filed), ~Exists(round_still_open))
            .order_by("valid_until", "pk"))


def revoke_gz_without_re_review(today: datetime.date, dry_run: bool) -> dict:
    """撤销 on ground 5 (三年期满不申请复核), through carriers.lifecycle.revoke; runs before expire_carriers."""
    candidates = list(gz_stations_without_re_review(today).values_list("pk", "valid_until"))
    revoked = []
    for pk, valid_until in candidates:
        if dry_run:
            revoked.append(pk)
            continue
        try:
            reason = f"有效期于{valid_until:%Y年%m月%d日}届满，未在{valid_until.year}年度申报中申请复核"
            with transaction.atomic():
                carrier = lifecycle.revoke(pk, "no_re_review", None, today, reason)
                lifecycle.notify_unit_of_revocation(carrier, f"{reason}。")
        except lifecycle.LifecycleRefused as refused:  # changed meanwhile (a decision by the city): leave it
            logger.info("服务站 %s 未撤销：%s", pk, refused.message)
            continue
        revoked.append(pk)
    return {"counts": {"revoked": len(revoked)}, "ids": {"revoked": revoked}}


def open_close_rounds(today: datetime.date, dry_run: bool) -> dict:
    """开始申报 (on opens_on, while the round is open) and 申报截止 (after closes_on, before the district deadline)."""
    opening = list(Round.objects.filter(opens_on__lte=today, closes_on__gte=today, opened_notified_at__isnull=True)
                   .select_related("carrier_type").order_by("opens_on", "pk"))
    closing = list(Round.objects.filter(closes_on__lt=today, district_deadline__gte=today,
                                        closed_notified_at__isnull=True)
                   .select_related("carrier_type").order_by("closes_on", "pk"))
    opened, closed = [], []
    for round_ in opening:
        if dry_run or _announce_opening(round_):
            opened.append(round_.pk)
    for round_ in closing:
        if dry_run or _announce_closing(round_):
            closed.append(round_.pk)
    return {"counts": {"opened": len(opened), "closed": len(closed)}, "ids": {"opened": opened, "closed": closed}}


def _claim(round_, field: str) -> bool:
    """Mark the round as announced; False when another run did it first (conditional UPDATE)."""
    return bool(Round.objects.filter(pk=round_.pk, **{f"{field}__isnull": True}).update(**{field: timezone.now()}))


def _announce_opening(round_) -> bool:
    with transaction.atomic():
        if not _claim(round_, "opened_notified_at"):
            return False
        units = User.objects.filter(role=Role.APPLICANT, is_active=True,
                                    organisation__district__city=round_.carrier_type.city)
        notify(units, f"申报开始：{round_.title}",
               f"{round_.carrier_type.name}{round_.year}年度申报已开始，申报时间为{round_.opens_on:%Y年%m月%d日}至"
               f"{round_.closes_on:%Y年%m月%d日}24时。请符合条件的单位在申报期内在线填报。",
               reverse("applications:round_detail", kwargs={"pk": round_.pk}))
    return True


def _announce_closing(round_) -> bool:
    with transaction.atomic():
        if not _claim(round_, "closed_notified_at"):
            return False
        waiting = dict(Application.objects.filter(round=round_, state=ApplicationState.DISTRICT_REVIEW)
                       .values_list("district_id").annotate(n=Count("pk")).values_list("district_id", "n"))
        officers = User.objects.filter(role=Role.DISTRICT_OFFICER, is_active=True,
                                       district__city=round_.carrier_type.city)
        by_district = {}
        for officer in officers:
            by_district.setdefault(officer.district_id, []).append(officer)
        for district_id, people in by_district.items():
            notify(people, f"申报已截止：{round_.title}",
                   f"{round_.carrier_type.name}{round_.year}年度申报已于{round_.closes_on:%Y年%m月%d日}截止，"
                   f"本区待初审的申报 {waiting.get(district_id, 0)} 份，"
                   f"请于{round_.district_deadline:%Y年%m月%d日}前完成初审并报送推荐名单。",
                   reverse("reviews:district_queue"))
    return True
