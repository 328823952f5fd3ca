"""Notify people: an in-portal message now, an e-mail through Celery after the commit."""

from django.db import transaction

from .models import Notification


def notify(recipients, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Create one message per active recipient and queue their e-mails once the transaction commits."""
    rows = Notification.objects.bulk_create(
        [Notification(recipient=user, title=title, body=body, url=url) for user in recipients if user.is_active]
    )
    ids = [row.pk for row in rows]
    if ids:
        from .tasks import email_notifications

        transaction.on_commit(lambda: email_notifications.delay(ids))
    return rows
