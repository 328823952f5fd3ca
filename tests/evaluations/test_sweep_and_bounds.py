"""The missed-self-assessment sweep and the lists' fixed query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carriers.models import Carrier, CarrierEvent
from evaluations.models import EvaluationCampaign, SelfAssessment
from evaluations.sweeps import fail_missing_self_assessments
from portal.models import Notification
from tests import factories

from .helpers import campaign, org_for, submitted

pytestmark = pytest.mark.django_db
D = datetime.date
DEADLINE = D(2026, 4, 30)
RUN_ON = D(2026, 5, 6)


@pytest.fixture
def due():
    """Campaigns of three types whose deadline passed; carriers that took part, missed, or were not concerned."""
    started = D(2025, 6, 1)
    w = {}
    station = campaign("bj_srdi_station", year=2026, deadline=DEADLINE)
    platform = campaign("bj_demo_platform", year=2026, deadline=DEADLINE)
    gz = campaign("gz_service_station", year=2026, deadline=DEADLINE)
    bj_org, gz_org = org_for("bj_srdi_station"), org_for("gz_service_station")

    def carrier(code, org, **kwargs):
        kwargs.setdefault("valid_from", started)
        kwargs.setdefault("valid_until", D(2026, 12, 31) if code != "bj_demo_platform" else None)
        return factories.CarrierFactory(type_code=code, organisation=org, **kwargs)

    w["took_part"] = carrier("bj_srdi_station", bj_org)
    submitted(carrier=w["took_part"], the_campaign=station)
    w["missed"] = carrier("bj_srdi_station", bj_org)
    w["draft_only"] = carrier("bj_srdi_station", bj_org)
    SelfAssessment.objects.create(campaign=station, carrier=w["draft_only"], data={"summary": "草稿"})
    w["too_new"] = carrier("bj_srdi_station", bj_org, valid_from=D(2026, 5, 1))
    w["already_revoked"] = carrier("bj_srdi_station", bj_org, status="revoked", revoked_on=D(2026, 3, 1))
    w["platform_missed"] = carrier("bj_demo_platform", bj_org)
    w["gz_missed"] = carrier("gz_service_station", gz_org)
    w["gz_rectifying_missed"] = carrier("gz_service_station", gz_org, status="rectifying")
    w["base_no_campaign"] = carrier("bj_demo_base", bj_org, valid_until=None)
    w["campaigns"] = (station, platform, gz)
    return w


MISSED = ("missed", "draft_only", "platform_missed", "gz_missed", "gz_rectifying_missed")


def test_dry_run_changes_nothing(due):
    result = fail_missing_self_assessments(today=RUN_ON, dry_run=True)
    assert set(result["ids"]["revoked"]) == {due[name].pk for name in MISSED}
    assert result["counts"]["revoked"] == len(MISSED) and result["counts"]["campaigns"] == 3
    assert not Carrier.objects.filter(status="revoked").exclude(pk=due["already_revoked"].pk).exists()
    assert not CarrierEvent.objects.exists()
    assert not EvaluationCampaign.objects.filter(processed_at__isnull=False).exists()
    assert not SelfAssessment.objects.filter(result="missed").exists()


def test_missed_self_assessments_revoke_on_the_types_grounds(due):
    result = fail_missing_self_assessments(today=RUN_ON)
    assert set(result["ids"]["revoked"]) == {due[name].pk for name in MISSED}
    grounds = {name: Carrier.objects.get(pk=due[name].pk) for name in MISSED}
    assert all(c.status == "revoked" and c.revoked_on == RUN_ON and c.ban_until is None for c in grounds.values())
    assert grounds["missed"].revocation_ground.startswith("第二十条（一）")
    assert grounds["platform_missed"].revocation_ground.startswith("第十三条")
    assert grounds["gz_missed"].revocation_ground.startswith("四（三）6")
    for name in ("took_part", "too_new", "base_no_campaign"):
        assert Carrier.objects.get(pk=due[name].pk).status == "active", name
    missed = SelfAssessment.objects.filter(result="missed")
    assert set(missed.values_list("carrier_id", flat=True)) == {due[name].pk for name in MISSED}
    assert SelfAssessment.objects.get(carrier=due["draft_only"]).result == "missed"
    assert not EvaluationCampaign.objects.filter(processed_at__isnull=True).exists()


def test_the_unit_is_told_its_title_was_revoked(due):
    member = factories.ApplicantFactory(organisation=due["missed"].organisation)
    fail_missing_self_assessments(today=RUN_ON)
    note = Notification.objects.get(recipient=member, title=f"“{due['missed'].name}”已撤销认定")
    assert "2026年05月06日" in note.body and "第二十条（一）" in note.body and "视同评价不合格" in note.body
    assert note.url == reverse("carrier_detail", args=[due["missed"].number])
    assert not Notification.objects.filter(title__contains=due["took_part"].name).exists()


def test_second_run_changes_nothing(due):
    fail_missing_self_assessments(today=RUN_ON)
    events = CarrierEvent.objects.count()
    again = fail_missing_self_assessments(today=RUN_ON)
    assert again["counts"] == {"campaigns": 0, "revoked": 0, "skipped": 0}
    assert CarrierEvent.objects.count() == events


def test_nothing_before_the_deadline_has_passed(due):
    result = fail_missing_self_assessments(today=DEADLINE)
    assert result["counts"]["revoked"] == 0 and result["counts"]["campaigns"] == 0
    assert not EvaluationCampaign.objects.filter(processed_at__isnull=False).exists()


def test_candidates_are_found_in_one_query(due):
    with CaptureQueriesContext(connection) as captured:
        fail_missing_self_assessments(today=RUN_ON, dry_run=True)
    touching_carriers = [q for q in captured if 'JOIN "carriers_carrier" ' in q["sql"]
                         or 'FROM "carriers_carrier" ' in q["sql"]]
    assert len(touching_carriers) == 1


# --- fixed query counts ---


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_run_a_fixed_number_of_queries(client):
    org = org_for("bj_srdi_station")
    applicant = factories.ApplicantFactory(organisation=org)
    district = factories.DistrictOfficerFactory(district_code="110108")
    city = factories.CityReviewerFactory(city="beijing")
    the_campaign = campaign()
    pages = {"mine": (applicant, reverse("evaluations:mine")),
             "district": (district, reverse("evaluations:district_list")),
             "campaigns": (city, reverse("evaluations:city_campaigns")),
             "campaign": (city, reverse("evaluations:campaign_detail", args=[the_campaign.pk]))}
    counts = {name: [] for name in pages}
    for n in (5, 30):
        while SelfAssessment.objects.count() < n:
            submitted(carrier=factories.CarrierFactory(organisation=org), the_campaign=the_campaign)
            factories.CarrierFactory(organisation=org)  # open, not yet filled
            EvaluationCampaign.objects.create(
                carrier_type=factories.carrier_type("bj_demo_base"), year=1990 + SelfAssessment.objects.count(),
                self_assessment_deadline=timezone.localdate(), created_by=city)
        for name, (user, url) in pages.items():
            client.force_login(user)
            counts[name].append(queries_for(client, url))
    for name, (first, second) in counts.items():
        assert first == second, (name, counts)
