"""The city bureau's view of the districts' recommendation lists (各区推荐名单): one received list as a whole,
the lists received, the notification that links to the list, and who may see them."""

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationState
from portal.models import Notification
from reviews import district
from reviews.models import RecommendationEntry, RecommendationList
from tests import factories

pytestmark = pytest.mark.django_db

S = ApplicationState
HAIDIAN, CHAOYANG, TIANHE = "110108", "110105", "440106"


def lists_url(**query):
    url = reverse("reviews:city_district_lists")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def list_url(recommendation_list):
    return reverse("reviews:city_district_list", args=[recommendation_list.pk])


def sent_list(round_, district_code, names, *, opinion="同意推荐。", status=RecommendationList.Status.SUBMITTED,
              state=S.CITY_REVIEW, notes=None):
    """A list of ``names`` in that order (rank 1 first), created in the reverse order so pk order is not rank order."""
    now = timezone.now()
    officer = factories.DistrictOfficerFactory(district_code=district_code, real_name=f"经办人{district_code}")
    submitted = status == RecommendationList.Status.SUBMITTED
    recommendation_list = RecommendationList.objects.create(
        round=round_, district=officer.district, status=status, opinion=opinion,
        submitted_at=now if submitted else None, submitted_by=officer if submitted else None)
    for rank in range(len(names), 0, -1):
        app = factories.ApplicationFactory(
            round=round_, organisation=factories.OrganisationFactory(district_code=district_code, name=names[rank - 1]),
            state=state if submitted else S.DISTRICT_REVIEW, submitted_at=now,
            recommended_at=now if submitted else None, carrier_name=f"{names[rank - 1]}服务站")
        RecommendationEntry.objects.create(recommendation_list=recommendation_list, application=app, rank=rank,
                                           note=(notes or {}).get(rank, ""))
    return recommendation_list


@pytest.fixture
def bj_round():
    return factories.RoundFactory(type_code="bj_srdi_station")


# --- One received list ---------------------------------------------------------------------------------------------


def test_the_list_page_shows_the_list_as_sent_in_rank_order(client, bj_city, bj_round):
    names = ["排序第一有限公司", "排序第二有限公司", "排序第三有限公司"]
    recommendation_list = sent_list(bj_round, HAIDIAN, names, opinion="经审核，同意推荐以上单位。\n请市局审定。",
                                    notes={1: "服务能力突出", 3: "场地充足"})
    shortlisted = recommendation_list.entries.get(rank=2).application
    shortlisted.state = S.SHORTLISTED
    shortlisted.save()
    client.force_login(bj_city)
    response = client.get(list_url(recommendation_list))
    assert response.status_code == 200
    body = response.content.decode()
    positions = [body.index(name) for name in names]
    assert positions == sorted(positions)
    assert bj_round.title in body and "海淀区推荐名单" in body and "海淀区中小企业主管部门" in body
    assert "经审核，同意推荐以上单位。<br>请市局审定。" in body
    sent_at = timezone.localtime(recommendation_list.submitted_at).strftime("%Y-%m-%d %H:%M")
    assert sent_at in body and f"经办人{HAIDIAN}" in body
    assert "服务能力突出" in body and "场地充足" in body and "排序第一有限公司服务站" in body
    assert "拟认定" in body and "市级评审" in body  # each application's current state
    for entry in recommendation_list.entries.all():
        assert f'href="{reverse("reviews:detail", args=[entry.application_id])}"' in body
    assert [e.rank for e in response.context["entries"]] == [1, 2, 3]


def test_a_list_without_an_opinion_says_so(client, bj_city, bj_round):
    recommendation_list = sent_list(bj_round, HAIDIAN, ["无意见有限公司"], opinion="")
    client.force_login(bj_city)
    assert "（未填写）" in client.get(list_url(recommendation_list)).content.decode()


def test_the_notification_of_a_sent_list_links_to_the_list(client, bj_round, bj_city, gz_city):
    officer = factories.DistrictOfficerFactory(district_code=HAIDIAN, real_name="赵海")
    apps = [factories.submitted_application(round=bj_round, organisation=factories.OrganisationFactory(
        district_code=HAIDIAN, name=name)) for name in ("通知甲有限公司", "通知乙有限公司")]
    for app in reversed(apps):
        district.add_to_list(app.pk, officer, app.version)
    recommendation_list = district.submit_list(bj_round, officer, "同意推荐两家单位。")
    note = Notification.objects.get(recipient=bj_city)
    assert note.url == list_url(recommendation_list)
    assert not Notification.objects.filter(recipient=gz_city).exists()

    client.force_login(bj_city)
    body = client.get(note.url).content.decode()
    assert body.index("通知乙有限公司") < body.index("通知甲有限公司")  # the order the district gave
    assert "同意推荐两家单位。" in body and "赵海" in body


# --- Authorisation -------------------------------------------------------------------------------------------------


def test_a_draft_list_does_not_exist_for_the_city(client, bj_city, bj_round):
    draft = sent_list(bj_round, HAIDIAN, ["草稿名单有限公司"], status=RecommendationList.Status.DRAFT)
    client.force_login(bj_city)
    assert client.get(list_url(draft)).status_code == 404
    body = client.get(lists_url()).content.decode()
    assert list_url(draft) not in body and "尚未收到区级报送的推荐名单" in body


def test_only_the_lists_citys_reviewers_see_it(client, bj_city, gz_city, bj_round):
    recommendation_list = sent_list(bj_round, HAIDIAN, ["保密名单有限公司"])
    url = list_url(recommendation_list)
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(gz_city)
    response = client.get(url)
    assert response.status_code == 404 and "保密名单有限公司" not in response.content.decode()
    for user in (recommendation_list.submitted_by,  # even the officer who sent it: the city's page is not theirs
                 factories.DistrictOfficerFactory(district_code=CHAOYANG),
                 factories.ApplicantFactory(organisation=recommendation_list.entries.get().application.organisation),
                 factories.HubCoordinatorFactory(), factories.ExpertFactory(city="beijing")):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 403, user.role
        assert "保密名单有限公司" not in response.content.decode()
    client.force_login(bj_city)
    assert client.get(url).status_code == 200
    assert client.get(reverse("reviews:city_district_list", args=[recommendation_list.pk + 1000])).status_code == 404


def test_the_city_sees_only_entries_it_may_see(client, bj_city, bj_round):
    """Defence in depth: an entry whose application is not visible_to the reviewer is left out."""
    recommendation_list = sent_list(bj_round, HAIDIAN, ["可见有限公司", "不可见有限公司"])
    hidden = recommendation_list.entries.get(rank=2).application
    hidden.recommended_at = None
    hidden.save()
    client.force_login(bj_city)
    body = client.get(list_url(recommendation_list)).content.decode()
    assert "可见有限公司" in body and "不可见有限公司" not in body


# --- The lists received --------------------------------------------------------------------------------------------


def test_the_lists_page_holds_the_citys_sent_lists_and_filters_by_round(client, bj_city, gz_city, bj_round):
    other_round = factories.RoundFactory(type_code="bj_demo_platform")
    haidian = sent_list(bj_round, HAIDIAN, ["海淀列表有限公司"])
    chaoyang = sent_list(other_round, CHAOYANG, ["朝阳列表甲有限公司", "朝阳列表乙有限公司"])
    draft = sent_list(other_round, HAIDIAN, ["草稿列表有限公司"], status=RecommendationList.Status.DRAFT)
    tianhe = sent_list(factories.RoundFactory(type_code="gz_service_station"), TIANHE, ["天河列表有限公司"])
    client.force_login(bj_city)
    response = client.get(lists_url())
    body = response.content.decode()
    assert list_url(haidian) in body and list_url(chaoyang) in body
    assert list_url(draft) not in body and list_url(tianhe) not in body
    assert bj_round.title in body and other_round.title in body and "朝阳区" in body
    assert [rl.entry_count for rl in response.context["page"]] == [2, 1]  # newest first

    body = client.get(lists_url(round=bj_round.pk)).content.decode()
    assert list_url(haidian) in body and list_url(chaoyang) not in body

    response = client.get(lists_url(round="abc"))
    assert any("申报批次" in str(m) and "无效" in str(m) for m in get_messages(response.wsgi_request))
    assert list_url(haidian) in response.content.decode()
    response = client.get(lists_url(round=tianhe.round_id))  # another city's round is not a choice
    assert list_url(tianhe) not in response.content.decode()

    client.force_login(gz_city)
    body = client.get(lists_url()).content.decode()
    assert list_url(tianhe) in body and list_url(haidian) not in body


def test_the_lists_page_paginates(client, bj_city):
    for _ in range(23):
        sent_list(factories.RoundFactory(type_code="bj_srdi_station"), HAIDIAN, [])
    client.force_login(bj_city)
    body = client.get(lists_url()).content.decode()
    assert len(set(re.findall(r"/city/district-lists/\d+/", body))) == 20 and "第 1 / 2 页" in body
    body = client.get(lists_url(page=2)).content.decode()
    assert len(set(re.findall(r"/city/district-lists/\d+/", body))) == 3


def test_the_lists_page_is_for_city_reviewers_only(client, bj_round):
    assert client.get(lists_url()).status_code == 302
    for user in (factories.DistrictOfficerFactory(district_code=HAIDIAN), factories.HubCoordinatorFactory(),
                 factories.ApplicantFactory(organisation=factories.OrganisationFactory())):
        client.force_login(user)
        assert client.get(lists_url()).status_code == 403


def test_the_city_queue_links_to_the_lists(client, bj_city):
    client.force_login(bj_city)
    body = client.get(reverse("reviews:city_queue")).content.decode()
    assert f'href="{lists_url()}"' in body and "各区推荐名单" in body


# --- Bounded queries -----------------------------------------------------------------------------------------------


MAX_QUERIES = 8  # session, user, the list, its entries, the unread count, the session save (and its savepoint)


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_page_runs_a_fixed_number_of_queries(client, bj_city, django_assert_max_num_queries):
    client.force_login(bj_city)
    few = sent_list(factories.RoundFactory(type_code="bj_srdi_station"), HAIDIAN,
                    [f"少量{i}有限公司" for i in range(3)])
    many = sent_list(factories.RoundFactory(type_code="bj_srdi_station"), HAIDIAN,
                     [f"大量{i}有限公司" for i in range(30)])
    counts = [queries_for(client, list_url(few)), queries_for(client, list_url(many))]
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(MAX_QUERIES):
        body = client.get(list_url(many)).content.decode()
    assert len(set(re.findall(r"大量\d+有限公司", body))) == 30


def test_the_lists_page_runs_a_fixed_number_of_queries(client, bj_city):
    client.force_login(bj_city)
    counts = []
    for n in (2, 15):
        while (made := RecommendationList.objects.count()) < n:
            sent_list(factories.RoundFactory(type_code="bj_srdi_station"), HAIDIAN, [f"计数{made}有限公司"])
        counts.append(queries_for(client, lists_url()))
    assert counts[0] == counts[1], counts


def test_the_review_page_names_the_rank_and_links_to_the_list(client, bj_city, bj_round):
    received = sent_list(bj_round, HAIDIAN, ["北京甲公司", "北京乙公司"])
    second = received.entries.get(rank=2).application
    client.force_login(bj_city)
    body = client.get(reverse("reviews:detail", args=[second.pk])).content.decode()
    assert "海淀区推荐名单第 2 位。" in body
    assert f'href="{list_url(received)}"' in body
