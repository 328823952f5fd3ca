"""Reminders: reports due within 7 days and self-assessments due within 14 days, each told once."""

import datetime

import pytest

from carriers.models import CarrierEvent
from carriers.reports import ensure_periods
from evaluations.models import EvaluationCampaign
from portal.models import Notification
from portal.sweeps import reminders
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date


def test_report_and_self_assessment_reminders_are_sent_once():
    org = factories.OrganisationFactory(district_code="110108")
    factories.ApplicantFactory(organisation=org)
    station = factories.CarrierFactory(type_code="bj_srdi_station", organisation=org, valid_from=D(2026, 1, 5),
                                       valid_until=D(2027, 1, 4))
    EvaluationCampaign.objects.create(carrier_type=station.carrier_type, year=2026,
                                      self_assessment_deadline=D(2027, 1, 15),
                                      created_by=factories.CityReviewerFactory())
    # 2027-01-08: the Q4 2026 report is due 2027-01-15 and the self-assessment the same day.
    ensure_periods(D(2027, 1, 8))
    dry = reminders(D(2027, 1, 8), dry_run=True)
    assert dry["counts"]["reports_reminded"] >= 1 and dry["counts"]["self_assessments_reminded"] == 1
    assert not Notification.objects.exists()
    first = reminders(D(2027, 1, 8), dry_run=False)
    assert first["ids"]["self_assessments_reminded"] == [station.pk]
    titles = list(Notification.objects.values_list("title", flat=True))
    assert any("绩效自评" in t for t in titles) and any("请按时报送" in t for t in titles)
    second = reminders(D(2027, 1, 8), dry_run=False)
    assert second["counts"]["reports_reminded"] == 0 and second["counts"]["self_assessments_reminded"] == 0
    assert CarrierEvent.objects.filter(carrier=station, action="self_assessment_reminder").count() == 1
