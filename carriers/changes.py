"""Major changes (重大变更: 名称、地址、主营业务、法定代表人) reported by a carrier's unit.

- BJ 服务站 第二十一条: within 30 working days of the change, to the district, which
  verifies (核实) and forwards to the city; the city changes the record or revokes.
- BJ 示范平台 / 示范基地 第十七条: within 30 working days, straight to the city (备案),
  which changes the record or revokes, and publishes it.
- GZ 服务站 四（四）: within 30 days of the change, straight to the city.

Lateness is fixed at filing: the deadline is add_working_days(changed_on, 30) in Beijing
(the 30th working day after the change is still on time), changed_on + 30 days in
Guangzhou. When the working-day calendar of that year is missing the filing is still
accepted and ``is_late`` stays empty (officials judge it), never a weekday guess.
"""

import datetime

from django import forms
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import City, Role, User
from portal.notifications import notify
from portal.uploads import validate_upload
from portal.workdays import WorkingDayCalendarMissing, add_working_days

from . import lifecycle
from .certificates import queue_generation
from .models import Carrier, ChangeRequest
from .rules import get_rules

REPORT_WITHIN = 30
VIA_DISTRICT = {"bj_srdi_station"}  # BJ station 第二十一条: 报区中小企业主管部门，核实后报送至市
ARTICLES = {
    "bj_srdi_station": "《北京市专精特新服务站管理办法》第二十一条",
    "bj_demo_platform": "《北京市中小企业公共服务示范平台认定管理办法》第十七条",
    "bj_demo_base": "《北京市小型微型企业创业创新示范基地认定管理办法》第十七条",
}
GZ_ARTICLE = "《广州市民营和中小企业服务站建设工作指引》四（四）"
Field = ChangeRequest.Field
Status = ChangeRequest.Status
# Where the current value lives when the carrier's own field is still blank (carriers created before these fields).
ORGANISATION_FALLBACK = {Field.ADDRESS: "address", Field.LEGAL_REPRESENTATIVE: "legal_representative"}


class ChangeRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def article_for(carrier) -> str:
    return ARTICLES.get(carrier.carrier_type.code, GZ_ARTICLE)


def goes_to_district(carrier) -> bool:
    return carrier.carrier_type.code in VIA_DISTRICT


def deadline_for(carrier, changed_on: datetime.date) -> datetime.date:
    """The last day to report on time; may raise WorkingDayCalendarMissing (Beijing only)."""
    if carrier.carrier_type.city == City.BEIJING:
        return add_working_days(changed_on, REPORT_WITHIN)  # 30个工作日内
    return changed_on + datetime.timedelta(days=REPORT_WITHIN)  # GZ 四（四）“30日内”


def lateness(carrier, changed_on: datetime.date, filed_on: datetime.date):
    """(deadline, is_late); (None, None) when the working-day calendar is missing."""
    try:
        deadline = deadline_for(carrier, changed_on)
    except WorkingDayCalendarMissing:
        return None, None
    return deadline, filed_on > deadline


def current_value(carrier, field: str) -> str:
    value = getattr(carrier, field)
    if not value and field in ORGANISATION_FALLBACK:
        value = getattr(carrier.organisation, ORGANISATION_FALLBACK[field])
    return value


def _district_officers(carrier):
    return User.objects.filter(role=Role.DISTRICT_OFFICER, district_id=carrier.district_id, is_active=True)


def _city_reviewers(carrier):
    return User.objects.filter(role=Role.CITY_REVIEWER, city=carrier.carrier_type.city, is_active=True)


def _unit_members(carrier):
    return User.objects.filter(role=Role.APPLICANT, organisation_id=carrier.organisation_id, is_active=True)


def _url(change) -> str:
    return reverse("carriers:change_detail", args=[change.pk])


class ChangeForm(forms.Form):
    field = forms.ChoiceField(label="变更事项", choices=Field.choices)
    new_value = forms.CharField(label="变更后", max_length=200)
    changed_on = forms.DateField(label="变更日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text="变更实际发生（完成登记）的日期。")
    evidence = forms.FileField(label="证明材料", help_text="营业执照、登记机关核准通知书等，PDF、JPG 或 PNG。")

    def __init__(self, *args, carrier, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.carrier, self.today = carrier, today

    def clean_changed_on(self):
        day = self.cleaned_data["changed_on"]
        if day > self.today:
            raise forms.ValidationError("变更日期不能晚于今天。")
        return day

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        self.checked = validate_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        field, new_value = cleaned.get("field"), (cleaned.get("new_value") or "").strip()
        if field and new_value and new_value == current_value(self.carrier, field):
            self.add_error("new_value", "变更后的内容与现有内容相同。")
        cleaned["new_value"] = new_value
        return cleaned


def file_change(carrier, user, *, field, new_value, changed_on, evidence, evidence_name, today) -> ChangeRequest:
    """The unit reports a change; the district (BJ station) or the city is told."""
    if carrier.status not in lifecycle.IN_FORCE:
        raise ChangeRefused(f"该载体当前状态为“{carrier.get_status_display()}”，无需报告变更。")
    deadline, is_late = lateness(carrier, changed_on, today)
    status = Status.DISTRICT_REVIEW if goes_to_district(carrier) else Status.CITY_REVIEW
    try:
        with transaction.atomic():
            change = ChangeRequest.objects.create(
                carrier=carrier, field=field, old_value=current_value(carrier, field), new_value=new_value,
                changed_on=changed_on, evidence=evidence, evidence_name=evidence_name, filed_by=user,
                deadline=deadline, is_late=is_late, status=status)
            late = "（逾期报告）" if is_late else ""
            recipients = _district_officers(carrier) if status == Status.DISTRICT_REVIEW else _city_reviewers(carrier)
            notify(recipients, f"{carrier.name}报告{change.get_field_display()}变更{late}",
                   f"{change.old_value or '（空）'} → {new_value}，变更日期 {changed_on:%Y-%m-%d}。", _url(change))
    except IntegrityError:
        raise ChangeRefused("该事项已有一份变更报告正在审核，请等待处理结果。") from None
    return change


def _locked_change(change_pk, status) -> ChangeRequest:
    change = (ChangeRequest.objects.select_for_update(of=("self",)).select_related("carrier__carrier_type")
              .filter(pk=change_pk).first())
    if change is None or change.status != status:
        raise ChangeRefused("该变更报告已被处理，请刷新页面。")
    return change


def district_forward(change_pk, officer, opinion: str) -> ChangeRequest:
    """第二十一条: the district verifies (核实) and forwards to the city with its opinion."""
    with transaction.atomic():
        change = _locked_change(change_pk, Status.DISTRICT_REVIEW)
        change.district_opinion, change.district_by, change.district_at = opinion, officer, timezone.now()
        change.status = Status.CITY_REVIEW
        change.save(update_fields=["district_opinion", "district_by", "district_at", "status"])
        notify(_city_reviewers(change.carrier), f"{change.carrier.name}的{change.get_field_display()}变更待审核",
               f"区级核实意见：{opinion}", _url(change))
    return change


def _decided(change, reviewer, status, reason):
    change.status, change.decided_by, change.decided_at, change.decision_reason = (
        status, reviewer, timezone.now(), reason)
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    title = f"{change.carrier.name}的{change.get_field_display()}变更：{change.get_status_display()}"
    notify(_unit_members(change.carrier), title, reason, _url(change))


def approve(change_pk, reviewer, decided_on: datetime.date, reason: str = "") -> ChangeRequest:
    """The city agrees: the carrier's record changes and a CarrierEvent keeps the old value."""
    with transaction.atomic():
        change = _locked_change(change_pk, Status.CITY_REVIEW)
        carrier = Carrier.objects.select_for_update(of=("self",)).select_related("organisation", "carrier_type").get(
            pk=change.carrier_id)
        if carrier.status not in lifecycle.IN_FORCE:
            raise ChangeRefused(f"该载体当前状态为“{carrier.get_status_display()}”，不能变更。")
        old = current_value(carrier, change.field)
        setattr(carrier, change.field, change.new_value)
        fields = [change.field]
        stale_document = ""
        if change.field == Field.NAME and carrier.document:
            stale_document = carrier.document.name  # the certificate carries the name: reissue it
            carrier.document, carrier.document_generated_at = "", None
            fields += ["document", "document_generated_at"]
        carrier.save(update_fields=fields)
        lifecycle.record(carrier, "change", carrier.status, actor=reviewer, decided_on=decided_on,
                         ground=article_for(carrier), comment=reason or f"同意{change.get_field_display()}变更",
                         old={change.field: old}, new={change.field: change.new_value})
        _decided(change, reviewer, Status.APPROVED, reason)
        if stale_document:
            storage = Carrier._meta.get_field("document").storage
            transaction.on_commit(lambda: storage.delete(stale_document))
            queue_generation([carrier.pk])
    return change


def revocation_choices(carrier) -> list[tuple[str, str]]:
    """The type's grounds a reviewer may revoke on after a change (not the holder's own withdrawal)."""
    grounds = get_rules(carrier.carrier_type.code).revocation_grounds
    return [(g.key, g.citation) for g in grounds if not g.withdraws]


def revoke_title(change_pk, reviewer, ground_key: str, decided_on: datetime.date, reason: str) -> ChangeRequest:
    """The city revokes the title on account of the change (lifecycle.revoke with the chosen ground)."""
    with transaction.atomic():
        change = _locked_change(change_pk, Status.CITY_REVIEW)
        try:
            lifecycle.revoke(change.carrier_id, ground_key, reviewer, decided_on,
                             f"重大变更（{change.get_field_display()}）：{reason}")
        except lifecycle.LifecycleRefused as refused:
            raise ChangeRefused(refused.message) from None
        _decided(change, reviewer, Status.REVOKED, reason)
    return change


def reject(change_pk, reviewer, reason: str) -> ChangeRequest:
    with transaction.atomic():
        change = _locked_change(change_pk, Status.CITY_REVIEW)
        _decided(change, reviewer, Status.REJECTED, reason)
    return change


class DistrictForm(forms.Form):
    opinion = forms.CharField(label="核实意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class DecisionForm(forms.Form):
    APPROVE, REVOKE, REJECT = "approve", "revoke", "reject"
    decision = forms.ChoiceField(label="决定", widget=forms.RadioSelect, choices=[
        (APPROVE, "同意变更"), (REVOKE, "撤销称号"), (REJECT, "不予变更（退回）")])
    ground = forms.ChoiceField(label="撤销依据", required=False)
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False)

    def __init__(self, *args, carrier, **kwargs):
        super().__init__(*args, **kwargs)
        choices = revocation_choices(carrier)
        self.fields["ground"].choices = [("", "——")] + choices
        default = "other" if any(key == "other" for key, _ in choices) else ""
        self.fields["ground"].initial = default

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == self.REVOKE and not cleaned.get("ground"):
            self.add_error("ground", "撤销称号须选择撤销依据。")
        if decision in (self.REVOKE, self.REJECT) and not cleaned.get("reason"):
            self.add_error("reason", "请填写理由。")
        return cleaned


PUBLIC_VALUES = {Field.NAME, Field.ADDRESS, Field.MAIN_BUSINESS}  # a person's name is not repeated on public pages


def public_change_log(carrier) -> list[dict]:
    """The approved changes of a carrier for its public page (变更记录), oldest first."""
    labels = dict(Field.choices)
    rows = []
    for event in carrier.events.filter(action="change").order_by("decided_on", "pk"):
        for key, new in event.new_values.items():
            shown = key in PUBLIC_VALUES
            rows.append({"day": event.decided_on, "label": labels.get(key, key),
                         "old": event.old_values.get(key, "") if shown else "", "new": new if shown else ""})
    return rows


def _late_text(change) -> str:
    if change.is_late is None:
        return "未能判定是否逾期"
    return "逾期报告" if change.is_late else "按期报告"


# The change list's export (portal.exports): the columns on screen.
EXPORT_COLUMNS = [
    ("载体名称", "carrier.name"),
    ("载体编号", "carrier.number"),
    ("所属区", "carrier.district.name"),
    ("载体类型", "carrier.carrier_type.short_name"),
    ("变更事项", "get_field_display"),
    ("变更前", "old_value"),
    ("变更后", "new_value"),
    ("变更日期", "changed_on"),
    ("报告时间", "filed_at"),
    ("是否按期", _late_text),
    ("状态", "get_status_display"),
]
