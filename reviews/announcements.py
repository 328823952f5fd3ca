"""公告: the city reviewer publishes a round's final list; each approved application becomes a carrier.

Publishing is one transaction: the announcement, for each listed application the ``announce``
transition (through ``applications.workflow.transition``, the only way to change state), a
carrier with its number (carriers.certificates.next_numbers) and validity, and the entry
linking them. If any listed application cannot be announced, nothing is saved. After the
commit, Celery renders each carrier's certificate (BJ) or plaque (GZ).
"""

import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Role
from applications.models import Application, ApplicationState, Round
from applications.workflow import TransitionRefused, transition
from carriers import lifecycle
from carriers.certificates import next_numbers, queue_generation, validity_end
from carriers.models import Carrier

from .models import Announcement, AnnouncementEntry


class AnnouncementRefused(Exception):
    """The announcement was not published; nothing changed. ``message`` is for the reviewer."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_city_reviewer_of(user, city: str) -> bool:
    return (user.is_authenticated and not user.is_superuser and user.role == Role.CITY_REVIEWER
            and user.city == city)


def city_rounds(user):
    return Round.objects.filter(carrier_type__city=user.city).select_related("carrier_type")


def rounds_ready(user):
    """The reviewer's rounds with approved (not yet announced) applications, and how many."""
    return (city_rounds(user)
            .annotate(approved=Count("applications", filter=Q(applications__state=ApplicationState.APPROVED)))
            .filter(approved__gt=0).order_by("-year", "carrier_type__sort_order"))


def approved_applications(round_):
    """The round's approved applications in the order of the final list: by district, then by name."""
    return (Application.objects.filter(round=round_, state=ApplicationState.APPROVED)
            .select_related("district", "organisation", "carrier_type")
            .order_by("district__sort_order", "district__code", "applicant_name", "pk"))


def city_announcements(user):
    return (Announcement.objects.filter(round__carrier_type__city=user.city)
            .select_related("round__carrier_type").annotate(entry_count=Count("entries")))


def default_title(round_) -> str:
    return f"关于公布{round_.year}年度{round_.carrier_type.name}认定名单的公告"


def default_body(round_) -> str:
    steps = "单位申报、区级初审推荐、市级评审"
    if round_.carrier_type.requires_expert_review:
        steps += "、专家评审"
    basis = f"《{round_.title}》" + (f"（{round_.document_number}）" if round_.document_number else "")
    return (f"根据{basis}，经{steps}和社会公示，现将{round_.year}年度{round_.carrier_type.name}"
            f"认定名单予以公告。\n\n认定的载体应按照有关管理办法做好服务工作，接受年度绩效评价。")


class AnnouncementForm(forms.Form):
    title = forms.CharField(label="公告标题", max_length=200)
    document_number = forms.CharField(label="文号", max_length=60,
                                      help_text="例如：京经信发〔2026〕12号；文号不得与已发布的公告重复。")
    published_on = forms.DateField(label="公告日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                   help_text="认定载体的有效期自公告日期起算。")
    body = forms.CharField(label="公告正文", widget=forms.Textarea(attrs={"rows": 6}))
    applications = forms.TypedMultipleChoiceField(
        label="列入公告的申报", coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个已通过公示的申报。"})

    def __init__(self, *args, round_, approved, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_
        self.fields["applications"].choices = [(a.pk, a.applicant_name) for a in approved]
        if not self.is_bound:
            self.initial.update({"title": default_title(round_), "body": default_body(round_),
                                 "published_on": timezone.localdate(),
                                 "applications": [a.pk for a in approved]})
        for name, field in self.fields.items():
            if name != "applications":
                field.widget.attrs["class"] = "form-control"

    def clean_document_number(self):
        number = self.cleaned_data["document_number"].strip()
        if Announcement.objects.filter(document_number=number).exists():
            raise forms.ValidationError("该文号已被其他公告使用，请核对文号。")
        return number


def renew(application, actor, published_on: datetime.date, document_number: str) -> Carrier:
    """复核通过 (GZ 四（二）): the station keeps its number; validity runs three more years from its old end."""
    carrier = application.renews_carrier
    years = carrier.carrier_type.validity_years or 3
    new_until = (carrier.valid_until or published_on) + relativedelta(years=years)
    return lifecycle.extend(carrier.pk, new_until, actor, published_on, f"复核通过（{document_number}）",
                            allow_expired=True)


def publish(round_, actor, *, title: str, document_number: str, published_on: datetime.date, body: str,
            application_ids) -> Announcement:
    """Publish the announcement for the listed applications of ``round_``; all or nothing."""
    carrier_type = round_.carrier_type
    if not is_city_reviewer_of(actor, carrier_type.city):
        raise AnnouncementRefused("只有本市的市级审核人员可以发布该批次的认定公告。")
    ids = list(dict.fromkeys(int(pk) for pk in application_ids))
    if not ids:
        raise AnnouncementRefused("请至少选择一个已通过公示的申报。")
    document_number = document_number.strip()
    try:
        with transaction.atomic():
            applications = list(Application.objects.filter(pk__in=ids, round=round_)
                                .order_by("district__sort_order", "district__code", "applicant_name", "pk"))
            if len(applications) != len(ids):
                raise AnnouncementRefused("所选申报中有不属于该批次的申报，公告未发布。")
            if Announcement.objects.filter(document_number=document_number).exists():
                raise AnnouncementRefused(f"文号“{document_number}”已被其他公告使用，公告未发布。")
            announcement = Announcement.objects.create(
                round=round_, title=title.strip(), document_number=document_number, published_on=published_on,
                body=body.strip(), published_by=actor)
            new_count = sum(1 for a in applications if not a.renews_carrier_id)
            numbers = iter(next_numbers(carrier_type, published_on.year, new_count))
            until = validity_end(carrier_type, published_on)
            carriers = []
            for seq, application in enumerate(applications, start=1):
                try:
                    app = transition(application.pk, "announce", actor, f"{title.strip()}（{document_number}）")
                except TransitionRefused as refused:
                    label = f"申报 {application.number or application.pk}（{application.applicant_name}）"
                    raise AnnouncementRefused(
                        f"{label}：{refused.message}公告未发布，所有申报均未改变。") from refused
                if app.renews_carrier_id:
                    carrier = renew(app, actor, published_on, document_number)
                else:
                    carrier = Carrier.objects.create(
                        organisation_id=app.organisation_id, carrier_type=carrier_type, district_id=app.district_id,
                        name=app.carrier_name or app.applicant_name, number=next(numbers),
                        address=app.address, legal_representative=app.legal_representative,
                        status=Carrier.Status.ACTIVE, valid_from=published_on, valid_until=until)
                AnnouncementEntry.objects.create(announcement=announcement, application=app, carrier=carrier,
                                                 seq=seq)
                carriers.append(carrier)
            queue_generation(c.pk for c in carriers)
    except IntegrityError as error:
        raise AnnouncementRefused(
            "文号或证书编号与已有记录重复（可能有人同时发布），公告未发布，请刷新后重试。") from error
    return announcement


# The announcement list's export (portal.exports), from city_announcements.
EXPORT_COLUMNS = [
    ("公告标题", "title"),
    ("文号", "document_number"),
    ("公告日期", "published_on"),
    ("年度", "round.year"),
    ("载体类型", "round.carrier_type.name"),
    ("认定数量", "entry_count"),
]
