"""The carrier's life after the announcement: revoke, withdraw, expire, extend — one place each.

Every change locks the carrier row, checks, changes and writes a CarrierEvent in
one transaction. ``actor=None`` is the scheduled system job.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.urls import reverse

from accounts.models import Role, User
from portal.notifications import notify

from .models import Carrier, CarrierEvent
from .rules import get_rules

IN_FORCE = (Carrier.Status.ACTIVE, Carrier.Status.RECTIFYING)


class LifecycleRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _locked(carrier_pk) -> Carrier:
    carrier = Carrier.objects.select_for_update(of=("self",)).select_related("carrier_type").filter(
        pk=carrier_pk).first()
    if carrier is None:
        raise LifecycleRefused("未找到该服务载体。")
    return carrier


def record(carrier, action, from_status, *, actor, decided_on, ground="", comment="", old=None, new=None):
    return CarrierEvent.objects.create(
        carrier=carrier, action=action, from_status=from_status, to_status=carrier.status, ground=ground,
        comment=comment, old_values=old or {}, new_values=new or {}, decided_on=decided_on, actor=actor)


def revoke(carrier_pk, ground_key: str, actor, decided_on: datetime.date, comment: str = "") -> Carrier:
    """撤销 on one of the type's enumerated grounds; sets the re-apply ban the ground carries.

    Ground 7 of Guangzhou (the station asked to stop) ends the title as withdrawn.
    """
    with transaction.atomic():
        carrier = _locked(carrier_pk)
        ground = get_rules(carrier.carrier_type.code).revocation_ground(ground_key)
        if ground is None:
            raise LifecycleRefused(f"“{carrier.carrier_type.name}”没有这一撤销依据：{ground_key}。")
        if carrier.status not in IN_FORCE:
            raise LifecycleRefused(f"该载体当前状态为“{carrier.get_status_display()}”，不能撤销。")
        from_status = carrier.status
        carrier.status = Carrier.Status.WITHDRAWN if ground.withdraws else Carrier.Status.REVOKED
        carrier.revoked_on = decided_on
        carrier.revocation_ground = ground.citation
        carrier.ban_until = decided_on + relativedelta(years=ground.ban_years) if ground.ban_years else None
        carrier.save(update_fields=["status", "revoked_on", "revocation_ground", "ban_until"])
        record(carrier, "withdraw" if ground.withdraws else "revoke", from_status, actor=actor,
               decided_on=decided_on, ground=ground.citation, comment=comment)
    return carrier


def notify_unit_of_revocation(carrier: Carrier, reason: str = "") -> None:
    """Tell the unit's active members that its title was revoked (or withdrawn), with the date and ground."""
    users = User.objects.filter(role=Role.APPLICANT, is_active=True, organisation_id=carrier.organisation_id)
    verb = "退出" if carrier.status == Carrier.Status.WITHDRAWN else "撤销认定"
    body = (f"{carrier.carrier_type.issuing_bureau}于{carrier.revoked_on:%Y年%m月%d日}决定对“{carrier.name}”"
            f"（{carrier.number}）{verb}，依据：{carrier.revocation_ground}。")
    notify(users, f"“{carrier.name}”已{verb}", body + (f"\n{reason}" if reason else ""),
           reverse("carrier_detail", kwargs={"number": carrier.number}))


def extend(carrier_pk, valid_until: datetime.date, actor, decided_on: datetime.date, reason: str, *,
           allow_expired: bool = False) -> Carrier:
    """延续: a passed evaluation or 复核 moves the validity on.

    ``allow_expired``: a 复核 decided after the old validity ended (the station expired meanwhile) restores it.
    """
    allowed = IN_FORCE + ((Carrier.Status.EXPIRED,) if allow_expired else ())
    with transaction.atomic():
        carrier = _locked(carrier_pk)
        if carrier.status not in allowed:
            raise LifecycleRefused(f"该载体当前状态为“{carrier.get_status_display()}”，不能延续有效期。")
        old = {"valid_until": carrier.valid_until.isoformat() if carrier.valid_until else None}
        from_status = carrier.status
        carrier.valid_until = valid_until
        carrier.status = Carrier.Status.ACTIVE
        carrier.save(update_fields=["valid_until", "status"])
        record(carrier, "extend", from_status, actor=actor, decided_on=decided_on, comment=reason, old=old,
               new={"valid_until": valid_until.isoformat()})
    return carrier


def expire_due(today: datetime.date, *, dry_run: bool = False) -> list[int]:
    """到期: carriers in force whose validity ended before ``today`` (set-based; the ids changed)."""
    due = Carrier.objects.filter(status__in=IN_FORCE, valid_until__lt=today)
    ids = list(due.values_list("pk", flat=True))
    if dry_run or not ids:
        return ids
    with transaction.atomic():
        locked = list(Carrier.objects.select_for_update(skip_locked=True).filter(
            pk__in=ids, status__in=IN_FORCE, valid_until__lt=today))
        changed = [c.pk for c in locked]
        events = [CarrierEvent(carrier=c, action="expire", from_status=c.status, to_status=Carrier.Status.EXPIRED,
                               comment="有效期届满", decided_on=today) for c in locked]
        Carrier.objects.filter(pk__in=changed).update(status=Carrier.Status.EXPIRED)
        CarrierEvent.objects.bulk_create(events)
    return changed
