"""The public site: name lists, carrier pages, verification, announcements, open data and the feed."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications.models import ApplicationState
from carriers.models import Carrier
from reviews import announcements
from reviews.models import PublicNotice
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
ATOM = "{http://www.w3.org/2005/Atom}"


def carrier(**kwargs):
    return factories.CarrierFactory(**kwargs)


def text(response):
    return response.content.decode()


# --- 认定名单 ---

def test_list_filters_by_type_year_district_status_and_name(client):
    a = carrier(name="海淀甲服务站", organisation=factories.OrganisationFactory(district_code="110108"))
    b = carrier(name="朝阳乙服务站", organisation=factories.OrganisationFactory(district_code="110105"),
                valid_from=datetime.date(2024, 5, 1), valid_until=datetime.date(2025, 4, 30))
    c = carrier(type_code="gz_service_station", name="天河丙服务站",
                organisation=factories.OrganisationFactory(district_code="440106"))
    d = carrier(name="海淀丁服务站", status=Carrier.Status.REVOKED, revoked_on=TODAY(),
                organisation=factories.OrganisationFactory(district_code="110108"))
    url = reverse("carrier_list")

    def names(**params):
        body = text(client.get(url, params))
        return {x.name for x in (a, b, c, d) if x.name in body}

    assert names() == {a.name, b.name, c.name, d.name}
    assert names(type="gz_service_station") == {c.name}
    assert names(year=2024) == {b.name}
    assert names(district="110108") == {a.name, d.name}
    assert names(status="revoked") == {d.name}
    assert names(status="expired") == {b.name}  # valid_until passed: expired although not swept yet
    assert names(status="active") == {a.name, c.name}
    assert names(q="海淀") == {a.name, d.name}
    assert names(q="丁", district="110108") == {d.name}
    # bad filters are ignored, never an error
    assert client.get(url, {"type": "nope", "year": "abc", "district": "<x>", "status": "x", "page": "-1"}
                      ).status_code == 200


def test_list_is_paginated_and_query_count_bounded(client):
    counts = []
    for n in (5, 30):
        while Carrier.objects.count() < n:
            carrier()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("carrier_list"))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    assert "第 1 / 2 页" in text(response)
    assert client.get(reverse("carrier_list"), {"page": 2}).status_code == 200


# --- a carrier's page ---

def test_carrier_page_and_revoked_wording(client):
    org = factories.OrganisationFactory(district_code="110108", name="海淀运营有限公司")
    active = carrier(organisation=org, name="海淀服务站", number="BJZJTX-2026-0100")
    body = text(client.get(reverse("carrier_detail", args=[active.number])))
    assert "海淀服务站" in body and "海淀运营有限公司" in body and "北京市专精特新企业服务站" in body
    assert "撤销" not in body
    revoked = carrier(number="BJZJTX-2025-0003", status=Carrier.Status.REVOKED,
                      revoked_on=datetime.date(2026, 4, 1), revocation_ground="第二十条（一）未参加年度绩效评价")
    body = text(client.get(reverse("carrier_detail", args=[revoked.number])))
    assert "该载体已于2026年4月1日被撤销认定" in body
    assert "第二十条（一）未参加年度绩效评价" in body
    assert client.get(reverse("carrier_detail", args=["NO-SUCH-1"])).status_code == 404
    assert client.get("/carriers/%00%3Cscript%3E/").status_code == 404


def private_org(district_code="110108"):
    return factories.OrganisationFactory(district_code=district_code, contact_phone="13800138123",
                                         legal_representative="赵私密", contact_name="钱联络",
                                         address="保密路99号")


def test_public_pages_show_no_personal_data(client):
    org = private_org()
    c = carrier(organisation=org)
    for url in (reverse("carrier_list"), reverse("carrier_detail", args=[c.number]),
                reverse("verify", args=[c.number])):
        body = text(client.get(url))
        assert org.contact_phone not in body and org.contact_email not in body
        assert org.legal_representative not in body and org.uscc not in body
        assert org.contact_name not in body and org.address not in body


# --- verification ---

@pytest.mark.parametrize(("kwargs", "verdict"), [
    ({}, "有效"),
    ({"status": Carrier.Status.RECTIFYING}, "有效（整改中）"),
    ({"valid_until": datetime.date(2020, 1, 1), "valid_from": datetime.date(2019, 1, 1)}, "已过期"),
    ({"status": Carrier.Status.EXPIRED}, "已过期"),
    ({"status": Carrier.Status.REVOKED, "revoked_on": datetime.date(2026, 1, 5)}, "已撤销"),
])
def test_verify(client, kwargs, verdict):
    c = carrier(number="BJZJTX-2026-0001", **kwargs)
    response = client.get(reverse("verify", args=[c.number]))
    assert response.status_code == 200
    body = text(response)
    assert f">{verdict}</span>" in body
    assert c.name in body


def test_verify_unknown_and_bad_numbers(client):
    bad = ("BJZJTX-2099-9999", "x" * 200, "<script>alert(1)", "\x00", "' OR 1=1 --", "京专精服务站〔2026〕第001号")
    for number in bad:
        response = client.get(f"/verify/{quote(number)}/")
        assert response.status_code == 200, number
        assert "未找到" in text(response)
        assert "<script>alert" not in text(response)


def test_verify_accepts_lower_case_and_form_redirects(client):
    c = carrier(number="BJZJTX-2026-0009")
    assert ">有效</span>" in text(client.get("/verify/bjzjtx-2026-0009/"))
    response = client.get(reverse("verify_form"), {"number": " bjzjtx-2026-0009 "})
    assert response.status_code == 302 and response["Location"] == reverse("verify", args=[c.number])
    assert client.get(reverse("verify_form"), {"number": "<>"}).status_code == 200
    assert client.get(reverse("verify_form")).status_code == 200


# --- announcements ---

def announced_round():
    round_ = factories.RoundFactory(type_code="bj_srdi_station", year=2026)
    now = timezone.now()
    apps = [factories.ApplicationFactory(round=round_, state=ApplicationState.APPROVED, submitted_at=now,
                                         recommended_at=now, carrier_name=f"第{i}服务站",
                                         organisation=private_org(), contact_phone="13900139456",
                                         legal_representative="孙代表")
            for i in range(2)]
    announcement = announcements.publish(
        round_, factories.CityReviewerFactory(city="beijing"),
        title="关于公布2026年度北京市专精特新企业服务站名单的公告",
        document_number="京经信发〔2026〕30号", published_on=datetime.date(2026, 3, 1), body="现予公告。",
        application_ids=[a.pk for a in apps])
    return announcement, apps


def test_announcement_list_and_page(client):
    announcement, apps = announced_round()
    body = text(client.get(reverse("announcement_list")))
    assert announcement.title in body and "京经信发〔2026〕30号" in body
    assert announcement.title not in text(client.get(reverse("announcement_list"), {"city": "guangzhou"}))
    body = text(client.get(reverse("announcement_detail", args=[announcement.pk])))
    for header in ("序号", "区", "单位名称", "载体名称", "编号", "有效期"):
        assert f">{header}</th>" in body
    for app in apps:
        assert app.applicant_name in body and app.carrier_name in body
        assert app.contact_phone not in body and app.legal_representative not in body
    assert "BJZJTX-2026-0001" in body and "2027年2月28日" in body
    assert client.get(reverse("announcement_detail", args=[999999])).status_code == 404


def test_home_shows_current_notices_announcements_and_hub(client):
    announcement, _ = announced_round()
    reviewer = factories.CityReviewerFactory(city="beijing")
    round_ = factories.RoundFactory(type_code="bj_demo_platform")
    current = PublicNotice.objects.create(round=round_, title="当前公示标题", document_number="公示〔2026〕1号",
                                          body="b", objection_contact="市经信局", starts_on=TODAY(),
                                          ends_on=TODAY() + datetime.timedelta(days=7), published_by=reviewer)
    PublicNotice.objects.create(round=round_, title="过期公示标题", document_number="公示〔2026〕0号", body="b",
                                objection_contact="市经信局", starts_on=TODAY() - datetime.timedelta(days=20),
                                ends_on=TODAY() - datetime.timedelta(days=10), published_by=reviewer)
    hub_org = factories.OrganisationFactory(district_code="440106", name="广州总站运营有限公司")
    carrier(type_code="gz_hub_station", organisation=hub_org, number="GZFWZZ-2026-0001", valid_until=None,
            commission_document="穗工信函〔2026〕3号")
    body = text(client.get(reverse("home")))
    assert "当前公示标题" in body and f"/notices/{current.pk}/" in body
    assert "过期公示标题" not in body
    assert announcement.title in body
    assert "广州总站运营有限公司" in body and "穗工信函〔2026〕3号" in body


# --- open data ---

def test_open_data_formats_and_no_personal_data(client):
    announced_round()
    carrier(number="BJZJTX-2025-0001", status=Carrier.Status.REVOKED, revoked_on=datetime.date(2026, 1, 5),
            organisation=private_org())
    organisation_secrets = []
    for c in Carrier.objects.select_related("organisation"):
        o = c.organisation
        organisation_secrets += [o.contact_phone, o.contact_email, o.legal_representative, o.contact_name, o.uscc,
                                 o.address, "13900139456", "孙代表"]

    raw = client.get("/open-data/carriers.csv")
    assert raw.status_code == 200 and raw["Content-Type"].startswith("text/csv")
    assert raw.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig"))))
    assert rows[0] == ["证书编号", "载体名称", "类型代码", "载体类型", "区划代码", "所属区", "运营单位", "状态",
                       "有效期起", "有效期至", "撤销日期"]
    assert len(rows) == 4
    assert [r[0] for r in rows[1:] if r[7] == "已撤销"] == ["BJZJTX-2025-0001"]

    book = load_workbook(io.BytesIO(client.get("/open-data/carriers.xlsx").content))
    sheet = book.active
    assert [cell.value for cell in sheet[1]] == rows[0]
    assert sheet.max_row == 4

    response = client.get("/open-data/carriers.json")
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["count"] == 3
    keys = {"number", "name", "type_code", "type_name", "district_code", "district_name", "operator", "status",
            "valid_from", "valid_until", "revoked_on"}
    assert all(set(item) == keys for item in data["carriers"])
    revoked = next(item for item in data["carriers"] if item["number"] == "BJZJTX-2025-0001")
    assert revoked["status"] == "revoked" and revoked["revoked_on"] == "2026-01-05"
    first = next(item for item in data["carriers"] if item["number"] == "BJZJTX-2026-0001")
    assert first["valid_from"] == "2026-03-01" and first["valid_until"] == "2027-02-28"
    assert first["type_code"] == "bj_srdi_station" and first["district_code"] == "110108"

    everything = raw.content.decode("utf-8-sig") + response.content.decode() + "".join(
        str(cell.value) for row in sheet.iter_rows() for cell in row)
    for secret in organisation_secrets:
        assert secret not in everything
    assert client.get(reverse("open_data")).status_code == 200


# --- Atom feed ---

def test_atom_feed_lists_notices_and_announcements(client):
    announcement, _ = announced_round()
    notice = PublicNotice.objects.create(
        round=factories.RoundFactory(type_code="bj_demo_base"), title="示范基地拟认定名单公示",
        document_number="公示〔2026〕2号", body="b", objection_contact="市经信局", starts_on=TODAY(),
        ends_on=TODAY() + datetime.timedelta(days=7),
        published_by=factories.CityReviewerFactory(city="beijing"))
    response = client.get("/feed/atom.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert f"公示：{notice.title}" in titles and f"公告：{announcement.title}" in titles
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert any(link.endswith(f"/notices/{notice.pk}/") for link in links)
    assert any(link.endswith(f"/announcements/{announcement.pk}/") for link in links)


def test_empty_feed_and_pages(client):
    root = ET.fromstring(client.get("/feed/atom.xml").content)
    assert root.findall(f"{ATOM}entry") == []
    for name in ("carrier_list", "announcement_list", "open_data", "home"):
        assert client.get(reverse(name)).status_code == 200
    assert json.loads(client.get("/open-data/carriers.json").content)["carriers"] == []


def test_atom_feed_parses_with_a_feed_parser(client):
    import feedparser

    announcement, _ = announced_round()
    parsed = feedparser.parse(client.get("/feed/atom.xml").content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == [f"公告：{announcement.title}"]
    assert parsed.entries[0].link.endswith(f"/announcements/{announcement.pk}/")
