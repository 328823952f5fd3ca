"""公示 and 异议: the city's publication and decisions, the public notice pages and the objection form.

The work is in reviews.notices, reviews.objections and reviews.sweeps.
"""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django_ratelimit.decorators import ratelimit

from accounts.models import Role
from accounts.permissions import role_required
from applications.workflow import TransitionRefused
from portal.exports import maybe_export
from portal.pdf import render_pdf
from portal.uploads import private_file_response

from .. import notices as notice_service
from .. import objections as objection_service
from ..models import Objection, PublicNotice

DEFAULT_OBJECTION_RATE = "5/h"


def objection_rate(group, request) -> str:
    """POSTs per IP; ``OBJECTION_RATE`` in settings overrides the default of 5 an hour."""
    return getattr(settings, "OBJECTION_RATE", DEFAULT_OBJECTION_RATE)


# --- City: notices ---------------------------------------------------------------------------

@role_required(Role.CITY_REVIEWER)
def city_notices(request):
    rows = notice_service.city_notices(request.user)
    if (export := maybe_export(request, rows, notice_service.NOTICE_EXPORT_COLUMNS, "公示列表")) is not None:
        return export
    page = Paginator(rows, notice_service.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/notices/list.html", {"page": page})


@role_required(Role.CITY_REVIEWER)
def city_notice_new(request):
    round_pk = request.GET.get("round")
    if not round_pk:
        rounds = notice_service.city_rounds(request.user) if request.user.city else []
        return render(request, "reviews/notices/choose_round.html", {"rounds": rounds})
    round_ = notice_service.city_round(request.user, round_pk)
    if round_ is None:
        raise Http404("未找到该申报批次，或该批次不属于本市。")
    form = notice_service.PublishForm(request.POST or None, user=request.user, round_=round_)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = notice_service.publish(
                request.user, round_.pk, title=data["title"], document_number=data["document_number"],
                body=data["body"], objection_contact=data["objection_contact"],
                application_ids=[app.pk for app in data["applications"]])
        except notice_service.WorkingDayCalendarMissing as missing:
            messages.error(request, f"无法计算公示期，公示未发布。{missing}")
        except (notice_service.NoticeRefused, TransitionRefused) as refused:
            messages.error(request, f"公示未发布：{refused.message}")
        else:
            messages.success(request,
                             f"公示已发布，{notice_service.period_text(notice)}。")
            return redirect("reviews:city_notices")
    return render(request, "reviews/notices/new.html", {
        "form": form, "round": round_, "has_candidates": form.fields["applications"].queryset.exists(),
        "working_days": round_.carrier_type.notice_working_days,
    })


# --- City: objections ------------------------------------------------------------------------

@role_required(Role.CITY_REVIEWER)
def city_objections(request):
    status = request.GET.get("status", "")
    notice_pk = request.GET.get("notice") or None
    notice = None
    if notice_pk:
        notice = PublicNotice.objects.filter(pk=notice_pk if str(notice_pk).isdigit() else 0,
                                             round__carrier_type__city=request.user.city).first()
        notice_pk = notice.pk if notice else None
    rows = objection_service.city_list(request.user, status, notice_pk)
    if (export := maybe_export(request, rows, objection_service.EXPORT_COLUMNS, "异议列表")) is not None:
        return export
    page = Paginator(rows, objection_service.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/notices/objections.html", {
        "page": page, "status": status, "notice": notice, "statuses": Objection.Status.choices,
    })


def _visible_objection_or_404(user, pk):
    objection = (objection_service.visible_objections(user)
                 .select_related("entry__notice__round__carrier_type", "entry__application", "decided_by")
                 .filter(pk=pk).first())
    if objection is None:
        raise Http404("未找到该异议，或您无权查看。")
    return objection


@role_required(Role.CITY_REVIEWER)
def city_objection(request, pk):
    objection = _visible_objection_or_404(request.user, pk)
    form = objection_service.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection_service.decide(objection.pk, request.user, form.cleaned_data["outcome"],
                                     form.cleaned_data["reason"])
        except objection_service.ObjectionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, "处理结果已记录，并将以邮件告知异议人。"
                             + ("该申报已改为“未通过”，申报单位已收到通知。"
                                if form.cleaned_data["outcome"] == Objection.Status.UPHELD else ""))
            return redirect("reviews:city_objection", pk=objection.pk)
    return render(request, "reviews/notices/objection_detail.html", {
        "objection": objection, "entry": objection.entry, "notice": objection.entry.notice, "form": form,
        "can_decide": objection.status == Objection.Status.OPEN,
    })


@role_required(Role.CITY_REVIEWER)
def city_objection_letter(request, pk):
    objection = _visible_objection_or_404(request.user, pk)
    if not objection.letter:
        raise Http404("该异议没有上传书面材料。")
    return private_file_response(objection.letter, objection.letter_name or "异议材料", inline=True)


# --- Public: notices and objections ----------------------------------------------------------

def public_notices(request):
    page = Paginator(notice_service.public_notices(), notice_service.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/public_notices/list.html", {"page": page, "today": notice_service.china_today()})


def _public_notice_or_404(pk):
    return get_object_or_404(PublicNotice.objects.select_related("round__carrier_type"), pk=pk)


def public_notice(request, pk):
    notice = _public_notice_or_404(pk)
    return render(request, "reviews/public_notices/detail.html", notice_service.public_context(notice))


def public_notice_pdf(request, pk):
    notice = _public_notice_or_404(pk)
    context = notice_service.public_context(notice)
    context.update({"title": notice.title, "document_number": notice.document_number,
                    "issuer_line": context["issuer"],
                    "notice_url": f"{settings.SITE_URL}{reverse('reviews:notice', args=[notice.pk])}"})
    pdf = render_pdf("reviews/public_notices/notice_pdf.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(notice.title + '.pdf')}"
    return response


@ratelimit(key="ip", rate=objection_rate, method="POST", block=False)
def public_notice_object(request, pk):
    notice = _public_notice_or_404(pk)
    context = {"notice": notice, "issuer": notice_service.issuer_of(notice.round),
               "period_text": notice_service.period_text(notice)}
    if request.method == "POST" and getattr(request, "limited", False):
        return render(request, "reviews/public_notices/rate_limited.html", context, status=429)
    if not notice_service.is_open(notice):
        context["closed_message"] = objection_service.period_closed_message(notice)
        return render(request, "reviews/public_notices/object.html", context,
                      status=403 if request.method == "POST" else 200)
    if request.method == "POST":
        form = objection_service.ObjectionForm(request.POST, request.FILES, notice=notice)
        if form.is_valid():
            try:
                objection_service.submit(notice, form)
            except objection_service.ObjectionRefused as refused:
                context["closed_message"] = refused.message
                return render(request, "reviews/public_notices/object.html", context, status=403)
            return render(request, "reviews/public_notices/object_done.html", context)
    else:
        initial = {}
        entry = request.GET.get("entry")
        if entry and entry.isdigit() and notice.entries.filter(pk=entry).exists():
            initial["entry"] = entry
        form = objection_service.ObjectionForm(initial=initial, notice=notice)
    question, token = objection_service.new_challenge()
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:  # a fresh question each time; the typed answers stay, the old answer goes
        form.data["challenge_token"] = token
        form.data.pop("challenge", None)
    else:
        form.initial["challenge_token"] = token
    context.update({"form": form, "question": question,
                    "letter_lost": form.is_bound and bool(request.FILES.get("letter"))})
    return render(request, "reviews/public_notices/object.html", context, status=400 if form.is_bound else 200)
