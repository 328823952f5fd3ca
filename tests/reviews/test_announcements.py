"""公告: one transaction announces the applications, creates the carriers, numbers and validity."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationEvent, ApplicationState
from carriers.models import Carrier
from reviews import announcements as service
from reviews.models import Announcement, AnnouncementEntry
from tests import factories

pytestmark = pytest.mark.django_db

DISTRICTS = {"beijing": "110108", "guangzhou": "440106"}
DAY = datetime.date(2026, 3, 1)


def approved(round_, state=ApplicationState.APPROVED, **kwargs):
    now = timezone.now()
    city = round_.carrier_type.city
    org = kwargs.pop("organisation", None) or factories.OrganisationFactory(district_code=DISTRICTS[city])
    return factories.ApplicationFactory(round=round_, organisation=org, state=state, submitted_at=now,
                                        recommended_at=now, carrier_name=f"{org.name}服务站", **kwargs)


def publish(round_, reviewer, apps, number="京经信发〔2026〕12号", day=DAY):
    return service.publish(round_, reviewer, title="关于公布认定名单的公告", document_number=number,
                           published_on=day, body="现予公告。", application_ids=[a.pk for a in apps])


@pytest.mark.parametrize(("code", "until"), [
    ("bj_srdi_station", datetime.date(2027, 2, 28)),
    ("gz_service_station", datetime.date(2029, 2, 28)),
    ("bj_demo_platform", None),
    ("bj_demo_base", None),
])
def test_publish_creates_carriers_with_the_type_validity(code, until):
    round_ = factories.RoundFactory(type_code=code)
    reviewer = factories.CityReviewerFactory(city=round_.carrier_type.city)
    apps = [approved(round_, address="测试路1号", legal_representative="王法人"),
            approved(round_, address="示范大街8号", legal_representative="李法人")]
    announcement = publish(round_, reviewer, apps)
    carriers = list(Carrier.objects.order_by("number"))
    assert len(carriers) == 2
    for carrier in carriers:
        assert carrier.valid_from == DAY
        assert carrier.valid_until == until
        assert carrier.status == Carrier.Status.ACTIVE
        assert carrier.carrier_type == round_.carrier_type
    assert {c.organisation_id for c in carriers} == {a.organisation_id for a in apps}
    assert {c.name for c in carriers} == {a.carrier_name for a in apps}
    assert {c.district_id for c in carriers} == {a.district_id for a in apps}
    assert {(c.address, c.legal_representative) for c in carriers} == {
        ("测试路1号", "王法人"), ("示范大街8号", "李法人")}  # as declared, for later change requests
    assert announcement.entries.count() == 2
    assert [e.seq for e in announcement.entries.all()] == [1, 2]


def test_leap_day_validity():
    round_ = factories.RoundFactory(type_code="bj_srdi_station")
    reviewer = factories.CityReviewerFactory(city="beijing")
    publish(round_, reviewer, [approved(round_)], day=datetime.date(2028, 2, 29))
    assert Carrier.objects.get().valid_until == datetime.date(2029, 2, 27)


def test_numbers_are_unique_sortable_and_continue_across_announcements():
    round_ = factories.RoundFactory(type_code="bj_srdi_station")
    reviewer = factories.CityReviewerFactory(city="beijing")
    publish(round_, reviewer, [approved(round_), approved(round_)])
    publish(round_, reviewer, [approved(round_)], number="京经信发〔2026〕13号")
    gz_round = factories.RoundFactory(type_code="gz_service_station")
    publish(gz_round, factories.CityReviewerFactory(city="guangzhou"), [approved(gz_round)], number="穗工信〔2026〕1号")
    numbers = list(Carrier.objects.order_by("number").values_list("number", flat=True))
    assert numbers == ["BJZJTX-2026-0001", "BJZJTX-2026-0002", "BJZJTX-2026-0003", "GZFWZ-2026-0001"]


def test_applications_are_announced_with_events():
    round_ = factories.RoundFactory(type_code="bj_srdi_station")
    reviewer = factories.CityReviewerFactory(city="beijing")
    apps = [approved(round_), approved(round_)]
    publish(round_, reviewer, apps)
    for app in apps:
        app.refresh_from_db()
        assert app.state == ApplicationState.ANNOUNCED
        event = ApplicationEvent.objects.get(application=app, action="announce")
        assert event.actor == reviewer and event.from_state == "approved"
        assert app.announcement_entry.carrier.number.startswith("BJZJTX-2026-")


def test_all_or_nothing_when_one_entry_is_not_approved():
    round_ = factories.RoundFactory(type_code="bj_srdi_station")
    reviewer = factories.CityReviewerFactory(city="beijing")
    apps = [approved(round_), approved(round_, state=ApplicationState.IN_NOTICE), approved(round_)]
    with pytest.raises(service.AnnouncementRefused) as refused:
        publish(round_, reviewer, apps)
    assert "公告未发布" in refused.value.message
    assert not Announcement.objects.exists()
    assert not Carrier.objects.exists()
    assert not AnnouncementEntry.objects.exists()
    assert not ApplicationEvent.objects.filter(action="announce").exists()
    states = dict(Application.objects.values_list("pk", "state"))
    assert states == {apps[0].pk: "approved", apps[1].pk: "in_notice", apps[2].pk: "approved"}


def test_application_of_another_round_refused():
    round_ = factories.RoundFactory(type_code="bj_srdi_station")
    other = approved(factories.RoundFactory(type_code="bj_srdi_station"))
    with pytest.raises(service.AnnouncementRefused):
        publish(round_, factories.CityReviewerFactory(city="beijing"), [approved(round_), other])
    assert not Carrier.objects.exists()


def test_other_city_refused():
    round_ = factories.RoundFactory(type_code="bj_srdi_station")
    app = approved(round_)
    with pytest.raises(service.AnnouncementRefused):
        publish(round_, factories.CityReviewerFactory(city="guangzhou"), [app])
    app.refresh_from_db()
    assert app.state == ApplicationState.APPROVED
    assert not Announcement.objects.exists()


def test_duplicate_document_number_refused():
    round_ = factories.RoundFactory(type_code="bj_srdi_station")
    reviewer = factories.CityReviewerFactory(city="beijing")
    publish(round_, reviewer, [approved(round_)])
    app = approved(round_)
    with pytest.raises(service.AnnouncementRefused):
        publish(round_, reviewer, [app])
    app.refresh_from_db()
    assert app.state == ApplicationState.APPROVED


def test_views_other_city_gets_404(client):
    round_ = factories.RoundFactory(type_code="bj_srdi_station")
    approved(round_)
    client.force_login(factories.CityReviewerFactory(city="guangzhou"))
    assert client.get(reverse("reviews:announcement_new", args=[round_.pk])).status_code == 404
    assert client.post(reverse("reviews:announcement_new", args=[round_.pk])).status_code == 404


def test_publish_through_the_view_and_certificates_generated(client, django_capture_on_commit_callbacks):
    round_ = factories.RoundFactory(type_code="bj_srdi_station")
    apps = [approved(round_), approved(round_)]
    reviewer = factories.CityReviewerFactory(city="beijing")
    client.force_login(reviewer)
    listing = client.get(reverse("reviews:announcement_list"))
    assert listing.status_code == 200 and round_.title in listing.content.decode()
    page = client.get(reverse("reviews:announcement_new", args=[round_.pk]))
    assert page.status_code == 200
    assert apps[0].applicant_name in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:announcement_new", args=[round_.pk]), {
            "title": "关于公布2026年度北京市专精特新企业服务站名单的公告", "document_number": "京经信发〔2026〕20号",
            "published_on": "2026-03-01", "body": "现予公告。", "applications": [a.pk for a in apps],
        })
    announcement = Announcement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:announcement_detail", args=[announcement.pk])
    assert all(c.document and c.document_generated_at for c in Carrier.objects.all())
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and "BJZJTX-2026-0001" in detail.content.decode()


def test_view_form_errors_keep_the_page(client):
    round_ = factories.RoundFactory(type_code="bj_srdi_station")
    approved(round_)
    client.force_login(factories.CityReviewerFactory(city="beijing"))
    response = client.post(reverse("reviews:announcement_new", args=[round_.pk]), {
        "title": "公告", "document_number": "x", "published_on": "2026-03-01", "body": "正文"})
    assert response.status_code == 400
    assert "请至少选择一个" in response.content.decode()
    assert not Announcement.objects.exists()


def test_unit_finds_its_certificate_on_the_announced_application(client):
    round_ = factories.RoundFactory(type_code="bj_srdi_station")
    app = approved(round_)
    publish(round_, factories.CityReviewerFactory(city="beijing"), [app])
    carrier = Carrier.objects.get()
    certificate_url = reverse("carriers:certificate", args=[carrier.pk])
    client.force_login(factories.ApplicantFactory(organisation=app.organisation))
    body = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "认定结果" in body and carrier.number in body
    assert f'href="{certificate_url}"' in body and "下载证书（PDF）" in body
    client.force_login(factories.DistrictOfficerFactory())
    officer_view = client.get(reverse("applications:detail", args=[app.pk]))
    assert officer_view.status_code == 200 and certificate_url not in officer_view.content.decode()
