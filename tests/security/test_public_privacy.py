"""A scan of every public page and file: no phone number, e-mail or ID number of a person.

The world holds applicants with mobile numbers, personal e-mails and an ID-like
number in their fields, an objection with the objector's contact, announced
carriers and a public notice; every page anyone may open without signing in is
fetched and searched.
"""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications.models import ApplicationState
from reviews import announcements
from reviews.models import Objection
from tests import factories
from tests.reviews.test_notices import publish, shortlisted

pytestmark = pytest.mark.django_db

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Z])\d{17}[\dXx](?![0-9A-Z])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
ALLOWED_EMAILS = {"noreply@sme-carriers.example.gov.cn"}


def personal_data_in(text: str) -> list[str]:
    found = MOBILE.findall(text) + ID_NUMBER.findall(text)
    found += [m.group(0) for m in EMAIL.finditer(text) if m.group(0) not in ALLOWED_EMAILS]
    return found


@pytest.fixture
def world():
    reviewer = factories.CityReviewerFactory(city="beijing")
    notice_round = factories.RoundFactory(type_code="bj_srdi_station")
    in_notice = [shortlisted(notice_round, "110108", n, legal_representative="110101199001011234")
                 for n in (1, 2)]
    notice = publish(reviewer, notice_round, in_notice, today=datetime.date.today())
    Objection.objects.create(entry=notice.entries.first(), kind="individual", objector_name="钱异议",
                             contact_phone="13700137000", contact_email="objector.person@example.com",
                             facts="该单位申报材料中服务场地面积与实际情况不符。")
    announced_round = factories.RoundFactory(type_code="bj_demo_platform")
    approved = [shortlisted(announced_round, "110105", n, state=ApplicationState.APPROVED) for n in (3, 4)]
    announcement = announcements.publish(
        announced_round, reviewer, title="关于公布示范平台名单的公告", document_number="京经信发〔2026〕77号",
        published_on=datetime.date.today(), body="现予公告。", application_ids=[a.pk for a in approved])
    carrier = announcement.entries.first().carrier
    return {"notice": notice, "announcement": announcement, "carrier": carrier, "round": announced_round}


def public_urls(w):
    carrier = w["carrier"]
    return [
        reverse("home"), reverse("applications:rounds"), reverse("applications:round_detail", args=[w["round"].pk]),
        reverse("carriers:eligibility_index"), reverse("carriers:eligibility_type", args=["bj_srdi_station"]),
        reverse("carrier_list"), reverse("carrier_detail", args=[carrier.number]), reverse("verify_form"),
        reverse("verify", args=[carrier.number]), reverse("announcement_list"),
        reverse("announcement_detail", args=[w["announcement"].pk]), reverse("open_data"),
        reverse("open_data_json"), reverse("atom_feed"), reverse("reviews:notices"),
        reverse("reviews:notice", args=[w["notice"].pk]), reverse("reviews:notice_object", args=[w["notice"].pk]),
    ]


def test_no_personal_data_on_any_public_page(client, world):
    for url in public_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        found = personal_data_in(response.content.decode("utf-8"))
        assert not found, f"{url} shows {found}"


def test_no_personal_data_in_public_files(client, world):
    csv_text = client.get(reverse("open_data_csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert len(rows) == 3 and not personal_data_in(csv_text)
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("open_data_xlsx")).content))
    cells = " ".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None)
    assert not personal_data_in(cells)
    pdf = client.get(reverse("reviews:notice_pdf", args=[world["notice"].pk])).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert world["notice"].entries.first().unit_name in text.replace("\n", "")
    assert not personal_data_in(text)


def test_the_scan_finds_what_it_looks_for():
    assert personal_data_in("电话 13912340001，邮箱 a.b@qq.com，身份证 11010119900101123X")
    assert not personal_data_in("统一社会信用代码 91110108MA01ABCD2H，电话 010-55550000")
