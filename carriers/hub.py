"""The Guangzhou hub (广州市民营和中小企业服务总站): designated by commission (委托) of the city bureau.

There is no public application: a GZ city reviewer records the commission (organisation, commission
document number, dates) and the hub becomes a carrier of type ``gz_hub_station``.

Only one hub holds the title at a time. Designating a new one while a hub is in office is refused
unless the reviewer explicitly ends the current commission in the same act (``end_current``): the
old hub's carrier is then marked expired, its validity ending the day before the new commission
starts (never before its own start). Both happen in one transaction.
"""

import datetime

from django import forms
from django.db import transaction

from accounts.models import City, Organisation, Role
from accounts.uscc import normalise

from .certificates import next_numbers, queue_generation
from .models import Carrier, CarrierType

HUB_CODE = "gz_hub_station"


class HubRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def hub_type() -> CarrierType:
    return CarrierType.objects.get(code=HUB_CODE)


def current_hubs():
    return (Carrier.objects.holding_title().filter(carrier_type__code=HUB_CODE)
            .select_related("organisation", "district", "carrier_type").order_by("-valid_from", "-pk"))


def current_hub() -> Carrier | None:
    return current_hubs().first()


def may_designate(user) -> bool:
    return (user.is_authenticated and not user.is_superuser and user.role == Role.CITY_REVIEWER
            and user.city == City.GUANGZHOU)


class HubDesignationForm(forms.Form):
    uscc = forms.CharField(label="承担单位统一社会信用代码", max_length=18,
                           help_text="须为已在本平台注册的广州市单位。")
    name = forms.CharField(label="载体名称", max_length=120, initial="广州市民营和中小企业服务总站")
    commission_document = forms.CharField(label="委托文件文号", max_length=80)
    valid_from = forms.DateField(label="委托期限起", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    valid_until = forms.DateField(label="委托期限至", required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  help_text="留空表示以委托文件为准，直至另行委托。")
    end_current = forms.BooleanField(label="同时终止现任服务总站的委托", required=False,
                                     help_text="已有服务总站在任时必须勾选；现任服务总站的状态将改为“已到期”。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-check-input" if name == "end_current" else "form-control"

    def clean_uscc(self):
        code = normalise(self.cleaned_data["uscc"])
        organisation = Organisation.objects.select_related("district").filter(uscc=code).first()
        if organisation is None:
            raise forms.ValidationError("未找到使用该统一社会信用代码注册的单位，请先由该单位在本平台注册。")
        if organisation.district.city != City.GUANGZHOU:
            raise forms.ValidationError("服务总站须由广州市的单位承担。")
        self.organisation = organisation
        return code

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", "委托期限截止日期不能早于起始日期。")
        return data


def designate(actor, *, organisation: Organisation, commission_document: str, valid_from: datetime.date,
              valid_until: datetime.date | None = None, name: str = "", end_current: bool = False) -> Carrier:
    """Record the commission and create the hub's carrier; see the module docstring for the one-hub rule."""
    if not may_designate(actor):
        raise HubRefused("只有广州市工业和信息化局的审核人员可以委托服务总站。")
    if organisation.district.city != City.GUANGZHOU:
        raise HubRefused("服务总站须由广州市的单位承担。")
    if valid_until and valid_until < valid_from:
        raise HubRefused("委托期限截止日期不能早于起始日期。")
    carrier_type = hub_type()
    with transaction.atomic():
        number = next_numbers(carrier_type, valid_from.year)[0]  # locks the type row: one designation at a time
        in_office = list(current_hubs().select_for_update(of=("self",)))
        if in_office and not end_current:
            names = "、".join(f"{hub.organisation.name}（{hub.number}）" for hub in in_office)
            raise HubRefused(f"现已有服务总站在任：{names}。同一时间只能有一个服务总站；"
                             "如需另行委托，请勾选“同时终止现任服务总站的委托”。")
        for hub in in_office:
            end = max(hub.valid_from, valid_from - datetime.timedelta(days=1))
            hub.valid_until = min(hub.valid_until, end) if hub.valid_until else end
            hub.status = Carrier.Status.EXPIRED
            hub.save(update_fields=["status", "valid_until"])
        carrier = Carrier.objects.create(
            organisation=organisation, carrier_type=carrier_type, district=organisation.district,
            name=(name or "").strip() or carrier_type.name, number=number, status=Carrier.Status.ACTIVE,
            valid_from=valid_from, valid_until=valid_until, commission_document=commission_document.strip())
        queue_generation([carrier.pk])
    return carrier
