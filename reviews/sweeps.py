"""Scheduled closing of notice periods (公示期满): approve the entries with no open objection.

Set-based: one query finds the candidate entries (in notice, of an ended and
not yet closed notice, with their open-objection count); only those are
visited. Idempotent: an entry no longer in notice is not a candidate, a closed
notice is not looked at again. Safe if two run at once: ``transition()`` locks
the application row and refuses an entry the other runner already approved,
and a notice is marked closed by a conditional UPDATE.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from applications.models import ApplicationState
from applications.workflow import TransitionRefused, transition

from .models import NoticeEntry, Objection, PublicNotice
from .notices import CHINA

logger = logging.getLogger("reviews.sweeps")
CLOSE_COMMENT = "公示期满，无异议或异议经调查核实不成立"


@dataclass
class SweepResult:
    """What a run changed (or, in a dry run, would change)."""

    counts: dict = field(default_factory=lambda: {"approved": 0, "waiting": 0, "notices_closed": 0})
    changed_ids: dict = field(default_factory=lambda: {"approved": [], "waiting": [], "notices_closed": []})
    dry_run: bool = False

    def add(self, key: str, pk: int):
        self.counts[key] += 1
        self.changed_ids[key].append(pk)


def _open_objection(app) -> list[str]:
    if Objection.objects.filter(entry__application_id=app.pk, status=Objection.Status.OPEN).exists():
        return ["该公示条目尚有未处理的异议"]
    return []


def _candidates(ended) -> list[tuple[int, int, int]]:
    """(application id, notice id, open objections) of the entries still in notice: one query."""
    return list(
        NoticeEntry.objects.filter(notice__in=ended, application__state=ApplicationState.IN_NOTICE)
        .annotate(open_objections=Count("objections", filter=Q(objections__status=Objection.Status.OPEN)))
        .order_by("notice_id", "seq")
        .values_list("application_id", "notice_id", "open_objections")
    )


def close_ended_notices(today: datetime.date | None = None, dry_run: bool = False,
                        notice_ids=None) -> SweepResult:
    """Close the notices whose period ended before ``today`` (Beijing time); ``notice_ids`` limits the run.

    ``changed_ids``: application ids approved, application ids still waiting on an open objection,
    notice ids closed.
    """
    today = today or timezone.localdate(timezone=CHINA)
    result = SweepResult(dry_run=dry_run)
    ended = PublicNotice.objects.filter(ends_on__lt=today, closed_at__isnull=True)
    if notice_ids is not None:
        ended = ended.filter(pk__in=list(notice_ids))
    blocked_notices = set()
    for application_id, notice_id, open_objections in _candidates(ended):
        if open_objections:
            result.add("waiting", application_id)
            blocked_notices.add(notice_id)
            continue
        if dry_run:
            result.add("approved", application_id)
            continue
        try:
            transition(application_id, "close_notice", None, CLOSE_COMMENT, precheck=_open_objection)
        except TransitionRefused as refused:  # changed meanwhile (another runner, a decision): leave it
            logger.info("公示期满处理跳过申报 %s：%s", application_id, refused.message)
            if "异议" in refused.message:
                result.add("waiting", application_id)
                blocked_notices.add(notice_id)
            continue
        result.add("approved", application_id)

    still_in_notice = NoticeEntry.objects.filter(notice=OuterRef("pk"), application__state=ApplicationState.IN_NOTICE)
    if dry_run:
        for pk in ended.exclude(pk__in=blocked_notices).order_by("pk").values_list("pk", flat=True):
            result.add("notices_closed", pk)
    else:
        for pk in ended.order_by("pk").values_list("pk", flat=True):
            closed = (PublicNotice.objects.filter(pk=pk, closed_at__isnull=True)
                      .filter(~Exists(still_in_notice)).update(closed_at=timezone.now()))
            if closed:
                result.add("notices_closed", pk)
    if not dry_run and any(result.counts.values()):
        logger.info("公示期满处理：%s %s", result.counts, result.changed_ids)
    return result
