"""Exports of the officials' lists (portal.exports): XLSX with Chinese headers, CSV in UTF-8 with BOM.

Every list exports on its own URL with ``?format=xlsx`` / ``?format=csv``: the rows of the list (its filters,
its visibility scope, no pagination); outsiders get the list's own refusal.
"""

import csv
import datetime
import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from applications.models import ApplicationState
from carriers.models import ChangeRequest
from evaluations.models import EvaluationCampaign, SelfAssessment
from portal import exports
from reviews.models import Announcement, ExpertAssignment, NoticeEntry, Objection, PublicNotice
from tests import factories

pytestmark = pytest.mark.django_db


def read(response, fmt):
    """The export's cells as text, header row first."""
    if fmt == "csv":
        raw = response.content
        assert raw.startswith(b"\xef\xbb\xbf")
        return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def flat(rows) -> str:
    return "\n".join(",".join(row) for row in rows)


# --- the helper ------------------------------------------------------------------------------

COLUMNS = [("名称", "name"), ("日期", "day"), ("是否有效", lambda r: r.ok), ("上级", "parent.name")]


def _rows(n):
    return [SimpleNamespace(name=f"单位{i}", day=datetime.date(2026, 1, 2), ok=i % 2 == 0, parent=None)
            for i in range(n)]


def test_csv_has_a_bom_chinese_headers_and_an_rfc5987_filename():
    response = exports.export_response(_rows(2), COLUMNS, "测试列表", "csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response["Content-Type"].startswith("text/csv")
    assert "filename*=UTF-8''%E6%B5%8B%E8%AF%95%E5%88%97%E8%A1%A8-" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment;")
    rows = read(response, "csv")
    assert rows[0] == ["名称", "日期", "是否有效", "上级"]
    assert rows[1] == ["单位0", "2026-01-02", "是", ""]
    assert rows[2][2] == "否"


def test_xlsx_opens_with_bold_chinese_headers_a_title_and_widths():
    response = exports.export_response(_rows(3), COLUMNS, "测试列表", "xlsx")
    assert response["Content-Type"] == exports.XLSX_TYPE
    assert ".xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet.title == "测试列表"
    assert [c.value for c in sheet[1]] == ["名称", "日期", "是否有效", "上级"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.max_row == 4
    assert sheet.column_dimensions["A"].width >= 8
    assert sheet["B2"].value.date() == datetime.date(2026, 1, 2)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_is_capped_with_a_note(fmt):
    response = exports.export_response(_rows(5), COLUMNS, "测试", fmt, limit=3)
    rows = read(response, fmt)
    assert len(rows) == 1 + 3 + 1
    assert "仅导出前 3 行" in rows[-1][0]


def test_maybe_export_reads_the_format_and_refuses_others():
    factory = RequestFactory()
    assert exports.maybe_export(factory.get("/x/"), _rows(1), COLUMNS, "测试") is None
    bad = exports.maybe_export(factory.get("/x/?format=pdf"), _rows(1), COLUMNS, "测试")
    assert bad.status_code == 400 and "导出格式无效" in bad.content.decode()
    assert exports.maybe_export(factory.get("/x/?format=csv"), _rows(1), COLUMNS, "测试").status_code == 200


# --- every official list -----------------------------------------------------------------------

HD, CY, GZ = "海淀导出测试有限公司", "朝阳导出测试有限公司", "天河导出测试有限公司"


class World:
    def __init__(self):
        now = timezone.now()
        today = timezone.localdate()
        self.bj_round = factories.RoundFactory(type_code="bj_srdi_station", title="北京导出批次通知")
        self.gz_round = factories.RoundFactory(type_code="gz_service_station", title="广州导出批次通知")
        self.hd_org = factories.OrganisationFactory(district_code="110108", name=HD)
        self.cy_org = factories.OrganisationFactory(district_code="110105", name=CY)
        self.gz_org = factories.OrganisationFactory(district_code="440106", name=GZ)
        self.hd_app = factories.ApplicationFactory(round=self.bj_round, organisation=self.hd_org,
                                                   state=ApplicationState.DISTRICT_REVIEW, submitted_at=now)
        self.cy_app = factories.ApplicationFactory(round=self.bj_round, organisation=self.cy_org,
                                                   state=ApplicationState.CITY_REVIEW, submitted_at=now,
                                                   recommended_at=now)
        self.gz_app = factories.ApplicationFactory(round=self.gz_round, organisation=self.gz_org,
                                                   state=ApplicationState.EXPERT_REVIEW, submitted_at=now,
                                                   recommended_at=now)
        self.district = factories.DistrictOfficerFactory(district_code="110108")
        self.bj_city = factories.CityReviewerFactory(city="beijing")
        self.gz_city = factories.CityReviewerFactory(city="guangzhou")
        self.hub = factories.HubCoordinatorFactory()
        self.expert = factories.ExpertFactory(city="guangzhou")
        assign_perm("applications.score_application", self.expert, self.gz_app)
        ExpertAssignment.objects.create(application=self.gz_app, expert=self.expert, assigned_by=self.hub)

        notices = {}
        for key, round_, app, unit in (("bj", self.bj_round, self.cy_app, CY), ("gz", self.gz_round, self.gz_app, GZ)):
            notice = PublicNotice.objects.create(
                round=round_, title=f"{unit}公示", document_number=f"公示〔2026〕{key}", body="正文",
                objection_contact="电话", starts_on=today, ends_on=today + datetime.timedelta(days=7),
                published_by=self.bj_city)
            entry = NoticeEntry.objects.create(notice=notice, application=app, seq=1, district_name="区",
                                               unit_name=unit, carrier_name="载体", type_name="类型")
            Objection.objects.create(entry=entry, kind=Objection.Kind.choices[-1][0], objector_name=f"{key}异议人",
                                     contact_phone="13900000000", contact_email=f"{key}-objector@example.com",
                                     facts="事实")
            Announcement.objects.create(round=round_, title=f"{unit}公告", document_number=f"公告〔2026〕{key}",
                                        published_on=today, body="正文", published_by=self.bj_city)
            notices[key] = notice

        old = today - datetime.timedelta(days=400)
        self.hd_carrier = factories.CarrierFactory(type_code="bj_srdi_station", organisation=self.hd_org,
                                                   name="海淀导出载体", valid_from=old, valid_until=None)
        self.cy_carrier = factories.CarrierFactory(type_code="bj_srdi_station", organisation=self.cy_org,
                                                   name="朝阳导出载体", valid_from=old, valid_until=None)
        self.gz_carrier = factories.CarrierFactory(type_code="gz_service_station", organisation=self.gz_org,
                                                   name="天河导出载体", number="GZ-EXPORT-1", valid_from=old,
                                                   valid_until=None)
        for carrier in (self.hd_carrier, self.cy_carrier, self.gz_carrier):
            ChangeRequest.objects.create(
                carrier=carrier, field=ChangeRequest.Field.ADDRESS, old_value="旧址", new_value="新址",
                changed_on=today, evidence="changes/x.pdf", evidence_name="x.pdf",
                filed_by=self.district, status=ChangeRequest.Status.DISTRICT_REVIEW)
        self.campaigns = {}
        for key, code, carrier in (("bj", "bj_srdi_station", self.hd_carrier),
                                   ("gz", "gz_service_station", self.gz_carrier)):
            campaign = EvaluationCampaign.objects.create(
                carrier_type=factories.carrier_type(code), year=2025,
                self_assessment_deadline=today + datetime.timedelta(days=10), created_by=self.bj_city)
            self.campaigns[key] = campaign
            SelfAssessment.objects.create(campaign=campaign, carrier=carrier, submitted_at=now)
        for carrier in (self.cy_carrier,):
            SelfAssessment.objects.create(campaign=self.campaigns["bj"], carrier=carrier, submitted_at=now)


@pytest.fixture
def world():
    return World()


def received_lists(w):
    """A Chaoyang list sent to the Beijing bureau and a Tianhe one sent to Guangzhou's; no url args."""
    from reviews.models import RecommendationEntry, RecommendationList

    if not RecommendationList.objects.exists():
        for app, officer_district in ((w.cy_app, "110105"), (w.gz_app, "440106")):
            officer = factories.DistrictOfficerFactory(district_code=officer_district)
            sent = RecommendationList.objects.create(
                round=app.round, district=app.district, status=RecommendationList.Status.SUBMITTED,
                opinion=f"{app.district.name}推荐意见", submitted_at=timezone.now(), submitted_by=officer)
            RecommendationEntry.objects.create(recommendation_list=sent, application=app, rank=1)
    return []


# url name → (url args(world), rightful user(world), present, absent). "present" is what the list shows the
# rightful user; "absent" belongs to another district or city and must never appear.
LISTS = {
    "reviews:district_queue": (None, lambda w: w.district, [HD], [CY, GZ]),
    "reviews:city_queue": (None, lambda w: w.bj_city, [CY], [GZ]),
    "reviews:hub_queue": (None, lambda w: w.hub, [GZ], [HD, CY]),
    "reviews:expert_queue": (None, lambda w: w.expert, [GZ], [HD, CY]),
    "reviews:city_notices": (None, lambda w: w.bj_city, [f"{CY}公示"], [f"{GZ}公示"]),
    "reviews:city_objections": (None, lambda w: w.bj_city, ["bj异议人", CY],
                                ["gz异议人", GZ, "13900000000", "bj-objector@example.com"]),
    "reviews:announcement_list": (None, lambda w: w.bj_city, [f"{CY}公告"], [f"{GZ}公告"]),
    "reviews:city_district_lists": (received_lists, lambda w: w.bj_city, ["北京导出批次通知", "朝阳区推荐意见"],
                                    ["广州导出批次通知", "天河区推荐意见"]),
    "carriers:city_carriers": (None, lambda w: w.bj_city, ["海淀导出载体", "朝阳导出载体"], ["天河导出载体"]),
    "carriers:reports_overdue": (None, lambda w: w.district, ["海淀导出载体"], ["朝阳导出载体", "天河导出载体"]),
    "carriers:changes": (None, lambda w: w.district, ["海淀导出载体"], ["朝阳导出载体", "天河导出载体"]),
    "evaluations:district_list": (None, lambda w: w.district, ["海淀导出载体"], ["朝阳导出载体", "天河导出载体"]),
    "evaluations:city_campaigns": (None, lambda w: w.bj_city, ["2025年度北京市专精特新企业服务站绩效评价"], ["广州"]),
    "evaluations:campaign_detail": (lambda w: [w.campaigns["bj"].pk], lambda w: w.bj_city,
                                    ["海淀导出载体", "朝阳导出载体"], ["天河导出载体"]),
    "applications:manage_rounds": (None, lambda w: w.bj_city, ["北京导出批次通知"], ["广州导出批次通知"]),
}


def _url(world, name, fmt=None, **query):
    args = LISTS[name][0]
    url = reverse(name, args=args(world) if args else None)
    if fmt:
        query["format"] = fmt
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("name", list(LISTS))
def test_each_list_exports_its_rows_and_only_its_scope(client, world, name, fmt):
    _args, user, present, absent = LISTS[name]
    client.force_login(user(world))
    page = client.get(_url(world, name))
    assert page.status_code == 200
    assert "导出 Excel" in page.content.decode() and "format=csv" in page.content.decode()
    response = client.get(_url(world, name, fmt))
    assert response.status_code == 200, response.content[:300]
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    rows = read(response, fmt)
    assert rows[0] and all(any("\u4e00" <= ch <= "\u9fff" for ch in header) for header in rows[0] if header)
    text = flat(rows)
    for expected in present:
        assert expected in text, (expected, text)
    for unexpected in absent:
        assert unexpected not in text, (unexpected, text)


def test_a_bad_format_is_a_400_in_chinese(client, world):
    client.force_login(world.district)
    response = client.get(_url(world, "reviews:district_queue", "pdf"))
    assert response.status_code == 400
    assert "导出格式无效" in response.content.decode()


def test_the_export_follows_the_lists_filters(client, world):
    client.force_login(world.bj_city)
    text = flat(read(client.get(_url(world, "carriers:city_carriers", "csv", district=world.cy_org.district_id)),
                     "csv"))
    assert "朝阳导出载体" in text and "海淀导出载体" not in text
    client.force_login(world.district)
    pending = flat(read(client.get(_url(world, "reviews:district_queue", "csv", state="draft")), "csv"))
    assert HD not in pending


def test_the_links_keep_the_query_string_without_the_page(client, world):
    client.force_login(world.bj_city)
    body = client.get(_url(world, "carriers:city_carriers", None, status="active", page=1)).content.decode()
    assert "?status=active&amp;format=xlsx" in body and "page=1&amp;format" not in body


def test_the_old_overdue_csv_address_uses_the_helper(client, world):
    client.force_login(world.district)
    response = client.get(reverse("carriers:reports_overdue_csv"))
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = read(response, "csv")
    assert rows[0][0] == "所属区" and "海淀导出载体" in flat(rows) and "朝阳导出载体" not in flat(rows)


OUTSIDER_STATUS = {
    # the list's own refusal for: anonymous, an applicant, an official of another role
    "reviews:district_queue": (302, 403, lambda w: w.bj_city),
    "reviews:city_queue": (302, 403, lambda w: w.district),
    "reviews:hub_queue": (302, 403, lambda w: w.bj_city),
    "reviews:expert_queue": (302, 403, lambda w: w.hub),
    "reviews:city_notices": (302, 403, lambda w: w.district),
    "reviews:city_objections": (302, 403, lambda w: w.district),
    "reviews:announcement_list": (302, 403, lambda w: w.district),
    "reviews:city_district_lists": (302, 403, lambda w: w.district),
    "carriers:city_carriers": (302, 403, lambda w: w.district),
    "carriers:reports_overdue": (302, 403, lambda w: w.hub),
    "carriers:changes": (302, None, lambda w: w.hub),
    "evaluations:district_list": (302, 403, lambda w: w.bj_city),
    "evaluations:city_campaigns": (302, 403, lambda w: w.district),
    "evaluations:campaign_detail": (302, 403, lambda w: w.district),
    "applications:manage_rounds": (302, 403, lambda w: w.district),
}


@pytest.mark.parametrize("name", list(OUTSIDER_STATUS))
def test_outsiders_cannot_export(client, world, name):
    anonymous, applicant, official = OUTSIDER_STATUS[name]
    url = _url(world, name, "xlsx")
    assert client.get(url).status_code == anonymous
    if applicant is not None:
        client.force_login(factories.ApplicantFactory(organisation=world.hd_org))
        assert client.get(url).status_code == applicant
    client.force_login(official(world))
    response = client.get(url)
    assert response.status_code == 403
    assert not response.get("Content-Disposition")


def test_another_citys_reviewer_gets_a_404_for_a_campaign_and_its_export(client, world):
    client.force_login(world.gz_city)
    assert client.get(_url(world, "evaluations:campaign_detail", "csv")).status_code == 404


def test_every_official_list_has_an_export_test():
    assert set(LISTS) == set(OUTSIDER_STATUS)
