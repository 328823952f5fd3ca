"""广州市民营和中小企业服务站: from the hub's expert review to the plaque, done in the browser by each person.

The district has already recommended the application (arranged with the factories); the hub coordinator
assigns two experts, each expert scores, the hub compiles its recommendation, the city shortlists and
publishes the notice, a member of the public objects, the city dismisses the objection, the notice period
ends (the ``close_notices`` sweep run with a later date), the city announces, the unit downloads its plaque
and a visitor verifies its number.
"""

import datetime
import re

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from reviews.models import PublicNotice
from tests import factories
from tests.carriers.samples import json_facts
from tests.e2e.helpers import log_in

UNIT_NAME = "广州天河星火企业服务有限公司"
STATION_NAME = "天河星火民营和中小企业服务站"
CRITERIA = ["民营和中小企业服务能力", "民营和中小企业服务经验", "在区域、行业中的影响力和知名度",
            "服务管理制度和服务架构", "服务场所、办公条件与专职人员配备"]
SCORES = {
    "广州专家甲": ([28, 22, 17, 13, 9], "甲专家意见：服务网络覆盖天河区主要园区，服务能力突出，同意推荐。"),
    "广州专家乙": ([25, 20, 15, 12, 8], "乙专家意见：服务经验较丰富，管理制度健全，建议认定。"),
}
OBJECTION_FACTS = "据了解，该服务站公示的服务场地面积与实际使用面积不符，请核实其服务场地情况。"
DISMISSAL_REASON = "经现场核查，该单位服务场地面积与申报材料一致，异议不成立。"


def recommended_gz_application():
    """A 天河区 station application the district has recommended to the city: waiting for the hub's experts."""
    round_ = factories.RoundFactory(type_code="gz_service_station", year=2026)
    organisation = factories.OrganisationFactory(district_code="440106", name=UNIT_NAME,
                                                 uscc=factories.uscc_for(4401, region="440106"))
    unit = factories.ApplicantFactory(organisation=organisation, username="gz_unit", real_name="林申报")
    return factories.submitted_application(
        round=round_, organisation=organisation, created_by=unit, state="city_review",
        recommended_at=timezone.now(), carrier_name=STATION_NAME, facts=json_facts("gz_service_station"),
        liaison_name="周联络", liaison_phone="020-38880000", liaison_email="liaison@example.com",
        service_plan="面向天河区民营和中小企业提供政策咨询、融资对接和人才培训服务。",
        work_rules="建立服务台账、首问负责和满意度回访制度。")


def pdf_text(path) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(path).pages))


def signed_in(new_context, username):
    page = new_context().new_page()
    log_in(page, username)
    return page


# --- The hub and the experts --------------------------------------------------------------------

def hub_assigns_two_experts(page, steps):
    page.goto("/hub/queue/")
    expect(page.get_by_role("heading", name="专家评审组织")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=UNIT_NAME)
    expect(row).to_contain_text("未分配")
    steps.shot(page, "服务总站待组织评审")
    row.get_by_role("link", name="分配专家").click()
    expect(page.get_by_role("heading", name=UNIT_NAME)).to_be_visible()
    expect(page.get_by_text("尚未分配评审专家")).to_be_visible()
    for name in SCORES:
        page.get_by_label(name).check()
    steps.shot(page, "服务总站选择两名专家")
    page.get_by_role("button", name="分配并通知专家").click()
    expect(page.get_by_text("已分配评审专家：")).to_be_visible()
    experts = page.locator("section").filter(has=page.get_by_role("heading", name="评审专家与评分进度"))
    for name in SCORES:
        expect(experts.get_by_role("row").filter(has_text=name)).to_contain_text("未开始")
    expect(experts).to_contain_text("已提交评分 0 / 2 名专家。")
    expect(page.locator(".state-badge")).to_have_text("专家评审")
    steps.shot(page, "服务总站已分配两名专家")


def expert_scores(page, steps, name, *, other_opinion=None):
    points, opinion = SCORES[name]
    page.goto("/expert/queue/")
    expect(page.get_by_role("heading", name="我的评审任务")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=UNIT_NAME)
    expect(row).to_contain_text("待评分")
    steps.shot(page, f"{name}的评审任务")
    row.get_by_role("link", name="评分").click()
    expect(page.get_by_role("heading", name="我的评分")).to_be_visible()
    if other_opinion:  # the other expert has submitted already: nothing of theirs is shown
        expect(page.get_by_text(other_opinion)).to_have_count(0)
        expect(page.get_by_role("heading", name="专家评分与推荐意见")).to_have_count(0)
        for other in SCORES:
            if other != name:
                expect(page.get_by_text(other)).to_have_count(0)
    for label, value in zip(CRITERIA, points, strict=True):
        page.get_by_label(label, exact=True).fill(str(value))
    page.get_by_label("评审意见（提交时必填，至少10个字）").fill(opinion)
    steps.shot(page, f"{name}填写评分")
    page.get_by_role("button", name="提交评分").click()
    expect(page.get_by_text("评分已提交。感谢您的评审！")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=UNIT_NAME)).to_contain_text(f"已提交（{sum(points)} 分）")
    steps.shot(page, f"{name}已提交评分")


def expert_sees_only_own_scores(page, steps, name):
    """After both experts have submitted: the first one's page still shows nothing of the other's."""
    points, opinion = SCORES[name]
    page.goto("/expert/queue/")
    page.get_by_role("row").filter(has_text=UNIT_NAME).get_by_role("link", name="查看").click()
    panel = page.locator("section.expert-panel")
    expect(panel).to_contain_text("您已于")
    expect(panel.get_by_role("row", name=re.compile("^总分"))).to_contain_text(f"{sum(points)} / 100")
    expect(panel).to_contain_text(opinion)
    for other, (_, other_opinion) in SCORES.items():
        if other != name:
            expect(page.get_by_text(other_opinion)).to_have_count(0)
            expect(page.get_by_text(other)).to_have_count(0)
    expect(page.get_by_role("heading", name="专家评分与推荐意见")).to_have_count(0)
    steps.shot(page, f"{name}只看到自己的评分")


def hub_compiles(page, steps):
    page.goto("/hub/queue/")
    row = page.get_by_role("row").filter(has_text=UNIT_NAME)
    expect(row).to_contain_text("已评 2 / 2")
    row.get_by_role("link", name="汇总意见").click()
    expect(page.get_by_text("专家平均分 84.50 分，推荐分数线 60 分。")).to_be_visible()
    expect(page.get_by_label("推荐认定", exact=True)).to_be_checked()
    page.get_by_label("推荐意见（必填）").fill("经两名专家评审，平均分 84.50 分，该单位具备服务站认定条件，推荐认定。")
    steps.shot(page, "服务总站汇总专家意见")
    page.get_by_role("button", name="汇总并报送市工业和信息化局").click()
    expect(page.get_by_text("专家评审意见已汇总，推荐意见已报送市工业和信息化局。")).to_be_visible()
    expect(page.get_by_role("heading", name="已汇总")).to_be_visible()
    steps.shot(page, "服务总站已报送推荐意见")


# --- The city: review, shortlist, notice ------------------------------------------------------------

def city_shortlists(page, steps):
    page.goto("/city/queue/")
    row = page.get_by_role("row").filter(has_text=UNIT_NAME)
    expect(row).to_contain_text("84.50 分")
    expect(row).to_contain_text("市级评审")
    steps.shot(page, "市级审核队列")
    row.get_by_role("link", name="审核").click()
    scores = page.locator("section.expert-scores")
    expect(scores.get_by_role("heading", name="专家评分与推荐意见")).to_be_visible()
    for name, (points, opinion) in SCORES.items():
        expect(scores.get_by_role("columnheader", name=name)).to_be_visible()
        expect(scores.get_by_role("listitem").filter(has_text=opinion)).to_contain_text(f"{name}（总分 {sum(points)}，")
    expect(scores.get_by_role("row", name=re.compile("^总分"))).to_have_text(re.compile(r"总分\s*100\s*89\s*80"))
    expect(scores).to_contain_text("平均分 84.50 分")
    steps.shot(page, "市级审核查看专家评分")
    page.get_by_label("拟认定意见（选填）").fill("经市级审核，同意列入拟认定名单。")
    page.get_by_role("button", name="拟认定", exact=True).click()
    expect(page.get_by_text("已列入拟认定名单，申报单位已收到通知。")).to_be_visible()
    expect(page.locator(".state-badge").first).to_have_text("拟认定")
    steps.shot(page, "市级已拟认定")


def city_publishes_notice(page, steps):
    page.goto("/city/notices/new/")
    row = page.get_by_role("row").filter(has_text="广州市民营和中小企业服务站")
    row.get_by_role("link", name="编制公示").click()
    expect(page.get_by_role("heading", name="发布拟认定名单公示")).to_be_visible()
    expect(page.get_by_label(f"天河区 · {UNIT_NAME}")).to_be_checked()
    page.get_by_label("文号").fill("穗工信公示〔2026〕9号")
    page.get_by_label("异议受理方式").fill("受理单位：广州市工业和信息化局中小企业处\n联系电话：020-83120000")
    steps.shot(page, "编制公示")
    page.get_by_role("button", name="发布公示").click()
    expect(page.get_by_text("公示已发布，公示期：")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="穗工信公示〔2026〕9号")).to_contain_text("公示中")
    steps.shot(page, "公示已发布")


# --- The public: objection --------------------------------------------------------------------------

def public_objects(page, steps):
    page.goto("/notices/")
    expect(page.get_by_role("heading", name="拟认定名单公示")).to_be_visible()
    page.get_by_role("link", name="关于2026年度广州市民营和中小企业服务站拟认定名单的公示").click()
    expect(page.get_by_role("cell", name=UNIT_NAME)).to_be_visible()
    expect(page.get_by_text("公示中", exact=True)).to_be_visible()
    steps.shot(page, "公众查看公示")
    page.get_by_role("link", name="在线提出异议").click()
    expect(page.get_by_role("heading", name="对公示名单提出异议")).to_be_visible()
    page.get_by_label("异议对象（公示名单中的单位）").select_option(label=f"1. {UNIT_NAME}（{STATION_NAME}）")
    page.get_by_label("以个人名义（须署实名）").check()
    page.get_by_label("单位名称 / 真实姓名").fill("陈公民")
    page.get_by_label("联系电话").fill("020-87650000")
    page.get_by_label("联系邮箱").fill("chen.gongmin@example.com")
    page.get_by_label("异议事实和理由").fill(OBJECTION_FACTS)
    question = page.get_by_text(re.compile(r"请回答：\d+ 加 \d+ 等于多少？")).inner_text()
    a, b = map(int, re.findall(r"\d+", question))
    page.get_by_label(re.compile("请回答：")).fill(str(a + b))
    steps.shot(page, "公众填写异议")
    page.get_by_role("button", name="提交异议").click()
    expect(page.get_by_role("heading", name="异议已提交")).to_be_visible()
    expect(page.get_by_text("您对《关于2026年度广州市民营和中小企业服务站拟认定名单的公示》提出的异议已收到。")).to_be_visible()
    steps.shot(page, "异议已提交")


def city_dismisses_objection(page, steps):
    page.goto("/city/objections/")
    row = page.get_by_role("row").filter(has_text=UNIT_NAME)
    expect(row).to_contain_text("调查核实中")
    expect(row).to_contain_text("个人：陈公民")
    steps.shot(page, "市级异议列表")
    row.get_by_role("link", name="处理").click()
    expect(page.get_by_role("heading", name="异议处理")).to_be_visible()
    expect(page.get_by_text(OBJECTION_FACTS)).to_be_visible()
    page.get_by_label("异议不成立", exact=True).check()
    page.get_by_label("理由").fill(DISMISSAL_REASON)
    steps.shot(page, "市级填写异议处理结论")
    page.get_by_role("button", name="提交处理结果").click()
    expect(page.get_by_text("处理结果已记录，并将以邮件告知异议人。")).to_be_visible()
    decision = page.locator("section").filter(has=page.get_by_role("heading", name="调查核实结论"))
    expect(decision).to_contain_text("异议不成立")
    expect(decision).to_contain_text(DISMISSAL_REASON)
    expect(page.get_by_text("公示中", exact=True)).to_be_visible()  # the entry stays in notice until the period ends
    steps.shot(page, "异议不成立")


def notice_period_ends():
    """The nightly sweep, run on the day after the notice period."""
    notice = PublicNotice.objects.get()
    call_command("run_sweep", "close_notices", today=(notice.ends_on + datetime.timedelta(days=1)).isoformat())


# --- Announcement, plaque, verification ---------------------------------------------------------------

def city_announces(page, steps) -> str:
    page.goto("/city/announcements/")
    row = page.get_by_role("row").filter(has_text="广州市民营和中小企业服务站")
    expect(row.get_by_role("cell").nth(1)).to_have_text("1")  # 已通过公示
    steps.shot(page, "待公告的批次")
    row.get_by_role("link", name="编制公告").click()
    expect(page.get_by_role("heading", name="编制认定公告")).to_be_visible()
    expect(page.get_by_label(UNIT_NAME)).to_be_checked()
    page.get_by_label("文号").fill("穗工信函〔2026〕88号")
    steps.shot(page, "编制认定公告")
    page.get_by_role("button", name="发布公告").click()
    expect(page.get_by_text("公告已发布，1 个载体已认定，证书（牌匾）正在生成。")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=UNIT_NAME)
    expect(row).to_contain_text(STATION_NAME)
    number = row.get_by_text(re.compile(r"^GZFWZ-\d{4}-\d{4}$")).inner_text()
    steps.shot(page, "认定公告已发布")
    return number


def unit_downloads_plaque(page, steps, number):
    page.goto("/applications/")
    row = page.get_by_role("row").filter(has_text=STATION_NAME)
    expect(row).to_contain_text("已公告")
    row.get_by_role("link").first.click()
    expect(page.locator(".state-badge")).to_have_text("已公告")
    expect(page.get_by_text(number, exact=True)).to_be_visible()
    steps.shot(page, "申报单位查看已公告的申报")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载牌匾（PDF）").click()
    text = pdf_text(download.value.path())
    assert UNIT_NAME in text
    assert number in text
    assert STATION_NAME in text


def visitor_verifies(page, steps, number):
    page.goto(f"/verify/{number}/")
    expect(page.get_by_role("heading", name="核验结果：有效")).to_be_visible()
    expect(page.get_by_text(UNIT_NAME)).to_be_visible()
    expect(page.get_by_role("link", name=STATION_NAME)).to_be_visible()
    steps.shot(page, "公众核验牌匾编号")


def test_gz_station_from_expert_review_to_plaque(new_context, steps):
    application = recommended_gz_application()
    factories.HubCoordinatorFactory(username="gz_hub_e2e", real_name="蒋总站")
    for i, name in enumerate(SCORES):
        factories.ExpertFactory(username=f"gz_expert_e2e{i}", real_name=name, city="guangzhou")
    factories.CityReviewerFactory(username="gz_city_e2e", real_name="黄审核", city="guangzhou")

    hub = signed_in(new_context, "gz_hub_e2e")
    hub_assigns_two_experts(hub, steps)
    first_expert = signed_in(new_context, "gz_expert_e2e0")
    expert_scores(first_expert, steps, "广州专家甲")
    expert_scores(signed_in(new_context, "gz_expert_e2e1"), steps, "广州专家乙", other_opinion=SCORES["广州专家甲"][1])
    expert_sees_only_own_scores(first_expert, steps, "广州专家甲")
    hub_compiles(hub, steps)

    city = signed_in(new_context, "gz_city_e2e")
    city_shortlists(city, steps)
    city_publishes_notice(city, steps)
    public_objects(new_context().new_page(), steps)
    city_dismisses_objection(city, steps)

    notice_period_ends()
    application.refresh_from_db()
    assert application.state == "approved"

    number = city_announces(city, steps)
    unit_downloads_plaque(signed_in(new_context, "gz_unit"), steps, number)
    visitor_verifies(new_context().new_page(), steps, number)
