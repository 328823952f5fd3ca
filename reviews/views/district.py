"""District officers' pages: the queue, the decisions posted from the review page, the recommendation list
and its exports. The work is done in reviews.district; these views read the request and report."""

from functools import wraps
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from applications.models import Round
from applications.workflow import TransitionRefused
from portal.exports import maybe_export
from portal.pdf import render_pdf

from .. import district as service
from ..access import visible_application_or_404
from ..models import RecommendationList


def district_officer_required(view):
    """District officers only; a system administrator configures the portal and does not decide applications."""

    @role_required(Role.DISTRICT_OFFICER)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_superuser or not request.user.district_id:
            raise PermissionDenied("只有区主管部门经办人可以使用此页面。")
        return view(request, *args, **kwargs)

    return wrapped


def _round_of_city_or_404(user, round_pk):
    return get_object_or_404(Round.objects.select_related("carrier_type"), pk=round_pk,
                             carrier_type__city=user.city)


def _report(request, refused: TransitionRefused):
    messages.error(request, refused.message)


@district_officer_required
def queue(request):
    result = service.district_queue(request.user, request.GET)
    if (export := maybe_export(request, result.applications, service.QUEUE_EXPORT_COLUMNS, "区级待审申报")) is not None:
        return export
    page = Paginator(result.applications, service.QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    service.annotate_deadlines(page.object_list)
    return render(request, "reviews/district/queue.html", {
        "queue": result,
        "page": page,
        "district": request.user.district,
        "rounds": service.rounds_with_lists(request.user),
    })


def _decision(request, pk, action, success):
    application = visible_application_or_404(request.user, pk)
    try:
        service.decide(application.pk, action, request.user, request.POST.get("reason", ""),
                       request.POST.get("version"))
    except TransitionRefused as refused:
        _report(request, refused)
    else:
        messages.success(request, success)
    return redirect("reviews:detail", pk=application.pk)


@district_officer_required
@require_POST
def return_application(request, pk):
    return _decision(request, pk, "return_for_revision", "已退回申报单位修改，退回原因已通知申报单位。")


@district_officer_required
@require_POST
def reject_application(request, pk):
    return _decision(request, pk, "reject", "已作出不予推荐决定，已通知申报单位。")


def _back(request, application):
    """Back to the list page when the form was posted from there, else to the review page."""
    if request.POST.get("next") == "list":
        return redirect("reviews:district_list", round_pk=application.round_id)
    return redirect("reviews:detail", pk=application.pk)


@district_officer_required
@require_POST
def add_to_list(request, pk):
    application = visible_application_or_404(request.user, pk)
    try:
        service.add_to_list(application.pk, request.user, request.POST.get("version"), request.POST.get("note", ""))
    except TransitionRefused as refused:
        _report(request, refused)
    else:
        messages.success(request, "已列入本区推荐名单（拟推荐）。名单报送市级后申报才进入市级评审。")
    return _back(request, application)


@district_officer_required
@require_POST
def remove_from_list(request, pk):
    application = visible_application_or_404(request.user, pk)
    try:
        service.remove_from_list(application.pk, request.user)
    except TransitionRefused as refused:
        _report(request, refused)
    else:
        messages.success(request, "已移出推荐名单。")
    return _back(request, application)


@district_officer_required
def round_list(request, round_pk):
    round_ = _round_of_city_or_404(request.user, round_pk)
    recommendation_list = service.list_for(round_, request.user)
    entries = []
    if recommendation_list is not None:
        entries = list(recommendation_list.entries.select_related("application__carrier_type").order_by("rank", "pk"))
    submitted = recommendation_list is not None and recommendation_list.status == RecommendationList.Status.SUBMITTED
    return render(request, "reviews/district/list.html", {
        "round": round_,
        "district": request.user.district,
        "recommendation_list": recommendation_list,
        "entries": entries,
        "submitted": submitted,
        "left": service.left_in_review(round_, request.user),
        "deadline": service.deadline_status(round_),
        "deadline_passed": service.deadline_passed(round_),
        "deadline_matters": not submitted,
        "pending_entries": [e for e in entries if e.application.state != "district_review"] if not submitted else [],
    })


def _posted_by_entry(post, prefix):
    values = {}
    for key, value in post.items():
        if key.startswith(prefix):
            try:
                values[int(key[len(prefix):])] = value
            except ValueError:
                continue
    return values


@district_officer_required
@require_POST
def list_entries(request, round_pk):
    round_ = _round_of_city_or_404(request.user, round_pk)
    action = request.POST.get("action", "save")
    move = None
    if ":" in action:
        verb, _sep, raw_pk = action.partition(":")
        if verb in ("up", "down") and raw_pk.isdigit():
            move = (verb, int(raw_pk))
    try:
        service.update_entries(round_, request.user, _posted_by_entry(request.POST, "rank-"),
                               _posted_by_entry(request.POST, "note-"), move)
    except TransitionRefused as refused:
        _report(request, refused)
    else:
        messages.success(request, "推荐名单的排序已调整。" if move else "推荐名单的排序与推荐理由已保存。")
    return redirect("reviews:district_list", round_pk=round_.pk)


@district_officer_required
@require_POST
def list_submit(request, round_pk):
    round_ = _round_of_city_or_404(request.user, round_pk)
    opinion = request.POST.get("opinion", "")
    try:
        if request.POST.get("action") == "submit":
            if not request.POST.get("confirm"):
                service.save_opinion(round_, request.user, opinion)
                raise service.ListRefused("请勾选“已核对名单，确认报送”后再报送；推荐意见已保存。")
            recommendation_list = service.submit_list(round_, request.user, opinion)
            messages.success(request, f"推荐名单已报送{round_.carrier_type.issuing_bureau}，共"
                                      f"{recommendation_list.entries.count()}项。名单现已锁定，不能再修改。")
        else:
            service.save_opinion(round_, request.user, opinion)
            messages.success(request, "推荐意见已保存。")
    except TransitionRefused as refused:
        _report(request, refused)
    return redirect("reviews:district_list", round_pk=round_.pk)


def _own_list_or_404(user, list_pk):
    recommendation_list = (RecommendationList.objects.select_related("round__carrier_type", "district")
                           .filter(pk=list_pk, district_id=user.district_id).first())
    if recommendation_list is None:
        raise Http404("未找到该推荐名单，或您无权查看。")
    return recommendation_list


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


@district_officer_required
def list_xlsx(request, list_pk):
    recommendation_list = _own_list_or_404(request.user, list_pk)
    return _download(service.list_xlsx(recommendation_list),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"{service.list_title(recommendation_list)}.xlsx")


@district_officer_required
def list_pdf(request, list_pk):
    recommendation_list = _own_list_or_404(request.user, list_pk)
    pdf = render_pdf("pdf/recommendation_list.html", service.list_pdf_context(recommendation_list))
    return _download(pdf, "application/pdf", f"{service.letter_title(recommendation_list)}.pdf")
