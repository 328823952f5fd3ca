"""Site identity for every page (header and the government-site footer)."""

from django.conf import settings


def site(request):
    return {"portal_site": settings.PORTAL_SITE}
