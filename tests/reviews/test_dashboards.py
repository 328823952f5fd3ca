"""统计分析 dashboards: each figure against a count made here, fixed queries, scoping."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationEvent
from carriers.eligibility import today_in_china
from carriers.models import Carrier
from evaluations.models import EvaluationCampaign, SelfAssessment
from reviews import dashboards
from reviews.models import RecommendationEntry, RecommendationList
from tests import factories

pytestmark = pytest.mark.django_db

BJ_DISTRICTS = ("110108", "110105")
STATES = ("district_review", "city_review", "shortlisted", "announced", "rejected")


def rows(chart):
    return dict(chart.rows)


def event(app, from_state, to_state, at):
    e = ApplicationEvent.objects.create(application=app, action="t", from_state=from_state, to_state=to_state,
                                        actor_role="system")
    ApplicationEvent.objects.filter(pk=e.pk).update(created_at=at)


def seed(n):
    """n Beijing applications over two districts, states and rounds (one late round), a draft, a GZ application,
    stage events, carriers over types/districts/statuses and self-assessments."""
    today = today_in_china()
    late_round = factories.RoundFactory(type_code="bj_srdi_station", opens_on=today - datetime.timedelta(days=40),
                                        closes_on=today - datetime.timedelta(days=10),
                                        district_deadline=today - datetime.timedelta(days=3))
    platform_round = factories.RoundFactory(type_code="bj_demo_platform")
    start = timezone.now() - datetime.timedelta(days=60)
    for i in range(n):
        org = factories.OrganisationFactory(district_code=BJ_DISTRICTS[i % 2])
        app = factories.ApplicationFactory(round=late_round if i % 3 else platform_round, organisation=org,
                                           state=STATES[i % len(STATES)], submitted_at=timezone.now())
        event(app, "draft", "district_review", start)
        if app.state != "district_review":
            event(app, "district_review", "city_review", start + datetime.timedelta(days=1 + i))
            event(app, "city_review", "shortlisted", start + datetime.timedelta(days=1 + i + 2 * (i % 4)))
        factories.CarrierFactory(type_code=("bj_srdi_station", "bj_demo_platform", "bj_demo_base")[i % 3],
                                 organisation=org, status=("active", "active", "revoked", "expired")[i % 4])
    factories.ApplicationFactory(round=late_round, organisation=factories.OrganisationFactory(),
                                 state="draft", submitted_at=None)
    gz_org = factories.OrganisationFactory(district_code="440106")
    factories.ApplicationFactory(round=factories.RoundFactory(type_code="gz_service_station"), organisation=gz_org,
                                 state="district_review", submitted_at=timezone.now())
    factories.CarrierFactory(type_code="gz_service_station", organisation=gz_org, number=f"GZ-{n}")
    station = factories.carrier_type("bj_srdi_station")
    campaign, _ = EvaluationCampaign.objects.get_or_create(
        carrier_type=station, year=today.year,
        defaults={"self_assessment_deadline": today, "created_by": factories.CityReviewerFactory()})
    for i, carrier in enumerate(Carrier.objects.filter(carrier_type=station, self_assessments__isnull=True)):
        SelfAssessment.objects.create(campaign=campaign, carrier=carrier, submitted_at=timezone.now(),
                                      result=("passed", "failed")[i % 2], stars=(i % 3) + 1)
    return late_round


@pytest.fixture
def city():
    return factories.CityReviewerFactory(city="beijing")


def test_city_figures_match_independent_counts(client, city):
    seed(12)
    today = today_in_china()
    d = dashboards.city_dashboard(city, today)
    apps = [a for a in Application.objects.select_related("district", "round", "carrier_type")
            if a.submitted_at and a.carrier_type.city == "beijing"]
    by_type, by_district, by_state, by_round = {}, {}, {}, {}
    for a in apps:
        by_type[a.carrier_type.short_name] = by_type.get(a.carrier_type.short_name, 0) + 1
        by_district[a.district.name] = by_district.get(a.district.name, 0) + 1
        by_state[a.get_state_display()] = by_state.get(a.get_state_display(), 0) + 1
        by_round[a.round.title] = by_round.get(a.round.title, 0) + 1
    type_chart, round_chart, district_chart, state_chart = d["application_charts"]
    assert rows(type_chart) == by_type
    assert rows(round_chart) == by_round
    assert rows(district_chart) == by_district
    assert rows(state_chart) == by_state
    late = [a for a in apps if a.state == "district_review" and a.round.district_deadline < today]
    assert d["overdue"]["total"] == len(late) > 0

    carriers = [c for c in Carrier.objects.select_related("carrier_type", "district")
                if c.carrier_type.city == "beijing"]
    c_type, c_district, c_status = d["carrier_charts"]
    assert sum(rows(c_type).values()) == len(carriers)
    assert rows(c_district) == {name: sum(1 for c in carriers if c.district.name == name)
                                for name in {c.district.name for c in carriers}}
    assert rows(c_status) == {c.get_status_display(): sum(1 for x in carriers if x.status == c.status)
                              for c in carriers}
    holding = [c for c in carriers if c.status in ("active", "rectifying")]
    targets = {t["label"]: t["actual"] for t in d["targets"]}
    assert targets["各级各类服务载体"] == len(holding)
    assert targets["专精特新服务站"] == sum(1 for c in holding if c.carrier_type.code == "bj_srdi_station")
    assert targets["示范平台（基地）"] == sum(1 for c in holding if c.carrier_type.code != "bj_srdi_station")

    assessments = list(SelfAssessment.objects.all())
    results, grades, stars = d["evaluation_charts"]
    assert rows(results) == {"合格": sum(1 for s in assessments if s.result == "passed"),
                             "不合格": sum(1 for s in assessments if s.result == "failed")}
    assert rows(stars) == {f"{k}星": sum(1 for s in assessments if s.stars == k) for k in {s.stars for s in
                                                                                          assessments}}
    assert grades.rows == []

    client.force_login(city)
    response = client.get(reverse("reviews:city_dashboard"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in body and "<title" in body and "专精特新服务站" in body and "目标 1000 个" in body


def test_stage_durations_median_and_p90():
    seed(10)
    apps = Application.objects.filter(submitted_at__isnull=False, carrier_type__city="beijing")
    stages = {row["stage"]: row for row in dashboards.stage_durations(apps)}
    district_days = sorted((e2.created_at - e1.created_at).total_seconds() / 86400
                           for e1 in ApplicationEvent.objects.filter(to_state="district_review")
                           for e2 in ApplicationEvent.objects.filter(application=e1.application,
                                                                     from_state="district_review"))
    assert stages["区级初审"]["count"] == len(district_days) > 0
    assert stages["区级初审"]["p90"] == round(district_days[-1 if len(district_days) < 10 else 8], 1)
    n = len(district_days)
    middle = (district_days[(n - 1) // 2] + district_days[n // 2]) / 2
    assert stages["区级初审"]["median"] == round(middle, 1)
    assert stages["专家评审"]["count"] == 0 and stages["专家评审"]["median"] is None


def test_district_dashboard_is_its_own_district(client):
    late_round = seed(10)
    officer = factories.DistrictOfficerFactory(district_code="110108")
    own = RecommendationList.objects.create(round=late_round, district=officer.district)
    for app in Application.objects.filter(district=officer.district, state="city_review")[:2]:
        RecommendationEntry.objects.create(recommendation_list=own, application=app, rank=app.pk)
    other = factories.DistrictOfficerFactory(district_code="110105")
    RecommendationList.objects.create(round=late_round, district=other.district)
    d = dashboards.district_dashboard(officer, today_in_china())
    expected = Application.objects.filter(district=officer.district, submitted_at__isnull=False).count()
    assert sum(rows(d["application_charts"][2]).values()) == expected
    assert set(rows(d["application_charts"][2])) == {"海淀区"}
    assert set(rows(d["carrier_charts"][1])) == {"海淀区"}
    assert [(lst.pk, lst.entries_count) for lst in d["recommendation_lists"]] == [(own.pk, own.entries.count())]
    assert d["overdue_reports"] >= 0
    client.force_login(officer)
    body = client.get(reverse("reviews:district_dashboard")).content.decode()
    assert "海淀区" in body and "朝阳区" not in body and "目标 1000" not in body


def test_other_city_sees_only_its_own_and_others_are_refused(client):
    seed(6)
    gz = factories.CityReviewerFactory(city="guangzhou")
    d = dashboards.city_dashboard(gz, today_in_china())
    assert sum(rows(d["application_charts"][0]).values()) == 1
    assert set(rows(d["carrier_charts"][0])) == {"民营和中小企业服务站"}
    assert d["targets"] is None
    client.force_login(factories.DistrictOfficerFactory())
    assert client.get(reverse("reviews:city_dashboard")).status_code == 403
    client.force_login(gz)
    assert client.get(reverse("reviews:district_dashboard")).status_code == 403


@pytest.mark.parametrize("url_name, user_factory", [
    ("reviews:city_dashboard", lambda: factories.CityReviewerFactory(city="beijing")),
    ("reviews:district_dashboard", lambda: factories.DistrictOfficerFactory(district_code="110108")),
])
def test_query_count_does_not_grow(client, url_name, user_factory):
    user = user_factory()
    client.force_login(user)
    counts = []
    for n in (5, 30):
        seed(n)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url_name)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
