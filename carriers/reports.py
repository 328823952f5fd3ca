"""Reporting duties (报送) of carriers: which reports are owed, the forms, drafts and submission.

The duties, per type:

- BJ 专精特新服务站: a quarterly report of the services delivered by its fixed liaison
  (第十三条 “设置固定联络员，按季度报送服务开展情况”), including the difficulties and
  demands collected from enterprises (第十条); due 15 days after each quarter.
- BJ 示范平台 / 示范基地: “按期报送运营管理、服务企业、活动组织等相关数据” (第十六条). The
  measures name no period; we chose quarterly with the same 15-day deadline, so that the
  city sees all Beijing carriers on one calendar.
- GZ 服务站: an annual work plan, due 31 January, and an annual work summary, due
  31 December (四（一）4 “定期向市工业和信息化局提交…工作计划及工作情况总结”); the
  summary reports the promotion sessions held, at least three a year (三（三）3).
  The GZ hub (服务总站) is commissioned, not designated, and has no duties here.

Design: a small generated due table, ``ReportPeriod`` (one row per carrier type and
period: a dozen rows a year, created idempotently by ``ensure_periods``). A carrier owes
the report of a period when the period touches its title (ends on or after valid_from,
starts on or before valid_until / revoked_on) and the deadline falls on or after
valid_from (a GZ station designated in June files its first plan for the next year).
``duty_rows`` is that join, done in the database from a carrier queryset; ``overdue``
subtracts the submitted ``ServiceReport`` rows with NOT EXISTS. No placeholder rows, so
nothing depends on a job having run. ``expected_reports`` computes the same in Python
for one carrier (used by the unit's pages and to cross-check the database in tests).
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from .models import Carrier, CarrierType, ReportKind, ReportPeriod, ServiceReport

REPORTING_FROM_YEAR = 2022  # the earliest of the measures (BJ platform measures, 2022)
QUARTER_GRACE_DAYS = 15
MIN_PROMOTION_SESSIONS = 3  # GZ 三（三）3 “每年结合主题月活动宣讲不少于三次”

QUARTERLY, ANNUAL_PLAN, ANNUAL_SUMMARY = "quarterly", "annual_plan", "annual_summary"


@dataclass(frozen=True)
class Duty:
    kind: str
    cadence: str
    article: str


DUTIES = {
    "bj_srdi_station": (Duty(ReportKind.BJ_STATION_QUARTERLY, QUARTERLY, "第十三条、第十条"),),
    "bj_demo_platform": (Duty(ReportKind.BJ_OPERATING_DATA, QUARTERLY, "第十六条"),),
    "bj_demo_base": (Duty(ReportKind.BJ_OPERATING_DATA, QUARTERLY, "第十六条"),),
    "gz_service_station": (Duty(ReportKind.GZ_WORK_PLAN, ANNUAL_PLAN, "四（一）4、三（三）3"),
                           Duty(ReportKind.GZ_ANNUAL_SUMMARY, ANNUAL_SUMMARY, "四（一）4、三（三）3")),
}
ARTICLES = {duty.kind: duty.article for duties in DUTIES.values() for duty in duties}


@dataclass(frozen=True)
class PeriodSpec:
    kind: str
    label: str
    starts_on: datetime.date
    ends_on: datetime.date
    opens_on: datetime.date
    due_on: datetime.date

    @property
    def kind_label(self) -> str:
        return ReportKind(self.kind).label


def _quarter_end(year: int, quarter: int) -> datetime.date:
    if quarter == 4:
        return datetime.date(year, 12, 31)
    return datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)


def periods_of_year(duty: Duty, year: int) -> list[PeriodSpec]:
    if duty.cadence == QUARTERLY:
        specs = []
        for quarter in range(1, 5):
            ends = _quarter_end(year, quarter)
            specs.append(PeriodSpec(duty.kind, f"{year}年第{quarter}季度", datetime.date(year, 3 * quarter - 2, 1),
                                    ends, ends + datetime.timedelta(days=1),
                                    ends + datetime.timedelta(days=QUARTER_GRACE_DAYS)))
        return specs
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if duty.cadence == ANNUAL_PLAN:  # filed from December of the year before, due 31 January
        return [PeriodSpec(duty.kind, f"{year}年度", first, last, datetime.date(year - 1, 12, 1),
                           datetime.date(year, 1, 31))]
    # ANNUAL_SUMMARY: filed in December, due 31 December
    return [PeriodSpec(duty.kind, f"{year}年度", first, last, datetime.date(year, 12, 1), last)]


def _title_end(carrier) -> datetime.date | None:
    """The last day the title ran, as far as reporting is concerned (None: still open-ended)."""
    ends = [day for day in (carrier.valid_until, carrier.revoked_on) if day]
    return min(ends) if ends else None


def expected_reports(carrier, today: datetime.date) -> list[PeriodSpec]:
    """The reports the carrier owes so far (their filing has opened by ``today``), oldest first.

    Computed from the schedule in Python; ``duty_rows`` is the same rule in the database.
    """
    duties = DUTIES.get(carrier.carrier_type.code, ())
    title_end = _title_end(carrier)
    found = []
    for year in range(carrier.valid_from.year, today.year + 2):
        for duty in duties:
            for spec in periods_of_year(duty, year):
                if (spec.opens_on <= today and spec.ends_on >= carrier.valid_from
                        and spec.due_on >= carrier.valid_from
                        and (title_end is None or spec.starts_on <= title_end)):
                    found.append(spec)
    return sorted(found, key=lambda spec: (spec.due_on, spec.kind))


def ensure_periods(today: datetime.date) -> None:
    """Create the ReportPeriod rows up to next year: idempotent, one count query when nothing is missing."""
    last_year = today.year + 1
    specs = [(code, spec) for code, duties in DUTIES.items() for duty in duties
             for year in range(REPORTING_FROM_YEAR, last_year + 1) for spec in periods_of_year(duty, year)]
    have = ReportPeriod.objects.filter(carrier_type__code__in=list(DUTIES), starts_on__year__lte=last_year).count()
    if have >= len(specs):
        return
    types = dict(CarrierType.objects.filter(code__in=list(DUTIES)).values_list("code", "pk"))
    ReportPeriod.objects.bulk_create([
        ReportPeriod(carrier_type_id=types[code], kind=spec.kind, label=spec.label, starts_on=spec.starts_on,
                     ends_on=spec.ends_on, opens_on=spec.opens_on, due_on=spec.due_on)
        for code, spec in specs if code in types
    ], ignore_conflicts=True)


P = "carrier_type__report_periods__"


def duty_rows(carriers, today: datetime.date):
    """One row per (carrier, owed period) in the database: Carrier objects annotated with period_* and report_*."""
    reports = ServiceReport.objects.filter(carrier=OuterRef("pk"), period=OuterRef("period_id")).order_by()
    return (
        carriers.filter(
            Q(**{f"{P}opens_on__lte": today}),
            Q(**{f"{P}ends_on__gte": F("valid_from")}),
            Q(**{f"{P}due_on__gte": F("valid_from")}),
            Q(valid_until__isnull=True) | Q(**{f"{P}starts_on__lte": F("valid_until")}),
            Q(revoked_on__isnull=True) | Q(**{f"{P}starts_on__lte": F("revoked_on")}),
        )
        .annotate(period_id=F(f"{P}id"), period_kind=F(f"{P}kind"), period_label=F(f"{P}label"),
                  period_due_on=F(f"{P}due_on"),
                  report_id=Subquery(reports.values("pk")[:1]),
                  report_submitted_at=Subquery(reports.values("submitted_at")[:1]))
        .select_related("carrier_type", "district", "organisation")
    )


def overdue(carriers, today: datetime.date):
    """Owed reports past their deadline and not submitted, of carriers holding their title (set-based)."""
    submitted = ServiceReport.objects.filter(carrier=OuterRef("pk"), period=OuterRef("period_id"),
                                             submitted_at__isnull=False)
    return (duty_rows(carriers.holding_title(), today).filter(period_due_on__lt=today)
            .filter(~Exists(submitted)).order_by("period_due_on", "district__sort_order", "name", "pk"))


def describe(row, today: datetime.date) -> dict:
    """Status words of one duty row for the lists (no queries)."""
    due = row.period_due_on
    if row.report_submitted_at:
        late = timezone.localdate(row.report_submitted_at) > due
        return {"state": "submitted", "label": "已提交（逾期）" if late else "已提交", "days_overdue": 0}
    days = (today - due).days
    if days > 0:
        return {"state": "overdue", "label": f"逾期 {days} 天", "days_overdue": days}
    return {"state": "draft" if row.report_id else "open", "label": "草稿" if row.report_id else "待报送",
            "days_overdue": 0}


def owed_period(carrier, period_pk, today):
    """The period if the carrier owes its report (the rule of duty_rows); None otherwise."""
    if not duty_rows(Carrier.objects.filter(pk=carrier.pk), today).filter(period_id=period_pk).exists():
        return None
    return ReportPeriod.objects.filter(pk=period_pk).first()


# --- The forms, one per kind. Drafts accept partial input; submission needs everything. ---

TEXT = forms.Textarea(attrs={"rows": 4})


def _count(label, **kwargs):
    return forms.IntegerField(label=label, min_value=0, max_value=10_000_000, **kwargs)


class ReportForm(forms.Form):
    def __init__(self, *args, draft=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        if draft:
            for field in self.fields.values():
                field.required = False

    def check(self, cleaned):
        """Cross-field rules, only when submitting."""

    def clean(self):
        cleaned = super().clean()
        if not self.draft:
            self.check(cleaned)
        return cleaned

    def data_to_store(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}


class BJStationQuarterlyForm(ReportForm):
    """第十三条 (the fixed liaison reports each quarter) and 第十条 (difficulties collected from enterprises)."""

    liaison_name = forms.CharField(label="固定联络员", max_length=40)
    liaison_phone = forms.CharField(label="联络员电话", max_length=30)
    services_count = _count("本季度开展服务（次）")
    firms_served = _count("服务企业数（家）")
    srdi_firms_served = _count("其中专精特新企业数（家）")
    activities_count = _count("组织活动（场）")
    services_summary = forms.CharField(label="服务开展情况", widget=TEXT, max_length=5000)
    difficulties = forms.CharField(label="收集的企业困难和诉求（第十条）", widget=TEXT, max_length=5000,
                                   help_text="没有收集到的，请填写“无”。")

    def check(self, cleaned):
        if (cleaned.get("srdi_firms_served") or 0) > (cleaned.get("firms_served") or 0):
            self.add_error("srdi_firms_served", "专精特新企业数不能多于服务企业总数。")


class BJOperatingDataForm(ReportForm):
    """第十六条: 运营管理、服务企业、活动组织等相关数据."""

    operations = forms.CharField(label="运营管理情况", widget=TEXT, max_length=5000)
    staff_count = _count("专职服务人员（人）")
    firms_served = _count("服务企业数（家）")
    service_visits = _count("服务人次")
    activities_count = _count("组织活动（场）")
    activities_summary = forms.CharField(label="活动组织情况", widget=TEXT, max_length=5000, required=False)

    def __init__(self, *args, draft=False, **kwargs):
        super().__init__(*args, draft=draft, **kwargs)
        self.fields["activities_summary"].required = False

    def check(self, cleaned):
        if (cleaned.get("activities_count") or 0) > 0 and not cleaned.get("activities_summary"):
            self.add_error("activities_summary", "组织了活动的，请说明活动组织情况。")


class GZWorkPlanForm(ReportForm):
    """四（一）4 工作计划; the plan must schedule at least three promotion sessions (三（三）3)."""

    goals = forms.CharField(label="服务目标", widget=TEXT, max_length=5000)
    measures = forms.CharField(label="服务内容和实施计划", widget=TEXT, max_length=5000)
    planned_promotion_sessions = _count("计划宣讲场次（结合主题月活动）")
    theme_month_plan = forms.CharField(label="配合主题月活动安排", widget=TEXT, max_length=5000)

    def check(self, cleaned):
        planned = cleaned.get("planned_promotion_sessions")
        if planned is not None and planned < MIN_PROMOTION_SESSIONS:
            self.add_error("planned_promotion_sessions",
                           f"每年结合主题月活动宣讲不少于{MIN_PROMOTION_SESSIONS}次（指引三（三）3），请调整计划。")


class GZAnnualSummaryForm(ReportForm):
    """四（一）4 工作情况总结, with the promotion sessions held (at least three a year, 三（三）3)."""

    summary = forms.CharField(label="工作情况总结", widget=TEXT, max_length=8000)
    firms_served = _count("服务企业数（家）")
    promotion_sessions = _count("全年宣讲场次")
    promotion_details = forms.CharField(label="宣讲活动明细（日期、主题、参加人数，每行一场）", widget=TEXT,
                                        max_length=5000, required=False)
    shortfall_reason = forms.CharField(label="宣讲不足三次的原因", widget=TEXT, max_length=2000, required=False)

    def check(self, cleaned):
        sessions = cleaned.get("promotion_sessions")
        if sessions is None:
            return
        if sessions > 0 and not cleaned.get("promotion_details"):
            self.add_error("promotion_details", "请列明已开展的宣讲活动。")
        if sessions < MIN_PROMOTION_SESSIONS and not cleaned.get("shortfall_reason"):
            self.add_error("shortfall_reason",
                           f"全年宣讲少于{MIN_PROMOTION_SESSIONS}次（指引三（三）3），请说明原因。")


FORMS = {
    ReportKind.BJ_STATION_QUARTERLY: BJStationQuarterlyForm,
    ReportKind.BJ_OPERATING_DATA: BJOperatingDataForm,
    ReportKind.GZ_WORK_PLAN: GZWorkPlanForm,
    ReportKind.GZ_ANNUAL_SUMMARY: GZAnnualSummaryForm,
}


def readable(report) -> list[tuple[str, object]]:
    """(label, value) pairs of a report's data, in the form's order."""
    form_class = FORMS[ReportKind(report.kind)]
    return [(field.label, report.data.get(key, "")) for key, field in form_class.base_fields.items()]


def shortfall(report) -> bool:
    """A GZ summary with fewer than three promotion sessions (shown to officials)."""
    return (report.kind == ReportKind.GZ_ANNUAL_SUMMARY
            and (report.data.get("promotion_sessions") or 0) < MIN_PROMOTION_SESSIONS)


class ReportRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def save(carrier, period, user, data: dict, *, submit: bool) -> ServiceReport:
    """Save a draft or submit; a submitted report is never changed again."""
    with transaction.atomic():
        report = ServiceReport.objects.select_for_update().filter(carrier=carrier, period=period).first()
        if report is None:
            try:
                with transaction.atomic():
                    report = ServiceReport.objects.create(
                        carrier=carrier, period=period, kind=period.kind, period_label=period.label,
                        due_on=period.due_on, data={}, updated_by=user)
            except IntegrityError:
                report = ServiceReport.objects.select_for_update().get(carrier=carrier, period=period)
        if report.is_submitted:
            raise ReportRefused("该报告已提交，不能再修改。")
        report.data = data
        report.updated_by = user
        if submit:
            report.submitted_at = timezone.now()
            report.submitted_by = user
        report.save()
    return report


def overdue_export_columns(today: datetime.date):
    """The overdue list's export (portal.exports): the columns on screen, from ``overdue``."""
    return [
        ("所属区", "district.name"),
        ("载体名称", "name"),
        ("编号", "number"),
        ("载体类型", "carrier_type.short_name"),
        ("报送事项", lambda row: ReportKind(row.period_kind).label),
        ("报送期间", "period_label"),
        ("报送截止", "period_due_on"),
        ("逾期天数", lambda row: (today - row.period_due_on).days),
    ]
