"""Pages for reporting duties (报送) and major changes (重大变更); the rules are in reports.py and changes.py.

Everything is read through ``visible_to(user)`` (Carrier, ServiceReport, ChangeRequest):
the unit sees its carriers, the district officer its district's, the city reviewer its city's;
anything else is a 404. Lists are paginated with a fixed number of queries.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from portal.exports import export_response, maybe_export
from portal.uploads import private_file_response

from . import changes, reports
from .eligibility import today_in_china
from .models import Carrier, ChangeRequest, ReportKind, ServiceReport

PAGE_SIZE = 20
PARTIES = (Role.APPLICANT, Role.DISTRICT_OFFICER, Role.CITY_REVIEWER)
OFFICIALS = (Role.DISTRICT_OFFICER, Role.CITY_REVIEWER)
CHANGE_RELATED = ("carrier__carrier_type", "carrier__district", "carrier__organisation")


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _awaiting(user):
    """The change-request status waiting for this user's step."""
    if user.role == Role.DISTRICT_OFFICER:
        return ChangeRequest.Status.DISTRICT_REVIEW
    if user.role == Role.CITY_REVIEWER:
        return ChangeRequest.Status.CITY_REVIEW
    return None


@role_required(*PARTIES)
def duties_hub(request):
    today = today_in_china()
    reports.ensure_periods(today)
    user = request.user
    carriers = Carrier.objects.visible_to(user)
    visible_changes = ChangeRequest.objects.visible_to(user)
    awaiting = _awaiting(user)
    context = {
        "overdue_count": reports.overdue(carriers, today).count(),
        "open_changes": visible_changes.filter(status__in=ChangeRequest.OPEN).count(),
        "awaiting_changes": visible_changes.filter(status=awaiting).count() if awaiting else 0,
        "is_applicant": user.role == Role.APPLICANT,
    }
    return render(request, "carriers/duties/hub.html", context)


# --- Reports (报送) ---

@role_required(Role.APPLICANT)
def reports_mine(request):
    today = today_in_china()
    reports.ensure_periods(today)
    rows = reports.duty_rows(Carrier.objects.visible_to(request.user), today).order_by(
        "-period_due_on", "name", "pk")
    page = _page(request, rows)
    for row in page:
        row.duty = reports.describe(row, today)
        row.kind_label = ReportKind(row.period_kind).label
    return render(request, "carriers/duties/reports_mine.html", {"page": page})


@role_required(Role.APPLICANT)
def report_edit(request, carrier_pk, period_pk):
    today = today_in_china()
    carrier = get_object_or_404(Carrier.objects.visible_to(request.user).select_related("carrier_type"), pk=carrier_pk)
    period = reports.owed_period(carrier, period_pk, today)
    if period is None:
        raise Http404("该载体没有这一期报送。")
    report = ServiceReport.objects.filter(carrier=carrier, period=period).first()
    if report is not None and report.is_submitted:
        if request.method == "POST":
            messages.error(request, "该报告已提交，不能再修改。")
        return redirect("carriers:report_detail", pk=report.pk)
    form_class = reports.FORMS[ReportKind(period.kind)]
    status = 200
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        form = form_class(request.POST, draft=not submit)
        if form.is_valid():
            try:
                report = reports.save(carrier, period, request.user, form.data_to_store(), submit=submit)
            except reports.ReportRefused as refused:
                messages.error(request, refused.message)
            else:
                if submit:
                    messages.success(request, "报告已提交。")
                    return redirect("carriers:report_detail", pk=report.pk)
                messages.success(request, "草稿已保存。")
                return redirect("carriers:report_edit", carrier_pk=carrier.pk, period_pk=period.pk)
        status = 400
    else:
        form = form_class(initial=report.data if report else None)
    return render(request, "carriers/duties/report_form.html", {
        "carrier": carrier, "period": period, "form": form, "report": report,
        "article": reports.ARTICLES[period.kind], "overdue": period.due_on < today,
    }, status=status)


@role_required(*PARTIES)
def report_detail(request, pk):
    visible = ServiceReport.objects.visible_to(request.user).select_related(
        "carrier__carrier_type", "carrier__district", "submitted_by")
    if request.user.role != Role.APPLICANT:
        visible = visible.filter(submitted_at__isnull=False)  # drafts are the unit's own
    report = get_object_or_404(visible, pk=pk)
    late = report.is_submitted and timezone.localdate(report.submitted_at) > report.due_on
    return render(request, "carriers/duties/report_detail.html", {
        "report": report, "pairs": reports.readable(report), "late": late, "shortfall": reports.shortfall(report),
        "article": reports.ARTICLES[report.kind],
    })


def _overdue_rows(request):
    today = today_in_china()
    reports.ensure_periods(today)
    return today, reports.overdue(Carrier.objects.visible_to(request.user), today)


@role_required(*OFFICIALS)
def reports_overdue(request):
    today, rows = _overdue_rows(request)
    if (export := maybe_export(request, rows, reports.overdue_export_columns(today), "逾期未报送")) is not None:
        return export
    page = _page(request, rows)
    for row in page:
        row.duty = reports.describe(row, today)
        row.kind_label = ReportKind(row.period_kind).label
    return render(request, "carriers/duties/reports_overdue.html", {"page": page, "today": today})


@role_required(*OFFICIALS)
def reports_overdue_csv(request):
    """The overdue list as CSV (UTF-8 with BOM for Excel); the older address of ``?format=csv``."""
    today, rows = _overdue_rows(request)
    return export_response(rows, reports.overdue_export_columns(today), "逾期未报送", "csv")


@role_required(*OFFICIALS)
def reports_received(request):
    rows = (ServiceReport.objects.visible_to(request.user).filter(submitted_at__isnull=False)
            .select_related("carrier__carrier_type", "carrier__district").order_by("-submitted_at", "-pk"))
    page = _page(request, rows)
    for report in page:
        report.late = timezone.localdate(report.submitted_at) > report.due_on
        report.shortfall = reports.shortfall(report)
    return render(request, "carriers/duties/reports_received.html", {"page": page})


# --- Major changes (重大变更) ---

@role_required(*PARTIES)
def changes_list(request):
    user = request.user
    awaiting = _awaiting(user)
    rows = ChangeRequest.objects.visible_to(user).select_related(*CHANGE_RELATED)
    pending_only = awaiting is not None and request.GET.get("all") != "1"
    if pending_only:
        rows = rows.filter(status=awaiting)
    rows = rows.order_by("-filed_at", "-pk")
    if (export := maybe_export(request, rows, changes.EXPORT_COLUMNS, "重大变更")) is not None:
        return export
    page = _page(request, rows)
    carriers = []
    if user.role == Role.APPLICANT:
        carriers = Carrier.objects.visible_to(user).holding_title().select_related("carrier_type")[:50]
    return render(request, "carriers/duties/changes.html", {
        "page": page, "carriers": carriers, "pending_only": pending_only, "awaiting": awaiting,
    })


@role_required(Role.APPLICANT)
def change_new(request, carrier_pk):
    today = today_in_china()
    carrier = get_object_or_404(
        Carrier.objects.visible_to(request.user).holding_title().select_related("carrier_type", "organisation"),
        pk=carrier_pk)
    form = changes.ChangeForm(request.POST or None, request.FILES or None, carrier=carrier, today=today)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                change = changes.file_change(
                    carrier, request.user, field=data["field"], new_value=data["new_value"],
                    changed_on=data["changed_on"], evidence=data["evidence"], evidence_name=form.checked.name,
                    today=today)
            except changes.ChangeRefused as refused:
                form.add_error(None, refused.message)
            else:
                late = "（已超过报告期限，将标注为逾期报告）" if change.is_late else ""
                messages.success(request, f"变更报告已提交。{late}")
                return redirect("carriers:change_detail", pk=change.pk)
        status = 400
    current = {key: changes.current_value(carrier, key) for key in ChangeRequest.Field.values}
    return render(request, "carriers/duties/change_new.html", {
        "carrier": carrier, "form": form, "article": changes.article_for(carrier),
        "via_district": changes.goes_to_district(carrier),
        "current": [(label, current[key]) for key, label in ChangeRequest.Field.choices],
    }, status=status)


def _visible_change(request, pk):
    return get_object_or_404(ChangeRequest.objects.visible_to(request.user).select_related(
        *CHANGE_RELATED, "filed_by", "district_by", "decided_by"), pk=pk)


@role_required(*PARTIES)
def change_detail(request, pk, district_form=None, decision_form=None, status=200):
    change = _visible_change(request, pk)
    user = request.user
    if user.role == Role.DISTRICT_OFFICER and change.status == ChangeRequest.Status.DISTRICT_REVIEW:
        district_form = district_form or changes.DistrictForm()
    if user.role == Role.CITY_REVIEWER and change.status == ChangeRequest.Status.CITY_REVIEW:
        decision_form = decision_form or changes.DecisionForm(carrier=change.carrier)
    return render(request, "carriers/duties/change_detail.html", {
        "change": change, "article": changes.article_for(change.carrier), "district_form": district_form,
        "decision_form": decision_form, "via_district": changes.goes_to_district(change.carrier),
    }, status=status)


@require_POST
@role_required(Role.DISTRICT_OFFICER)
def change_district(request, pk):
    change = _visible_change(request, pk)
    form = changes.DistrictForm(request.POST)
    if not form.is_valid():
        return change_detail(request, pk, district_form=form, status=400)
    try:
        changes.district_forward(change.pk, request.user, form.cleaned_data["opinion"])
    except changes.ChangeRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "已核实并报送市主管部门。")
    return redirect("carriers:change_detail", pk=change.pk)


@require_POST
@role_required(Role.CITY_REVIEWER)
def change_decide(request, pk):
    change = _visible_change(request, pk)
    form = changes.DecisionForm(request.POST, carrier=change.carrier)
    if not form.is_valid():
        return change_detail(request, pk, decision_form=form, status=400)
    data, today = form.cleaned_data, today_in_china()
    try:
        if data["decision"] == form.APPROVE:
            changes.approve(change.pk, request.user, today, data["reason"])
            messages.success(request, "已同意变更，载体信息已更新。")
        elif data["decision"] == form.REVOKE:
            changes.revoke_title(change.pk, request.user, data["ground"], today, data["reason"])
            messages.success(request, "已撤销该载体称号。")
        else:
            changes.reject(change.pk, request.user, data["reason"])
            messages.success(request, "已决定不予变更，并通知运营单位。")
    except changes.ChangeRefused as refused:
        messages.error(request, refused.message)
    return redirect("carriers:change_detail", pk=change.pk)


@role_required(*PARTIES)
def change_evidence(request, pk):
    change = _visible_change(request, pk)
    return private_file_response(change.evidence, change.evidence_name)
