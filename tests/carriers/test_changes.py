"""Major changes: BJ station district→city, platform and GZ straight to the city, lateness, approval, revocation."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carriers import changes
from carriers import views_duties as views
from carriers.models import Carrier, CarrierEvent, ChangeRequest
from portal.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
Status = ChangeRequest.Status


def on(monkeypatch, day):
    monkeypatch.setattr(views, "today_in_china", lambda: day)


def evidence():
    return SimpleUploadedFile("核准通知书.pdf", PDF, content_type="application/pdf")


def file(client, carrier, **data):
    payload = {"field": "name", "new_value": "新名称服务站", "changed_on": "2026-09-15", "evidence": evidence(), **data}
    return client.post(reverse("carriers:change_new", args=[carrier.pk]), payload)


def gz_carrier(**kwargs):
    return factories.CarrierFactory(type_code="gz_service_station", valid_from=D(2025, 1, 1), valid_until=None,
                                    organisation=factories.OrganisationFactory(district_code="440106"), **kwargs)


def test_bj_deadline_is_the_30th_working_day_after_the_change():
    """第二十一条: changes on 2026-09-15; National Day (10月1日–7日, 调休 9月20日、10月10日) pushes it to 11月2日."""
    carrier = factories.CarrierFactory(type_code="bj_srdi_station")
    assert changes.deadline_for(carrier, D(2026, 9, 15)) == D(2026, 11, 2)  # weekdays alone would say 10月27日
    assert changes.lateness(carrier, D(2026, 9, 15), D(2026, 11, 2)) == (D(2026, 11, 2), False)
    assert changes.lateness(carrier, D(2026, 9, 15), D(2026, 11, 3)) == (D(2026, 11, 2), True)


def test_gz_deadline_is_30_calendar_days():
    """四（四）: day 30 is on time, day 31 late."""
    carrier = gz_carrier()
    assert changes.lateness(carrier, D(2026, 9, 15), D(2026, 10, 15)) == (D(2026, 10, 15), False)
    assert changes.lateness(carrier, D(2026, 9, 15), D(2026, 10, 16)) == (D(2026, 10, 15), True)


def test_missing_calendar_still_accepts_the_report_without_judging_it():
    carrier = factories.CarrierFactory(type_code="bj_demo_platform")
    assert changes.lateness(carrier, D(2031, 3, 1), D(2031, 3, 5)) == (None, None)


def test_bj_station_goes_to_the_district_then_the_city(client, monkeypatch):
    on(monkeypatch, D(2026, 11, 3))
    carrier = factories.CarrierFactory(type_code="bj_srdi_station", valid_from=D(2026, 1, 1), valid_until=None)
    unit = factories.ApplicantFactory(organisation=carrier.organisation)
    officer = factories.DistrictOfficerFactory(district_code="110108")
    other_officer = factories.DistrictOfficerFactory(district_code="110105")
    city = factories.CityReviewerFactory(city="beijing")
    client.force_login(unit)
    response = file(client, carrier)
    change = ChangeRequest.objects.get()
    assert response.status_code == 302 and change.status == Status.DISTRICT_REVIEW
    assert change.is_late is True and change.deadline == D(2026, 11, 2) and change.old_value == carrier.name
    assert Notification.objects.filter(recipient=officer).exists()
    assert not Notification.objects.filter(recipient__in=[city, other_officer]).exists()
    # a second open report of the same item is refused
    again = file(client, carrier, new_value="又一个名称")
    assert again.status_code == 400 and "正在审核" in again.content.decode()

    detail = reverse("carriers:change_detail", args=[change.pk])
    client.force_login(city)
    assert "作出决定" not in client.get(detail).content.decode()  # not yet the city's turn
    assert client.post(reverse("carriers:change_decide", args=[change.pk]), {"decision": "approve"}).status_code == 302
    change.refresh_from_db()
    assert change.status == Status.DISTRICT_REVIEW
    client.force_login(other_officer)
    assert client.get(detail).status_code == 404
    assert client.post(reverse("carriers:change_district", args=[change.pk]), {"opinion": "x"}).status_code == 404
    client.force_login(officer)
    body = client.get(detail).content.decode()
    assert "逾期报告" in body and "区级核实" in body
    assert client.post(reverse("carriers:change_district", args=[change.pk]), {"opinion": ""}).status_code == 400
    client.post(reverse("carriers:change_district", args=[change.pk]), {"opinion": "经核实，名称变更属实"})
    change.refresh_from_db()
    assert change.status == Status.CITY_REVIEW and change.district_by == officer
    assert Notification.objects.filter(recipient=city).exists()

    client.force_login(city)
    client.post(reverse("carriers:change_decide", args=[change.pk]), {"decision": "approve", "reason": "同意"})
    change.refresh_from_db()
    carrier.refresh_from_db()
    assert change.status == Status.APPROVED and carrier.name == "新名称服务站"
    assert Notification.objects.filter(recipient=unit, title__contains="已同意变更").exists()


def test_approval_keeps_the_old_value_and_the_public_page_shows_the_new(client, monkeypatch):
    on(monkeypatch, D(2026, 10, 20))
    carrier = factories.CarrierFactory(type_code="bj_demo_platform", valid_from=D(2026, 1, 1), valid_until=None,
                                       name="旧名称示范平台")
    client.force_login(factories.ApplicantFactory(organisation=carrier.organisation))
    file(client, carrier, new_value="新名称示范平台")
    change = ChangeRequest.objects.get()
    assert change.status == Status.CITY_REVIEW and change.is_late is False  # 第十七条: straight to the city
    client.force_login(factories.CityReviewerFactory(city="beijing"))
    client.post(reverse("carriers:change_decide", args=[change.pk]), {"decision": "approve"})
    carrier.refresh_from_db()
    assert carrier.name == "新名称示范平台" and carrier.status == Carrier.Status.ACTIVE
    event = CarrierEvent.objects.get(carrier=carrier, action="change")
    assert event.old_values == {"name": "旧名称示范平台"} and event.new_values == {"name": "新名称示范平台"}
    assert "第十七条" in event.ground
    client.logout()
    body = client.get(reverse("carrier_detail", args=[carrier.number])).content.decode()
    assert "新名称示范平台" in body and "变更记录" in body and "旧名称示范平台" in body


def test_address_and_legal_representative_changes(client, monkeypatch):
    on(monkeypatch, D(2026, 10, 1))
    carrier = gz_carrier()
    client.force_login(factories.ApplicantFactory(organisation=carrier.organisation))
    file(client, carrier, field="legal_representative", new_value="赵新法人", changed_on="2026-09-01")
    change = ChangeRequest.objects.get()
    assert change.status == Status.CITY_REVIEW and change.old_value == "王法人" and change.is_late is False
    client.force_login(factories.CityReviewerFactory(city="guangzhou"))
    client.post(reverse("carriers:change_decide", args=[change.pk]), {"decision": "approve"})
    carrier.refresh_from_db()
    assert carrier.legal_representative == "赵新法人"
    body = client.get(reverse("carrier_detail", args=[carrier.number])).content.decode()
    assert "法定代表人变更" in body and "赵新法人" not in body  # a person's name is not repeated publicly


def test_the_city_may_revoke_on_a_change(client, monkeypatch):
    on(monkeypatch, D(2026, 10, 1))
    carrier = gz_carrier()
    client.force_login(factories.ApplicantFactory(organisation=carrier.organisation))
    file(client, carrier, field="main_business", new_value="房地产开发", changed_on="2026-08-01")
    change = ChangeRequest.objects.get()
    assert change.is_late is True  # 61 days
    client.force_login(factories.CityReviewerFactory(city="guangzhou"))
    url = reverse("carriers:change_decide", args=[change.pk])
    assert client.post(url, {"decision": "revoke", "ground": "other"}).status_code == 400  # no reason
    client.post(url, {"decision": "revoke", "ground": "other", "reason": "主营业务不再面向中小企业服务"})
    change.refresh_from_db()
    carrier.refresh_from_db()
    assert change.status == Status.REVOKED and carrier.status == Carrier.Status.REVOKED
    assert carrier.revocation_ground.startswith("四（三）8")


def test_the_city_may_reject_with_reasons(client, monkeypatch):
    on(monkeypatch, D(2026, 10, 1))
    carrier = factories.CarrierFactory(type_code="bj_demo_base", valid_from=D(2026, 1, 1), valid_until=None)
    client.force_login(factories.ApplicantFactory(organisation=carrier.organisation))
    file(client, carrier, field="address", new_value="新地址88号", changed_on="2026-09-20")
    change = ChangeRequest.objects.get()
    assert change.old_value == "测试路1号"
    client.force_login(factories.CityReviewerFactory(city="beijing"))
    url = reverse("carriers:change_decide", args=[change.pk])
    assert client.post(url, {"decision": "reject"}).status_code == 400
    client.post(url, {"decision": "reject", "reason": "证明材料不清晰"})
    change.refresh_from_db()
    carrier.refresh_from_db()
    assert change.status == Status.REJECTED and change.decision_reason == "证明材料不清晰" and carrier.address == ""


def test_filing_validates_the_date_the_file_and_the_value(client, monkeypatch):
    on(monkeypatch, D(2026, 10, 1))
    carrier = factories.CarrierFactory(type_code="bj_srdi_station", valid_from=D(2026, 1, 1), valid_until=None)
    client.force_login(factories.ApplicantFactory(organisation=carrier.organisation))
    assert "不能晚于今天" in file(client, carrier, changed_on="2026-10-02").content.decode()
    exe = SimpleUploadedFile("材料.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    assert file(client, carrier, evidence=exe).status_code == 400
    assert "与现有内容相同" in file(client, carrier, new_value=carrier.name).content.decode()
    assert not ChangeRequest.objects.exists()


def test_other_units_districts_and_cities_get_404(client, monkeypatch):
    on(monkeypatch, D(2026, 10, 1))
    carrier = factories.CarrierFactory(type_code="bj_srdi_station", valid_from=D(2026, 1, 1), valid_until=None)
    client.force_login(factories.ApplicantFactory(organisation=carrier.organisation))
    file(client, carrier)
    change = ChangeRequest.objects.get()
    urls = [reverse("carriers:change_detail", args=[change.pk]), reverse("carriers:change_evidence", args=[change.pk])]
    for url in urls:
        assert client.get(url).status_code == 200
    outsiders = [factories.ApplicantFactory(), factories.DistrictOfficerFactory(district_code="110105"),
                 factories.CityReviewerFactory(city="guangzhou")]
    for user in outsiders:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404
        assert carrier.name not in client.get(reverse("carriers:changes") + "?all=1").content.decode()
    client.force_login(outsiders[0])
    assert client.get(reverse("carriers:change_new", args=[carrier.pk])).status_code == 404
    client.force_login(factories.CityReviewerFactory(city="guangzhou"))
    assert client.post(reverse("carriers:change_decide", args=[change.pk]), {"decision": "approve"}).status_code == 404


def test_change_lists_take_a_fixed_number_of_queries(client, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    on(monkeypatch, D(2026, 10, 1))
    city = factories.CityReviewerFactory(city="beijing")

    def make(n):
        for _ in range(n):
            carrier = factories.CarrierFactory(type_code="bj_demo_platform", valid_until=None)
            changes.file_change(carrier, factories.ApplicantFactory(organisation=carrier.organisation),
                                field="name", new_value=f"{carrier.name}新", changed_on=D(2026, 9, 20),
                                evidence=evidence(), evidence_name="a.pdf", today=D(2026, 10, 1))

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("carriers:changes")).status_code == 200
        return len(captured)

    client.force_login(city)
    make(5)
    few = count()
    make(25)
    assert count() == few
