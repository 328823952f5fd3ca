"""Revocation by the city (/city/carriers/) and the GZ station's withdrawal request (四（三）7)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carriers.eligibility import today_in_china
from carriers.models import Carrier, CarrierEvent
from portal.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db
S = Carrier.Status


def test_city_list_shows_only_its_own_city_and_filters(client, bj_city):
    bj = factories.CarrierFactory(name="海淀专精特新服务站")
    platform = factories.CarrierFactory(type_code="bj_demo_platform", name="朝阳示范平台",
                                        organisation=factories.OrganisationFactory(district_code="110105"))
    gz = factories.CarrierFactory(type_code="gz_service_station", name="天河服务站",
                                  organisation=factories.OrganisationFactory(district_code="440106"))
    client.force_login(bj_city)
    url = reverse("carriers:city_carriers")
    body = client.get(url).content.decode()
    assert bj.name in body and platform.name in body and gz.name not in body
    body = client.get(url, {"carrier_type": "bj_demo_platform"}).content.decode()
    assert platform.name in body and bj.name not in body
    body = client.get(url, {"q": "海淀"}).content.decode()
    assert bj.name in body and platform.name not in body
    body = client.get(url, {"district": platform.district_id}).content.decode()
    assert platform.name in body and bj.name not in body


def test_city_list_is_paginated_with_a_fixed_number_of_queries(client, bj_city):
    client.force_login(bj_city)
    url = reverse("carriers:city_carriers")

    def count(n):
        factories.CarrierFactory.create_batch(n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"status": "active"})
        assert response.status_code == 200
        return len(queries)

    assert count(5) == count(25)
    assert "第 1 / 2 页" in client.get(url).content.decode()


def test_expiring_filter_shows_in_force_carriers_due_within_60_days_soonest_first(client, bj_city):
    today = today_in_china()

    def due(days, **kwargs):
        return factories.CarrierFactory(valid_until=today + datetime.timedelta(days=days), **kwargs)

    later = due(45, name="四十五天后到期站")
    soon = due(3, name="三天后到期站")
    today_one = due(0, name="今天到期站")
    edge = due(60, name="六十天到期站")
    far = due(61, name="六十一天到期站")
    gone = due(-1, name="昨天已到期站")
    rectifying = due(10, name="整改中到期站", status=S.RECTIFYING)
    revoked = due(5, name="已撤销到期站", status=S.REVOKED)
    open_ended = factories.CarrierFactory(valid_until=None, name="按年度评价站")
    gz = factories.CarrierFactory(type_code="gz_service_station", name="天河到期站",
                                  valid_until=today + datetime.timedelta(days=5),
                                  organisation=factories.OrganisationFactory(district_code="440106"))
    client.force_login(bj_city)
    url = reverse("carriers:city_carriers")
    body = client.get(url).content.decode()
    assert "即将到期（60天内）" in body and far.name in body
    response = client.get(url, {"expiring": "on"})
    assert response.status_code == 200
    body = response.content.decode()
    shown = [today_one, soon, rectifying, later, edge]
    for carrier in shown:
        assert carrier.name in body, carrier.name
    for carrier in (far, gone, revoked, open_ended, gz):
        assert carrier.name not in body, carrier.name
    positions = [body.index(carrier.name) for carrier in shown]
    assert positions == sorted(positions)
    assert [c.pk for c in response.context["page"]] == [c.pk for c in shown]
    for text in ("今天到期", "还剩 3 天到期", "还剩 10 天到期", "还剩 45 天到期", "还剩 60 天到期"):
        assert text in body, text
    assert "还剩 61 天" not in body


def test_expiring_filter_keeps_a_fixed_number_of_queries(client, bj_city):
    client.force_login(bj_city)
    url = reverse("carriers:city_carriers")

    def count(n):
        factories.CarrierFactory.create_batch(n, valid_until=today_in_china() + datetime.timedelta(days=20))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"expiring": "on"})
        assert response.status_code == 200 and "还剩 20 天到期" in response.content.decode()
        return len(queries)

    assert count(3) == count(25)


def test_revoke_page_lists_the_types_grounds_with_articles(client, bj_city):
    carrier = factories.CarrierFactory(type_code="bj_demo_platform")
    client.force_login(bj_city)
    body = client.get(reverse("carriers:revoke", args=[carrier.pk])).content.decode()
    assert "第十五条" in body and "第十四条" in body and "2 年内不得再次申报" in body
    # <input type="date"> only shows an ISO value; today's date is pre-filled.
    assert f'value="{today_in_china().isoformat()}"' in body


def test_revocation_needs_ground_and_reasons(client, bj_city):
    carrier = factories.CarrierFactory()
    client.force_login(bj_city)
    url = reverse("carriers:revoke", args=[carrier.pk])
    today = timezone.localdate()
    response = client.post(url, {"ground": "", "decided_on": today.isoformat(), "reasons": " "})
    assert response.status_code == 400
    assert "请填写撤销理由" in response.content.decode()
    future = (today + datetime.timedelta(days=3)).isoformat()
    response = client.post(url, {"ground": "evaluation_failed", "decided_on": future, "reasons": "评价不合格"})
    assert response.status_code == 400 and "不能晚于今天" in response.content.decode()
    response = client.post(url, {"ground": "no_such_ground", "decided_on": today.isoformat(), "reasons": "x"})
    assert response.status_code == 400
    assert Carrier.objects.get(pk=carrier.pk).status == S.ACTIVE


def test_revocation_records_ground_ban_and_shows_on_the_public_page(client, bj_city):
    unit_user = factories.ApplicantFactory(organisation=factories.OrganisationFactory(district_code="110108"))
    carrier = factories.CarrierFactory(type_code="bj_demo_platform", organisation=unit_user.organisation)
    client.force_login(bj_city)
    day = timezone.localdate() - datetime.timedelta(days=2)
    response = client.post(reverse("carriers:revoke", args=[carrier.pk]), {
        "ground": "false_materials", "decided_on": day.isoformat(), "reasons": "经核查，申报材料中的营业收入不实。"})
    assert response.status_code == 302
    carrier.refresh_from_db()
    assert (carrier.status, carrier.revoked_on) == (S.REVOKED, day)
    assert carrier.ban_until == day.replace(year=day.year + 2)
    assert "第十五条" in carrier.revocation_ground
    event = CarrierEvent.objects.get(carrier=carrier, action="revoke")
    assert event.actor == bj_city and "营业收入" in event.comment
    assert Notification.objects.filter(recipient=unit_user, title__contains="撤销").exists()
    public = client.get(reverse("carrier_detail", kwargs={"number": carrier.number})).content.decode()
    assert f"{day.year}年{day.month}月{day.day}日" in public and "第十五条" in public
    # Revoked now: no form, and a second POST changes nothing.
    response = client.post(reverse("carriers:revoke", args=[carrier.pk]), {
        "ground": "evaluation_failed", "decided_on": day.isoformat(), "reasons": "重复"})
    assert "不能撤销" in response.content.decode()
    assert CarrierEvent.objects.filter(carrier=carrier).count() == 1


def test_other_city_and_other_roles_cannot_revoke(client, gz_city):
    carrier = factories.CarrierFactory()
    url = reverse("carriers:revoke", args=[carrier.pk])
    client.force_login(gz_city)
    assert client.get(url).status_code == 404
    assert client.post(url, {"ground": "evaluation_failed", "decided_on": "2026-01-05", "reasons": "x"}
                       ).status_code == 404
    client.force_login(factories.ApplicantFactory(organisation=carrier.organisation))
    assert client.get(url).status_code == 403
    assert Carrier.objects.get(pk=carrier.pk).status == S.ACTIVE


def test_gz_station_asks_to_withdraw_and_the_city_confirms(client, gz_city):
    org = factories.OrganisationFactory(district_code="440106")
    member = factories.ApplicantFactory(organisation=org)
    station = factories.CarrierFactory(type_code="gz_service_station", organisation=org, name="天河服务站")
    url = reverse("carriers:withdraw_request", args=[station.pk])
    client.force_login(member)
    assert client.post(url, {"reason": "", "confirm": "on"}).status_code == 400
    assert client.post(url, {"reason": "运营单位业务调整", "confirm": "on"}).status_code == 302
    event = CarrierEvent.objects.get(carrier=station, action="withdrawal_requested")
    assert event.actor == member and event.ground.startswith("四（三）7")
    assert Carrier.objects.get(pk=station.pk).status == S.ACTIVE  # the city decides
    note = Notification.objects.get(recipient=gz_city)
    assert "天河服务站" in note.title and note.url == reverse("carriers:revoke", args=[station.pk])
    assert "等待市主管部门确认" in client.get(url).content.decode()
    client.post(url, {"reason": "再次申请", "confirm": "on"})
    assert CarrierEvent.objects.filter(carrier=station, action="withdrawal_requested").count() == 1

    client.force_login(gz_city)
    listed = client.get(reverse("carriers:city_carriers"), {"requested": "on"}).content.decode()
    assert "天河服务站" in listed and "已申请退出" in listed
    page = client.get(reverse("carriers:revoke", args=[station.pk])).content.decode()
    assert "运营单位业务调整" in page and 'value="voluntary_withdrawal" checked' in page
    response = client.post(reverse("carriers:revoke", args=[station.pk]), {
        "ground": "voluntary_withdrawal", "decided_on": timezone.localdate().isoformat(), "reasons": "同意退出"})
    assert response.status_code == 302
    station.refresh_from_db()
    assert station.status == S.WITHDRAWN and station.ban_until is None
    assert station.revocation_ground.startswith("四（三）7")


def test_withdrawal_request_only_for_own_gz_station(client):
    org = factories.OrganisationFactory(district_code="440106")
    station = factories.CarrierFactory(type_code="gz_service_station", organisation=org)
    client.force_login(factories.ApplicantFactory(organisation=factories.OrganisationFactory(district_code="440106")))
    assert client.get(reverse("carriers:withdraw_request", args=[station.pk])).status_code == 404
    bj_station = factories.CarrierFactory()
    client.force_login(factories.ApplicantFactory(organisation=bj_station.organisation))
    assert client.get(reverse("carriers:withdraw_request", args=[bj_station.pk])).status_code == 404
