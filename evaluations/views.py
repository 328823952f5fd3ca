"""Pages of the annual evaluation: the unit's self-assessment, the district's tracking opinion,
the city's campaigns and reviews. The work is done in evaluations.services."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from carriers import lifecycle
from carriers.models import Carrier
from portal.exports import maybe_export

from . import services
from .forms import REVIEW_FORMS, CampaignDatesForm, CampaignForm, DistrictOpinionForm, ReassessmentForm, kind_of
from .models import EvaluationCampaign, SelfAssessment

PAGE_SIZE = 20
OPEN_ROWS_SHOWN = 100  # a unit holds a few titles; one open campaign per type at a time


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _assessments(user):
    return SelfAssessment.objects.visible_to(user).select_related(
        "campaign__carrier_type", "carrier__district", "carrier__organisation")


# --- the unit (申报单位) ---


@role_required(Role.APPLICANT)
def mine(request):
    """The unit's carriers in open campaigns (to fill in), then all its self-assessments (paginated)."""
    today = services.today_in_china()
    existing = SelfAssessment.objects.filter(campaign_id=OuterRef("campaign_pk"), carrier_id=OuterRef("pk"))
    open_rows = Carrier.objects.filter(
        organisation_id=request.user.organisation_id, status__in=lifecycle.IN_FORCE,
        carrier_type__evaluation_campaigns__self_assessment_deadline__gte=today,
        valid_from__lte=F("carrier_type__evaluation_campaigns__self_assessment_deadline"),
    ).annotate(campaign_pk=F("carrier_type__evaluation_campaigns__pk"),
               campaign_year=F("carrier_type__evaluation_campaigns__year"),
               deadline=F("carrier_type__evaluation_campaigns__self_assessment_deadline"),
               ).annotate(has_draft=Exists(existing), submitted_at=Subquery(existing.values("submitted_at")[:1]),
                          ).select_related("carrier_type").order_by("deadline", "name", "pk")
    return render(request, "evaluations/mine.html", {
        "open_rows": open_rows[:OPEN_ROWS_SHOWN],
        "assessments": _page(request, _assessments(request.user).order_by("-campaign__year", "carrier__name", "pk")),
    })


def _own_carrier_or_404(user, campaign_pk, carrier_pk):
    carrier = Carrier.objects.select_related("carrier_type").filter(
        pk=carrier_pk, organisation_id=user.organisation_id).first() if user.organisation_id else None
    campaign = EvaluationCampaign.objects.select_related("carrier_type").filter(pk=campaign_pk).first()
    if carrier is None or campaign is None or campaign.carrier_type_id != carrier.carrier_type_id:
        raise Http404("未找到该载体的绩效评价。")
    return campaign, carrier


@role_required(Role.APPLICANT)
def fill(request, campaign_pk, carrier_pk):
    """自评: 暂存 or 提交 before the deadline (Asia/Shanghai date, checked here on the server)."""
    campaign, carrier = _own_carrier_or_404(request.user, campaign_pk, carrier_pk)
    kind = kind_of(campaign.carrier_type.code)
    if kind is None:
        raise Http404("该类载体不开展年度绩效评价。")
    assessment = SelfAssessment.objects.filter(campaign=campaign, carrier=carrier).first()
    closed = services.deadline_passed(campaign)
    editable = not closed and carrier.status in lifecycle.IN_FORCE and not (
        assessment and (assessment.submitted_at or assessment.result))
    form = kind.form_class(initial=assessment.data if assessment else None)
    status = 200
    if request.method == "POST":
        submit = "submit" in request.POST
        if not editable:
            messages.error(request, _refusal(campaign, carrier, assessment, closed))
            return redirect("evaluations:fill", campaign_pk=campaign.pk, carrier_pk=carrier.pk)
        form = kind.form_class(request.POST, draft=not submit)
        if form.is_valid():
            try:
                services.save_self_assessment(campaign, carrier, form.to_data(), request.user, submit=submit)
            except services.EvaluationRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, "自评已提交。" if submit else "已暂存，截止日期前可继续修改后提交。")
            return redirect("evaluations:fill", campaign_pk=campaign.pk, carrier_pk=carrier.pk)
        status = 400
    return render(request, "evaluations/fill.html", {
        "campaign": campaign, "carrier": carrier, "assessment": assessment, "form": form, "editable": editable,
        "closed": closed, "kind": kind,
        "rows": kind.form_class.describe(assessment.data) if assessment else [],
    }, status=status)


def _refusal(campaign, carrier, assessment, closed) -> str:
    if closed:
        return (f"自评截止日期（{campaign.self_assessment_deadline:%Y-%m-%d}）已过，"
                "不能再暂存或提交自评。")
    if assessment and (assessment.submitted_at or assessment.result):
        return "自评已提交，不能再修改。"
    return "该载体称号已不在有效期内，无需参加绩效评价。"


# --- the district (区主管部门) ---


def district_officer_required(view):
    @role_required(Role.DISTRICT_OFFICER)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_superuser or not request.user.district_id:
            raise PermissionDenied("只有区主管部门经办人可以使用此页面。")
        return view(request, *args, **kwargs)

    return wrapped


@district_officer_required
def district_list(request):
    """The district's submitted self-assessments; BJ stations wait for the tracking opinion (第十八条)."""
    assessments = _assessments(request.user).order_by(
        F("district_opinion_at").asc(nulls_first=True), "-submitted_at", "pk")
    if (export := maybe_export(request, assessments, services.ASSESSMENT_EXPORT_COLUMNS, "绩效评价自评")) is not None:
        return export
    return render(request, "evaluations/district_list.html", {"assessments": _page(request, assessments)})


def _visible_assessment_or_404(user, pk):
    assessment = _assessments(user).filter(pk=pk).first()
    if assessment is None:
        raise Http404("未找到该自评。")
    return assessment


@district_officer_required
def district_detail(request, pk):
    assessment = _visible_assessment_or_404(request.user, pk)
    kind = kind_of(assessment.campaign.carrier_type.code)
    can_opine = bool(kind and kind.district_opinion and not assessment.result)
    form = DistrictOpinionForm(initial={"opinion": assessment.district_opinion})
    status = 200
    if request.method == "POST":
        form = DistrictOpinionForm(request.POST)
        if form.is_valid():
            try:
                services.add_district_opinion(assessment.pk, request.user, form.cleaned_data["opinion"])
            except services.EvaluationRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, "已保存区级跟踪意见。")
            return redirect("evaluations:district_detail", pk=assessment.pk)
        status = 400
    return render(request, "evaluations/district_detail.html", {
        "assessment": assessment, "kind": kind, "form": form, "can_opine": can_opine,
        "rows": kind.form_class.describe(assessment.data) if kind else [],
    }, status=status)


# --- the city (市主管部门) ---


def _city_campaigns(user):
    return EvaluationCampaign.objects.visible_to(user).select_related("carrier_type")


@role_required(Role.CITY_REVIEWER)
def city_campaigns(request):
    campaigns = _city_campaigns(request.user).annotate(
        submitted=Count("self_assessments", filter=Q(self_assessments__submitted_at__isnull=False)),
        reviewed=Count("self_assessments", filter=~Q(self_assessments__result="")),
    ).order_by("-year", "carrier_type__sort_order", "pk")
    if (export := maybe_export(request, campaigns, services.CAMPAIGN_EXPORT_COLUMNS, "绩效评价批次")) is not None:
        return export
    return render(request, "evaluations/city_campaigns.html", {"campaigns": _page(request, campaigns)})


@role_required(Role.CITY_REVIEWER)
def campaign_new(request):
    """The city reviewer opens a campaign for a type of its city: one per type and year."""
    city = None if request.user.is_superuser else request.user.city
    form = CampaignForm(request.POST or None, city=city)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                campaign = form.save(commit=False)
                campaign.created_by = request.user
                campaign.save()
        except IntegrityError:
            form.add_error("year", "该载体类型在这一年度已有绩效评价批次。")
        else:
            messages.success(request, f"已发起“{campaign.title}”。")
            return redirect("evaluations:campaign_detail", pk=campaign.pk)
    return render(request, "evaluations/campaign_form.html", {"form": form},
                  status=400 if form.is_bound and form.errors else 200)


@role_required(Role.CITY_REVIEWER)
def campaign_edit(request, pk):
    """The city changes a campaign's deadlines or requirements until its deadline has been processed."""
    campaign = _city_campaigns(request.user).filter(pk=pk).first()
    if campaign is None:
        raise Http404("未找到该绩效评价批次。")
    if campaign.processed_at:
        messages.error(request, "该批次已按自评截止日期处理逾期未自评的载体，不能再修改。")
        return redirect("evaluations:campaign_detail", pk=campaign.pk)
    form = CampaignDatesForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"已修改“{campaign.title}”。")
        return redirect("evaluations:campaign_detail", pk=campaign.pk)
    return render(request, "evaluations/campaign_form.html", {"form": form, "campaign": campaign},
                  status=400 if form.is_bound and form.errors else 200)


@role_required(Role.CITY_REVIEWER)
def campaign_detail(request, pk):
    campaign = _city_campaigns(request.user).filter(pk=pk).first()
    if campaign is None:
        raise Http404("未找到该绩效评价批次。")
    assessments = _assessments(request.user).filter(campaign=campaign).order_by("result", "carrier__name", "pk")
    if (export := maybe_export(request, assessments, services.ASSESSMENT_EXPORT_COLUMNS, campaign.title)) is not None:
        return export
    return render(request, "evaluations/campaign_detail.html", {
        "campaign": campaign, "assessments": _page(request, assessments),
        "in_force": Carrier.objects.holding_title().filter(carrier_type_id=campaign.carrier_type_id).count(),
    })


def _review_page(request, assessment, review_form=None, reassess_form=None, status=200):
    kind = kind_of(assessment.campaign.carrier_type.code)
    if kind is None:
        raise Http404("该类载体不开展年度绩效评价。")
    form_class = REVIEW_FORMS[kind.scheme]
    return render(request, "evaluations/city_review.html", {
        "assessment": assessment, "kind": kind, "rows": kind.form_class.describe(assessment.data),
        "warnings": kind.form_class.data_warnings(assessment.data),
        "form": review_form or form_class(),
        "reassess_form": reassess_form or ReassessmentForm(),
    }, status=status)


@role_required(Role.CITY_REVIEWER)
def city_review(request, pk):
    """复核 one self-assessment and apply the type's outcome to the carrier."""
    assessment = _visible_assessment_or_404(request.user, pk)
    if request.method != "POST":
        return _review_page(request, assessment)
    kind = kind_of(assessment.campaign.carrier_type.code)
    if kind is None:
        raise Http404("该类载体不开展年度绩效评价。")
    form = REVIEW_FORMS[kind.scheme](request.POST)
    if not form.is_valid():
        return _review_page(request, assessment, review_form=form, status=400)
    try:
        services.review(assessment.pk, request.user, form.cleaned_data)
    except services.EvaluationRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "复核结果已保存。")
    return redirect("evaluations:city_review", pk=assessment.pk)


@role_required(Role.CITY_REVIEWER)
@require_POST
def city_reassess(request, pk):
    """The one re-assessment of a GZ station after rectification (四（三）6)."""
    assessment = _visible_assessment_or_404(request.user, pk)
    form = ReassessmentForm(request.POST)
    if not form.is_valid():
        return _review_page(request, assessment, reassess_form=form, status=400)
    try:
        services.reassess(assessment.pk, request.user, form.cleaned_data)
    except services.EvaluationRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "整改后考核结果已保存。")
    return redirect("evaluations:city_review", pk=assessment.pk)
