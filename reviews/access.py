"""Reviewers reach an application only through Application.objects.visible_to."""

from django.http import Http404

from applications.models import Application


def visible_application_or_404(user, pk, *, for_update=False):
    qs = Application.objects.visible_to(user).select_related(
        "round", "carrier_type", "organisation", "district")
    application = qs.filter(pk=pk).first()
    if application is None:
        raise Http404("未找到该申报，或您无权查看。")
    return application
