"""District tracking opinion (BJ station 第十八条) and the city's review (复核) with its outcomes."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from carriers.models import Carrier, CarrierEvent
from evaluations import services
from evaluations.models import EvaluationCampaign, SelfAssessment
from portal.models import Notification
from portal.sweeps import reminders
from tests import factories

from .helpers import campaign, submitted, today

pytestmark = pytest.mark.django_db


# --- district opinion ---


def test_district_officer_adds_an_opinion_to_its_own_station(client):
    assessment = submitted("bj_srdi_station")
    client.force_login(factories.DistrictOfficerFactory(district_code="110108"))
    listing = client.get(reverse("evaluations:district_list")).content.decode()
    assert assessment.carrier.name in listing
    url = reverse("evaluations:district_detail", args=[assessment.pk])
    client.post(url, {"opinion": "服务开展正常，目标基本完成。"})
    assessment.refresh_from_db()
    assert assessment.district_opinion == "服务开展正常，目标基本完成。" and assessment.district_opinion_at


def test_district_officer_of_another_district_gets_404(client):
    assessment = submitted("bj_srdi_station")
    client.force_login(factories.DistrictOfficerFactory(district_code="110105"))
    url = reverse("evaluations:district_detail", args=[assessment.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"opinion": "越权意见"}).status_code == 404
    assert assessment.carrier.name not in client.get(reverse("evaluations:district_list")).content.decode()
    assessment.refresh_from_db()
    assert assessment.district_opinion == ""


def test_service_refuses_an_opinion_from_another_district_and_for_other_types():
    station = submitted("bj_srdi_station")
    with pytest.raises(services.EvaluationRefused):
        services.add_district_opinion(station.pk, factories.DistrictOfficerFactory(district_code="110105"), "x")
    platform = submitted("bj_demo_platform")
    with pytest.raises(services.EvaluationRefused, match="不需要区级跟踪意见"):
        services.add_district_opinion(platform.pk, factories.DistrictOfficerFactory(district_code="110108"), "x")


def test_drafts_are_not_shown_to_the_district(client):
    draft = SelfAssessment.objects.create(campaign=campaign(), carrier=factories.CarrierFactory())
    client.force_login(factories.DistrictOfficerFactory(district_code="110108"))
    assert client.get(reverse("evaluations:district_detail", args=[draft.pk])).status_code == 404


# --- campaigns ---


def test_city_reviewer_opens_one_campaign_per_type_and_year(client):
    reviewer = factories.CityReviewerFactory(city="beijing")
    client.force_login(reviewer)
    data = {"carrier_type": factories.carrier_type("bj_demo_base").pk, "year": 2026,
            "self_assessment_deadline": "2026-04-30"}
    response = client.post(reverse("evaluations:campaign_new"), data)
    assert response.status_code == 302
    assert EvaluationCampaign.objects.get().created_by == reviewer
    response = client.post(reverse("evaluations:campaign_new"), data)
    assert response.status_code == 400 and "已有绩效评价批次" in response.content.decode()


def test_city_reviewer_cannot_open_a_campaign_for_the_other_city(client):
    client.force_login(factories.CityReviewerFactory(city="beijing"))
    response = client.post(reverse("evaluations:campaign_new"), {
        "carrier_type": factories.carrier_type("gz_service_station").pk, "year": 2026,
        "self_assessment_deadline": "2026-04-30"})
    assert response.status_code == 400 and not EvaluationCampaign.objects.exists()


def test_city_reviewer_moves_a_campaigns_deadline_until_it_is_processed(client):
    the_campaign = campaign("bj_demo_base")
    edit = reverse("evaluations:campaign_edit", args=[the_campaign.pk])
    client.force_login(factories.CityReviewerFactory(city="beijing"))
    later = today() + datetime.timedelta(days=30)
    response = client.post(edit, {"self_assessment_deadline": later.isoformat(), "notes": "请附服务台账。"})
    assert response.status_code == 302
    the_campaign.refresh_from_db()
    assert (the_campaign.self_assessment_deadline, the_campaign.notes) == (later, "请附服务台账。")
    yesterday = today() - datetime.timedelta(days=1)
    response = client.post(edit, {"self_assessment_deadline": yesterday.isoformat(), "notes": "改掉"})
    assert response.status_code == 400 and "自评截止日期不能早于今天" in response.content.decode()
    the_campaign.refresh_from_db()
    assert the_campaign.self_assessment_deadline == later and the_campaign.notes == "请附服务台账。"
    EvaluationCampaign.objects.filter(pk=the_campaign.pk).update(processed_at=timezone.now())
    response = client.post(edit, {"self_assessment_deadline": (later + datetime.timedelta(days=1)).isoformat()},
                           follow=True)
    assert "不能再修改" in response.content.decode()
    assert EvaluationCampaign.objects.get(pk=the_campaign.pk).self_assessment_deadline == later


def test_the_other_citys_campaign_cannot_be_changed(client):
    the_campaign = campaign("gz_service_station")
    client.force_login(factories.CityReviewerFactory(city="beijing"))
    response = client.post(reverse("evaluations:campaign_edit", args=[the_campaign.pk]),
                           {"self_assessment_deadline": (today() + datetime.timedelta(days=40)).isoformat()})
    assert response.status_code == 404
    assert EvaluationCampaign.objects.get(pk=the_campaign.pk).self_assessment_deadline != (
        today() + datetime.timedelta(days=40))


# --- the review ---


def review(client, assessment, data, city="beijing"):
    client.force_login(factories.CityReviewerFactory(city=city))
    return client.post(reverse("evaluations:city_review", args=[assessment.pk]), data)


def test_platform_fair_keeps_the_title_without_funds(client):
    assessment = submitted("bj_demo_platform")
    review(client, assessment, {"grade": "fair", "stars": "3"})
    assessment.refresh_from_db()
    assert (assessment.result, assessment.grade, assessment.stars, assessment.funding_tier) == (
        "passed", "fair", 3, "")
    assert Carrier.objects.get(pk=assessment.carrier_id).status == "active"


def test_platform_good_needs_a_funding_tier(client):
    assessment = submitted("bj_demo_base")
    response = review(client, assessment, {"grade": "good", "stars": "5"})
    assert response.status_code == 400 and "资金支持档次" in response.content.decode()
    response = review(client, assessment, {"grade": "fair", "stars": "2", "funding_tier": "tier1"})
    assert response.status_code == 400 and "只有评价等次为“较好”" in response.content.decode()
    review(client, assessment, {"grade": "good", "stars": "5", "funding_tier": "tier1"})
    assessment.refresh_from_db()
    assert (assessment.grade, assessment.stars, assessment.funding_tier) == ("good", 5, "tier1")


def test_stars_are_one_to_five(client):
    assessment = submitted("bj_demo_platform")
    assert review(client, assessment, {"grade": "fair", "stars": "6"}).status_code == 400
    assert review(client, assessment, {"grade": "fair"}).status_code == 400


def test_platform_unqualified_revokes_without_a_ban(client):
    assessment = submitted("bj_demo_platform")
    review(client, assessment, {"grade": "unqualified", "comment": "服务能力明显下降"})
    carrier = Carrier.objects.get(pk=assessment.carrier_id)
    assert carrier.status == "revoked" and carrier.ban_until is None
    assert carrier.revocation_ground.startswith("第十四条")
    assert SelfAssessment.objects.get(pk=assessment.pk).result == "failed"


def test_station_pass_extends_validity_by_a_year(client):
    assessment = submitted("bj_srdi_station")
    before = assessment.carrier.valid_until
    review(client, assessment, {"result": "passed"})
    carrier = Carrier.objects.get(pk=assessment.carrier_id)
    assert carrier.valid_until == before + relativedelta(years=1) and carrier.status == "active"
    event = CarrierEvent.objects.get(carrier=carrier)
    assert event.action == "extend" and event.old_values == {"valid_until": before.isoformat()}


def test_station_fail_revokes_on_article_19(client):
    assessment = submitted("bj_srdi_station")
    response = review(client, assessment, {"result": "failed"})
    assert response.status_code == 400  # a failed result needs the reviewer's reasons
    review(client, assessment, {"result": "failed", "comment": "未完成年度目标"})
    carrier = Carrier.objects.get(pk=assessment.carrier_id)
    assert carrier.status == "revoked" and carrier.revocation_ground.startswith("第十九条")
    assert carrier.ban_until is None


def test_a_review_is_made_once(client):
    assessment = submitted("bj_srdi_station")
    review(client, assessment, {"result": "passed"})
    valid_until = Carrier.objects.get(pk=assessment.carrier_id).valid_until
    response = review(client, assessment, {"result": "passed"})
    assert response.status_code == 302
    assert Carrier.objects.get(pk=assessment.carrier_id).valid_until == valid_until


def test_reviewer_of_the_other_city_gets_404(client):
    assessment = submitted("bj_srdi_station")
    response = review(client, assessment, {"result": "failed", "comment": "x"}, city="guangzhou")
    assert response.status_code == 404
    assert Carrier.objects.get(pk=assessment.carrier_id).status == "active"


def _gz_failed(client):
    assessment = submitted("gz_service_station")
    until = today() + datetime.timedelta(days=60)
    response = review(client, assessment, {"result": "failed", "comment": "宣讲不足三次"}, city="guangzhou")
    assert response.status_code == 400 and "整改期限" in response.content.decode()
    review(client, assessment, {"result": "failed", "comment": "宣讲不足三次",
                                "rectification_until": until.isoformat()}, city="guangzhou")
    assessment.refresh_from_db()
    assert assessment.rectification_until == until and assessment.awaiting_reassessment
    carrier = Carrier.objects.get(pk=assessment.carrier_id)
    assert carrier.status == "rectifying"
    event = CarrierEvent.objects.get(carrier=carrier)
    assert (event.action, event.from_status, event.to_status) == ("rectify", "active", "rectifying")
    return assessment


def reassess(client, assessment, data):
    client.force_login(factories.CityReviewerFactory(city="guangzhou"))
    return client.post(reverse("evaluations:city_reassess", args=[assessment.pk]), data)


def test_gz_fail_rectifies_then_a_pass_restores(client):
    assessment = _gz_failed(client)
    reassess(client, assessment, {"result": "passed"})
    carrier = Carrier.objects.get(pk=assessment.carrier_id)
    assert carrier.status == "active"
    assert CarrierEvent.objects.filter(carrier=carrier).last().action == "rectified"
    reassess(client, assessment, {"result": "failed", "comment": "再来一次"})  # only one re-assessment
    assert Carrier.objects.get(pk=carrier.pk).status == "active"
    assert SelfAssessment.objects.get(pk=assessment.pk).reassessment_result == "passed"


def test_gz_fail_after_rectification_revokes_on_ground_6(client):
    assessment = _gz_failed(client)
    reassess(client, assessment, {"result": "failed", "comment": "整改后仍不合格"})
    carrier = Carrier.objects.get(pk=assessment.carrier_id)
    assert carrier.status == "revoked" and carrier.revocation_ground.startswith("四（三）6")


def test_the_city_is_told_once_when_a_rectification_deadline_passes(client):
    """No re-assessment by the deadline changes nothing by itself; the GZ reviewers are reminded once."""
    assessment = _gz_failed(client)
    gz_reviewer = factories.CityReviewerFactory(city="guangzhou")
    bj_reviewer = factories.CityReviewerFactory(city="beijing")
    until = assessment.rectification_until
    assert reminders(until, dry_run=False)["counts"]["rectifications_reminded"] == 0
    assert reminders(until + datetime.timedelta(days=1), dry_run=True)["counts"]["rectifications_reminded"] == 1
    result = reminders(until + datetime.timedelta(days=1), dry_run=False)
    assert result["ids"]["rectifications_reminded"] == [assessment.carrier_id]
    told = Notification.objects.get(recipient=gz_reviewer, title__startswith="整改期满待考核")
    assert told.url == reverse("evaluations:city_review", args=[assessment.pk])
    assert not Notification.objects.filter(recipient=bj_reviewer).exists()
    assert Carrier.objects.get(pk=assessment.carrier_id).status == "rectifying"
    assert reminders(until + datetime.timedelta(days=2), dry_run=False)["counts"]["rectifications_reminded"] == 0


def test_gz_pass_changes_nothing(client):
    assessment = submitted("gz_service_station")
    review(client, assessment, {"result": "passed"}, city="guangzhou")
    carrier = Carrier.objects.get(pk=assessment.carrier_id)
    assert carrier.status == "active" and not CarrierEvent.objects.filter(carrier=carrier).exists()
    assert reassess(client, assessment, {"result": "passed"}).status_code == 302
    assert SelfAssessment.objects.get(pk=assessment.pk).reassessment_result == ""


def test_unit_sees_its_result(client):
    assessment = submitted("bj_demo_platform")
    review(client, assessment, {"grade": "good", "stars": "4", "funding_tier": "tier2"})
    client.force_login(factories.ApplicantFactory(organisation=assessment.carrier.organisation))
    page = client.get(reverse("evaluations:fill", kwargs={"campaign_pk": assessment.campaign_id,
                                                          "carrier_pk": assessment.carrier_id})).content.decode()
    assert "较好" in page and "二档" in page
