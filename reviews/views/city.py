"""The city reviewer's queue and decision panel; the work is in reviews.city."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from applications.models import ApplicationState
from applications.workflow import TransitionRefused
from portal.exports import maybe_export

from .. import city as service
from .. import experts
from ..access import visible_application_or_404
from ..models import ExpertReviewSummary, RecommendationEntry, RecommendationList
from ..panels import register


@role_required(Role.CITY_REVIEWER)
def city_queue(request):
    form, ignored, rows, tabs, values = service.queue(request.user, request.GET)
    for label in ignored:
        messages.warning(request, f"筛选条件“{label}”无效，已忽略。")
    if (export := maybe_export(request, rows, service.QUEUE_EXPORT_COLUMNS, "市级评审申报")) is not None:
        return export
    page = Paginator(rows, service.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    for name in form.errors:
        query.pop(name, None)
    tab_query = query.copy()
    tab_query.pop("state", None)
    return render(request, "reviews/city/queue.html", {
        "form": form, "page": page, "tabs": tabs, "current_state": values.get("state", ""),
        "tab_query": tab_query.urlencode(),
    })


@role_required(Role.CITY_REVIEWER)
@require_POST
def city_decide(request, pk):
    application = visible_application_or_404(request.user, pk)
    action = request.POST.get("action", "")
    comment = request.POST.get("comment", "")
    try:
        service.decide(application.pk, action, request.user, comment,
                       expected_version=request.POST.get("expected_version") or None)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    else:
        if action == "shortlist":
            messages.success(request, "已列入拟认定名单，申报单位已收到通知。")
        else:
            messages.success(request, "已作出不予认定决定，申报单位已收到通知及理由。")
    return redirect("reviews:detail", pk=pk)


@register(Role.CITY_REVIEWER)
def city_panel(request, application, rules):
    needs_experts = application.carrier_type.requires_expert_review
    summary = None
    expert_review = None
    progress = None
    if needs_experts:
        summary = ExpertReviewSummary.objects.filter(application=application).select_related("compiled_by").first()
        assignments = list(application.expert_assignments.select_related("expert"))
        if summary is not None:  # the hub's report (报市工业和信息化局): scores, opinions, recommendation
            expert_review = experts.score_table(application, rules, assignments, summary)
        else:
            progress = {"assigned": len(assignments), "submitted": sum(a.is_submitted for a in assignments)}
    entry = (RecommendationEntry.objects.filter(application=application,
                                                recommendation_list__status=RecommendationList.Status.SUBMITTED)
             .select_related("recommendation_list__district").first())
    return "reviews/city/panel.html", {
        "district_entry": entry,
        "can_decide": application.state == ApplicationState.CITY_REVIEW,
        "awaiting_experts": needs_experts and not application.expert_review_done,
        "needs_experts": needs_experts, "expert_summary": summary, "expert_review": expert_review,
        "expert_progress": progress, "pass_mark": rules.expert_pass_mark,
    }
