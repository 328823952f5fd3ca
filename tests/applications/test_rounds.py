"""Rounds (申报通知): the city bureau publishes them; the public reads them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.models import Round, RoundAttachment
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def round_data(type_code="bj_srdi_station", **overrides):
    today = timezone.localdate()
    data = {
        "carrier_type": factories.carrier_type(type_code).pk,
        "year": today.year + 1,
        "title": "关于开展北京市专精特新企业服务站申报工作的通知",
        "document_number": "京经信发〔2026〕1号",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
        "district_deadline": (today + datetime.timedelta(days=40)).isoformat(),
        "notice_text": "各区中小企业主管部门：现组织开展申报工作。",
    }
    data.update(overrides)
    return data


@pytest.fixture
def bj_city(client):
    user = factories.CityReviewerFactory(city="beijing")
    client.force_login(user)
    return user


def test_city_reviewer_publishes_a_round(client, bj_city):
    response = client.post(reverse("applications:round_new"), round_data())
    assert response.status_code == 302
    round_ = Round.objects.get()
    assert round_.created_by == bj_city and round_.is_open()
    public = client.get(reverse("applications:rounds")).content.decode()
    assert round_.title in public


def test_round_for_the_other_citys_type_is_refused(client, bj_city):
    response = client.post(reverse("applications:round_new"), round_data("gz_service_station"))
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode() or "有效" in response.content.decode()
    assert not Round.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"closes_on": "2000-01-01"}, "申报截止日期不能早于开始日期"),
        ({"district_deadline": timezone.localdate().isoformat(), "opens_on": timezone.localdate().isoformat(),
          "closes_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()},
         "区级推荐截止日期不能早于申报截止日期"),
        ({"year": "1999"}, "2020至2100"),
        ({"title": ""}, "必填"),
    ],
)
def test_bad_round_input_gets_chinese_message(client, bj_city, overrides, message):
    response = client.post(reverse("applications:round_new"), round_data(**overrides))
    assert message in response.content.decode()
    assert not Round.objects.exists()


def test_refused_form_lists_its_errors_above_it_linked_to_the_fields(client, bj_city):
    response = client.post(reverse("applications:round_new"), round_data(title="", closes_on="2000-01-01"))
    body = response.content.decode()
    summary = body[body.index("提交未成功，请修改以下内容："):body.index("</ul>", body.index("error-summary"))]
    assert '<a class="alert-link" href="#id_title">' in summary
    assert '<a class="alert-link" href="#id_closes_on">' in summary
    assert "申报截止日期不能早于开始日期" in summary
    assert not Round.objects.exists()


def test_one_round_per_type_and_year(client, bj_city):
    client.post(reverse("applications:round_new"), round_data())
    response = client.post(reverse("applications:round_new"), round_data())
    assert "该载体类型在这一年度已有申报批次" in response.content.decode()
    assert Round.objects.count() == 1


@pytest.mark.parametrize("factory", [factories.DistrictOfficerFactory, factories.ApplicantFactory,
                                     factories.ExpertFactory, factories.HubCoordinatorFactory])
def test_only_city_reviewers_manage_rounds(client, factory):
    client.force_login(factory())
    assert client.get(reverse("applications:manage_rounds")).status_code == 403
    assert client.post(reverse("applications:round_new"), round_data()).status_code == 403
    assert not Round.objects.exists()


def test_reviewer_of_the_other_city_cannot_edit(client):
    round_ = factories.RoundFactory(type_code="bj_srdi_station")
    client.force_login(factories.CityReviewerFactory(city="guangzhou"))
    assert client.get(reverse("applications:round_edit", args=[round_.pk])).status_code == 404
    assert client.post(reverse("applications:round_edit", args=[round_.pk]),
                       round_data(title="改")).status_code == 404


def test_round_attachment_upload_and_public_download(client, bj_city):
    round_ = factories.RoundFactory()
    upload = SimpleUploadedFile("申报指南.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("applications:round_attachment_add", args=[round_.pk]),
                           {"title": "申报指南", "file": upload})
    assert response.status_code == 302
    attachment = RoundAttachment.objects.get()
    client.logout()
    download = client.get(reverse("applications:round_attachment", args=[round_.pk, attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_round_attachment_rejects_an_executable(client, bj_city):
    round_ = factories.RoundFactory()
    upload = SimpleUploadedFile("指南.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    response = client.post(reverse("applications:round_attachment_add", args=[round_.pk]),
                           {"title": "指南", "file": upload})
    assert response.status_code == 400
    assert "PDF" in response.content.decode()
    assert not RoundAttachment.objects.exists()


def test_public_round_page_offers_filing_only_while_open(client):
    open_round = factories.RoundFactory()
    today = timezone.localdate()
    closed = factories.RoundFactory(opens_on=today - datetime.timedelta(days=30),
                                    closes_on=today - datetime.timedelta(days=1),
                                    district_deadline=today + datetime.timedelta(days=5))
    client.force_login(factories.ApplicantFactory())
    assert "在线申报" in client.get(reverse("applications:round_detail", args=[open_round.pk])).content.decode()
    body = client.get(reverse("applications:round_detail", args=[closed.pk])).content.decode()
    assert "在线申报" not in body and "已截止" in body
