"""axe-core audit of the main public, applicant and district pages: no serious or critical violation."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from carriers.models import Carrier
from reviews.models import PublicNotice
from tests import factories
from tests.carriers.samples import json_facts
from tests.e2e.helpers import log_in, serious_violations
from tests.reviews.test_received_lists import sent_list

MOBILE = (390, 844)
DESKTOP = (1366, 900)


def haidian_unit():
    return factories.OrganisationFactory(district_code="110108", name="北京海淀创新服务有限公司")


def draft_application():
    """A draft declaration of an open BJ station round, one hard condition not met, and its applicant."""
    unit = haidian_unit()
    applicant = factories.ApplicantFactory(organisation=unit)
    application = factories.ApplicationFactory(
        round=factories.RoundFactory(type_code="bj_srdi_station"), organisation=unit, created_by=applicant,
        facts=json_facts("bj_srdi_station", office_area_m2=80, smes_served_last_year=100))
    return application, applicant


def submitted_to_haidian():
    """An application waiting in 海淀区's queue, and the district officer (signed-in password set)."""
    application = factories.submitted_application(
        organisation=haidian_unit(), round=factories.RoundFactory(type_code="bj_srdi_station"),
        facts=json_facts("bj_srdi_station", smes_served_last_year=100), carrier_name="海淀专精特新企业服务站",
        service_plan="服务目标：服务专精特新企业。服务内容：政策宣贯、融资对接。",
        work_rules="工作流程、服务标准、人员管理制度。",
        liaison_name="李联络", liaison_phone="13800138000", liaison_email="ll@example.com")
    officer = factories.DistrictOfficerFactory(district_code="110108")
    return application, officer


# --- the pages; each arranges its data, opens the page in the state to audit and returns the step name ---


def home(page: Page) -> str:
    round_ = factories.RoundFactory(type_code="bj_demo_platform")
    today = timezone.localdate()
    PublicNotice.objects.create(
        round=round_, title="2026年度北京市中小企业公共服务示范平台拟认定名单公示", document_number="公示〔2026〕1号",
        body="现予公示。", objection_contact="市经济和信息化局", starts_on=today,
        ends_on=today + datetime.timedelta(days=7), published_by=factories.CityReviewerFactory(city="beijing"))
    factories.CarrierFactory(type_code="gz_hub_station", number="GZFWZZ-2026-0001", valid_until=None,
                             organisation=factories.OrganisationFactory(district_code="440106"))
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("link", name="2026年度北京市中小企业公共服务示范平台拟认定名单公示")).to_be_visible()
    return "首页"


def carrier_list(page: Page) -> str:
    today = timezone.localdate()
    factories.CarrierFactory(name="海淀甲服务站", organisation=haidian_unit())
    factories.CarrierFactory(type_code="bj_demo_platform", name="朝阳示范平台", valid_until=None,
                             organisation=factories.OrganisationFactory(district_code="110105"))
    factories.CarrierFactory(name="海淀乙服务站", status=Carrier.Status.REVOKED, revoked_on=today,
                             revocation_ground="第二十条（一） 未按要求参加年度绩效评价")
    factories.CarrierFactory(type_code="gz_service_station", name="天河服务站",
                             valid_from=today - datetime.timedelta(days=800),
                             valid_until=today - datetime.timedelta(days=30),
                             organisation=factories.OrganisationFactory(district_code="440106"))
    page.goto("/carriers/")
    expect(page.get_by_role("heading", name="中小企业服务载体认定名单")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="海淀乙服务站")).to_contain_text("已撤销")
    return "认定名单"


def registration(page: Page) -> str:
    page.goto("/accounts/register/")
    expect(page.get_by_role("heading", name="申报单位注册")).to_be_visible()
    return "单位注册"


def registration_with_errors(page: Page) -> str:
    registration(page)
    page.get_by_role("button", name="提交注册").click()
    expect(page.get_by_text("这个字段是必填项。").first).to_be_visible()
    return "单位注册-空表提交后的错误"


def declaration_facts(page: Page) -> str:
    application, applicant = draft_application()
    log_in(page, applicant.username)
    page.goto(f"/applications/{application.pk}/sections/facts/")
    expect(page.get_by_role("heading", name="申报条件", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="申报条件核对")).to_be_visible()
    expect(page.get_by_label("是否具有独立法人资格")).to_have_value("true")  # saved answers are shown again
    return "申报书-申报条件"


def declaration_facts_with_errors(page: Page) -> str:
    declaration_facts(page)
    page.get_by_label("固定办公场所面积").fill("-5")
    page.get_by_role("button", name="保存（暂存）").click()
    expect(page.get_by_text("您填写的内容已暂存在服务器上，但有以下问题需要修改后才能保存。")).to_be_visible()
    return "申报书-申报条件-校验错误"


def declaration_basic_with_errors(page: Page) -> str:
    application, applicant = draft_application()
    log_in(page, applicant.username)
    page.goto(f"/applications/{application.pk}/sections/basic/")
    page.get_by_label("联系电话").fill("12")
    page.get_by_label("法定代表人").fill("")
    page.get_by_role("button", name="保存（暂存）").click()
    expect(page.get_by_text("您填写的内容已暂存在服务器上，但有以下问题需要修改后才能保存。")).to_be_visible()
    return "申报书-基本信息-校验错误"


def district_queue(page: Page) -> str:
    application, officer = submitted_to_haidian()
    log_in(page, officer.username)
    page.goto("/district/queue/")
    expect(page.get_by_role("row").filter(has_text=application.applicant_name)).to_be_visible()
    return "区级待审申报"


def district_review(page: Page) -> str:
    application, officer = submitted_to_haidian()
    log_in(page, officer.username)
    page.goto(f"/review/{application.pk}/")
    expect(page.get_by_role("heading", name=application.applicant_name, level=1)).to_be_visible()
    return "区级审核页面"


def city_dashboard(page: Page) -> str:
    """The Beijing city dashboard with its work-target progress bars and charts."""
    factories.CarrierFactory(organisation=haidian_unit())
    reviewer = factories.CityReviewerFactory()
    log_in(page, reviewer.username)
    page.goto("/city/dashboard/")
    expect(page.get_by_role("progressbar").first).to_be_visible()
    return "市级统计分析"


def city_received_list(page: Page) -> str:
    """A district's recommendation list as the city receives it."""
    received = sent_list(factories.RoundFactory(type_code="bj_srdi_station"), "110108",
                         ["北京甲创新服务有限公司", "北京乙企业服务有限公司"], notes={1: "服务能力突出"})
    log_in(page, factories.CityReviewerFactory().username)
    page.goto(f"/city/district-lists/{received.pk}/")
    expect(page.get_by_role("row").filter(has_text="北京甲创新服务有限公司")).to_be_visible()
    return "市级查看区推荐名单"


def public_statistics(page: Page) -> str:
    factories.CarrierFactory(organisation=haidian_unit())
    page.goto("/statistics/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return "公开统计数据"


AUDITS = {
    "home": (home, DESKTOP),
    "home-390px": (home, MOBILE),
    "carrier-list": (carrier_list, DESKTOP),
    "register": (registration, DESKTOP),
    "register-390px": (registration, MOBILE),
    "register-errors": (registration_with_errors, DESKTOP),
    "register-errors-390px": (registration_with_errors, MOBILE),
    "declaration-facts": (declaration_facts, DESKTOP),
    "declaration-facts-errors": (declaration_facts_with_errors, DESKTOP),
    "declaration-basic-errors": (declaration_basic_with_errors, DESKTOP),
    "district-queue": (district_queue, DESKTOP),
    "district-review": (district_review, DESKTOP),
    "city-dashboard": (city_dashboard, DESKTOP),
    "statistics": (public_statistics, DESKTOP),
    "city-received-list": (city_received_list, DESKTOP),
}


@pytest.mark.parametrize("name", AUDITS)
def test_page_has_no_serious_accessibility_violations(new_context, steps, name):
    visit, viewport = AUDITS[name]
    page = new_context(axe=True, viewport=viewport).new_page()
    step = visit(page)
    steps.shot(page, step)
    problems = serious_violations(page)
    assert not problems, "axe-core 报告了严重的无障碍问题：\n" + "\n".join(problems)
