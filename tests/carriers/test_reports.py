"""Reporting duties: what each type owes, the overdue lists (scoped, bounded), the report forms."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carriers import lifecycle, reports
from carriers import views_duties as views
from carriers.models import Carrier, ReportKind, ServiceReport
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 20)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(views, "today_in_china", lambda: TODAY)
    reports.ensure_periods(TODAY)
    return TODAY


def labels(specs):
    return [(spec.kind, spec.label, spec.due_on) for spec in specs]


def test_bj_station_owes_a_quarterly_report_15_days_after_each_quarter():
    """第十三条: quarterly, from the quarter that contains valid_from; Q4 opens only on 1 January."""
    carrier = factories.CarrierFactory(type_code="bj_srdi_station", valid_from=D(2026, 2, 10), valid_until=None)
    kind = ReportKind.BJ_STATION_QUARTERLY
    assert labels(reports.expected_reports(carrier, TODAY)) == [
        (kind, "2026年第1季度", D(2026, 4, 15)), (kind, "2026年第2季度", D(2026, 7, 15)),
        (kind, "2026年第3季度", D(2026, 10, 15))]
    assert len(reports.expected_reports(carrier, D(2027, 1, 1))) == 4


@pytest.mark.parametrize("code", ["bj_demo_platform", "bj_demo_base"])
def test_bj_platform_and_base_owe_quarterly_operating_data(code):
    """第十六条 names no period: quarterly, like the stations (documented in carriers/reports.py)."""
    carrier = factories.CarrierFactory(type_code=code, valid_from=D(2026, 7, 1), valid_until=None)
    assert labels(reports.expected_reports(carrier, TODAY)) == [
        (ReportKind.BJ_OPERATING_DATA, "2026年第3季度", D(2026, 10, 15))]


def test_gz_station_owes_a_plan_by_31_january_and_a_summary_by_31_december():
    """四（一）4; a station designated in June files its first plan for the next year."""
    carrier = factories.CarrierFactory(type_code="gz_service_station", number="GZ-1",
                                       organisation=factories.OrganisationFactory(district_code="440106"),
                                       valid_from=D(2025, 6, 1), valid_until=D(2028, 5, 31))
    assert labels(reports.expected_reports(carrier, D(2026, 12, 5))) == [
        (ReportKind.GZ_ANNUAL_SUMMARY, "2025年度", D(2025, 12, 31)),
        (ReportKind.GZ_WORK_PLAN, "2026年度", D(2026, 1, 31)),
        (ReportKind.GZ_ANNUAL_SUMMARY, "2026年度", D(2026, 12, 31)),
        (ReportKind.GZ_WORK_PLAN, "2027年度", D(2027, 1, 31)),
    ]


def test_no_duties_after_the_title_ended_and_none_for_the_hub():
    carrier = factories.CarrierFactory(type_code="bj_srdi_station", valid_from=D(2026, 1, 1), valid_until=None)
    lifecycle.revoke(carrier.pk, "other", None, D(2026, 5, 10))
    carrier.refresh_from_db()
    assert [s.label for s in reports.expected_reports(carrier, TODAY)] == ["2026年第1季度", "2026年第2季度"]
    hub = factories.CarrierFactory(type_code="gz_hub_station", valid_from=D(2025, 1, 1), valid_until=None,
                                   organisation=factories.OrganisationFactory(district_code="440106"))
    assert reports.expected_reports(hub, TODAY) == []


def test_the_database_join_owes_what_the_schedule_says(today):
    carriers = [
        factories.CarrierFactory(type_code="bj_srdi_station", valid_from=D(2025, 8, 20), valid_until=D(2026, 8, 19)),
        factories.CarrierFactory(type_code="bj_demo_base", valid_from=D(2024, 3, 31), valid_until=None),
        factories.CarrierFactory(type_code="gz_service_station", valid_from=D(2024, 2, 1), valid_until=D(2027, 1, 31),
                                 organisation=factories.OrganisationFactory(district_code="440106")),
    ]
    for carrier in carriers:
        from_db = reports.duty_rows(Carrier.objects.filter(pk=carrier.pk), today)
        assert sorted((r.period_kind, r.period_label) for r in from_db) == sorted(
            (s.kind, s.label) for s in reports.expected_reports(carrier, today))


def test_overdue_is_set_based_and_skips_submitted_reports(today):
    carrier = factories.CarrierFactory(type_code="bj_srdi_station", valid_from=D(2026, 2, 10), valid_until=None)
    rows = list(reports.overdue(Carrier.objects.all(), today))
    assert [(r.period_label, (today - r.period_due_on).days) for r in rows] == [
        ("2026年第1季度", 219), ("2026年第2季度", 128), ("2026年第3季度", 36)]
    user = factories.ApplicantFactory(organisation=carrier.organisation)
    period = reports.owed_period(carrier, rows[0].period_id, today)
    reports.save(carrier, period, user, {"x": 1}, submit=False)  # a draft is still overdue
    assert reports.overdue(Carrier.objects.all(), today).count() == 3
    reports.save(carrier, period, user, {"x": 1}, submit=True)
    assert [r.period_label for r in reports.overdue(Carrier.objects.all(), today)] == ["2026年第2季度", "2026年第3季度"]
    lifecycle.revoke(carrier.pk, "other", None, today)
    assert not reports.overdue(Carrier.objects.all(), today).exists()  # only titles in force are chased


def _overdue_carriers(n, district_code="110108"):
    org = factories.OrganisationFactory(district_code=district_code)
    return [factories.CarrierFactory(type_code="bj_srdi_station", organisation=org, valid_from=D(2026, 7, 1),
                                     valid_until=None) for _ in range(n)]


def test_overdue_lists_are_scoped_to_the_district_and_the_city(client, today):
    haidian = _overdue_carriers(2)
    chaoyang = _overdue_carriers(1, "110105")
    gz = factories.CarrierFactory(type_code="gz_service_station", valid_from=D(2025, 1, 1), valid_until=None,
                                  organisation=factories.OrganisationFactory(district_code="440106"))
    url = reverse("carriers:reports_overdue")
    client.force_login(factories.DistrictOfficerFactory(district_code="110108"))
    body = client.get(url).content.decode()
    assert all(c.name in body for c in haidian) and chaoyang[0].name not in body and gz.name not in body
    assert "逾期天数" in body and "<td>36</td>" in body
    client.force_login(factories.CityReviewerFactory(city="beijing"))
    body = client.get(url).content.decode()
    assert all(c.name in body for c in haidian + chaoyang) and gz.name not in body
    client.force_login(factories.CityReviewerFactory(city="guangzhou"))
    body = client.get(url).content.decode()
    assert gz.name in body and haidian[0].name not in body
    csv = client.get(reverse("carriers:reports_overdue_csv")).content.decode("utf-8-sig")
    assert gz.name in csv and haidian[0].name not in csv
    client.force_login(factories.ApplicantFactory(organisation=haidian[0].organisation))
    assert client.get(url).status_code == 403


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["carriers:reports_overdue", "carriers:reports_received", "carriers:duties"])
def test_official_lists_take_a_fixed_number_of_queries(client, today, name):
    officer = factories.DistrictOfficerFactory(district_code="110108")
    client.force_login(officer)
    url = reverse(name)
    carriers = _overdue_carriers(5)
    for carrier in carriers:
        _submit_any(carrier, today)
    client.get(url)
    few = _queries(client, url)
    for carrier in _overdue_carriers(25):
        _submit_any(carrier, today)
    assert _queries(client, url) == few


def _submit_any(carrier, today):
    row = reports.duty_rows(Carrier.objects.filter(pk=carrier.pk), today).first()
    period = reports.owed_period(carrier, row.period_id, today)
    reports.save(carrier, period, None, {"services_summary": "服务"}, submit=True)


def test_the_units_list_takes_a_fixed_number_of_queries(client, today):
    org = factories.OrganisationFactory()
    client.force_login(factories.ApplicantFactory(organisation=org))
    for _ in range(2):
        factories.CarrierFactory(type_code="bj_srdi_station", organisation=org, valid_from=D(2026, 1, 5))
    url = reverse("carriers:reports")
    client.get(url)
    few = _queries(client, url)
    for _ in range(8):
        factories.CarrierFactory(type_code="bj_srdi_station", organisation=org, valid_from=D(2026, 1, 5))
    assert _queries(client, url) == few


QUARTERLY = {"liaison_name": "张联络", "liaison_phone": "13800000000", "services_count": "12", "firms_served": "8",
             "srdi_firms_served": "3", "activities_count": "2", "services_summary": "政策宣讲、融资对接",
             "difficulties": "融资难；人才招聘难"}


def _edit_url(carrier, today, kind=None):
    row = reports.duty_rows(Carrier.objects.filter(pk=carrier.pk), today).order_by("period_due_on").first()
    return reverse("carriers:report_edit", args=[carrier.pk, row.period_id]), row.period_id


def test_bj_station_report_draft_then_submit_then_read_only(client, today):
    carrier = factories.CarrierFactory(type_code="bj_srdi_station", valid_from=D(2026, 7, 1), valid_until=None)
    client.force_login(factories.ApplicantFactory(organisation=carrier.organisation))
    url, period_id = _edit_url(carrier, today)
    assert "固定联络员" in client.get(url).content.decode()
    response = client.post(url, {"action": "save", "liaison_name": "张联络"})
    assert response.status_code == 302
    report = ServiceReport.objects.get(carrier=carrier, period_id=period_id)
    assert report.data == {"liaison_name": "张联络"} and not report.is_submitted
    response = client.post(url, {"action": "submit", "liaison_name": "张联络"})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    bad = client.post(url, {**QUARTERLY, "action": "submit", "srdi_firms_served": "9"})
    assert bad.status_code == 400 and "不能多于服务企业总数" in bad.content.decode()
    response = client.post(url, {**QUARTERLY, "action": "submit"})
    report.refresh_from_db()
    assert response.status_code == 302 and report.is_submitted and report.data["difficulties"] == "融资难；人才招聘难"
    assert report.data["firms_served"] == 8
    again = client.post(url, {**QUARTERLY, "action": "save", "liaison_name": "改名"}, follow=True)
    report.refresh_from_db()
    assert report.data["liaison_name"] == "张联络" and "已提交，不能再修改" in again.content.decode()
    detail = client.get(reverse("carriers:report_detail", args=[report.pk])).content.decode()
    assert "融资难；人才招聘难" in detail and "逾期提交" in detail  # Q3 was due 15 October


def test_gz_plan_must_schedule_three_promotion_sessions_and_summary_explains_a_shortfall(client, today):
    org = factories.OrganisationFactory(district_code="440106")
    carrier = factories.CarrierFactory(type_code="gz_service_station", organisation=org, valid_from=D(2025, 1, 1),
                                       valid_until=None)
    client.force_login(factories.ApplicantFactory(organisation=org))
    rows = {r.period_kind + r.period_label: r for r in
            reports.duty_rows(Carrier.objects.filter(pk=carrier.pk), today)}
    plan_url = reverse("carriers:report_edit", args=[carrier.pk, rows["gz_work_plan2026年度"].period_id])
    plan = {"action": "submit", "goals": "服务500家", "measures": "每月走访", "theme_month_plan": "配合主题月",
            "planned_promotion_sessions": "2"}
    response = client.post(plan_url, plan)
    assert response.status_code == 400 and "不少于3次" in response.content.decode()
    assert client.post(plan_url, {**plan, "planned_promotion_sessions": "3"}).status_code == 302
    summary_url = reverse("carriers:report_edit", args=[carrier.pk, rows["gz_annual_summary2025年度"].period_id])
    summary = {"action": "submit", "summary": "全年服务情况", "firms_served": "120", "promotion_sessions": "2",
               "promotion_details": "3月 政策宣讲\n6月 融资宣讲"}
    response = client.post(summary_url, summary)
    assert response.status_code == 400 and "请说明原因" in response.content.decode()
    assert client.post(summary_url, {**summary, "shortfall_reason": "场地改造"}).status_code == 302
    client.force_login(factories.CityReviewerFactory(city="guangzhou"))
    body = client.get(reverse("carriers:reports_received")).content.decode()
    assert "宣讲不足3次" in body


def test_units_see_only_their_own_and_officials_never_drafts(client, today):
    carrier = factories.CarrierFactory(type_code="bj_srdi_station", valid_from=D(2026, 7, 1), valid_until=None)
    url, period_id = _edit_url(carrier, today)
    client.force_login(factories.ApplicantFactory())
    assert client.get(url).status_code == 404
    client.force_login(factories.ApplicantFactory(organisation=carrier.organisation))
    client.post(url, {"action": "save", "liaison_name": "张联络"})
    report = ServiceReport.objects.get(carrier=carrier)
    detail = reverse("carriers:report_detail", args=[report.pk])
    assert client.get(detail).status_code == 200
    client.force_login(factories.DistrictOfficerFactory(district_code="110108"))
    assert client.get(detail).status_code == 404  # a draft
    client.force_login(factories.ApplicantFactory(organisation=carrier.organisation))
    client.post(url, {**QUARTERLY, "action": "submit"})
    client.force_login(factories.DistrictOfficerFactory(district_code="110108"))
    assert client.get(detail).status_code == 200
    client.force_login(factories.DistrictOfficerFactory(district_code="110105"))
    assert client.get(detail).status_code == 404
    client.force_login(factories.CityReviewerFactory(city="guangzhou"))
    assert client.get(detail).status_code == 404


def test_a_period_the_carrier_does_not_owe_is_404(client, today):
    carrier = factories.CarrierFactory(type_code="bj_srdi_station", valid_from=D(2026, 7, 1), valid_until=None)
    gz = factories.CarrierFactory(type_code="gz_service_station", valid_from=D(2025, 1, 1), valid_until=None,
                                  organisation=factories.OrganisationFactory(district_code="440106"))
    gz_period = reports.duty_rows(Carrier.objects.filter(pk=gz.pk), today).first().period_id
    client.force_login(factories.ApplicantFactory(organisation=carrier.organisation))
    assert client.get(reverse("carriers:report_edit", args=[carrier.pk, gz_period])).status_code == 404


def test_ensure_periods_is_idempotent():
    reports.ensure_periods(TODAY)
    from carriers.models import ReportPeriod

    count = ReportPeriod.objects.count()
    reports.ensure_periods(TODAY)
    assert ReportPeriod.objects.count() == count > 0
