"""The city reviewer's pages of the districts' recommendation lists; the work is in reviews.received_lists."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required
from portal.exports import maybe_export

from .. import received_lists as service


@role_required(Role.CITY_REVIEWER)
def district_lists(request):
    form, ignored, rows = service.filtered_lists(request.user, request.GET)
    for label in ignored:
        messages.warning(request, f"筛选条件“{label}”无效，已忽略。")
    if (export := maybe_export(request, rows, service.EXPORT_COLUMNS, "各区推荐名单")) is not None:
        return export
    page = Paginator(rows, service.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/city/district_lists.html", {"form": form, "page": page})


@role_required(Role.CITY_REVIEWER)
def district_list(request, list_pk):
    recommendation_list = service.received_list(request.user, list_pk)
    if recommendation_list is None:
        raise Http404("未找到该推荐名单，或该名单尚未报送市级。")
    return render(request, "reviews/city/district_list.html", {
        "recommendation_list": recommendation_list,
        "entries": service.entries_of(recommendation_list, request.user),
    })
