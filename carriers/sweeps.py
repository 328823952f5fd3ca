"""Scheduled sweeps of the carriers app (registered in portal.sweeps): expiry and the 60-day reminder.

Each is ``f(today, dry_run) -> {"counts": ..., "ids": ...}``, selects its candidates
with one query and is idempotent.
"""

import datetime

from django.db import transaction
from django.urls import reverse

from . import lifecycle
from .models import Carrier, CarrierEvent

REMINDER_DAYS = 60
REMINDER_ACTION = "expiry_reminder"


def expire_carriers(today: datetime.date, dry_run: bool) -> dict:
    """到期: carriers in force whose validity ended before ``today`` (carriers.lifecycle.expire_due)."""
    ids = lifecycle.expire_due(today, dry_run=dry_run)
    return {"counts": {"expired": len(ids)}, "ids": {"expired": ids}}


def expiry_reminders(today: datetime.date, dry_run: bool) -> dict:
    """称号即将到期提醒: the unit of a carrier whose validity ends within 60 days is told once per validity.

    The reminder is recorded as a CarrierEvent (action ``expiry_reminder``) carrying the validity end it was
    about; after an extension the new end gets its own reminder in time.
    """
    from accounts.models import Role, User
    from portal.notifications import notify

    due = list(
        Carrier.objects.holding_title()
        .filter(valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=REMINDER_DAYS))
        .select_related("carrier_type").order_by("valid_until", "pk")
    )
    reminded = {
        (carrier_id, values.get("valid_until"))
        for carrier_id, values in CarrierEvent.objects.filter(
            carrier__in=[c.pk for c in due], action=REMINDER_ACTION).values_list("carrier_id", "new_values")
    }
    due = [c for c in due if (c.pk, c.valid_until.isoformat()) not in reminded]
    ids = [c.pk for c in due]
    if dry_run or not due:
        return {"counts": {"reminded": len(ids)}, "ids": {"reminded": ids}}
    recipients = {}
    for user in User.objects.filter(role=Role.APPLICANT, is_active=True,
                                    organisation_id__in={c.organisation_id for c in due}):
        recipients.setdefault(user.organisation_id, []).append(user)
    with transaction.atomic():
        CarrierEvent.objects.bulk_create([
            CarrierEvent(carrier=c, action=REMINDER_ACTION, from_status=c.status, to_status=c.status,
                         comment=f"有效期将于{c.valid_until:%Y年%m月%d日}届满，已提醒运营单位",
                         new_values={"valid_until": c.valid_until.isoformat()}, decided_on=today)
            for c in due
        ])
        for carrier in due:
            notify(recipients.get(carrier.organisation_id, []), f"“{carrier.name}”称号即将到期",
                   f"贵单位的{carrier.carrier_type.name}“{carrier.name}”（{carrier.number}）有效期至"
                   f"{carrier.valid_until:%Y年%m月%d日}，请留意延续、复核或年度评价的安排。",
                   reverse("carrier_detail", kwargs={"number": carrier.number}))
    return {"counts": {"reminded": len(ids)}, "ids": {"reminded": ids}}


REPORT_REMINDER_DAYS = 7
REPORT_REMINDER_ACTION = "report_reminder"


def report_reminders(today: datetime.date, dry_run: bool) -> dict:
    """报送提醒: a report due within 7 days and not yet submitted; the unit is told once per report period."""
    from accounts.models import Role, User
    from portal.notifications import notify

    from .reports import duty_rows, ensure_periods

    if not dry_run:
        ensure_periods(today)
    rows = list(duty_rows(Carrier.objects.holding_title(), today).filter(
        report_submitted_at__isnull=True,
        period_due_on__gte=today, period_due_on__lte=today + datetime.timedelta(days=REPORT_REMINDER_DAYS)))
    told = set(CarrierEvent.objects.filter(carrier__in={r.pk for r in rows}, action=REPORT_REMINDER_ACTION)
               .values_list("carrier_id", "new_values__period"))
    rows = [r for r in rows if (r.pk, r.period_id) not in told]
    ids = sorted({r.pk for r in rows})
    if dry_run or not rows:
        return {"counts": {"reminded": len(rows)}, "ids": {"reminded": ids}}
    members = {}
    for user in User.objects.filter(role=Role.APPLICANT, is_active=True,
                                    organisation_id__in={r.organisation_id for r in rows}):
        members.setdefault(user.organisation_id, []).append(user)
    with transaction.atomic():
        CarrierEvent.objects.bulk_create([
            CarrierEvent(carrier=r, action=REPORT_REMINDER_ACTION, from_status=r.status, to_status=r.status,
                         comment=f"{r.period_label}报送截止{r.period_due_on:%Y年%m月%d日}，已提醒运营单位",
                         new_values={"period": r.period_id}, decided_on=today)
            for r in rows
        ])
        for r in rows:
            notify(members.get(r.organisation_id, []), f"请按时报送：{r.name} {r.period_label}",
                   f"{r.name}的{r.period_label}报送截止日期为{r.period_due_on:%Y年%m月%d日}。",
                   reverse("carriers:reports"))
    return {"counts": {"reminded": len(rows)}, "ids": {"reminded": ids}}
