"""Display preferences, notifications and the health endpoint."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification

FONT_SCALES = {"small", "normal", "large", "xlarge"}
ONE_YEAR = 365 * 86400


def healthz(request):
    """Web health: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_POST
def display_preferences(request):
    """Font size and the elderly-friendly mode (适老化), kept in cookies; works without JavaScript."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    font = request.POST.get("font")
    if font in FONT_SCALES:
        response.set_cookie("font_scale", font, max_age=ONE_YEAR, samesite="Lax")
    elder = request.POST.get("elder")
    if elder in {"0", "1"}:
        response.set_cookie("elder_mode", elder, max_age=ONE_YEAR, samesite="Lax")
    return response


@login_required
def notifications(request):
    """站内消息: the signed-in user's messages, newest first; opening the list marks the page read."""
    page = Paginator(Notification.objects.filter(recipient=request.user), 20).get_page(request.GET.get("page"))
    unread_ids = [n.pk for n in page if n.read_at is None]
    response = render(request, "portal/notifications.html", {"notifications": page, "unread_ids": set(unread_ids)})
    if unread_ids:
        Notification.objects.filter(pk__in=unread_ids).update(read_at=timezone.now())
    return response
