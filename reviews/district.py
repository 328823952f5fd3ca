"""District officers (区中小企业主管部门): the queue, the decisions on one application, and the
district's recommendation list for a round, sent to the city as one act.

Every state change goes through ``applications.workflow.transition``; this module only adds
what belongs to the district: the list (拟推荐, no state change until it is sent), its order,
notes and opinion, and the all-or-nothing submission (报送市级).

Reading is always through ``Application.objects.visible_to(user)``.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django import forms
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from accounts.models import Role, User
from applications import actors
from applications.models import Application, ApplicationState, Round
from applications.workflow import TransitionRefused, transition
from carriers.models import CarrierType
from portal.notifications import notify

from .models import RecommendationEntry, RecommendationList
from .panels import register

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEADLINE_WARNING_DAYS = 7
QUEUE_PAGE_SIZE = 20
DECISIONS = ("return_for_revision", "reject")
STALE_PAGE = "页面已过期（缺少版本信息），请刷新页面后再操作。"


class ListRefused(TransitionRefused):
    """A change to a recommendation list that is not allowed; nothing changed."""


def shanghai_today() -> datetime.date:
    """Today's date in Beijing time: deadlines are dates in Asia/Shanghai, whatever the server's zone."""
    return timezone.now().astimezone(SHANGHAI).date()


# --- Deadlines -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineStatus:
    """How close a round's district deadline is; ``level`` is "past", "soon" or "" (never colour alone)."""

    deadline: datetime.date
    days_left: int

    @property
    def level(self) -> str:
        if self.days_left < 0:
            return "past"
        if self.days_left <= DEADLINE_WARNING_DAYS:
            return "soon"
        return ""

    @property
    def text(self) -> str:
        if self.days_left < 0:
            return f"已过截止日期{-self.days_left}天"
        if self.days_left == 0:
            return "今天是截止日"
        if self.days_left <= DEADLINE_WARNING_DAYS:
            return f"剩余{self.days_left}天"
        return ""


def deadline_status(round_: Round, today: datetime.date | None = None) -> DeadlineStatus:
    today = today or shanghai_today()
    return DeadlineStatus(round_.district_deadline, (round_.district_deadline - today).days)


def deadline_passed(round_: Round, today: datetime.date | None = None) -> bool:
    return (today or shanghai_today()) > round_.district_deadline


# --- The queue -------------------------------------------------------------------------------------------------

STATE_LABELS_FOR_DISTRICT = {ApplicationState.DRAFT: "已退回修改"}


def state_label(state: str) -> str:
    return STATE_LABELS_FOR_DISTRICT.get(state, ApplicationState(state).label)


class QueueFilterForm(forms.Form):
    carrier_type = forms.ModelChoiceField(CarrierType.objects.none(), required=False, label="载体类型",
                                          empty_label="全部类型")
    round = forms.ModelChoiceField(Round.objects.none(), required=False, label="申报批次", empty_label="全部批次")
    state = forms.ChoiceField(required=False, label="状态")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier_type"].queryset = CarrierType.objects.filter(city=user.city)
        self.fields["round"].queryset = Round.objects.filter(carrier_type__city=user.city).order_by(
            "-year", "carrier_type__sort_order")
        self.fields["state"].choices = [("", "全部状态")] + [(s.value, state_label(s)) for s in ApplicationState]
        for name in self.fields:
            self.fields[name].widget.attrs["class"] = "form-select"


@dataclass
class Queue:
    form: QueueFilterForm
    applications: object  # queryset, paginated by the view
    state_counts: list = field(default_factory=list)
    total: int = 0
    ignored: list = field(default_factory=list)
    selected_state: str = ""


def district_queue(user, params) -> Queue:
    """The officer's district's submitted applications, filtered by ``params`` (bad values ignored, with a message).

    The counts per state (one GROUP BY) follow the type and round filters, not the state filter, so they
    read as the choices the state filter offers.
    """
    bound = QueueFilterForm(params, user=user)
    bound.is_valid()
    ignored = [f"筛选条件“{bound.fields[name].label}”的值无效，已忽略。" for name in bound.errors]
    chosen = {name: value for name, value in bound.cleaned_data.items() if value not in (None, "")}
    form = QueueFilterForm(initial=chosen, user=user)

    base = Application.objects.visible_to(user)
    if "carrier_type" in chosen:
        base = base.filter(carrier_type=chosen["carrier_type"])
    if "round" in chosen:
        base = base.filter(round=chosen["round"])
    counts = {row["state"]: row["n"] for row in base.order_by().values("state").annotate(n=Count("pk"))}
    state_counts = [(s.value, state_label(s), counts[s.value]) for s in ApplicationState if counts.get(s.value)]

    rows = base.filter(state=chosen["state"]) if "state" in chosen else base
    rows = (
        rows.select_related("round", "carrier_type", "recommendation")
        .annotate(pending_first=Case(When(state=ApplicationState.DISTRICT_REVIEW, then=Value(0)), default=Value(1),
                                     output_field=IntegerField()))
        .order_by("pending_first", "round__district_deadline", "submitted_at", "pk")
    )
    return Queue(form=form, applications=rows, state_counts=state_counts, total=sum(counts.values()),
                 ignored=ignored, selected_state=chosen.get("state", ""))


def annotate_deadlines(applications, today: datetime.date | None = None):
    """Attach ``deadline`` (a DeadlineStatus) to each row; highlighted only while the district still has to act."""
    today = today or shanghai_today()
    for application in applications:
        application.deadline = deadline_status(application.round, today)
        application.deadline_matters = application.state == ApplicationState.DISTRICT_REVIEW
    return applications


def rounds_with_lists(user, limit: int = 12):
    """The city's rounds, newest first, with this district's pending count and list status (one query)."""
    district_lists = Q(recommendation_lists__district_id=user.district_id)
    return (
        Round.objects.filter(carrier_type__city=user.city)
        .select_related("carrier_type")
        .annotate(
            pending_count=Count("applications", distinct=True,
                                filter=Q(applications__district_id=user.district_id,
                                         applications__state=ApplicationState.DISTRICT_REVIEW)),
            listed_count=Count("recommendation_lists__entries", distinct=True, filter=district_lists),
            submitted_lists=Count("recommendation_lists", distinct=True,
                                  filter=district_lists & Q(recommendation_lists__status="submitted")),
        )
        .order_by("-year", "carrier_type__sort_order")[:limit]
    )


# --- Decisions on one application ---------------------------------------------------------------------------------


def _version(value) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise TransitionRefused(STALE_PAGE) from None


def decide(application_pk: int, action: str, officer, reason: str, version) -> Application:
    """退回修改 or 不予推荐, with reasons, refused if the officer's page is stale; drops it from the draft list."""
    if action not in DECISIONS:
        raise TransitionRefused("不存在的操作。")
    expected = _version(version)
    with transaction.atomic():
        application = transition(application_pk, action, officer, reason, expected_version=expected)
        entry = (RecommendationEntry.objects.filter(application=application,
                                                    recommendation_list__status=RecommendationList.Status.DRAFT)
                 .select_related("recommendation_list").first())
        if entry is not None:
            recommendation_list = entry.recommendation_list
            entry.delete()
            _renumber(recommendation_list)
    return application


# --- The recommendation list ------------------------------------------------------------------------------------


def _is_officer(user) -> bool:
    return bool(user) and user.is_authenticated and not user.is_superuser and user.role == Role.DISTRICT_OFFICER


def list_for(round_: Round, officer) -> RecommendationList | None:
    return (RecommendationList.objects.select_related("round__carrier_type", "district", "submitted_by")
            .filter(round=round_, district_id=officer.district_id).first())


def _locked_list(round_id: int, district_id: int, *, create: bool) -> RecommendationList:
    if create:
        RecommendationList.objects.get_or_create(round_id=round_id, district_id=district_id)
    locked = (RecommendationList.objects.select_for_update(of=("self",))
              .select_related("round__carrier_type", "district")
              .filter(round_id=round_id, district_id=district_id).first())
    if locked is None:
        raise ListRefused("本区在该批次尚无推荐名单。")
    return locked


def _refuse_if_submitted(recommendation_list: RecommendationList) -> None:
    if recommendation_list.status == RecommendationList.Status.SUBMITTED:
        when = timezone.localtime(recommendation_list.submitted_at).strftime("%Y年%m月%d日 %H:%M")
        raise ListRefused(f"本区该批次推荐名单已于{when}报送市级，不能再修改。")


def _renumber(recommendation_list: RecommendationList) -> None:
    entries = list(recommendation_list.entries.order_by("rank", "pk"))
    changed = []
    for rank, entry in enumerate(entries, start=1):
        if entry.rank != rank:
            entry.rank = rank
            changed.append(entry)
    RecommendationEntry.objects.bulk_update(changed, ["rank"])


def add_to_list(application_pk: int, officer, version, note: str = "") -> RecommendationEntry:
    """拟推荐: put a district_review application on the district's list for its round (no state change)."""
    expected = _version(version)
    note = (note or "").strip()
    if len(note) > 300:
        raise ListRefused("推荐理由不能超过300字。")
    with transaction.atomic():
        application = (Application.objects.select_for_update(of=("self",)).select_related("round")
                       .filter(pk=application_pk).first())
        if application is None:
            raise ListRefused("未找到该申报。")
        if not actors.district_officer(application, officer):
            raise ListRefused("您无权将该申报列入推荐名单。")
        if application.version != expected:
            raise ListRefused("该申报已被他人处理或更新，请刷新页面查看最新状态后再操作。")
        if application.state != ApplicationState.DISTRICT_REVIEW:
            raise ListRefused(f"该申报当前状态为“{application.get_state_display()}”，不能列入推荐名单。")
        if deadline_passed(application.round):
            raise ListRefused(f"已过区级推荐截止日期（{application.round.district_deadline:%Y年%m月%d日}），"
                              "不能再列入推荐名单。")
        recommendation_list = _locked_list(application.round_id, application.district_id, create=True)
        _refuse_if_submitted(recommendation_list)
        if RecommendationEntry.objects.filter(application=application).exists():
            raise ListRefused("该申报已在推荐名单中。")
        last = recommendation_list.entries.aggregate(last=Max("rank"))["last"] or 0
        return RecommendationEntry.objects.create(recommendation_list=recommendation_list, application=application,
                                                  rank=last + 1, note=note)


def remove_from_list(application_pk: int, officer) -> None:
    """Take an application off the district's draft list (any state: a withdrawn one must be removable)."""
    if not _is_officer(officer):
        raise ListRefused("您无权修改推荐名单。")
    with transaction.atomic():
        entry = (RecommendationEntry.objects.select_related("recommendation_list")
                 .filter(application_id=application_pk,
                         recommendation_list__district_id=officer.district_id).first())
        if entry is None:
            raise ListRefused("该申报不在本区的推荐名单中。")
        recommendation_list = _locked_list(entry.recommendation_list.round_id, officer.district_id, create=False)
        _refuse_if_submitted(recommendation_list)
        entry.delete()
        _renumber(recommendation_list)


def _whole_number(raw) -> int | None:
    """A whole number as the list page's number field sends it ("3", "3.0", "3e0"; a million at most); else None."""
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or value != value.to_integral_value():
        return None
    return int(max(min(value, 10**6), -(10**6)))


def update_entries(round_: Round, officer, ranks: dict, notes: dict, move: tuple | None = None) -> None:
    """Save ranks and notes typed on the list page, then apply one move ("up"/"down", entry pk) if asked.

    ``ranks`` and ``notes`` map entry pks to the raw posted strings; entries not on the officer's list are
    ignored. The order is then renumbered 1..n; an entry given the rank of another goes before it.
    """
    if not _is_officer(officer):
        raise ListRefused("您无权修改推荐名单。")
    with transaction.atomic():
        recommendation_list = _locked_list(round_.pk, officer.district_id, create=False)
        _refuse_if_submitted(recommendation_list)
        entries = list(recommendation_list.entries.select_related("application").order_by("rank", "pk"))
        keyed = []
        for entry in entries:
            raw_rank = ranks.get(entry.pk)
            new_rank = entry.rank
            if raw_rank not in (None, ""):
                new_rank = _whole_number(raw_rank)
                if new_rank is None:
                    raise ListRefused(f"“{entry.application.applicant_name}”的排序须为整数。")
                if new_rank < 1:
                    raise ListRefused(f"“{entry.application.applicant_name}”的排序须为正整数。")
            if entry.pk in notes:
                note = (notes[entry.pk] or "").strip()
                if len(note) > 300:
                    raise ListRefused(f"“{entry.application.applicant_name}”的推荐理由不能超过300字。")
                entry.note = note
            keyed.append(((new_rank, 0 if new_rank != entry.rank else 1, entry.rank, entry.pk), entry))
        ordered = [entry for _key, entry in sorted(keyed, key=lambda pair: pair[0])]
        if move is not None:
            direction, entry_pk = move
            index = next((i for i, entry in enumerate(ordered) if entry.pk == entry_pk), None)
            if index is None:
                raise ListRefused("未找到该名单条目。")
            other = index - 1 if direction == "up" else index + 1
            if 0 <= other < len(ordered):
                ordered[index], ordered[other] = ordered[other], ordered[index]
        for rank, entry in enumerate(ordered, start=1):
            entry.rank = rank
        RecommendationEntry.objects.bulk_update(ordered, ["rank", "note"])
        recommendation_list.save(update_fields=["updated_at"])


def save_opinion(round_: Round, officer, opinion: str) -> RecommendationList:
    if not _is_officer(officer):
        raise ListRefused("您无权修改推荐名单。")
    opinion = (opinion or "").strip()
    with transaction.atomic():
        recommendation_list = _locked_list(round_.pk, officer.district_id, create=True)
        _refuse_if_submitted(recommendation_list)
        recommendation_list.opinion = opinion
        recommendation_list.save(update_fields=["opinion", "updated_at"])
    return recommendation_list


def submit_list(round_: Round, officer, opinion: str | None = None) -> RecommendationList:
    """报送市级: recommend every entry (all or nothing), mark the list submitted and tell the city, in one transaction.

    Refused after the round's district deadline (Beijing date), when the list is empty, or when it was sent.
    Applications of the round not on the list stay in district_review until the officer rejects them.
    """
    if not _is_officer(officer):
        raise ListRefused("只有区主管部门经办人可以报送推荐名单。")
    with transaction.atomic():
        recommendation_list = _locked_list(round_.pk, officer.district_id, create=True)
        _refuse_if_submitted(recommendation_list)
        round_ = recommendation_list.round
        if deadline_passed(round_):
            raise ListRefused(f"已过区级推荐截止日期（{round_.district_deadline:%Y年%m月%d日}），推荐名单不能再报送。")
        entries = list(recommendation_list.entries.select_related("application").order_by("rank", "pk"))
        if not entries:
            raise ListRefused("推荐名单为空，不能报送。请先在申报审核页将拟推荐的申报加入名单。")
        if opinion is not None:
            recommendation_list.opinion = opinion.strip()
        for entry in entries:
            try:
                transition(entry.application_id, "recommend", officer,
                           comment=f"列入{recommendation_list.district.name}推荐名单第{entry.rank}位报送市级。")
            except TransitionRefused as refused:
                raise ListRefused(f"“{entry.application.applicant_name}”：{refused.message}"
                                  "推荐名单未报送，请先处理该申报（如将其移出名单）。") from refused
        recommendation_list.status = RecommendationList.Status.SUBMITTED
        recommendation_list.submitted_at = timezone.now()
        recommendation_list.submitted_by = officer
        recommendation_list.save()
        _notify_city(recommendation_list, entries)
    return recommendation_list


def _notify_city(recommendation_list: RecommendationList, entries) -> None:
    district = recommendation_list.district
    round_ = recommendation_list.round
    reviewers = User.objects.filter(role=Role.CITY_REVIEWER, city=district.city, is_active=True)
    lines = [f"{entry.rank}. {entry.application.applicant_name}（{entry.application.number}）" for entry in entries]
    body = f"{district.bureau_name}报送了{round_.title}的推荐名单，共{len(entries)}项：\n" + "\n".join(lines)
    if recommendation_list.opinion:
        body += f"\n推荐意见：{recommendation_list.opinion}"
    url = reverse("reviews:city_district_list", args=[recommendation_list.pk])
    notify(reviewers, f"{district.name}报送了推荐名单：{round_.title}", body, url)


def left_in_review(round_: Round, officer):
    """Applications of the round still in district_review and not on the list (visible_to the officer)."""
    return (Application.objects.visible_to(officer)
            .filter(round=round_, state=ApplicationState.DISTRICT_REVIEW, recommendation__isnull=True)
            .select_related("carrier_type").order_by("submitted_at", "pk"))


# --- The panel on the review page -----------------------------------------------------------------------------------


@register(Role.DISTRICT_OFFICER)
def district_panel(request, application, rules):
    """Return / reject / (un)list, only while the application waits for this officer's district."""
    user = request.user
    if application.state != ApplicationState.DISTRICT_REVIEW or application.district_id != user.district_id:
        return None, {}
    entry = (RecommendationEntry.objects.select_related("recommendation_list")
             .filter(application=application).first())
    list_sent = entry is None and RecommendationList.objects.filter(
        round_id=application.round_id, district_id=application.district_id,
        status=RecommendationList.Status.SUBMITTED).exists()
    return "reviews/district/panel.html", {
        "district_panel": {
            "entry": entry,
            "list_sent": list_sent,
            "deadline": deadline_status(application.round),
            "deadline_passed": deadline_passed(application.round),
        },
    }


# --- Exports of the list ------------------------------------------------------------------------------------------

XLSX_HEADERS = ("序号", "单位名称", "统一社会信用代码", "载体名称", "载体类型", "推荐理由")
XLSX_WIDTHS = (8, 36, 24, 32, 30, 48)


def export_entries(recommendation_list: RecommendationList):
    return list(recommendation_list.entries.select_related("application__carrier_type").order_by("rank", "pk"))


def letter_title(recommendation_list: RecommendationList) -> str:
    round_ = recommendation_list.round
    return f"{recommendation_list.district.name}关于推荐{round_.year}年度{round_.carrier_type.name}的函"


def list_title(recommendation_list: RecommendationList) -> str:
    round_ = recommendation_list.round
    return f"{recommendation_list.district.name}{round_.year}年度{round_.carrier_type.name}推荐名单"


def list_xlsx(recommendation_list: RecommendationList) -> bytes:
    """The list as a worksheet: a title row, Chinese headers, one row per entry in rank order."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "推荐名单"
    last_column = get_column_letter(len(XLSX_HEADERS))
    sheet.append([list_title(recommendation_list)])
    sheet.merge_cells(f"A1:{last_column}1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.append(list(XLSX_HEADERS))
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = border
    for entry in export_entries(recommendation_list):
        app = entry.application
        sheet.append([entry.rank, app.applicant_name, app.uscc, app.carrier_name, app.carrier_type.name, entry.note])
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = border
    for index, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    footer_row = sheet.max_row + 2
    status = "已报送" if recommendation_list.status == RecommendationList.Status.SUBMITTED else "编制中（尚未报送）"
    sheet.cell(row=footer_row, column=1, value=f"推荐意见：{recommendation_list.opinion or '（未填写）'}")
    sheet.cell(row=footer_row + 1, column=1, value=f"名单状态：{status}")
    if recommendation_list.submitted_at:
        when = timezone.localtime(recommendation_list.submitted_at)
        sheet.cell(row=footer_row + 2, column=1, value=f"报送时间：{when:%Y-%m-%d %H:%M}")
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def list_pdf_context(recommendation_list: RecommendationList) -> dict:
    district = recommendation_list.district
    round_ = recommendation_list.round
    submitted = recommendation_list.status == RecommendationList.Status.SUBMITTED
    issuer = f"{district.get_city_display()}{district.bureau_name}"
    return {
        "issuer": issuer,
        # The masthead is one line of the 156 mm type area: 32 pt holds 12 characters; longer names shrink.
        "issuer_font_pt": min(32, 390 // max(len(issuer), 1)),
        "title": letter_title(recommendation_list),
        "list_title": list_title(recommendation_list),
        "addressee": round_.carrier_type.issuing_bureau,
        "recommendation_list": recommendation_list,
        "round": round_,
        "district": district,
        "entries": export_entries(recommendation_list),
        "submitted": submitted,
        "letter_date": timezone.localtime(recommendation_list.submitted_at).date() if submitted else None,
    }


def _recommendation_text(application) -> str:
    recommendation = getattr(application, "recommendation", None)
    if recommendation is None:
        return ""
    return f"{'已推荐' if application.recommended_at else '拟推荐'} 第{recommendation.rank}位"


# The queue's export (portal.exports): the columns on screen, from district_queue's rows.
QUEUE_EXPORT_COLUMNS = [
    ("申报编号", "number"),
    ("申报单位", "applicant_name"),
    ("载体名称", "carrier_name"),
    ("载体类型", "carrier_type.name"),
    ("批次", lambda a: f"{a.round.year}年度"),
    ("提交时间", "submitted_at"),
    ("区级推荐截止", "round.district_deadline"),
    ("状态", lambda a: state_label(a.state)),
    ("推荐名单", _recommendation_text),
]
