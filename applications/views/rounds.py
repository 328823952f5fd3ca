"""Rounds (申报通知): the city bureau manages them; the public reads them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from portal.exports import maybe_export
from portal.uploads import private_file_response, validate_upload

from ..forms import RoundAttachmentForm, RoundForm
from ..models import Round, RoundAttachment
from ..services import ROUND_EXPORT_COLUMNS


def public_rounds(request):
    """Open rounds first, then the recent closed ones."""
    today = timezone.localdate()
    rounds = Round.objects.select_related("carrier_type").order_by("-closes_on")
    open_rounds = list(rounds.filter(opens_on__lte=today, closes_on__gte=today))
    page = Paginator(rounds.exclude(opens_on__lte=today, closes_on__gte=today), 20).get_page(request.GET.get("page"))
    return render(request, "applications/rounds_public.html", {"open_rounds": open_rounds, "other_rounds": page})


def round_detail(request, pk):
    round_ = get_object_or_404(Round.objects.select_related("carrier_type"), pk=pk)
    return render(request, "applications/round_detail.html", {
        "round": round_, "attachments": round_.attachments.all(),
    })


def round_attachment_download(request, pk, attachment_pk):
    """Round notice attachments are public documents."""
    attachment = get_object_or_404(RoundAttachment, pk=attachment_pk, round_id=pk)
    return private_file_response(attachment.file, attachment.original_name)


def _city_round(user, pk):
    qs = Round.objects.select_related("carrier_type")
    if not user.is_superuser:
        qs = qs.filter(carrier_type__city=user.city)
    round_ = qs.filter(pk=pk).first()
    if round_ is None:
        raise Http404("未找到该申报批次。")
    return round_


@role_required(Role.CITY_REVIEWER)
def manage_rounds(request):
    rounds = Round.objects.select_related("carrier_type").annotate(
        application_count=Count("applications", filter=Q(applications__submitted_at__isnull=False)),
    )
    if not request.user.is_superuser:
        rounds = rounds.filter(carrier_type__city=request.user.city)
    rounds = rounds.order_by("-year", "carrier_type__sort_order")
    if (export := maybe_export(request, rounds, ROUND_EXPORT_COLUMNS, "申报批次")) is not None:
        return export
    page = Paginator(rounds, 20).get_page(request.GET.get("page"))
    return render(request, "applications/manage_rounds.html", {"rounds": page})


@role_required(Role.CITY_REVIEWER)
def round_edit(request, pk=None):
    round_ = _city_round(request.user, pk) if pk else None
    form = RoundForm(request.POST or None, instance=round_, city=request.user.city)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = form.save(commit=False)
                if saved.created_by_id is None:
                    saved.created_by = request.user
                saved.save()
        except IntegrityError:
            form.add_error("year", "该载体类型在这一年度已有申报批次，请直接编辑原批次。")
        else:
            messages.success(request, f"已保存申报批次“{saved.title}”。")
            return redirect("applications:manage_round_detail", pk=saved.pk)
    return render(request, "applications/round_form.html", {"form": form, "round": round_})


@role_required(Role.CITY_REVIEWER)
def manage_round_detail(request, pk):
    round_ = _city_round(request.user, pk)
    return render(request, "applications/manage_round_detail.html", {
        "round": round_, "attachments": round_.attachments.all(), "form": RoundAttachmentForm(),
    })


@role_required(Role.CITY_REVIEWER)
@require_POST
def round_attachment_add(request, pk):
    round_ = _city_round(request.user, pk)
    form = RoundAttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            checked = validate_upload(upload)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            upload.name = checked.name
            RoundAttachment.objects.create(
                round=round_, title=form.cleaned_data["title"], file=upload, original_name=checked.name,
                kind=checked.kind, size=checked.size,
            )
            messages.success(request, f"已上传附件“{form.cleaned_data['title']}”。")
            return redirect("applications:manage_round_detail", pk=pk)
    return render(request, "applications/manage_round_detail.html", {
        "round": round_, "attachments": round_.attachments.all(), "form": form,
    }, status=400)
