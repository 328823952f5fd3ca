"""The hub coordinator's expert review pages and the expert's tasks; the work is in reviews.experts."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role, User
from accounts.permissions import role_required
from applications.models import ApplicationState
from applications.workflow import TransitionRefused
from carriers.rules import get_rules
from portal.exports import maybe_export

from .. import experts as service
from ..access import visible_application_or_404
from ..models import ExpertAssignment, ExpertReviewSummary
from ..panels import register
from .review import review_detail

PAGE_SIZE = 20


class AssignForm(forms.Form):
    experts = forms.ModelMultipleChoiceField(
        queryset=User.objects.filter(role=Role.EXPERT), required=True,
        error_messages={"required": "请选择评审专家。", "invalid_choice": "所选专家不存在或不是评审专家。",
                        "invalid_pk_value": "所选专家不存在或不是评审专家。", "list": "请选择评审专家。"},
    )


class CompileForm(forms.Form):
    recommended = forms.TypedChoiceField(
        label="推荐结论", choices=[("1", "推荐认定"), ("0", "不推荐认定")], coerce=lambda v: v == "1",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": "请选择推荐结论。", "invalid_choice": "请选择推荐结论。"})
    opinion = forms.CharField(label="推荐意见", widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
                              max_length=2000, error_messages={"required": "请填写服务总站的推荐意见。"})
    override_reason = forms.CharField(
        label="调整理由", required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text="推荐结论与按平均分得出的结论不一致时必填。")


def _version(request):
    return request.POST.get("expected_version") or None


# --- Hub coordinator ----------------------------------------------------------

@role_required(Role.HUB_COORDINATOR)
def hub_queue(request):
    show = request.GET.get("show", "")
    rows = service.hub_queue(request.user)
    if show == "waiting":
        rows = rows.filter(state=ApplicationState.CITY_REVIEW)
    elif show == "in_review":
        rows = rows.filter(state=ApplicationState.EXPERT_REVIEW)
    elif show:
        messages.warning(request, "筛选条件无效，已显示全部。")
        show = ""
    if (export := maybe_export(request, rows, service.HUB_EXPORT_COLUMNS, "专家评审组织")) is not None:
        return export
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/hub/queue.html", {
        "page": page, "show": show,
        "counts": service.hub_counts(request.user), "min_experts": service.MIN_EXPERTS,
    })


def _hub_page(request, application, *, assign_form=None, compile_form=None, status=200):
    rules = get_rules(application.carrier_type.code)
    compiled = service.compilation(application)
    assigned_ids = {a.expert_id for a in compiled.assignments}
    candidates = (
        service.expert_pool().exclude(pk__in=assigned_ids)
        .annotate(open_tasks=Count("expert_assignments", filter=Q(
            expert_assignments__submitted_at__isnull=True,
            expert_assignments__application__state=ApplicationState.EXPERT_REVIEW)))
    )
    can_send = application.state == ApplicationState.CITY_REVIEW and not application.expert_review_done
    in_review = application.state == ApplicationState.EXPERT_REVIEW
    if compile_form is None and compiled.all_submitted:
        compile_form = CompileForm(initial={"recommended": "1" if compiled.suggested else "0"})
    summary = ExpertReviewSummary.objects.filter(application=application).select_related("compiled_by").first()
    return render(request, "reviews/hub/application.html", {
        "application": application, "rules": rules, "compiled": compiled, "candidates": candidates,
        "can_send": can_send, "in_review": in_review,
        "can_remove": in_review and len(compiled.assignments) > service.MIN_EXPERTS,
        "selected_experts": assign_form.data.getlist("experts") if assign_form is not None else [],
        "compile_form": compile_form, "summary": summary,
        "min_experts": service.MIN_EXPERTS, "submitted_count": sum(a.is_submitted for a in compiled.assignments),
        "expert_review": service.score_table(application, rules, compiled.assignments, summary),
    }, status=status)


@role_required(Role.HUB_COORDINATOR)
def hub_application(request, pk):
    application = visible_application_or_404(request.user, pk)
    return _hub_page(request, application)


@role_required(Role.HUB_COORDINATOR)
@require_POST
def hub_assign(request, pk):
    application = visible_application_or_404(request.user, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("experts", []):
            messages.error(request, error)
        return _hub_page(request, application, assign_form=form, status=400)
    try:
        rows = service.assign_experts(application.pk, form.cleaned_data["experts"], request.user,
                                      expected_version=_version(request))
    except service.ExpertReviewRefused as refused:
        messages.error(request, refused.message)
        return _hub_page(request, application, assign_form=form, status=400)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
        return redirect("reviews:hub_application", pk=pk)
    names = "、".join(r.expert.real_name or r.expert.username for r in rows)
    messages.success(request, f"已分配评审专家：{names}。已通知专家开展评审。")
    return redirect("reviews:hub_application", pk=pk)


@role_required(Role.HUB_COORDINATOR)
@require_POST
def hub_remove(request, pk):
    application = visible_application_or_404(request.user, pk)
    try:
        service.remove_expert(application.pk, request.POST.get("expert"), request.user,
                              expected_version=_version(request))
    except (service.ExpertReviewRefused, ValueError) as refused:
        messages.error(request, getattr(refused, "message", "请选择要移除的专家。"))
    else:
        messages.success(request, "已移除该评审专家，其评审权限已收回。")
    return redirect("reviews:hub_application", pk=pk)


@role_required(Role.HUB_COORDINATOR)
@require_POST
def hub_compile(request, pk):
    application = visible_application_or_404(request.user, pk)
    form = CompileForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请按提示补充后再汇总。")
        return _hub_page(request, application, compile_form=form, status=400)
    data = form.cleaned_data
    try:
        service.compile_review(application.pk, request.user, opinion=data["opinion"],
                               recommended=data["recommended"], override_reason=data["override_reason"],
                               expected_version=_version(request))
    except (service.ExpertReviewRefused, TransitionRefused) as refused:
        messages.error(request, refused.message)
        return _hub_page(request, application, compile_form=form, status=400)
    messages.success(request, "专家评审意见已汇总，推荐意见已报送市工业和信息化局。")
    return redirect("reviews:hub_application", pk=pk)


@register(Role.HUB_COORDINATOR)
def hub_panel(request, application, rules):
    assignments = list(application.expert_assignments.select_related("expert"))
    summary = ExpertReviewSummary.objects.filter(application=application).select_related("compiled_by").first()
    submitted = sum(a.is_submitted for a in assignments)
    return "reviews/hub/panel.html", {
        "hub_assignments": assignments, "hub_submitted": submitted, "expert_summary": summary,
        "expert_review": service.score_table(application, rules, assignments, summary) if submitted else None,
    }


# --- Expert ---------------------------------------------------------------------

@role_required(Role.EXPERT)
def expert_queue(request):
    rows = service.expert_assignments(request.user)
    if (export := maybe_export(request, rows, service.EXPERT_EXPORT_COLUMNS, "我的评审任务")) is not None:
        return export
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/expert/queue.html", {"page": page})


@role_required(Role.EXPERT)
def expert_score(request, pk):
    """POST target of the scoring form on the review page; errors are shown there."""
    application = visible_application_or_404(request.user, pk)
    if request.method != "POST":
        return redirect("reviews:detail", pk=pk)
    assignment = ExpertAssignment.objects.filter(application=application, expert=request.user).first()
    if assignment is None:  # visible without an assignment: the permission outlived its row
        messages.error(request, "您不是该申报的评审专家。")
        return redirect("reviews:expert_queue")
    final = request.POST.get("action") == "submit"
    form = service.score_form(assignment, get_rules(application.carrier_type.code), request.POST, final=final)
    if not form.is_valid():
        messages.error(request, "评分未保存，请按提示修改。" if not final else "评分未提交，请按提示修改。")
        response = review_detail(request, pk)
        response.status_code = 400
        return response
    try:
        service.save_scores(application.pk, request.user, form.scores(), form.cleaned_data["opinion"], final=final)
    except service.ExpertReviewRefused as refused:
        messages.error(request, refused.message)
        return redirect("reviews:detail", pk=pk)
    if final:
        messages.success(request, "评分已提交。感谢您的评审！")
        return redirect("reviews:expert_queue")
    messages.success(request, "评分草稿已保存，提交前可继续修改。")
    return redirect("reviews:detail", pk=pk)


@register(Role.EXPERT)
def expert_panel(request, application, rules):
    """The expert's own scoring form (or, once submitted, their scores); never the other experts'."""
    assignment = ExpertAssignment.objects.filter(application=application, expert=request.user).first()
    if assignment is None:
        return None, {}
    editable = not assignment.is_submitted and application.state == ApplicationState.EXPERT_REVIEW
    form = None
    if editable:
        if request.method == "POST":
            form = service.score_form(assignment, rules, request.POST, final=request.POST.get("action") == "submit")
            form.is_valid()
        else:
            form = service.score_form(assignment, rules)
    own_scores = [(c, assignment.scores.get(c.key)) for c in rules.expert_criteria]
    return "reviews/expert/panel.html", {
        "assignment": assignment, "score_form": form, "own_scores": own_scores,
        "max_total": sum(c.max_points for c in rules.expert_criteria),
    }
