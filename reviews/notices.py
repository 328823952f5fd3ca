"""公示: the city publishes a round's shortlisted applications for public objection.

Publishing computes the period in working days (portal.workdays, 调休 included),
snapshots the listed entries (序号, 区, 单位名称, 载体名称, 类型) and fires
``publish_notice`` on every listed application in ONE transaction: all or
nothing. A year without an official holiday calendar stops the publication
with the administrator's message (WorkingDayCalendarMissing) and changes nothing.

Public pages and the PDF show only what the notice holds: unit names,
districts, carrier names, types and the bureau's own contact text. The
applicants' contacts and legal representatives never leave the portal.
"""

import datetime
import re
import zoneinfo

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import CITY_BUREAUS, City, Role
from applications.models import Application, ApplicationState, Round
from applications.workflow import transition
from portal.workdays import WorkingDayCalendar, WorkingDayCalendarMissing, period_end

from .models import NoticeEntry, Objection, PublicNotice

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
PAGE_SIZE = 20

__all__ = ["CHINA", "NoticeRefused", "PublishForm", "WorkingDayCalendarMissing", "publish"]


class NoticeRefused(Exception):
    """Publication refused (in Chinese); nothing was created."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def china_today() -> datetime.date:
    return timezone.localdate(timezone=CHINA)


# --- What a public text must not hold ---------------------------------------------------------

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
PERSONAL_MAIL = re.compile(
    r"[\w.+-]+@(?:qq|163|126|yeah|sina|sohu|139|189|foxmail|gmail|hotmail|outlook|icloud|aliyun|live|yahoo)"
    r"\.(?:com|cn|net)(?:\.cn)?", re.IGNORECASE)


def personal_data_problems(text: str) -> list[str]:
    """What in a text to be published looks like a person's data (mobile, ID number, personal e-mail)."""
    problems = []
    if MOBILE.search(text or ""):
        problems.append("含有手机号码")
    if ID_NUMBER.search(text or ""):
        problems.append("含有身份证号码")
    if PERSONAL_MAIL.search(text or ""):
        problems.append("含有个人邮箱")
    return problems


def no_personal_data(value: str):
    problems = personal_data_problems(value)
    if problems:
        raise forms.ValidationError(
            "公示内容将向社会公开，" + "、".join(problems) + "，请改用单位办公电话、公务邮箱或通讯地址。")


# --- Rounds and entries a city reviewer may publish -------------------------------------------

def city_rounds(user):
    """The reviewer's own city's rounds, with the number of shortlisted applications not yet noticed."""
    return (
        Round.objects.filter(carrier_type__city=user.city).select_related("carrier_type")
        .annotate(shortlisted_count=Count("applications", filter=Q(applications__state=ApplicationState.SHORTLISTED)))
        .order_by("-year", "carrier_type__sort_order")
    )


def city_round(user, round_pk):
    """The round if it is of the reviewer's city, else None."""
    if not user.is_authenticated or user.role != Role.CITY_REVIEWER or not user.city:
        return None
    try:
        round_pk = int(round_pk)
    except (TypeError, ValueError):
        return None
    return Round.objects.filter(pk=round_pk, carrier_type__city=user.city).select_related("carrier_type").first()


def shortlisted(user, round_):
    return (
        Application.objects.visible_to(user).filter(round=round_, state=ApplicationState.SHORTLISTED)
        .select_related("district", "carrier_type", "recommendation")
        .order_by("district__sort_order", "district__code", "recommendation__rank", "pk")
    )


def issuer_of(round_) -> str:
    return CITY_BUREAUS[City(round_.carrier_type.city)]


def default_texts(round_) -> dict:
    type_ = round_.carrier_type
    steps = "区级推荐、专家评审、市级审核" if type_.requires_expert_review else "区级推荐、市级审核"
    basis = f"《{round_.title}》" + (f"（{round_.document_number}）" if round_.document_number else "")
    return {
        "title": f"关于{round_.year}年度{type_.name}拟认定名单的公示",
        "body": (f"根据{basis}要求，经单位申报、{steps}，拟认定以下单位为{round_.year}年度{type_.name}，"
                 f"现予以公示。\n公示期间，任何单位和个人如有异议，请在公示期内以书面形式向{issuer_of(round_)}提出。"),
        "objection_contact": f"受理单位：{issuer_of(round_)}\n联系电话：（请填写办公电话）\n通讯地址：（请填写）",
    }


class PublishForm(forms.Form):
    title = forms.CharField(label="公示标题", max_length=200, validators=[no_personal_data])
    document_number = forms.CharField(label="文号", max_length=60,
                                      help_text="如：京经信公示〔2026〕5号；不得与已发布的公示重复")
    body = forms.CharField(label="公示正文", widget=forms.Textarea(attrs={"rows": 6}), validators=[no_personal_data])
    objection_contact = forms.CharField(
        label="异议受理方式", widget=forms.Textarea(attrs={"rows": 3}), validators=[no_personal_data],
        help_text="受理部门、办公电话、通讯地址；将向社会公开，不得填写个人手机号、身份证号或个人邮箱")
    applications = forms.ModelMultipleChoiceField(
        label="列入公示的拟认定申报", queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": "请至少选择一项拟认定申报列入公示。",
                        "invalid_choice": "所选申报中有的已不处于“拟认定”状态，请刷新页面后重试。",
                        "invalid_pk_value": "所选申报无效，请刷新页面后重试。"})

    def __init__(self, *args, user, round_, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = shortlisted(user, round_)
        self.fields["applications"].queryset = queryset
        self.fields["applications"].label_from_instance = (
            lambda app: f"{app.district.name} · {app.applicant_name}" + (f"（{app.carrier_name}）" if app.carrier_name
                                                                        else ""))
        if not self.is_bound:
            self.initial = {**default_texts(round_), "applications": [app.pk for app in queryset]}
        for name, field in self.fields.items():
            if name != "applications":
                field.widget.attrs["class"] = "form-control"

    def clean_document_number(self):
        number = self.cleaned_data["document_number"].strip()
        clash = PublicNotice.objects.filter(document_number=number).first()
        if clash is not None:
            raise forms.ValidationError(f"文号“{number}”已被公示《{clash.title}》使用，请核对文号。")
        return number


def publish(user, round_pk, *, title, document_number, body, objection_contact, application_ids,
            today: datetime.date | None = None) -> PublicNotice:
    """Publish the notice and put every listed application in notice, in one transaction.

    Raises NoticeRefused or WorkingDayCalendarMissing (message for the reviewer); nothing is created then.
    TransitionRefused from any entry rolls the whole publication back too.
    """
    round_ = city_round(user, round_pk)
    if round_ is None:
        raise NoticeRefused("未找到该申报批次，或该批次不属于本市，不能发布公示。")
    document_number = (document_number or "").strip()
    if PublicNotice.objects.filter(document_number=document_number).exists():
        raise NoticeRefused(f"文号“{document_number}”已被其他公示使用，请核对文号。")
    ids = {int(pk) for pk in application_ids}
    if not ids:
        raise NoticeRefused("请至少选择一项拟认定申报列入公示。")
    starts_on = today or china_today()
    ends_on = period_end(starts_on, round_.carrier_type.notice_working_days)  # may raise WorkingDayCalendarMissing
    comment = f"列入公示《{title}》（{document_number}），公示期{starts_on:%Y-%m-%d}至{ends_on:%Y-%m-%d}"
    try:
        with transaction.atomic():
            apps = list(
                shortlisted(user, round_).filter(pk__in=ids).select_for_update(of=("self",))
            )
            if len(apps) != len(ids):
                raise NoticeRefused("所选申报中有的已不处于“拟认定”状态或不属于该批次，请刷新页面后重试；公示未发布。")
            notice = PublicNotice.objects.create(
                round=round_, title=title.strip(), document_number=document_number, body=body.strip(),
                objection_contact=objection_contact.strip(), starts_on=starts_on, ends_on=ends_on, published_by=user)
            NoticeEntry.objects.bulk_create([
                NoticeEntry(notice=notice, application=app, seq=seq, district_name=app.district.name,
                            unit_name=app.applicant_name, carrier_name=app.carrier_name,
                            type_name=app.carrier_type.name)
                for seq, app in enumerate(apps, start=1)
            ])
            for app in apps:
                transition(app.pk, "publish_notice", user, comment)
    except IntegrityError as error:  # a concurrent publication took the document number
        raise NoticeRefused(f"文号“{document_number}”已被其他公示使用，请核对文号。") from error
    return notice


# --- Reading notices ---------------------------------------------------------------------------

def city_notices(user):
    """The reviewer's city's notices with entry and open-objection counts (one query per page)."""
    return (
        PublicNotice.objects.filter(round__carrier_type__city=user.city)
        .select_related("round__carrier_type", "published_by")
        .annotate(
            entry_count=Count("entries", distinct=True),
            objection_count=Count("entries__objections", distinct=True),
            open_objection_count=Count("entries__objections", distinct=True,
                                       filter=Q(entries__objections__status=Objection.Status.OPEN)),
        )
        .order_by("-published_at", "-pk")
    )


def public_notices():
    return PublicNotice.objects.select_related("round__carrier_type").annotate(
        entry_count=Count("entries")).order_by("-starts_on", "-pk")


def working_days_in(notice) -> int:
    """How many working days the period holds (the type's setting if the calendar cannot say)."""
    try:
        calendar = WorkingDayCalendar()
        day, count = notice.starts_on, 0
        while day <= notice.ends_on:
            count += calendar.is_working_day(day)
            day += datetime.timedelta(days=1)
        return count
    except WorkingDayCalendarMissing:
        return notice.round.carrier_type.notice_working_days


def period_text(notice) -> str:
    return (f"公示期：{notice.starts_on.year}年{notice.starts_on.month}月{notice.starts_on.day}日至"
            f"{notice.ends_on.year}年{notice.ends_on.month}月{notice.ends_on.day}日（{working_days_in(notice)}个工作日）")


def is_open(notice, now: datetime.datetime | None = None) -> bool:
    """Objections are accepted from the first day to 24:00 of the last day, Beijing time."""
    today = timezone.localtime(now or timezone.now(), CHINA).date()
    return notice.closed_at is None and notice.starts_on <= today <= notice.ends_on


def public_context(notice, now=None) -> dict:
    """What the public page and the PDF show: nothing of the applicants beyond the published snapshot."""
    entries = list(notice.entries.order_by("seq").only(
        "pk", "seq", "district_name", "unit_name", "carrier_name", "type_name", "notice_id"))
    return {
        "notice": notice,
        "issuer": issuer_of(notice.round),
        "entries": entries,
        "period_text": period_text(notice),
        "is_open": is_open(notice, now),
        "working_days": working_days_in(notice),
    }


# The notice list's export (portal.exports): the columns on screen, from city_notices.
NOTICE_EXPORT_COLUMNS = [
    ("公示标题", "title"),
    ("文号", "document_number"),
    ("年度", "round.year"),
    ("载体类型", "round.carrier_type.name"),
    ("公示开始", "starts_on"),
    ("公示结束", "ends_on"),
    ("公示单位数", "entry_count"),
    ("异议件数", "objection_count"),
    ("待处理异议", "open_objection_count"),
    ("状态", lambda n: "已结束" if n.closed_at else "公示中 / 待处理"),
]
