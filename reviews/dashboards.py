"""The officials' dashboards (统计分析): aggregates for a city reviewer (its city) or a district officer (its district).

Only counts leave this module, never an application's or carrier's details. The scope follows
the visibility rule of accounts.models.scoped_by_role (district → district_id, city → the type's
city); applications count from submission on (a draft is the unit's own business). Every figure is
one GROUP BY query, and stage durations come from one query over ApplicationEvent whose values are
folded in Python, so the number of queries does not grow with the data.
"""

import math
import statistics
from collections import defaultdict

from django.db.models import Count

from accounts.models import City, scoped_by_role
from applications.models import Application, ApplicationEvent, ApplicationState
from carriers import reports
from carriers.models import Carrier
from evaluations.models import Grade, Result, SelfAssessment
from public.charts import Chart
from public.statistics import grouped

from .models import RecommendationList

STAGES = (ApplicationState.DISTRICT_REVIEW, ApplicationState.CITY_REVIEW, ApplicationState.EXPERT_REVIEW)
STATE_LABELS = dict(ApplicationState.choices)

# 北京市促进中小企业服务体系建设工作方案: targets by 2025 (domain.md, "Targets in the Beijing work plan").
BEIJING_TARGETS = (
    ("各级各类服务载体", None, 1000),
    ("专精特新服务站", ("bj_srdi_station",), 100),
    ("示范平台（基地）", ("bj_demo_platform", "bj_demo_base"), 300),
)


def applications_in_scope(user):
    """Submitted applications of the user's district or city (aggregates only)."""
    submitted = Application.objects.filter(submitted_at__isnull=False)
    return scoped_by_role(submitted, user, unit="organisation_id", district="district_id", city="carrier_type__city")


def carriers_in_scope(user):
    return Carrier.objects.visible_to(user)


def application_charts(applications) -> list:
    by_type = grouped(applications, "carrier_type__short_name", "carrier_type__sort_order",
                      order=["carrier_type__sort_order"])
    by_round = grouped(applications, "round__year", "round__title", "round_id", order=["-round__year", "round_id"])
    by_district = grouped(applications, "district__name", "district__sort_order", order=["district__sort_order"])
    by_state = {row["state"]: row["n"] for row in grouped(applications, "state")}
    return [
        Chart("按载体类型统计的申报数", [(r["carrier_type__short_name"], r["n"]) for r in by_type],
              label_heading="载体类型", value_heading="申报数"),
        Chart("按申报批次统计的申报数", [(r["round__title"], r["n"]) for r in by_round],
              label_heading="申报批次", value_heading="申报数"),
        Chart("按所属区统计的申报数", [(r["district__name"], r["n"]) for r in by_district],
              label_heading="所属区", value_heading="申报数"),
        Chart("按办理状态统计的申报数",
              [(label, by_state[value]) for value, label in ApplicationState.choices if value in by_state],
              label_heading="状态", value_heading="申报数"),
    ]


def percentile(values, fraction):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


def stage_durations(applications) -> list:
    """Days spent in each review stage: from the event entering it to the event leaving it (completed stays only)."""
    events = (ApplicationEvent.objects.filter(application__in=applications)
              .order_by("application_id", "created_at", "pk")
              .values_list("application_id", "from_state", "to_state", "created_at"))
    entered = {}
    durations = defaultdict(list)
    for application_id, from_state, to_state, at in events:
        start = entered.pop((application_id, from_state), None)
        if start is not None and from_state in STAGES:
            durations[from_state].append((at - start).total_seconds() / 86400)
        if to_state in STAGES:
            entered[(application_id, to_state)] = at
    rows = []
    for stage in STAGES:
        values = durations.get(stage, [])
        rows.append({
            "stage": STATE_LABELS[stage], "count": len(values),
            "median": round(statistics.median(values), 1) if values else None,
            "p90": round(percentile(values, 0.9), 1) if values else None,
        })
    return rows


def overdue_district_review(applications, today) -> dict:
    """Applications still in district review after their round's 区级推荐截止日期."""
    late = applications.filter(state=ApplicationState.DISTRICT_REVIEW, round__district_deadline__lt=today)
    by_district = grouped(late, "district__name", "district__sort_order", order=["district__sort_order"])
    return {"total": sum(r["n"] for r in by_district),
            "chart": Chart("逾期未完成区级初审的申报数（按区）", [(r["district__name"], r["n"]) for r in by_district],
                           label_heading="所属区", value_heading="逾期数")}


def carrier_charts(carriers) -> list:
    by_type = grouped(carriers, "carrier_type__short_name", "carrier_type__sort_order",
                      order=["carrier_type__sort_order"])
    by_district = grouped(carriers, "district__name", "district__sort_order", order=["district__sort_order"])
    by_status = {r["status"]: r["n"] for r in grouped(carriers, "status")}
    return [
        Chart("按载体类型统计的载体数", [(r["carrier_type__short_name"], r["n"]) for r in by_type],
              label_heading="载体类型", value_heading="载体数"),
        Chart("按所属区统计的载体数", [(r["district__name"], r["n"]) for r in by_district],
              label_heading="所属区", value_heading="载体数"),
        Chart("按状态统计的载体数",
              [(label, by_status[value]) for value, label in Carrier.Status.choices if value in by_status],
              label_heading="状态", value_heading="载体数"),
    ]


def evaluation_charts(user) -> list:
    """Results, grades (BJ platform/base 第十四条) and stars of the self-assessments the user may see."""
    assessments = SelfAssessment.objects.visible_to(user)
    results = {r["result"]: r["n"] for r in grouped(assessments.exclude(result=""), "result")}
    grades = {r["grade"]: r["n"] for r in grouped(assessments.exclude(grade=""), "grade")}
    stars = grouped(assessments.filter(stars__isnull=False), "stars")
    return [
        Chart("年度评价结果", [(label, results[value]) for value, label in Result.choices if value in results],
              label_heading="评价结果", value_heading="载体数"),
        Chart("评价等次", [(label, grades[value]) for value, label in Grade.choices if value in grades],
              label_heading="等次", value_heading="载体数"),
        Chart("星级", [(f"{r['stars']}星", r["n"]) for r in stars], label_heading="星级", value_heading="载体数"),
    ]


def beijing_targets(carriers) -> list:
    """2025 targets of the Beijing work plan against the carriers holding their title (one query)."""
    counts = {r["carrier_type__code"]: r["n"] for r in grouped(carriers.holding_title(), "carrier_type__code")}
    rows = []
    for label, codes, target in BEIJING_TARGETS:
        actual = sum(n for code, n in counts.items() if codes is None or code in codes)
        rows.append({"label": label, "target": target, "actual": actual,
                     "percent": min(round(actual * 100 / target), 100)})
    return rows


def city_dashboard(user, today) -> dict:
    applications = applications_in_scope(user)
    carriers = carriers_in_scope(user)
    return {
        "application_charts": application_charts(applications),
        "stages": stage_durations(applications),
        "overdue": overdue_district_review(applications, today),
        "carrier_charts": carrier_charts(carriers),
        "evaluation_charts": evaluation_charts(user),
        "targets": beijing_targets(carriers) if user.city == City.BEIJING else None,
    }


def district_dashboard(user, today) -> dict:
    applications = applications_in_scope(user)
    carriers = carriers_in_scope(user)
    lists = (RecommendationList.objects.filter(district_id=user.district_id).select_related("round__carrier_type")
             .annotate(entries_count=Count("entries")).order_by("-round__year", "-round_id")[:20])
    return {
        "application_charts": application_charts(applications),
        "stages": stage_durations(applications),
        "overdue": overdue_district_review(applications, today),
        "carrier_charts": carrier_charts(carriers),
        "evaluation_charts": evaluation_charts(user),
        "recommendation_lists": list(lists),
        "overdue_reports": reports.overdue(carriers, today).count(),
    }
