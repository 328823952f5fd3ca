"""The city bureau's review: its queue across its districts, and its 拟认定 / 不予认定 decision."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationEvent, ApplicationState
from portal.models import Notification
from reviews import experts
from reviews.city import NEEDS_EXPERT_REVIEW
from tests import factories

pytestmark = pytest.mark.django_db

S = ApplicationState


def recommended(type_code="bj_srdi_station", district="110108", state=S.CITY_REVIEW, round_=None, **extra):
    now = timezone.now()
    round_ = round_ or factories.RoundFactory(type_code=type_code)
    org = factories.OrganisationFactory(district_code=district)
    fields = {"submitted_at": now, "recommended_at": now, **extra}
    return factories.ApplicationFactory(round=round_, organisation=org, state=state, **fields)


def queue(client, **params):
    response = client.get(reverse("reviews:city_queue"), params)
    assert response.status_code == 200
    return response, response.content.decode()


def snapshot(app):
    app.refresh_from_db()
    return app.state, app.version, ApplicationEvent.objects.filter(application=app).count()


# --- Queue --------------------------------------------------------------------------

def test_queue_holds_the_citys_recommended_applications_only(client, bj_city, gz_city):
    haidian = recommended(district="110108")
    chaoyang = recommended(type_code="bj_demo_platform", district="110105")
    not_yet = recommended(state=S.DISTRICT_REVIEW, recommended_at=None)
    gz = recommended(type_code="gz_service_station", district="440106")
    client.force_login(bj_city)
    _, body = queue(client)
    assert haidian.applicant_name in body and chaoyang.applicant_name in body
    assert gz.applicant_name not in body and not_yet.applicant_name not in body
    client.force_login(gz_city)
    _, body = queue(client)
    assert gz.applicant_name in body
    assert haidian.applicant_name not in body and chaoyang.applicant_name not in body


def test_filters_and_counts(client, bj_city):
    round_ = factories.RoundFactory(type_code="bj_srdi_station")
    a = recommended(round_=round_, district="110108")
    b = recommended(round_=round_, district="110105", state=S.SHORTLISTED)
    c = recommended(type_code="bj_demo_base", district="110105")
    client.force_login(bj_city)

    response, body = queue(client)
    tabs = {t["state"]: t["count"] for t in response.context["tabs"]}
    assert tabs[""] == 3 and tabs["city_review"] == 2 and tabs["shortlisted"] == 1 and tabs["rejected"] == 0

    _, body = queue(client, type="bj_demo_base")
    assert c.applicant_name in body and a.applicant_name not in body and b.applicant_name not in body
    _, body = queue(client, district="110105")
    assert b.applicant_name in body and c.applicant_name in body and a.applicant_name not in body
    _, body = queue(client, round=round_.pk)
    assert a.applicant_name in body and b.applicant_name in body and c.applicant_name not in body
    response, body = queue(client, district="110105", state="city_review")
    assert c.applicant_name in body and b.applicant_name not in body and a.applicant_name not in body
    tabs = {t["state"]: t["count"] for t in response.context["tabs"]}
    assert tabs[""] == 2 and tabs["city_review"] == 1 and tabs["shortlisted"] == 1  # counts follow the other filters


@pytest.mark.parametrize(("params", "label"), [
    ({"type": "nonsense"}, "载体类型"),
    ({"type": "gz_service_station"}, "载体类型"),  # the other city's type
    ({"round": "abc"}, "申报批次"),
    ({"round": "999999"}, "申报批次"),
    ({"district": "440106"}, "所属区"),  # the other city's district
    ({"state": "bogus"}, "状态"),
    ({"state": "draft"}, "状态"),
])
def test_bad_filters_are_ignored_with_a_message(client, bj_city, params, label):
    a = recommended()
    client.force_login(bj_city)
    _, body = queue(client, page="xyz", **params)
    assert f"筛选条件“{label}”无效，已忽略。" in body
    assert a.applicant_name in body


def test_queue_query_count_does_not_grow_with_rows(client, bj_city):
    client.force_login(bj_city)
    round_ = factories.RoundFactory(type_code="bj_srdi_station")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            queue(client, type="bj_srdi_station")
        return len(ctx)

    for i in range(5):
        recommended(round_=round_, district="110108" if i % 2 else "110105")
    five = count()
    for i in range(25):
        recommended(round_=round_, district="110108" if i % 2 else "110105",
                    state=S.SHORTLISTED if i % 3 else S.CITY_REVIEW)
    assert count() == five
    response, _ = queue(client)
    assert response.context["page"].paginator.num_pages == 2


def test_only_city_reviewers_use_the_queue(client):
    for user in (factories.DistrictOfficerFactory(), factories.ExpertFactory(), factories.HubCoordinatorFactory()):
        client.force_login(user)
        assert client.get(reverse("reviews:city_queue")).status_code == 403


def test_landing_shows_counts_and_links_the_queue(client, bj_city):
    recommended()
    client.force_login(bj_city)
    body = client.get(reverse("accounts:landing")).content.decode()
    assert reverse("reviews:city_queue") in body and "待市级审核" in body


# --- Decisions ----------------------------------------------------------------------

def decide(client, app, action, comment="", version=None):
    if version is None:
        app.refresh_from_db()
    return client.post(reverse("reviews:city_decide", args=[app.pk]), {
        "action": action, "comment": comment, "expected_version": app.version if version is None else version,
    }, follow=True)


def test_shortlist_notifies_the_applicant(client, bj_city):
    app = recommended()
    member = factories.ApplicantFactory(organisation=app.organisation)
    client.force_login(bj_city)
    page = client.get(reverse("reviews:detail", args=[app.pk])).content.decode()
    assert "市级审核" in page and f'name="expected_version" value="{app.version}"' in page
    response = decide(client, app, "shortlist", "符合认定条件。")
    assert "已列入拟认定名单" in response.content.decode()
    app.refresh_from_db()
    assert app.state == S.SHORTLISTED
    event = ApplicationEvent.objects.get(application=app)
    assert (event.action, event.actor, event.comment) == ("shortlist", bj_city, "符合认定条件。")
    assert Notification.objects.filter(recipient=member, title__startswith="申报已列入拟认定名单").exists()


def test_reject_needs_a_reason(client, bj_city):
    app = recommended()
    member = factories.ApplicantFactory(organisation=app.organisation)
    client.force_login(bj_city)
    before = snapshot(app)
    response = decide(client, app, "reject", "   ")
    assert "须填写理由" in response.content.decode()
    assert snapshot(app) == before
    decide(client, app, "reject", "服务场地面积与证明材料不符。")
    app.refresh_from_db()
    assert app.state == S.REJECTED
    assert ApplicationEvent.objects.get(application=app).comment == "服务场地面积与证明材料不符。"
    note = Notification.objects.get(recipient=member)
    assert "服务场地面积与证明材料不符" in note.body


def test_stale_version_is_refused(client, bj_city):
    app = recommended()
    client.force_login(bj_city)
    before = snapshot(app)
    response = decide(client, app, "shortlist", version=app.version - 1 if app.version else app.version + 1)
    assert "已被他人处理或更新" in response.content.decode()
    assert snapshot(app) == before


def test_two_reviewers_at_once_the_second_is_told(client, bj_city):
    app = recommended()
    other = factories.CityReviewerFactory(city="beijing")
    seen = app.version
    client.force_login(other)
    decide(client, app, "reject", "材料不实。", version=seen)
    client.force_login(bj_city)
    response = decide(client, app, "shortlist", version=seen)
    assert "已被他人处理或更新" in response.content.decode()
    app.refresh_from_db()
    assert app.state == S.REJECTED


@pytest.mark.parametrize("action", ["shortlist", "reject", "announce", "bogus"])
def test_other_city_and_other_roles_cannot_decide(client, gz_city, action):
    app = recommended()
    before = snapshot(app)
    client.force_login(gz_city)
    assert client.post(reverse("reviews:city_decide", args=[app.pk]),
                       {"action": action, "comment": "理由"}).status_code == 404
    client.force_login(factories.DistrictOfficerFactory(district_code="110108"))
    assert client.post(reverse("reviews:city_decide", args=[app.pk]),
                       {"action": action, "comment": "理由"}).status_code == 403
    assert snapshot(app) == before


def test_unknown_action_is_refused(client, bj_city):
    app = recommended()
    client.force_login(bj_city)
    before = snapshot(app)
    response = decide(client, app, "announce", "直接公告")
    assert "不存在的操作" in response.content.decode()
    assert snapshot(app) == before


# --- Guangzhou: the expert review comes first ---------------------------------------

def test_gz_shortlist_before_the_expert_review_is_refused(client, gz_city):
    app = recommended(type_code="gz_service_station", district="440106")
    client.force_login(gz_city)
    page = client.get(reverse("reviews:detail", args=[app.pk])).content.decode()
    assert "须先由服务总站组织专家评审" in page
    assert 'value="shortlist"' not in page and 'value="reject"' in page  # no shortlist form until then
    before = snapshot(app)
    response = decide(client, app, "shortlist")
    assert NEEDS_EXPERT_REVIEW in response.content.decode()
    assert snapshot(app) == before


def test_gz_city_sees_the_scores_and_the_hubs_recommendation_then_shortlists(client, gz_city):
    app = recommended(type_code="gz_service_station", district="440106")
    hub = factories.HubCoordinatorFactory()
    e1 = factories.ExpertFactory(real_name="韩专家")
    e2 = factories.ExpertFactory(real_name="杨专家")
    experts.assign_experts(app.pk, [e1, e2], hub)
    experts.save_scores(app.pk, e1, {"capability": 28, "experience": 20, "influence": 15, "management": 12,
                                     "premises_staff": 8}, "服务网络完善，经验丰富，建议认定。", final=True)  # 83
    client.force_login(gz_city)
    during = client.get(reverse("reviews:detail", args=[app.pk])).content.decode()
    assert "已评 1 / 2" in during and "服务网络完善" not in during  # the hub has not reported yet
    experts.save_scores(app.pk, e2, {"capability": 22, "experience": 18, "influence": 12, "management": 10,
                                     "premises_staff": 7}, "服务能力较好，建议加强宣传推广。", final=True)  # 69
    experts.compile_review(app.pk, hub, opinion="两位专家均建议认定，推荐认定。", recommended=True)
    page = client.get(reverse("reviews:detail", args=[app.pk])).content.decode()
    for text in ("专家评审意见", "韩专家", "杨专家", "民营和中小企业服务能力", "83", "69", "76.00",
                 "服务网络完善，经验丰富", "服务能力较好，建议加强宣传推广", "两位专家均建议认定", "推荐认定"):
        assert text in page, text
    _, body = queue(client)
    assert "76.00" in body
    decide(client, app, "shortlist", "同意服务总站推荐意见。")
    app.refresh_from_db()
    assert app.state == S.SHORTLISTED
