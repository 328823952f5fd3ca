"""The Guangzhou expert review (广州市民营和中小企业服务站 四（一）3（2）).

服务总站在市工业和信息化局指导下组织专家评审，形成推荐意见后报市工业和信息化局: the hub
coordinator assigns at least two active Guangzhou experts (each gets the
django-guardian object permission ``applications.score_application`` on that
one application), each expert scores the type's criteria and writes an
opinion, and once every assigned expert has submitted, the hub compiles its
recommendation (average score against the type's pass mark) and reports it to
the city bureau. State changes go through ``applications.workflow.transition``
in the same transaction as the rows they depend on.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.db import transaction
from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import City, Role, User
from applications import actors
from applications.models import Application, ApplicationState
from applications.workflow import transition
from carriers.rules import get_rules
from portal.notifications import notify

from .models import ExpertAssignment, ExpertReviewSummary

MIN_EXPERTS = 2
SCORE_PERMISSION = "applications.score_application"
OPINION_MIN_LENGTH = 10
STALE = "该申报已被他人处理或更新，请刷新页面查看最新状态后再操作。"


class ExpertReviewRefused(Exception):
    """An expert-review step that is not allowed now; nothing changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Who and what -----------------------------------------------------------

def expert_pool():
    """Experts the hub may assign: active expert accounts of Guangzhou."""
    return User.objects.filter(role=Role.EXPERT, city=City.GUANGZHOU, is_active=True).order_by("real_name", "pk")


def expert_problem(user) -> str | None:
    """Why this user cannot be assigned as an expert, or None."""
    name = user.real_name or user.username
    if user.role != Role.EXPERT:
        return f"“{name}”不是评审专家，不能分配。"
    if user.city != City.GUANGZHOU:
        return f"“{name}”不是广州市评审专家库的专家（{user.get_city_display() or '未设城市'}），不能分配。"
    if not user.is_active:
        return f"“{name}”的账号已停用，不能分配。"
    return None


def hub_queue(user):
    """Applications the hub works on: awaiting expert review, or in it; with assignment progress."""
    return (
        Application.objects.visible_to(user)
        .filter(Q(state=ApplicationState.CITY_REVIEW, expert_review_done=False)
                | Q(state=ApplicationState.EXPERT_REVIEW))
        .select_related("carrier_type", "district", "round")
        .annotate(
            assigned_count=Count("expert_assignments", distinct=True),
            scored_count=Count("expert_assignments", filter=Q(expert_assignments__submitted_at__isnull=False),
                               distinct=True),
        )
        .order_by("recommended_at", "pk")
    )


def hub_counts(user) -> dict:
    """Awaiting assignment / being scored / ready to compile: one query."""
    ready = Case(When(Q(state=ApplicationState.EXPERT_REVIEW, assigned_count__gte=MIN_EXPERTS,
                        scored_count=F("assigned_count")), then=Value(1)), default=Value(0))
    counts = hub_queue(user).order_by().annotate(is_ready=ready).aggregate(
        waiting=Count("pk", filter=Q(state=ApplicationState.CITY_REVIEW)),
        in_review=Count("pk", filter=Q(state=ApplicationState.EXPERT_REVIEW)),
        ready=Sum("is_ready"),
    )
    return {key: value or 0 for key, value in counts.items()}


def expert_assignments(user):
    """The expert's own assignments, on applications visible to them (the guardian permission)."""
    return (
        ExpertAssignment.objects.filter(expert=user, application__in=Application.objects.visible_to(user))
        .select_related("application__carrier_type", "application__district", "application__round")
        .order_by(F("submitted_at").asc(nulls_first=True), "-assigned_at", "-pk")  # pending first
    )


def pending_assignments(user):
    return expert_assignments(user).filter(submitted_at__isnull=True,
                                           application__state=ApplicationState.EXPERT_REVIEW)


def _locked(application_pk):
    app = (
        Application.objects.select_for_update(of=("self",))
        .select_related("carrier_type", "district", "round")
        .filter(pk=application_pk).first()
    )
    if app is None:
        raise ExpertReviewRefused("未找到该申报。")
    return app


def _check_hub(app, coordinator, expected_version):
    if not actors.hub_coordinator(app, coordinator) or not app.carrier_type.requires_expert_review:
        raise ExpertReviewRefused("您无权组织该申报的专家评审。")
    if expected_version is not None and str(app.version) != str(expected_version):
        raise ExpertReviewRefused(STALE)


def _names(users) -> str:
    return "、".join(u.real_name or u.username for u in users)


# --- The hub: assign, remove, compile ---------------------------------------

def assign_experts(application_pk, experts, coordinator, *, expected_version=None) -> list[ExpertAssignment]:
    """Assign experts; the first assignment (at least two) sends the application to the experts."""
    experts = list({u.pk: u for u in experts}.values())
    if not experts:
        raise ExpertReviewRefused("请选择评审专家。")
    problems = [p for p in (expert_problem(u) for u in experts) if p]
    if problems:
        raise ExpertReviewRefused("；".join(problems))
    with transaction.atomic():
        app = _locked(application_pk)
        _check_hub(app, coordinator, expected_version)
        already = set(app.expert_assignments.values_list("expert_id", flat=True))
        duplicates = [u for u in experts if u.pk in already]
        if duplicates:
            raise ExpertReviewRefused(f"{_names(duplicates)}已是该申报的评审专家。")
        if app.state == ApplicationState.CITY_REVIEW and not app.expert_review_done:
            if len(experts) + len(already) < MIN_EXPERTS:
                raise ExpertReviewRefused(f"专家评审至少须分配 {MIN_EXPERTS} 名评审专家。")
            sending = True
        elif app.state == ApplicationState.EXPERT_REVIEW:
            sending = False
        else:
            raise ExpertReviewRefused(f"该申报当前状态为“{app.get_state_display()}”，不能分配评审专家。")
        rows = ExpertAssignment.objects.bulk_create(
            [ExpertAssignment(application=app, expert=u, assigned_by=coordinator) for u in experts])
        for expert in experts:
            assign_perm(SCORE_PERMISSION, expert, app)
        if sending:
            transition(app.pk, "send_to_experts", coordinator,
                       f"组织专家评审，分配评审专家 {len(experts) + len(already)} 名。")
        else:
            Application.objects.filter(pk=app.pk).update(version=app.version + 1, updated_at=timezone.now())
        url = reverse("reviews:detail", args=[app.pk])
        for expert in experts:
            notify([expert], f"新的评审任务：{app.applicant_name}",
                   f"服务总站邀请您评审{app.applicant_name}的{app.carrier_type.name}申报（{app.number}），"
                   "请登录平台按评审指标打分并填写评审意见。", url)
    return rows


def remove_expert(application_pk, expert_pk, coordinator, *, expected_version=None) -> None:
    """Withdraw an assignment that has not been scored; the expert loses access to the application."""
    with transaction.atomic():
        app = _locked(application_pk)
        _check_hub(app, coordinator, expected_version)
        if app.state != ApplicationState.EXPERT_REVIEW:
            raise ExpertReviewRefused(f"该申报当前状态为“{app.get_state_display()}”，不能调整评审专家。")
        assignment = (
            ExpertAssignment.objects.select_for_update(of=("self",)).select_related("expert")
            .filter(application=app, expert_id=expert_pk).first()
        )
        if assignment is None:
            raise ExpertReviewRefused("该专家不是本申报的评审专家。")
        if assignment.is_submitted:
            raise ExpertReviewRefused(f"{_names([assignment.expert])}已提交评分，不能移除。")
        remaining = app.expert_assignments.exclude(pk=assignment.pk).count()
        if remaining < MIN_EXPERTS:
            raise ExpertReviewRefused(f"专家评审至少须保留 {MIN_EXPERTS} 名评审专家，请先增派专家再移除。")
        expert = assignment.expert
        assignment.delete()
        remove_perm(SCORE_PERMISSION, expert, app)
        Application.objects.filter(pk=app.pk).update(version=app.version + 1, updated_at=timezone.now())
        notify([expert], f"评审任务已取消：{app.applicant_name}",
               f"服务总站已取消您对{app.applicant_name}（{app.number}）的评审任务，您不再能查看该申报。")


@dataclass(frozen=True)
class Compilation:
    """What the hub sees before compiling: the scores, the average and the conclusion it implies."""

    assignments: list
    average: Decimal | None
    pass_mark: int
    all_submitted: bool

    @property
    def suggested(self) -> bool | None:
        return None if self.average is None else self.average >= self.pass_mark


def compilation(application) -> Compilation:
    rules = get_rules(application.carrier_type.code)
    assignments = list(application.expert_assignments.select_related("expert"))
    submitted = [a for a in assignments if a.is_submitted]
    all_submitted = len(assignments) >= MIN_EXPERTS and len(submitted) == len(assignments)
    average = average_score(submitted) if all_submitted else None
    return Compilation(assignments, average, rules.expert_pass_mark, all_submitted)


def average_score(assignments) -> Decimal:
    total = sum(Decimal(a.total) for a in assignments)
    return (total / len(assignments)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def compile_review(application_pk, coordinator, *, opinion: str, recommended: bool, override_reason: str = "",
                   expected_version=None) -> ExpertReviewSummary:
    """汇总: every assigned expert has submitted; store the recommendation and return it to the city."""
    opinion = (opinion or "").strip()
    override_reason = (override_reason or "").strip()
    if not opinion:
        raise ExpertReviewRefused("请填写服务总站的推荐意见。")
    with transaction.atomic():
        app = _locked(application_pk)
        _check_hub(app, coordinator, expected_version)
        if app.state != ApplicationState.EXPERT_REVIEW:
            raise ExpertReviewRefused(f"该申报当前状态为“{app.get_state_display()}”，不能汇总专家评审意见。")
        assignments = list(ExpertAssignment.objects.select_for_update().filter(application=app))
        if len(assignments) < MIN_EXPERTS:
            raise ExpertReviewRefused(f"专家评审至少须有 {MIN_EXPERTS} 名评审专家评分。")
        waiting = [a for a in assignments if not a.is_submitted]
        if waiting:
            raise ExpertReviewRefused(f"尚有 {len(waiting)} 名专家未提交评分，全部提交后方可汇总。")
        pass_mark = get_rules(app.carrier_type.code).expert_pass_mark
        average = average_score(assignments)
        suggested = average >= pass_mark
        if recommended != suggested and not override_reason:
            raise ExpertReviewRefused(
                f"平均分 {average} 分{'达到' if suggested else '未达到'}推荐分数线（{pass_mark} 分），"
                f"如{'不' if suggested else ''}推荐认定，须填写调整理由。")
        text = opinion
        if recommended != suggested:
            text += f"\n【调整推荐结论的理由】{override_reason}"
        summary = ExpertReviewSummary.objects.create(
            application=app, average_score=average, recommended=recommended, opinion=text, compiled_by=coordinator)
        conclusion = "推荐认定" if recommended else "不推荐认定"
        # The event history is shown to the applicant and the experts: scores and the recommendation stay
        # in ExpertReviewSummary, which only the hub and the city bureau see.
        transition(app.pk, "complete_expert_review", coordinator, "专家评审已完成，推荐意见已报送市工业和信息化局。")
        reviewers = User.objects.filter(role=Role.CITY_REVIEWER, city=City.GUANGZHOU, is_active=True)
        notify(reviewers, f"专家评审已完成：{app.applicant_name}",
               f"服务总站已汇总{app.applicant_name}的{app.carrier_type.name}申报（{app.number}）专家评审意见："
               f"平均分 {average} 分，{conclusion}。请在市级审核中处理。",
               reverse("reviews:detail", args=[app.pk]))
    return summary


# --- The expert: score ------------------------------------------------------

class ScoreForm(forms.Form):
    """One integer per criterion (0..max) and an opinion; everything required when submitting."""

    opinion = forms.CharField(label="评审意见", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                              max_length=2000,
                              error_messages={"max_length": "评审意见不能超过 %(limit_value)d 个字。"})

    def __init__(self, *args, criteria, final=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.final = final
        fields = {}
        for c in criteria:
            fields[f"score_{c.key}"] = forms.IntegerField(
                label=c.label, required=final, min_value=0, max_value=c.max_points,
                help_text=f"依据：{c.article}",
                widget=forms.NumberInput(attrs={"min": 0, "max": c.max_points, "step": 1, "inputmode": "numeric",
                                                "class": "form-control score-input"}),
                error_messages={
                    "required": f"请为“{c.label}”打分。",
                    "invalid": f"“{c.label}”的得分须为整数。",
                    "min_value": f"“{c.label}”的得分不能为负数。",
                    "max_value": f"“{c.label}”的得分不能超过满分 {c.max_points} 分。",
                },
            )
        opinion = self.fields.pop("opinion")
        self.fields.update(fields)
        self.fields["opinion"] = opinion
        opinion.widget.attrs["class"] = "form-control"

    def score_fields(self):
        return [self[f"score_{c.key}"] for c in self.criteria]

    def clean_opinion(self):
        text = (self.cleaned_data.get("opinion") or "").strip()
        if self.final and not text:
            raise forms.ValidationError("请填写评审意见。")
        if self.final and len(text) < OPINION_MIN_LENGTH:
            raise forms.ValidationError(f"评审意见至少 {OPINION_MIN_LENGTH} 个字，请写明评审理由。")
        return text

    def scores(self) -> dict:
        return {c.key: self.cleaned_data[f"score_{c.key}"] for c in self.criteria
                if self.cleaned_data.get(f"score_{c.key}") is not None}


def score_form(assignment, rules, data=None, *, final=False) -> ScoreForm:
    initial = {f"score_{key}": points for key, points in (assignment.scores or {}).items()}
    initial["opinion"] = assignment.opinion
    return ScoreForm(data, criteria=rules.expert_criteria, final=final, initial=initial)


def save_scores(application_pk, expert, scores: dict, opinion: str, *, final: bool) -> ExpertAssignment:
    """Keep a draft, or submit for good (a submitted scoring is final)."""
    with transaction.atomic():
        app = _locked(application_pk)
        assignment = ExpertAssignment.objects.select_for_update().filter(application=app, expert=expert).first()
        if assignment is None or not expert.has_perm(SCORE_PERMISSION, app):
            raise ExpertReviewRefused("您不是该申报的评审专家。")
        if assignment.is_submitted:
            raise ExpertReviewRefused("您已提交评分，评分提交后不能修改。")
        if app.state != ApplicationState.EXPERT_REVIEW:
            raise ExpertReviewRefused(f"该申报当前状态为“{app.get_state_display()}”，不能评分。")
        criteria = get_rules(app.carrier_type.code).expert_criteria
        keys = {c.key: c.max_points for c in criteria}
        for key, points in scores.items():  # the form checked these; a service caller may not have
            if key not in keys or not isinstance(points, int) or not 0 <= points <= keys[key]:
                raise ExpertReviewRefused("评分超出评审指标的分值范围。")
        if final and (set(scores) != set(keys) or len((opinion or "").strip()) < OPINION_MIN_LENGTH):
            raise ExpertReviewRefused("请为每项评审指标打分并填写评审意见后再提交。")
        assignment.scores = scores
        assignment.opinion = (opinion or "").strip()
        if final:
            assignment.total = sum(scores.values())
            assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["scores", "opinion", "total", "submitted_at"])
        if final and not app.expert_assignments.filter(submitted_at__isnull=True).exists():
            coordinators = User.objects.filter(role=Role.HUB_COORDINATOR, city=City.GUANGZHOU, is_active=True)
            notify(coordinators, f"专家评分已全部提交：{app.applicant_name}",
                   f"{app.applicant_name}（{app.number}）的评审专家均已提交评分，请汇总形成推荐意见。",
                   reverse("reviews:hub_application", args=[app.pk]))
    return assignment


# --- Read-only views of the scores ------------------------------------------

def score_table(application, rules, assignments=None, summary=None) -> dict:
    """Each submitted expert's points per criterion, totals and opinions, with the hub's summary if any.

    For the hub and the city only: an expert never sees the other experts' scores.
    """
    if assignments is None:
        assignments = application.expert_assignments.select_related("expert")
    submitted = [a for a in assignments if a.is_submitted]
    rows = [{"criterion": c, "points": [a.scores.get(c.key) for a in submitted]} for c in rules.expert_criteria]
    adjusted = summary is not None and summary.recommended != (summary.average_score >= rules.expert_pass_mark)
    return {"assignments": submitted, "rows": rows, "max_total": sum(c.max_points for c in rules.expert_criteria),
            "pass_mark": rules.expert_pass_mark, "summary": summary, "adjusted": adjusted,
            "average": summary.average_score if summary else (average_score(submitted) if submitted else None)}


def _progress_text(application) -> str:
    if not application.assigned_count:
        return "未分配"
    return f"已评 {application.scored_count} / {application.assigned_count}"


def _my_score_text(assignment) -> str:
    if assignment.is_submitted:
        return f"已提交（{assignment.total} 分）"
    if assignment.application.state != ApplicationState.EXPERT_REVIEW:
        return "评审已结束"
    return "草稿" if assignment.scores or assignment.opinion else "待评分"


# The queues' exports (portal.exports): the columns on screen, from hub_queue / expert_assignments.
HUB_EXPORT_COLUMNS = [
    ("申报编号", "number"),
    ("申报单位", "applicant_name"),
    ("载体名称", "carrier_name"),
    ("所属区", "district.name"),
    ("区级推荐时间", "recommended_at"),
    ("状态", "get_state_display"),
    ("评分进度", _progress_text),
]
EXPERT_EXPORT_COLUMNS = [
    ("申报编号", "application.number"),
    ("申报单位", "application.applicant_name"),
    ("载体类型", "application.carrier_type.name"),
    ("所属区", "application.district.name"),
    ("分配时间", "assigned_at"),
    ("我的评分", _my_score_text),
]
