"""The public register of carriers: effective status, the name-list filters, number look-ups.

A carrier's *effective* status is its stored status, except that a title in force whose
validity has passed shows as expired even before the nightly sweep marks it so.
"""

import re

from django import forms
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import District
from carriers.models import Carrier, CarrierType

PAGE_SIZE = 20
IN_FORCE = (Carrier.Status.ACTIVE, Carrier.Status.RECTIFYING)
STATUS_LABELS = {
    Carrier.Status.ACTIVE: "有效",
    Carrier.Status.RECTIFYING: "整改中",
    Carrier.Status.EXPIRED: "已到期",
    Carrier.Status.REVOKED: "已撤销",
    Carrier.Status.WITHDRAWN: "已退出",
}
# Certificate numbers (carriers.certificates) are ASCII; older or manual ones may hold CJK and 〔〕.
NUMBER_SHAPE = re.compile(r"[0-9A-Za-z\-_〔〕()（）\u4e00-\u9fff]{1,40}")


def effective_status(carrier, today=None) -> str:
    today = today or timezone.localdate()
    if carrier.status in IN_FORCE and carrier.valid_until and carrier.valid_until < today:
        return Carrier.Status.EXPIRED
    return carrier.status


def status_q(status: str, today) -> Q:
    current = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    if status in IN_FORCE:
        return Q(status=status) & current
    if status == Carrier.Status.EXPIRED:
        return Q(status=status) | (Q(status__in=IN_FORCE) & Q(valid_until__lt=today))
    return Q(status=status)


def clean_number(raw) -> str | None:
    """The number as typed (trimmed, upper-cased ASCII), or None when it cannot be a number."""
    number = (raw or "").strip().upper()
    return number if NUMBER_SHAPE.fullmatch(number) else None


def public_carriers():
    return Carrier.objects.select_related("carrier_type", "district", "organisation")


def find_carrier(raw):
    number = clean_number(raw)
    if number is None:
        return None
    return public_carriers().filter(number=number).first()


class CarrierFilterForm(forms.Form):
    q = forms.CharField(label="名称", required=False, max_length=60)
    type = forms.ChoiceField(label="载体类型", required=False)
    year = forms.TypedChoiceField(label="认定年度", required=False, coerce=int, empty_value=None)
    district = forms.ChoiceField(label="所属区", required=False)
    status = forms.ChoiceField(label="状态", required=False)

    def __init__(self, data):
        super().__init__(data)
        types = CarrierType.objects.filter(active=True).order_by("sort_order", "code")
        years = sorted({d.year for d in Carrier.objects.dates("valid_from", "year")}, reverse=True)
        districts = District.objects.order_by("city", "sort_order", "code")
        self.fields["type"].choices = [("", "全部类型")] + [(t.code, t.name) for t in types]
        self.fields["year"].choices = [("", "全部年度")] + [(y, f"{y}年") for y in years]
        self.fields["district"].choices = [("", "全部区")] + [
            (d.code, f"{d.get_city_display()}{d.name}") for d in districts]
        self.fields["status"].choices = [("", "全部状态")] + list(STATUS_LABELS.items())
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "q" else "form-select"

    def usable(self) -> dict:
        """The valid filters; invalid ones (unknown codes, bad years) are ignored, never an error page."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


def filtered(values: dict):
    rows = public_carriers()
    today = timezone.localdate()
    if values.get("q"):
        rows = rows.filter(name__icontains=values["q"].strip())
    if "type" in values:
        rows = rows.filter(carrier_type__code=values["type"])
    if "year" in values:
        rows = rows.filter(valid_from__year=values["year"])
    if "district" in values:
        rows = rows.filter(district__code=values["district"])
    if "status" in values:
        rows = rows.filter(status_q(values["status"], today))
    return rows.order_by("carrier_type__sort_order", "-valid_from", "number")


def notice_url(pk: int) -> str:
    """The public page of a notice (built by reviews); the plain path when its URL is not there."""
    for name in ("reviews:notice", "reviews:public_notice"):
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return f"/notices/{pk}/"


def notices_url() -> str:
    try:
        return reverse("reviews:notices")
    except NoReverseMatch:
        return "/notices/"
