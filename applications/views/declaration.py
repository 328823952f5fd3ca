"""The applicant's declaration: start, sections, attachments, submit, withdraw, PDF."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Organisation, Role
from accounts.permissions import role_required
from carriers.models import Carrier
from carriers.rules import get_rules
from portal.pdf import render_pdf
from portal.uploads import private_file_response, validate_upload

from ..completeness import current_attachments, eligibility_report, section_status, submission_problems
from ..drafts import keep_draft, mark_saved, raw_input
from ..models import Application, ApplicationState, Round
from ..section_forms import GeneralExplanationForm
from ..sections import SECTIONS, SECTIONS_BY_KEY, next_section_key
from ..services import FilingRefused, add_attachment, start_application
from ..workflow import TransitionRefused, transition


def _visible_application(user, pk):
    application = (
        Application.objects.visible_to(user)
        .select_related("round", "carrier_type", "organisation", "district")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404("未找到该申报，或您无权查看。")
    return application


def _own_application(request, pk):
    """The applicant's own application (applicants only)."""
    return _visible_application(request.user, pk)


def _refuse_if_locked(request, application):
    if not application.is_editable:
        messages.error(request, f"该申报当前状态为“{application.get_state_display()}”，不能修改。")
        return redirect("applications:detail", pk=application.pk)
    return None


@role_required(Role.APPLICANT)
def my_applications(request):
    applications = (
        Application.objects.visible_to(request.user)
        .select_related("carrier_type", "round")
        .order_by("-created_at")
    )
    page = Paginator(applications, 20).get_page(request.GET.get("page"))
    open_rounds = Round.objects.open_now().filter(carrier_type__city=request.user.city).select_related("carrier_type")
    return render(request, "applications/my_applications.html", {"applications": page, "open_rounds": open_rounds})


@role_required(Role.APPLICANT)
@require_POST
def start(request, round_pk):
    round_ = get_object_or_404(Round.objects.select_related("carrier_type"), pk=round_pk)
    organisation = Organisation.objects.select_related("district").get(pk=request.user.organisation_id)
    try:
        application = start_application(organisation, round_, request.user)
    except FilingRefused as refused:
        for problem in refused.problems:
            messages.error(request, problem)
        return redirect("applications:round_detail", pk=round_.pk)
    messages.success(request, "已创建申报草稿。每部分填写后点击“保存”，内容会保存在服务器上。")
    return redirect("applications:section", pk=application.pk, key=SECTIONS[0].key)


def _designated_carrier(application):
    """The carrier the announcement (公告) made of this application; None before it is announced."""
    if application.state != ApplicationState.ANNOUNCED:
        return None
    return (Carrier.objects.select_related("carrier_type")
            .filter(announcement_entries__application=application).first())


@login_required
def detail(request, pk):
    application = _visible_application(request.user, pk)
    rules = get_rules(application.carrier_type.code)
    report = eligibility_report(application, rules)
    is_owner = request.user.role == Role.APPLICANT
    return render(request, "applications/detail.html", {
        "application": application,
        "rules": rules,
        "report": report,
        "sections": section_status(application, rules) if is_owner else (),
        "attachments": application.attachments.select_related("uploaded_by").all(),
        "events": application.events.select_related("actor").all(),
        "problems": submission_problems(application, rules, report) if is_owner and application.is_editable else (),
        "is_owner": is_owner,
        "return_reason": application.events.filter(action="return_for_revision").last()
        if application.was_returned else None,
        "carrier": _designated_carrier(application) if is_owner else None,
    })


@role_required(Role.APPLICANT)
def section(request, pk, key):
    application = _own_application(request, pk)
    section = SECTIONS_BY_KEY.get(key)
    if section is None:
        raise Http404("没有这一部分。")
    rules = get_rules(application.carrier_type.code)
    if request.method == "POST":
        locked = _refuse_if_locked(request, application)
        if locked:
            return locked
        form = section.bound_form(application, rules, data=request.POST)
        if form.is_valid():
            fields = section.save(application, form.cleaned_data)
            fields += mark_saved(application, key)
            application.save(update_fields=fields)
            messages.success(request, f"“{section.title}”已保存。")
            following = next_section_key(key)
            if "save_next" in request.POST and following:
                return redirect("applications:section", pk=pk, key=following)
            if "save_next" in request.POST:
                return redirect("applications:attachments", pk=pk)
            return redirect("applications:section", pk=pk, key=key)
        keep_draft(application, key, raw_input(form, request.POST))
        messages.warning(request, "您填写的内容已暂存在服务器上，但有以下问题需要修改后才能保存。")
        status = 400
    else:
        if key in application.drafts:
            form = section.bound_form(application, rules, data=application.drafts[key])
        else:
            form = section.unbound_form(application, rules)
        status = 200
    report = eligibility_report(application, rules) if key == "facts" else None
    return render(request, "applications/section.html", {
        "application": application, "section": section, "sections": SECTIONS, "form": form, "rules": rules,
        "report": report, "readonly": not application.is_editable,
    }, status=status)


@role_required(Role.APPLICANT)
def attachments(request, pk):
    application = _own_application(request, pk)
    rules = get_rules(application.carrier_type.code)
    status = 200
    if request.method == "POST":
        locked = _refuse_if_locked(request, application)
        if locked:
            return locked
        slot = request.POST.get("slot", "")
        specs = {spec.key: spec for spec in rules.required_attachments}
        upload = request.FILES.get("file")
        if slot not in specs:
            messages.error(request, "请选择有效的附件类别。")
            status = 400
        elif upload is None:
            messages.error(request, "请选择要上传的文件。")
            status = 400
        else:
            try:
                checked = validate_upload(upload)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
                status = 400
            else:
                add_attachment(application, slot, upload, checked, request.user)
                messages.success(request, f"已上传“{specs[slot].label}”：{checked.name}")
                return redirect("applications:attachments", pk=pk)
    current = current_attachments(application)
    history = [a for a in application.attachments.all() if not a.is_current]
    slots = [{"spec": spec, "current": current.get(spec.key)} for spec in rules.required_attachments]
    return render(request, "applications/attachments.html", {
        "application": application, "slots": slots, "history": history, "sections": SECTIONS,
        "readonly": not application.is_editable,
    }, status=status)


@login_required
def attachment_download(request, pk, attachment_pk):
    application = _visible_application(request.user, pk)
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    return private_file_response(attachment.file, attachment.original_name)


@role_required(Role.APPLICANT)
def submit(request, pk):
    application = _own_application(request, pk)
    rules = get_rules(application.carrier_type.code)
    report = eligibility_report(application, rules)
    general_failures = [r for r in report.results if r.kind == "general" and not r.passed]
    form = GeneralExplanationForm(request.POST if request.method == "POST" else None,
                                  general_failures=general_failures,
                                  initial_explanations=application.explanations,
                                  initial={"declaration": application.declaration_signed})
    if request.method == "POST":
        locked = _refuse_if_locked(request, application)
        if locked:
            return locked
        if form.is_valid():
            with transaction.atomic():
                application.explanations = form.explanations()
                application.declaration_signed = True
                application.declaration_signed_at = timezone.now()
                application.save(update_fields=["explanations", "declaration_signed", "declaration_signed_at",
                                                "updated_at"])
            try:
                transition(application.pk, "submit", request.user,
                           precheck=lambda app: submission_problems(app, rules))
            except TransitionRefused as refused:
                for problem in refused.message.split("；"):
                    messages.error(request, problem)
            else:
                messages.success(request, f"申报已提交至{application.district.bureau_name}初审。")
                return redirect("applications:detail", pk=pk)
        else:
            messages.error(request, "请按提示补充后再提交。")
    problems = submission_problems(application, rules, report)
    return render(request, "applications/submit.html", {
        "application": application, "form": form, "problems": problems, "report": report, "sections": SECTIONS,
    })


@role_required(Role.APPLICANT)
@require_POST
def withdraw(request, pk):
    application = _own_application(request, pk)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, "请填写撤回原因。")
        return redirect("applications:detail", pk=pk)
    try:
        transition(application.pk, "withdraw", request.user, comment=reason)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "申报已撤回。")
    return redirect("applications:detail", pk=pk)


@login_required
def application_pdf(request, pk):
    """申请表 for printing and stamping."""
    application = _visible_application(request.user, pk)
    rules = get_rules(application.carrier_type.code)
    pdf = render_pdf("pdf/application.html", {
        "application": application, "rules": rules, "report": eligibility_report(application, rules),
        "facts": rules.describe_facts(application.facts),
        "attachments": current_attachments(application).values(),
    })
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{application.number}-申请表.pdf"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


def section_url(application, key):
    return reverse("applications:section", kwargs={"pk": application.pk, "key": key})
