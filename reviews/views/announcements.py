"""The city reviewer's announcements (公告): rounds ready to announce, the publishing form, the result."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from accounts.models import Role
from accounts.permissions import role_required
from portal.exports import maybe_export

from .. import announcements as service


@role_required(Role.CITY_REVIEWER)
def announcement_list(request):
    announcements = service.city_announcements(request.user).order_by("-published_on", "-pk")
    if (export := maybe_export(request, announcements, service.EXPORT_COLUMNS, "认定公告")) is not None:
        return export
    return render(request, "reviews/announcements/list.html", {
        "ready": service.rounds_ready(request.user),
        "announcements": announcements[:100],
    })


@role_required(Role.CITY_REVIEWER)
def announcement_new(request, round_pk):
    round_ = get_object_or_404(service.city_rounds(request.user), pk=round_pk)
    approved = list(service.approved_applications(round_))
    form = service.AnnouncementForm(request.POST or None, round_=round_, approved=approved)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            announcement = service.publish(
                round_, request.user, title=data["title"], document_number=data["document_number"],
                published_on=data["published_on"], body=data["body"], application_ids=data["applications"])
        except service.AnnouncementRefused as refused:
            messages.error(request, refused.message)
        else:
            count = announcement.entries.count()
            messages.success(request, f"公告已发布，{count} 个载体已认定，证书（牌匾）正在生成。")
            return redirect("reviews:announcement_detail", pk=announcement.pk)
    if form.is_bound:
        selected = {str(v) for v in request.POST.getlist("applications")}
    else:
        selected = {str(a.pk) for a in approved}
    rows = [(application, str(application.pk) in selected) for application in approved]
    return render(request, "reviews/announcements/new.html", {
        "round": round_, "form": form, "rows": rows,
    }, status=400 if request.method == "POST" else 200)


@role_required(Role.CITY_REVIEWER)
def announcement_detail(request, pk):
    announcement = service.city_announcements(request.user).filter(pk=pk).first()
    if announcement is None:
        raise Http404("未找到该公告。")
    entries = announcement.entries.select_related("application", "carrier__district", "carrier__carrier_type")
    return render(request, "reviews/announcements/detail.html", {"announcement": announcement, "entries": entries})
