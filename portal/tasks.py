"""Celery tasks of the portal's cross-cutting services."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification


@shared_task(acks_late=True)
def email_notifications(notification_ids: list[int]) -> int:
    """E-mail the given notifications that were not e-mailed yet; idempotent."""
    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            note = (Notification.objects.select_for_update(skip_locked=True).select_related("recipient")
                    .filter(pk=pk, emailed_at__isnull=True).first())
            if note is None or not note.recipient.email:
                continue
            link = f"\n\n{settings.SITE_URL}{note.url}" if note.url else ""
            send_mail(f"【{settings.PORTAL_SITE['name']}】{note.title}", f"{note.body}{link}",
                      settings.DEFAULT_FROM_EMAIL, [note.recipient.email])
            note.emailed_at = timezone.now()
            note.save(update_fields=["emailed_at"])
            sent += 1
    return sent


@shared_task(acks_late=True)
def run_sweep_task(name: str, today: str | None = None, dry_run: bool = False) -> dict:
    """One scheduled sweep (the beat schedules of portal/migrations/0004 call this with the sweep's name)."""
    import datetime

    from .sweeps import run_sweep

    run = run_sweep(name, today=datetime.date.fromisoformat(today) if today else None, dry_run=dry_run)
    return {"run": run.pk, "outcome": run.outcome, "counts": run.counts, "ids": run.changed_ids}
