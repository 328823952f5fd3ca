"""Site identity for every page (header and the government-site footer)."""

from django.conf import settings


def site(request):
    return {"portal_site": settings.PORTAL_SITE}


def unread_notifications(request):
    """The unread count beside the user's name (one query per page)."""
    from .models import Notification

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(recipient=user, read_at__isnull=True).count()}
