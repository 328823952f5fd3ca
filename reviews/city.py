"""The city bureau's review (市级评审): its queue across the city's districts, and its decision.

Everything goes through ``Application.objects.visible_to`` (a city reviewer
sees its own city's recommended applications) and decisions through
``applications.workflow.transition`` (the row is locked, the version compared,
the event recorded, the applicant notified).
"""

from django import forms
from django.db import transaction
from django.db.models import Count

from accounts.models import District
from applications.models import Application, ApplicationState, Round
from applications.workflow import TransitionRefused, transition
from carriers.models import CarrierType

PAGE_SIZE = 20
DECISIONS = {"shortlist": "拟认定", "reject": "不予认定"}
# The states a city reviewer meets, in the order of the flow (the tabs of the queue).
QUEUE_STATES = [
    ApplicationState.CITY_REVIEW, ApplicationState.EXPERT_REVIEW, ApplicationState.SHORTLISTED,
    ApplicationState.IN_NOTICE, ApplicationState.APPROVED, ApplicationState.ANNOUNCED,
    ApplicationState.REJECTED, ApplicationState.WITHDRAWN,
]
NEEDS_EXPERT_REVIEW = ("该申报须先由服务总站组织专家评审、汇总形成推荐意见报送市工业和信息化局后，"
                       "方可拟认定（四（一）3（2））。")


class FilterForm(forms.Form):
    """Filters of a city list page: invalid ones are ignored and named, never an error page."""

    def usable(self) -> tuple[dict, list[str]]:
        """The valid filters, and the labels of the ones ignored because they were not valid."""
        self.is_valid()
        ignored = [str(self.fields[name].label) for name in self.errors]
        values = {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}
        return values, ignored


def round_choices(city) -> list[tuple]:
    """The city's rounds as filter choices, newest first."""
    rounds = Round.objects.filter(carrier_type__city=city).select_related("carrier_type").order_by(
        "-year", "carrier_type__sort_order")
    return [("", "全部批次")] + [
        (r.pk, f"{r.year}年 {r.carrier_type.short_name or r.carrier_type.name}") for r in rounds]


class QueueFilterForm(FilterForm):
    """Filters of the city queue; choices come from the reviewer's own city only."""

    type = forms.ChoiceField(label="载体类型", required=False)
    round = forms.TypedChoiceField(label="申报批次", required=False, coerce=int, empty_value=None)
    district = forms.ChoiceField(label="所属区", required=False)
    state = forms.ChoiceField(label="状态", required=False)

    def __init__(self, data, *, city):
        super().__init__(data)
        types = list(CarrierType.objects.filter(city=city, publicly_applicable=True).order_by("sort_order"))
        districts = District.objects.filter(city=city).order_by("sort_order", "code")
        self.fields["type"].choices = [("", "全部类型")] + [(t.code, t.short_name or t.name) for t in types]
        self.fields["round"].choices = round_choices(city)
        self.fields["district"].choices = [("", "全部区")] + [(d.code, d.name) for d in districts]
        self.fields["state"].choices = [("", "全部状态")] + [(s.value, s.label) for s in QUEUE_STATES]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


def queue(user, data):
    """(filter form, ignored filter labels, filtered queryset, counts per state) for the reviewer."""
    form = QueueFilterForm(data, city=user.city)
    values, ignored = form.usable()
    base = Application.objects.visible_to(user)
    if "type" in values:
        base = base.filter(carrier_type__code=values["type"])
    if "round" in values:
        base = base.filter(round_id=values["round"])
    if "district" in values:
        base = base.filter(district__code=values["district"])
    counts = dict(base.order_by().values_list("state").annotate(n=Count("pk")))
    rows = base.filter(state=values["state"]) if "state" in values else base
    rows = rows.select_related(
        "carrier_type", "district", "round", "expert_summary", "recommendation",
    ).order_by("-recommended_at", "-pk")
    tabs = [{"state": "", "label": "全部", "count": sum(counts.values())}] + [
        {"state": s.value, "label": s.label, "count": counts.get(s.value, 0)} for s in QUEUE_STATES]
    return form, ignored, rows, tabs, values


def decide(application_pk, action, reviewer, comment="", *, expected_version=None) -> Application:
    """拟认定 or 不予认定 by the city; a type with expert review needs the hub's recommendation first."""
    if action not in DECISIONS:
        raise TransitionRefused("不存在的操作。")
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",)).select_related("carrier_type")
            .filter(pk=application_pk).first()
        )
        if app is None:
            raise TransitionRefused("未找到该申报。")
        current = expected_version is None or str(app.version) == str(expected_version)
        if (current and action == "shortlist" and app.state == ApplicationState.CITY_REVIEW
                and app.carrier_type.requires_expert_review and not app.expert_review_done):
            raise TransitionRefused(NEEDS_EXPERT_REVIEW)
        return transition(app.pk, action, reviewer, comment, expected_version=expected_version)


def _expert_text(application) -> str:
    if not application.carrier_type.requires_expert_review:
        return "不适用"
    summary = getattr(application, "expert_summary", None)
    if summary is not None:
        return f"{summary.average_score} 分（{'推荐' if summary.recommended else '不推荐'}）"
    return "评审中" if application.state == ApplicationState.EXPERT_REVIEW else "待组织"


# The queue's export (portal.exports): the columns on screen, from queue()'s rows.
QUEUE_EXPORT_COLUMNS = [
    ("申报编号", "number"),
    ("申报单位", "applicant_name"),
    ("载体名称", "carrier_name"),
    ("载体类型", "carrier_type.name"),
    ("年度", "round.year"),
    ("所属区", "district.name"),
    ("区级推荐时间", "recommended_at"),
    ("区内排序", lambda a: a.recommendation.rank if getattr(a, "recommendation", None) else ""),
    ("专家评审", _expert_text),
    ("状态", "get_state_display"),
]
