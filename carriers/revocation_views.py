"""Revocation (撤销) by the city, and the GZ station's request to stop (四（三）7, 主动申请退出).

The city reviewer sees its own city's carriers (``Carrier.objects.visible_to``), picks one of the type's
enumerated grounds (BJ station 第二十条; BJ platform/base 第十四条、第十五条; GZ 四（三）), and
``carriers.lifecycle.revoke`` does the rest. A GZ station's unit asks to withdraw; the city confirms through
the same revoke page with the ground ``voluntary_withdrawal``.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.models import District, Role, User
from accounts.permissions import role_required
from portal.exports import maybe_export
from portal.notifications import notify

from . import lifecycle
from .eligibility import today_in_china
from .models import Carrier, CarrierEvent, CarrierType
from .rules import get_rules

PAGE_SIZE = 20
EXPIRING_DAYS = 60
WITHDRAWAL_GROUND = "voluntary_withdrawal"
WITHDRAWAL_REQUEST = "withdrawal_requested"


def _withdrawal_requested():
    return Exists(CarrierEvent.objects.filter(carrier=OuterRef("pk"), action=WITHDRAWAL_REQUEST))


class CarrierFilterForm(forms.Form):
    q = forms.CharField(label="名称、编号或单位", required=False, max_length=60)
    carrier_type = forms.ChoiceField(label="载体类型", required=False)
    district = forms.ChoiceField(label="所属区", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + list(Carrier.Status.choices))
    requested = forms.BooleanField(label="仅看申请退出的", required=False)
    expiring = forms.BooleanField(label=f"即将到期（{EXPIRING_DAYS}天内）", required=False)

    def __init__(self, city, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier_type"].choices = [("", "全部")] + [
            (t.code, t.name) for t in CarrierType.objects.filter(city=city)]
        self.fields["district"].choices = [("", "全部")] + [
            (str(d.pk), d.name) for d in District.objects.filter(city=city)]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-check-input" if isinstance(field, forms.BooleanField) else (
                "form-select" if isinstance(field, forms.ChoiceField) else "form-control")


def days_left_text(days):
    """Days until valid_until, in words."""
    if days == 0:
        return "今天到期"
    if days == 1:
        return "明天到期"
    return f"还剩 {days} 天到期"


def _withdrawal_text(carrier) -> str:
    return "已申请退出" if carrier.withdrawal_requested and carrier.status in lifecycle.IN_FORCE else ""


# The carrier list's export (portal.exports): the columns on screen, from city_carriers' filtered rows.
EXPORT_COLUMNS = [
    ("证书编号", "number"),
    ("载体名称", "name"),
    ("运营单位", "organisation.name"),
    ("载体类型", "carrier_type.name"),
    ("所属区", "district.name"),
    ("有效期起", "valid_from"),
    ("有效期至", lambda c: c.valid_until or "以年度评价为准"),
    ("状态", "get_status_display"),
    ("撤销日期", "revoked_on"),
    ("申请退出", _withdrawal_text),
]


@role_required(Role.CITY_REVIEWER)
def city_carriers(request):
    """本市载体: filters, paginated, a fixed number of queries.

    「即将到期」: in force, valid_until from today to today + 60 days (Beijing time), soonest first.
    """
    today = today_in_china()
    horizon = today + datetime.timedelta(days=EXPIRING_DAYS)
    form = CarrierFilterForm(request.user.city, request.GET or None)
    rows = (Carrier.objects.visible_to(request.user)
            .select_related("carrier_type", "district", "organisation")
            .annotate(withdrawal_requested=_withdrawal_requested())
            .order_by("carrier_type__sort_order", "district__sort_order", "name", "pk"))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            rows = rows.filter(Q(name__icontains=data["q"]) | Q(number__icontains=data["q"])
                               | Q(organisation__name__icontains=data["q"]))
        if data["carrier_type"]:
            rows = rows.filter(carrier_type__code=data["carrier_type"])
        if data["district"]:
            rows = rows.filter(district_id=data["district"])
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["requested"]:
            rows = rows.filter(withdrawal_requested=True, status__in=lifecycle.IN_FORCE)
        if data["expiring"]:
            rows = (rows.filter(status__in=lifecycle.IN_FORCE, valid_until__range=(today, horizon))
                    .order_by("valid_until", "name", "pk"))
    if (export := maybe_export(request, rows, EXPORT_COLUMNS, "本市载体")) is not None:
        return export
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for carrier in page:
        due = carrier.valid_until
        in_window = carrier.status in lifecycle.IN_FORCE and due is not None and today <= due <= horizon
        carrier.days_left = days_left_text((due - today).days) if in_window else ""
    return render(request, "carriers/revocation/list.html", {
        "form": form, "page": page, "in_force": lifecycle.IN_FORCE})


class RevokeForm(forms.Form):
    ground = forms.ChoiceField(label="撤销依据", widget=forms.RadioSelect, error_messages={
        "required": "请选择撤销依据。", "invalid_choice": "请选择本类型的撤销依据。"})
    decided_on = forms.DateField(label="决定日期", error_messages={"required": "请填写决定日期。"},
                                 widget=forms.DateInput(format="%Y-%m-%d",
                                                        attrs={"type": "date", "class": "form-control"}))
    reasons = forms.CharField(label="撤销理由", max_length=2000, error_messages={"required": "请填写撤销理由。"},
                              widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
                              help_text="写明查实的事实；将记入载体记录。")

    def __init__(self, grounds, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = [(g.key, f"{g.article} {g.label}") for g in grounds]

    def clean_decided_on(self):
        day = self.cleaned_data["decided_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("决定日期不能晚于今天。")
        return day

    def clean_reasons(self):
        reasons = self.cleaned_data["reasons"].strip()
        if not reasons:
            raise forms.ValidationError("请填写撤销理由。")
        return reasons


@role_required(Role.CITY_REVIEWER)
def revoke(request, pk):
    """撤销 (or, on GZ ground 7, confirm the station's withdrawal)."""
    carrier = get_object_or_404(Carrier.objects.visible_to(request.user).select_related(
        "carrier_type", "district", "organisation"), pk=pk)
    rules = get_rules(carrier.carrier_type.code)
    grounds = rules.revocation_grounds
    request_event = (CarrierEvent.objects.filter(carrier=carrier, action=WITHDRAWAL_REQUEST)
                     .select_related("actor").order_by("-created_at", "-pk").first())
    in_force = carrier.status in lifecycle.IN_FORCE
    initial = {"decided_on": timezone.localdate()}
    if request_event and rules.revocation_ground(WITHDRAWAL_GROUND):
        initial["ground"] = WITHDRAWAL_GROUND
    form = RevokeForm(grounds, request.POST or None, initial=initial)
    if request.method == "POST" and in_force and form.is_valid():
        data = form.cleaned_data
        try:
            revoked = lifecycle.revoke(carrier.pk, data["ground"], request.user, data["decided_on"], data["reasons"])
        except lifecycle.LifecycleRefused as refused:
            form.add_error(None, refused.message)
        else:
            ground = rules.revocation_ground(data["ground"])
            done = "已确认退出" if ground.withdraws else "已撤销认定"
            messages.success(request, f"“{carrier.name}”{done}（{ground.citation}），载体公开页面已同步显示。")
            lifecycle.notify_unit_of_revocation(revoked)
            return redirect("carriers:city_carriers")
    return render(request, "carriers/revocation/revoke.html", {
        "carrier": carrier, "form": form, "in_force": in_force, "grounds": grounds, "request_event": request_event,
    }, status=400 if form.is_bound and not form.is_valid() else 200)


class WithdrawRequestForm(forms.Form):
    reason = forms.CharField(label="申请退出的原因", max_length=2000,
                             error_messages={"required": "请填写申请退出的原因。"},
                             widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}))
    confirm = forms.BooleanField(label="本单位确认主动申请不再承担服务站工作", required=True,
                                 error_messages={"required": "请勾选确认。"},
                                 widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("请填写申请退出的原因。")
        return reason


@role_required(Role.APPLICANT)
def withdraw_request(request, pk):
    """主动申请退出 (GZ 四（三）7): the station's own unit asks; the city reviewers of Guangzhou are told."""
    carrier = get_object_or_404(Carrier.objects.visible_to(request.user).select_related("carrier_type"), pk=pk)
    ground = get_rules(carrier.carrier_type.code).revocation_ground(WITHDRAWAL_GROUND)
    if ground is None:
        raise Http404("该类载体没有主动申请退出的规定。")
    in_force = carrier.status in lifecycle.IN_FORCE
    pending = CarrierEvent.objects.filter(carrier=carrier, action=WITHDRAWAL_REQUEST).order_by("-pk").first()
    form = WithdrawRequestForm(request.POST or None)
    if request.method == "POST" and in_force and pending is None and form.is_valid():
        reason = form.cleaned_data["reason"]
        lifecycle.record(carrier, WITHDRAWAL_REQUEST, carrier.status, actor=request.user,
                         decided_on=timezone.localdate(), ground=ground.citation, comment=reason)
        reviewers = User.objects.filter(role=Role.CITY_REVIEWER, is_active=True, city=carrier.carrier_type.city)
        notify(reviewers, f"服务站申请退出：{carrier.name}",
               f"“{carrier.name}”（{carrier.number}）的运营单位主动申请不再承担服务站工作（{ground.citation}）。"
               f"原因：{reason}",
               reverse("carriers:revoke", kwargs={"pk": carrier.pk}))
        messages.success(request, "退出申请已提交，市主管部门确认后生效。")
        return redirect("carriers:withdraw_request", pk=carrier.pk)
    return render(request, "carriers/revocation/withdraw_request.html", {
        "carrier": carrier, "form": form, "ground": ground, "in_force": in_force, "pending": pending,
    }, status=400 if form.is_bound and not form.is_valid() else 200)
