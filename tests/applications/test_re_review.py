"""GZ 复核 (四（二）): in the final year a station files its re-review in that year's round through
the same flow; passing extends it three years, failing revokes it (四（三）5)."""

import datetime

import pytest
from django.utils import timezone

from applications.guards import filing_problems
from applications.models import ApplicationState
from applications.services import start_application
from applications.workflow import transition
from carriers.models import Carrier, CarrierEvent
from reviews import announcements
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def station():
    org = factories.OrganisationFactory(district_code="440106")
    this_year = timezone.localdate().year
    return factories.CarrierFactory(type_code="gz_service_station", organisation=org, number="GZFWZ-2023-0001",
                                    valid_from=D(this_year - 3, 1, 1), valid_until=D(this_year, 12, 31))


def test_holder_files_its_re_review_in_the_final_year(station):
    round_ = factories.RoundFactory(type_code="gz_service_station", year=station.valid_until.year)
    assert filing_problems(station.organisation, round_, timezone.localdate()) == []
    app = start_application(station.organisation, round_, factories.ApplicantFactory(organisation=station.organisation))
    assert app.renews_carrier == station


def test_holder_refused_in_other_years(station):
    round_ = factories.RoundFactory(type_code="gz_service_station", year=station.valid_until.year + 1)
    assert any("已持有有效的" in p for p in filing_problems(station.organisation, round_, timezone.localdate()))


def test_bj_station_holder_still_refused():
    carrier = factories.CarrierFactory(type_code="bj_srdi_station", valid_until=D(timezone.localdate().year, 12, 31))
    round_ = factories.RoundFactory(type_code="bj_srdi_station", year=carrier.valid_until.year)
    assert any("已持有有效的" in p for p in filing_problems(carrier.organisation, round_, timezone.localdate()))


def test_passed_re_review_extends_three_years_and_keeps_the_number(station):
    round_ = factories.RoundFactory(type_code="gz_service_station", year=station.valid_until.year)
    now = timezone.now()
    app = factories.ApplicationFactory(round=round_, organisation=station.organisation, renews_carrier=station,
                                       state=ApplicationState.APPROVED, submitted_at=now, recommended_at=now)
    reviewer = factories.CityReviewerFactory(city="guangzhou")
    announcements.publish(round_, reviewer, title="关于公布服务站复核结果的公告", document_number="穗工信函〔2026〕9号",
                          published_on=timezone.localdate(), body="现予公告。", application_ids=[app.pk])
    station.refresh_from_db()
    assert station.number == "GZFWZ-2023-0001"
    assert station.valid_until.year == timezone.localdate().year + 3
    assert Carrier.objects.filter(carrier_type__code="gz_service_station").count() == 1
    assert CarrierEvent.objects.get(carrier=station, action="extend").comment.startswith("复核通过")


def test_failed_re_review_revokes_on_ground_five(station):
    round_ = factories.RoundFactory(type_code="gz_service_station", year=station.valid_until.year)
    app = factories.ApplicationFactory(round=round_, organisation=station.organisation, renews_carrier=station,
                                       state=ApplicationState.DISTRICT_REVIEW, submitted_at=timezone.now())
    officer = factories.DistrictOfficerFactory(district_code="440106")
    transition(app.pk, "reject", officer, "服务站近三年未开展服务活动，复核不予推荐。")
    station.refresh_from_db()
    assert station.status == Carrier.Status.REVOKED and station.revocation_ground.startswith("四（三）5")
