"""Three years of a BJ station, a BJ platform and a GZ station on a frozen clock:
evaluations passed and failed, a missed deadline, late change reports, a 复核, a
revocation with its ban, and a re-application refused during the ban and allowed after it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from freezegun import freeze_time

from applications.guards import filing_problems
from applications.models import ApplicationState
from applications.workflow import transition
from carriers import changes, lifecycle
from carriers.models import Carrier
from evaluations import services as evaluation
from evaluations.models import EvaluationCampaign, Grade, Result, SelfAssessment
from evaluations.sweeps import fail_missing_self_assessments
from reviews import announcements
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def at(day: str):
    """Freeze the clock at 10:00 Beijing time on ``day``."""
    return freeze_time(f"{day} 10:00:00+08:00")


def campaign(type_code, year, deadline, reviewer):
    return EvaluationCampaign.objects.create(carrier_type=factories.carrier_type(type_code), year=year,
                                             self_assessment_deadline=deadline, created_by=reviewer)


def submit(camp, carrier, user):
    return evaluation.save_self_assessment(camp, carrier, {"note": "按要求填报"}, user, submit=True)


def file_change(carrier, user, changed_on):
    return changes.file_change(carrier, user, field="name", new_value=f"{carrier.name}（更名）", changed_on=changed_on,
                               evidence=SimpleUploadedFile("变更证明.pdf", PDF), evidence_name="变更证明.pdf",
                               today=timezone.localdate())


def status(carrier):
    carrier.refresh_from_db()
    return carrier.status


def test_bj_station_three_years():
    city = factories.CityReviewerFactory(city="beijing")
    org = factories.OrganisationFactory(district_code="110108")
    unit = factories.ApplicantFactory(organisation=org, is_org_admin=True)
    station = factories.CarrierFactory(type_code="bj_srdi_station", organisation=org,
                                       valid_from=D(2024, 3, 1), valid_until=D(2025, 2, 28))
    # Year 1: self-assessment in time, passed: validity extended one year (第十七条).
    camp = campaign("bj_srdi_station", 2024, D(2025, 1, 31), city)
    with at("2025-01-15"):
        assessment = submit(camp, station, unit)
    with at("2025-02-10"):
        evaluation.review(assessment.pk, city, {"result": Result.PASSED, "comment": "服务成效良好"})
    station.refresh_from_db()
    assert station.valid_until == D(2026, 2, 28) and station.status == Carrier.Status.ACTIVE
    # Year 2: a name change reported after 30 working days is flagged late (第二十一条).
    with at("2025-07-01"):
        assert file_change(station, unit, D(2025, 5, 6)).is_late is True
    with at("2025-05-20"):
        assert file_change(factories.CarrierFactory(type_code="bj_srdi_station"), unit, D(2025, 5, 6)).is_late \
            is False
    # Year 2 evaluation: no self-assessment by the deadline: revoked the day after (第二十条（一）).
    camp2 = campaign("bj_srdi_station", 2025, D(2026, 1, 31), city)
    with at("2026-01-31"):
        assert fail_missing_self_assessments(timezone.localdate())["counts"]["revoked"] == 0
    with at("2026-02-01"):
        result = fail_missing_self_assessments(timezone.localdate())
        assert station.pk in result["ids"]["revoked"]
        assert fail_missing_self_assessments(timezone.localdate())["counts"]["revoked"] == 0
    station.refresh_from_db()
    assert station.status == Carrier.Status.REVOKED and station.revocation_ground.startswith("第二十条（一）")
    assert station.ban_until is None
    assert SelfAssessment.objects.get(campaign=camp2, carrier=station).result == Result.MISSED
    # Year 3: no ban for stations: it may apply again in the next round.
    with at("2026-07-10"):
        round_ = factories.RoundFactory(type_code="bj_srdi_station", year=2026, opens_on=D(2026, 7, 1),
                                        closes_on=D(2026, 7, 31), district_deadline=D(2026, 8, 15))
        assert filing_problems(org, round_, timezone.localdate()) == []


def test_bj_platform_three_years_with_a_ban():
    city = factories.CityReviewerFactory(city="beijing")
    org = factories.OrganisationFactory(district_code="110105")
    unit = factories.ApplicantFactory(organisation=org, is_org_admin=True)
    platform = factories.CarrierFactory(type_code="bj_demo_platform", organisation=org, valid_from=D(2024, 3, 1),
                                        valid_until=None)
    # Year 1: graded 较好 with four stars and a funding tier (第十四条): kept.
    camp = campaign("bj_demo_platform", 2024, D(2025, 1, 31), city)
    with at("2025-01-20"):
        assessment = submit(camp, platform, unit)
    with at("2025-02-15"):
        evaluation.review(assessment.pk, city, {"grade": Grade.GOOD, "stars": 4, "funding_tier": "一档",
                                                "comment": "服务量大，满意度高"})
    assert status(platform) == Carrier.Status.ACTIVE
    # Year 2: a late change report (30 working days, 第十七条), then false materials found: revoked with a
    # two-year ban (第十五条（一）).
    with at("2025-06-30"):
        assert file_change(platform, unit, D(2025, 4, 1)).is_late is True
    with at("2025-07-15"):
        lifecycle.revoke(platform.pk, "false_materials", city, timezone.localdate(), "绩效评价数据造假")
    platform.refresh_from_db()
    assert platform.ban_until == D(2027, 7, 15)
    # Year 3: the 2026 round refuses it; the 2027 round after the ban accepts it.
    with at("2026-07-10"):
        round_2026 = factories.RoundFactory(type_code="bj_demo_platform", year=2026, opens_on=D(2026, 7, 1),
                                            closes_on=D(2026, 7, 31), district_deadline=D(2026, 8, 15))
        assert any("前不得再次申报" in p for p in filing_problems(org, round_2026, timezone.localdate()))
    with at("2027-07-20"):
        round_2027 = factories.RoundFactory(type_code="bj_demo_platform", year=2027, opens_on=D(2027, 7, 16),
                                            closes_on=D(2027, 8, 15), district_deadline=D(2027, 8, 31))
        assert filing_problems(org, round_2027, timezone.localdate()) == []


def test_gz_station_three_years_with_rectification_and_re_review():
    city = factories.CityReviewerFactory(city="guangzhou")
    hub = factories.HubCoordinatorFactory()
    org = factories.OrganisationFactory(district_code="440106")
    unit = factories.ApplicantFactory(organisation=org, is_org_admin=True)
    officer = factories.DistrictOfficerFactory(district_code="440106")
    station = factories.CarrierFactory(type_code="gz_service_station", organisation=org, number="GZFWZ-2024-0001",
                                       valid_from=D(2024, 1, 1), valid_until=D(2026, 12, 31))
    # Year 1 考核: 不合格 → rectification; the one re-assessment passes → active again.
    camp = campaign("gz_service_station", 2024, D(2025, 1, 31), city)
    with at("2025-01-10"):
        assessment = submit(camp, station, unit)
    with at("2025-02-20"):
        evaluation.review(assessment.pk, city, {"result": Result.FAILED, "rectification_until": D(2025, 5, 31),
                                                "comment": "宣讲活动不足"})
    assert status(station) == Carrier.Status.RECTIFYING
    with at("2025-06-05"):
        evaluation.reassess(assessment.pk, city, {"result": Result.PASSED, "comment": "整改到位"})
    assert status(station) == Carrier.Status.ACTIVE
    # Year 2: a change reported 31 calendar days after it happened is late (四（四）).
    with at("2025-09-01"):
        assert file_change(station, unit, D(2025, 7, 31)).is_late is True
    # Year 3: the 复核 in 2026's round through the same flow; passing extends three years, same number.
    with at("2026-06-10"):
        round_ = factories.RoundFactory(type_code="gz_service_station", year=2026, opens_on=D(2026, 6, 1),
                                        closes_on=D(2026, 6, 30), district_deadline=D(2026, 7, 15))
        assert filing_problems(org, round_, timezone.localdate()) == []
        app = factories.ApplicationFactory(round=round_, organisation=org, renews_carrier=station,
                                           state=ApplicationState.DISTRICT_REVIEW, submitted_at=timezone.now())
    with at("2026-07-10"):
        transition(app.pk, "recommend", officer)
        transition(app.pk, "send_to_experts", hub)
        transition(app.pk, "complete_expert_review", hub)
        transition(app.pk, "shortlist", city)
        transition(app.pk, "publish_notice", city)
    with at("2026-07-20"):
        transition(app.pk, "close_notice", None)
        announcements.publish(round_, city, title="关于公布2026年服务站复核结果的公告",
                              document_number="穗工信函〔2026〕88号", published_on=timezone.localdate(),
                              body="现予公告。", application_ids=[app.pk])
    station.refresh_from_db()
    assert station.valid_until == D(2029, 12, 31) and station.number == "GZFWZ-2024-0001"
    assert station.status == Carrier.Status.ACTIVE
