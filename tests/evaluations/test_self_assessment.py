"""The unit's self-assessment: per-type forms, draft and submit, the deadline, own carriers only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.forms import (
    REGISTRY,
    BjPlatformSelfAssessmentForm,
    BjStationSelfAssessmentForm,
    GzStationSelfAssessmentForm,
)
from evaluations.models import SelfAssessment
from tests import factories

from .helpers import DATA, GZ_DATA, PLATFORM_DATA, STATION_DATA, campaign, org_for

pytestmark = pytest.mark.django_db


def test_every_evaluated_type_has_a_form_and_grounds_that_exist():
    from carriers.rules import get_rules

    for code, kind in REGISTRY.items():
        rules = get_rules(code)
        assert rules.revocation_ground(kind.missed_ground) and rules.revocation_ground(kind.failed_ground)
    assert "gz_hub_station" not in REGISTRY


@pytest.mark.parametrize("form_class,data", [(BjStationSelfAssessmentForm, STATION_DATA),
                                             (BjPlatformSelfAssessmentForm, PLATFORM_DATA),
                                             (GzStationSelfAssessmentForm, GZ_DATA)])
def test_complete_data_is_valid_per_type(form_class, data):
    form = form_class(data)
    assert form.is_valid(), form.errors
    assert set(form.to_data()) == set(data)


def test_ratios_above_one_are_refused_in_chinese():
    form = BjPlatformSelfAssessmentForm({**PLATFORM_DATA, "satisfaction_rate": "1.2", "sme_revenue_share": "-0.1"})
    assert not form.is_valid()
    assert form.errors["satisfaction_rate"] == ["服务满意度应在 0 到 1 之间（以小数填写，如 0.9 表示 90%）。"]
    assert "应在 0 到 1 之间" in form.errors["sme_revenue_share"][0]


def test_ratio_is_stored_as_a_decimal_string_and_shown_as_percent():
    form = BjPlatformSelfAssessmentForm(PLATFORM_DATA)
    assert form.is_valid()
    data = form.to_data()
    assert data["satisfaction_rate"] == "0.95"
    assert ("服务满意度", "95%") in BjPlatformSelfAssessmentForm.describe(data)


@pytest.mark.parametrize("form_class,data,field", [(BjStationSelfAssessmentForm, STATION_DATA, "neeq_listings"),
                                                   (BjPlatformSelfAssessmentForm, PLATFORM_DATA, "staff"),
                                                   (GzStationSelfAssessmentForm, GZ_DATA, "promotion_sessions")])
def test_counts_cannot_be_negative(form_class, data, field):
    form = form_class({**data, field: "-1"})
    assert not form.is_valid()
    assert form.errors[field][0].endswith("不能为负数。")


def test_draft_accepts_blanks_but_not_wrong_values():
    assert BjStationSelfAssessmentForm({"firms_served": "3"}, draft=True).is_valid()
    assert not BjStationSelfAssessmentForm({"firms_served": "3"}).is_valid()
    draft = BjStationSelfAssessmentForm({"firms_served": "-3"}, draft=True)
    assert not draft.is_valid() and "不能为负数" in draft.errors["firms_served"][0]


def test_gz_fewer_than_three_promotion_sessions_is_flagged_for_the_reviewer():
    assert GzStationSelfAssessmentForm.data_warnings({**GZ_DATA, "promotion_sessions": 2})
    assert not GzStationSelfAssessmentForm.data_warnings(GZ_DATA)


def _fill_url(the_campaign, carrier):
    return reverse("evaluations:fill", kwargs={"campaign_pk": the_campaign.pk, "carrier_pk": carrier.pk})


@pytest.mark.parametrize("type_code", sorted(DATA))
def test_unit_saves_a_draft_then_submits(client, type_code):
    org = org_for(type_code)
    carrier = factories.CarrierFactory(type_code=type_code, organisation=org)
    the_campaign = campaign(type_code)
    client.force_login(factories.ApplicantFactory(organisation=org))
    listing = client.get(reverse("evaluations:mine"))
    assert carrier.name in listing.content.decode()
    url = _fill_url(the_campaign, carrier)
    assert client.get(url).status_code == 200
    first_key = next(iter(DATA[type_code]))
    client.post(url, {first_key: DATA[type_code][first_key], "save": "1"})
    draft = SelfAssessment.objects.get(carrier=carrier)
    assert draft.submitted_at is None and first_key in draft.data
    response = client.post(url, {"submit": "1"})
    assert response.status_code == 400 and "请填写" in response.content.decode()
    client.post(url, {**DATA[type_code], "submit": "1"})
    draft.refresh_from_db()
    assert draft.submitted_at is not None
    client.post(url, {**DATA[type_code], "save": "1"})
    assert SelfAssessment.objects.get(pk=draft.pk).updated_at == draft.updated_at  # submitted: no more changes


def test_after_the_deadline_the_form_is_refused(client):
    org = org_for("bj_srdi_station")
    carrier = factories.CarrierFactory(organisation=org)
    the_campaign = campaign(deadline=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(factories.ApplicantFactory(organisation=org))
    response = client.post(_fill_url(the_campaign, carrier), {**STATION_DATA, "submit": "1"}, follow=True)
    assert "自评截止日期" in response.content.decode() and "已过" in response.content.decode()
    assert not SelfAssessment.objects.exists()


def test_the_deadline_day_is_the_beijing_date(client, monkeypatch):
    """16:30 UTC on the deadline is already the next day in Asia/Shanghai: refused."""
    org = org_for("bj_srdi_station")
    carrier = factories.CarrierFactory(organisation=org, valid_from=datetime.date(2026, 1, 1),
                                       valid_until=datetime.date(2026, 12, 31))
    the_campaign = campaign(year=2026, deadline=datetime.date(2026, 3, 31))
    client.force_login(factories.ApplicantFactory(organisation=org))
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 3, 31, 15, 30, tzinfo=datetime.UTC))
    client.post(_fill_url(the_campaign, carrier), {**STATION_DATA, "submit": "1"})
    assert SelfAssessment.objects.filter(submitted_at__isnull=False).count() == 1  # 23:30 in Beijing: accepted
    SelfAssessment.objects.all().delete()
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 3, 31, 16, 30, tzinfo=datetime.UTC))
    client.post(_fill_url(the_campaign, carrier), {**STATION_DATA, "submit": "1"})
    assert not SelfAssessment.objects.exists()


def test_another_units_carrier_is_not_found(client):
    carrier = factories.CarrierFactory(organisation=org_for("bj_srdi_station"))
    the_campaign = campaign()
    client.force_login(factories.ApplicantFactory(organisation=org_for("bj_srdi_station")))
    assert client.get(_fill_url(the_campaign, carrier)).status_code == 404
    assert client.post(_fill_url(the_campaign, carrier), {**STATION_DATA, "submit": "1"}).status_code == 404
    assert carrier.name not in client.get(reverse("evaluations:mine")).content.decode()


def test_a_campaign_of_another_type_is_not_found(client):
    org = org_for("bj_srdi_station")
    carrier = factories.CarrierFactory(organisation=org)
    client.force_login(factories.ApplicantFactory(organisation=org))
    assert client.get(_fill_url(campaign("bj_demo_base"), carrier)).status_code == 404
