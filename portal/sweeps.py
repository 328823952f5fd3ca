"""Scheduled sweeps (定时任务): one registry, one runner, one record per run.

A sweep is a function ``f(today, dry_run) -> {"counts": {...}, "ids": {...}}``
named here by its dotted path, so this module imports nothing from the apps
above portal. ``run_sweep`` takes a lock keyed on the sweep's name (PostgreSQL
advisory lock; elsewhere an atomic ``cache.add``), so a second run started while
one is going records "skipped: locked" and changes nothing, and stores a
``SweepRun`` with the counts and ids changed (a dry run is recorded as one and
changes nothing).

Every sweep selects its candidates with one set-based query, and is idempotent:
a candidate it handled is no longer a candidate.
"""

import contextlib
import datetime
import hashlib
import logging
import traceback
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import SweepRun

logger = logging.getLogger("portal.sweeps")
CHINA = ZoneInfo("Asia/Shanghai")
LOCK_TIMEOUT = 2 * 60 * 60  # seconds; longer than any sweep (the Celery hard limit is six minutes)
LOCKED = "skipped: locked"


@dataclass(frozen=True)
class Sweep:
    name: str
    path: str
    label: str


# In the order "all" runs them, and the order of the nightly schedule: the GZ revocation for a missing
# 复核 must come before the plain expiry, or the stations would merely expire (GZ 四（三）5).
SWEEPS = {s.name: s for s in (
    Sweep("close_notices", "portal.sweeps.close_notices", "公示期满处理"),
    Sweep("fail_missing_self_assessments", "evaluations.sweeps.fail_missing_self_assessments",
          "逾期未提交自评按不合格处理"),
    Sweep("revoke_gz_without_re_review", "applications.sweeps.revoke_gz_without_re_review",
          "广州服务站三年期满未申请复核撤销"),
    Sweep("expire_carriers", "carriers.sweeps.expire_carriers", "有效期届满处理"),
    Sweep("open_close_rounds", "applications.sweeps.open_close_rounds", "申报批次开始与截止提醒"),
    Sweep("reminders", "portal.sweeps.reminders", "到期、报送与自评提醒"),
)}


class UnknownSweep(KeyError):
    def __init__(self, name):
        super().__init__(name)
        self.message = f"没有名为“{name}”的定时任务。可用的任务：{'、'.join(SWEEPS)}。"

    def __str__(self):
        return self.message


def china_today() -> datetime.date:
    return timezone.localdate(timezone=CHINA)


def _lock_key(name: str) -> int:
    """A stable signed 64-bit key for pg_try_advisory_lock."""
    return int.from_bytes(hashlib.sha256(f"portal.sweep:{name}".encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def sweep_lock(name: str):
    """Yield True when this process holds the lock of ``name``, False when another run holds it."""
    if connection.vendor == "postgresql":
        key = _lock_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            acquired = cursor.fetchone()[0]
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    cache_key = f"portal:sweep-lock:{name}"
    token = uuid.uuid4().hex
    acquired = cache.add(cache_key, token, timeout=LOCK_TIMEOUT)
    try:
        yield acquired
    finally:
        if acquired and cache.get(cache_key) == token:
            cache.delete(cache_key)


def run_sweep(name: str, today: datetime.date | None = None, dry_run: bool = False) -> SweepRun:
    """Run one sweep under its lock and record the run; a failure is recorded and raised again."""
    if name not in SWEEPS:
        raise UnknownSweep(name)
    function = import_string(SWEEPS[name].path)
    today = today or china_today()
    run = SweepRun.objects.create(name=name, today=today, dry_run=dry_run)
    with sweep_lock(name) as acquired:
        if not acquired:
            logger.info("定时任务 %s 跳过：另一次运行尚未结束", name)
            _finish(run, SweepRun.Outcome.SKIPPED, error=LOCKED)
            return run
        try:
            result = function(today, dry_run)
        except Exception:
            _finish(run, SweepRun.Outcome.FAILED, error=traceback.format_exc())
            logger.exception("定时任务 %s 失败", name)
            raise
    _finish(run, SweepRun.Outcome.DONE, counts=result.get("counts", {}), ids=result.get("ids", {}))
    if any(run.counts.values()) and not dry_run:
        logger.info("定时任务 %s：%s %s", name, run.counts, run.changed_ids)
    return run


def _finish(run, outcome, *, counts=None, ids=None, error=""):
    run.outcome = outcome
    run.counts = counts or {}
    run.changed_ids = ids or {}
    run.error = error
    run.finished_at = timezone.now()
    run.save(update_fields=["outcome", "counts", "changed_ids", "error", "finished_at"])


def close_notices(today: datetime.date, dry_run: bool) -> dict:
    """公示期满: reviews.sweeps.close_ended_notices, its SweepResult mapped to the sweep's dict."""
    result = import_string("reviews.sweeps.close_ended_notices")(today=today, dry_run=dry_run)
    return {"counts": dict(result.counts), "ids": dict(result.changed_ids)}


REMINDERS = (
    ("expiry", "carriers.sweeps.expiry_reminders"),
    ("reports", "carriers.sweeps.report_reminders"),
    ("self_assessments", "evaluations.sweeps.self_assessment_reminders"),
    ("rectifications", "evaluations.sweeps.rectification_overdue_reminders"),
)


def reminders(today: datetime.date, dry_run: bool) -> dict:
    """提醒: titles expiring within 60 days, reports due within 7 days, self-assessments due within 14 days;
    the city: GZ rectification deadlines passed without the re-assessment."""
    counts, ids = {}, {}
    for label, path in REMINDERS:
        result = import_string(path)(today, dry_run)
        counts.update({f"{label}_{key}": value for key, value in result["counts"].items()})
        ids.update({f"{label}_{key}": value for key, value in result["ids"].items()})
    return {"counts": counts, "ids": ids}
