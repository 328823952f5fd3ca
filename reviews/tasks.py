"""Celery tasks of the review stage: the nightly closing of notices, and e-mails to objectors."""

import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Objection


@shared_task(acks_late=True)
def close_ended_notices(today: str | None = None) -> dict:
    """公示期满: approve the entries of ended notices without open objections (scheduled daily 00:30)."""
    from . import sweeps

    day = datetime.date.fromisoformat(today) if today else None
    result = sweeps.close_ended_notices(today=day)
    return {"counts": result.counts, "changed_ids": result.changed_ids}


@shared_task(acks_late=True)
def email_objector_decision(objection_id: int) -> bool:
    """E-mail the objector the decided outcome, once (objector_notified_at); an objector has no account."""
    from .objections import decision_email

    with transaction.atomic():
        objection = (
            Objection.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("entry__notice__round__carrier_type")
            .filter(pk=objection_id, objector_notified_at__isnull=True)
            .exclude(status=Objection.Status.OPEN).first()
        )
        if objection is None or not objection.contact_email:
            return False
        subject, body = decision_email(objection)
        send_mail(f"【{settings.PORTAL_SITE['name']}】{subject}", body, settings.DEFAULT_FROM_EMAIL,
                  [objection.contact_email])
        objection.objector_notified_at = timezone.now()
        objection.save(update_fields=["objector_notified_at"])
    return True
