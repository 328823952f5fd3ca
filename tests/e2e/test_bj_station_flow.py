"""北京市专精特新企业服务站: the whole designation in the browser, by the people who do it.

A unit registers and files from an open round; the 海淀区 officer returns it once, then
recommends it; the city shortlists it, publishes the 公示, and after the period (the
close_notices sweep, run with a later date) announces it; the unit downloads its
certificate and a visitor verifies it.
"""

import datetime
import io
import re

import pypdf
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from carriers.forms import facts_form_class
from carriers.rules import get_rules
from portal.models import CalendarYear
from reviews.models import PublicNotice
from tests.carriers.samples import json_facts
from tests.e2e.helpers import log_in
from tests.factories import CityReviewerFactory, DistrictOfficerFactory, RoundFactory, uscc_for

TYPE_CODE = "bj_srdi_station"
RULES = get_rules(TYPE_CODE)
UNIT = "北京海淀智服专精特新服务有限公司"
CARRIER_NAME = "海淀智服专精特新服务站"
UNIT_USERNAME = "haidian_zhifu"
UNIT_PASSWORD = "Zhifu#Station2026"
FOUNDED = "2018-03-12"
RETURN_REASON = "服务方案未写明年度服务目标的量化指标，请补充后重新提交。"


def make_pdf(tmp_path, name: str) -> str:
    """A real one-page PDF written to tmp_path (uploads are checked by content)."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / name
    with path.open("wb") as handle:
        writer.write(handle)
    return str(path)


def main_menu(page: Page, name: str):
    return page.get_by_role("navigation", name="主导航").get_by_role("link", name=name)


def messages_of(page: Page):
    return page.locator(".messages")


def arrange_round_and_officials():
    """An open round, a 海淀区 officer and a city reviewer; the administrator has entered next year's calendar."""
    today = timezone.localdate()
    CalendarYear.objects.get_or_create(year=today.year + 1, defaults={"source": "国务院办公厅关于部分节假日安排的通知"})
    round_ = RoundFactory(type_code=TYPE_CODE, year=today.year)
    officer = DistrictOfficerFactory(district_code="110108", username="hd_officer", real_name="海淀经办人")
    reviewer = CityReviewerFactory(username="bj_reviewer", real_name="市局审核人")
    return round_, officer, reviewer


def register_unit(page: Page, steps):
    page.goto("/accounts/register/")
    expect(page.get_by_role("heading", name="申报单位注册")).to_be_visible()
    page.get_by_label("单位名称").fill(UNIT)
    page.get_by_label("统一社会信用代码").fill(uscc_for(4711, region="110108"))
    page.get_by_label("注册所在区").select_option(label="北京市 · 海淀区")
    page.get_by_label("成立日期").fill(FOUNDED)
    page.get_by_label("法定代表人").fill("赵法人")
    page.get_by_label("注册地址").fill("北京市海淀区中关村大街1号")
    page.get_by_label("联系人").fill("钱联系")
    page.get_by_label("联系电话").fill("010-62345678")
    page.get_by_label("联系邮箱").fill("office@zhifu.example.com")
    page.get_by_label("用户名").fill(UNIT_USERNAME)
    page.get_by_label("管理员姓名").fill("孙管理")
    page.get_by_label("管理员手机号码").fill("13800138000")
    page.get_by_label("管理员邮箱").fill("admin@zhifu.example.com")
    page.get_by_label("登录密码").fill(UNIT_PASSWORD)
    page.get_by_label("确认密码").fill(UNIT_PASSWORD)
    steps.shot(page, "注册表单")
    page.get_by_role("button", name="提交注册").click()
    expect(messages_of(page)).to_contain_text(f"单位“{UNIT}”注册成功，您是本单位的管理员。")
    expect(page.get_by_role("heading", name="申报单位工作台")).to_be_visible()
    expect(page.get_by_role("heading", name=UNIT)).to_be_visible()
    steps.shot(page, "注册成功-工作台")


def start_declaration(page: Page, round_, steps):
    main_menu(page, "我的申报").click()
    page.get_by_role("link", name=round_.title).click()
    expect(page.get_by_role("heading", name=round_.title)).to_be_visible()
    steps.shot(page, "申报通知")
    page.get_by_role("button", name="在线申报").click()
    expect(messages_of(page)).to_contain_text("已创建申报草稿")
    expect(page.get_by_role("heading", name="基本信息")).to_be_visible()


def fill_basic_section(page: Page, steps):
    expect(page.get_by_label("法定代表人")).to_have_value("赵法人")
    page.get_by_label("注册地址").fill("北京市海淀区中关村大街1号A座")
    page.get_by_label("联系人").fill("钱申报")
    page.get_by_label("联系电话").fill("010-62345679")
    page.get_by_label("联系邮箱").fill("apply@zhifu.example.com")
    steps.shot(page, "基本信息")
    page.get_by_role("button", name="保存并继续").click()
    expect(messages_of(page)).to_contain_text("“基本信息”已保存。")


def fill_fact(page: Page, label: str, spec, value):
    field = page.get_by_label(label, exact=True)
    if spec.kind == "bool":
        field.select_option("true" if value else "false")
    elif spec.kind == "choice":
        field.select_option(value)
    else:
        field.fill(str(value))


def fill_facts_section(page: Page, steps):
    """Fills 申报条件 and watches the live panel turn from not eligible to eligible."""
    expect(page.get_by_role("heading", name="申报条件", exact=True)).to_be_visible()
    panel = page.locator("#eligibility-panel")
    expect(panel).to_contain_text("尚未符合全部硬性条件")
    labels = {name: field.label for name, field in facts_form_class(RULES)().fields.items()}
    facts = json_facts(TYPE_CODE, established_on=FOUNDED, office_area_m2=80)
    for spec in RULES.facts:
        fill_fact(page, labels[spec.key], spec, facts[spec.key])
    expect(panel).to_contain_text("低于 100 平方米")
    expect(panel).to_contain_text("尚未符合全部硬性条件")
    steps.shot(page, "申报条件-面积不足")
    page.get_by_label(labels["office_area_m2"], exact=True).fill("120")
    expect(panel).to_contain_text("✔ 符合全部硬性条件")
    expect(panel.locator("tr.result-fail")).to_have_count(0)
    steps.shot(page, "申报条件-实时核对符合")
    page.get_by_role("button", name="保存并继续").click()
    expect(messages_of(page)).to_contain_text("“申报条件”已保存。")


SERVICE_PLAN = ("服务目标：围绕海淀区专精特新企业成长需求提供精准服务。\n"
                "服务内容：政策解读、融资对接、人才培训；实施计划：按季度组织专题活动。\n"
                "保障措施：设专职团队和专项经费。")
WORK_RULES = "工作流程：需求受理、派单、回访。\n服务标准：48小时内响应。\n人员管理：专职人员持证上岗、年度考核。"


def fill_carrier_section(page: Page, steps):
    expect(page.get_by_role("heading", name="载体名称与服务方案")).to_be_visible()
    page.get_by_label("载体名称").fill(CARRIER_NAME)
    page.get_by_label("服务方案").fill(SERVICE_PLAN)
    page.get_by_label("工作制度").fill(WORK_RULES)
    steps.shot(page, "载体名称与服务方案")
    page.get_by_role("button", name="保存并继续").click()
    expect(messages_of(page)).to_contain_text("“载体名称与服务方案”已保存。")


def fill_liaison_section(page: Page, steps):
    expect(page.get_by_role("heading", name="联络员")).to_be_visible()
    page.get_by_label("联络员姓名").fill("周联络")
    page.get_by_label("联络员电话").fill("010-62345670")
    page.get_by_label("联络员邮箱").fill("liaison@zhifu.example.com")
    steps.shot(page, "联络员")
    page.get_by_role("button", name="保存并继续").click()
    expect(messages_of(page)).to_contain_text("“联络员”已保存。")


def upload_attachments(page: Page, tmp_path, steps):
    expect(page.get_by_role("heading", name="附件", exact=True)).to_be_visible()
    for spec in RULES.required_attachments:
        file_name = f"{spec.label}.pdf"
        page.get_by_label(f"选择“{spec.label}”文件").set_input_files(make_pdf(tmp_path, file_name))
        page.get_by_role("row").filter(has_text=spec.label).get_by_role("button", name="上传").click()
        expect(messages_of(page)).to_contain_text(f"已上传“{spec.label}”：{file_name}")
        expect(page.get_by_role("row").filter(has_text=spec.label)).to_contain_text(file_name)
    expect(page.get_by_text("未上传")).to_have_count(0)
    steps.shot(page, "附件已上传")


def sign_and_submit(page: Page, steps, step_name: str):
    """On 承诺与提交: tick the 承诺书 and submit; the application goes to the district."""
    expect(page.get_by_role("heading", name="提交前检查")).to_be_visible()
    expect(page.locator(".alert-warning li")).to_have_text(["请阅读并签署承诺书（申报材料真实、完整）。"])
    page.get_by_label("本单位承诺").check()
    steps.shot(page, step_name)
    page.get_by_role("button", name="签署承诺并提交申报").click()
    expect(messages_of(page)).to_contain_text("申报已提交至海淀区")
    expect(page.locator(".state-badge").first).to_have_text("区级初审")


def file_declaration(page: Page, round_, tmp_path, steps) -> str:
    """The unit fills every section, uploads the attachments, sees it is eligible and submits; returns the number."""
    start_declaration(page, round_, steps)
    fill_basic_section(page, steps)
    fill_facts_section(page, steps)
    fill_carrier_section(page, steps)
    fill_liaison_section(page, steps)
    upload_attachments(page, tmp_path, steps)
    page.get_by_role("link", name="下一步：承诺与提交").click()
    sign_and_submit(page, steps, "承诺与提交")
    expect(page.get_by_text("✔ 符合全部硬性条件")).to_be_visible()
    expect(page.get_by_role("heading", name="附件")).to_be_visible()
    steps.shot(page, "已提交-区级初审")
    return re.search(r"SB\d+", page.get_by_text("申报编号").first.inner_text()).group(0)


def open_from_district_queue(page: Page, steps, step_name: str):
    main_menu(page, "待审申报").click()
    row = page.get_by_role("row").filter(has_text=UNIT)
    expect(row).to_contain_text("区级初审")
    steps.shot(page, step_name)
    row.get_by_role("link", name=f"审核 {UNIT}").click()
    expect(page.get_by_role("heading", name=UNIT)).to_be_visible()


def district_returns(page: Page, steps):
    open_from_district_queue(page, steps, "区级待审队列")
    expect(page.get_by_role("heading", name="区级初审")).to_be_visible()
    expect(page.get_by_text("✔ 符合全部硬性条件")).to_be_visible()
    page.get_by_label("退回原因（必填，申报单位可见）").fill(RETURN_REASON)
    steps.shot(page, "区级审核-填写退回原因")
    page.get_by_role("button", name="退回修改", exact=True).click()
    expect(messages_of(page)).to_contain_text("已退回申报单位修改，退回原因已通知申报单位。")
    expect(page.locator(".state-badge").first).to_have_text("草稿（已退回修改）")
    steps.shot(page, "区级已退回")


def unit_revises_and_resubmits(page: Page, number: str, steps):
    main_menu(page, "我的申报").click()
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text("草稿（已退回修改）")
    row.get_by_role("link", name=number).click()
    expect(page.get_by_text("退回原因：")).to_be_visible()
    expect(page.get_by_text(RETURN_REASON).first).to_be_visible()
    expect(page.locator(".state-badge").first).to_have_text("草稿（已退回修改）")
    steps.shot(page, "申报单位看到退回原因")
    page.get_by_role("link", name="载体名称与服务方案").click()
    page.get_by_label("服务方案").fill(SERVICE_PLAN + "\n年度量化指标：服务专精特新企业60家次、公益活动20次。")
    page.get_by_role("button", name="保存（暂存）").click()
    expect(messages_of(page)).to_contain_text("“载体名称与服务方案”已保存。")
    expect(page.get_by_label("服务方案")).to_have_value(re.compile("年度量化指标"))
    page.get_by_role("link", name="6. 承诺与提交").click()
    sign_and_submit(page, steps, "修改后重新提交")
    steps.shot(page, "重新提交-区级初审")


def district_recommends(page: Page, round_, steps):
    open_from_district_queue(page, steps, "区级待审队列-重新提交")
    expect(page.get_by_text("年度量化指标")).to_be_visible()
    page.get_by_label("推荐理由（选填，可在名单页修改）").fill("服务能力突出，区内专精特新企业覆盖面广。")
    page.get_by_role("button", name="列入推荐名单").click()
    expect(messages_of(page)).to_contain_text("已列入本区推荐名单（拟推荐）")
    expect(page.get_by_text("已列入本区推荐名单，排第1位。")).to_be_visible()
    steps.shot(page, "列入推荐名单")
    page.get_by_role("link", name="查看推荐名单").click()
    expect(page.get_by_role("heading", name="海淀区推荐名单")).to_be_visible()
    expect(page.get_by_text(round_.title).first).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=UNIT)).to_contain_text(CARRIER_NAME)
    page.get_by_label("推荐意见（区主管部门意见，写入推荐函）").fill("经审核，同意推荐。")
    page.get_by_label("已核对名单，确认报送").check()
    steps.shot(page, "推荐名单-报送前")
    page.get_by_role("button", name="报送市级").click()
    expect(messages_of(page)).to_contain_text("推荐名单已报送北京市经济和信息化局，共1项。")
    expect(page.get_by_text("✔ 已报送市级")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=UNIT)).to_contain_text("市级评审")
    steps.shot(page, "推荐名单已报送市级")


def city_shortlists(page: Page, steps):
    main_menu(page, "市级审核").click()
    row = page.get_by_role("row").filter(has_text=UNIT)
    expect(row).to_contain_text("市级评审")
    expect(row).to_contain_text("海淀区")
    steps.shot(page, "市级审核队列")
    row.get_by_role("link", name="审核").click()
    expect(page.get_by_role("heading", name=UNIT)).to_be_visible()
    expect(page.get_by_text("✔ 符合全部硬性条件")).to_be_visible()
    page.get_by_label("拟认定意见（选填）").fill("材料齐全，符合认定条件。")
    page.get_by_role("button", name="拟认定", exact=True).click()
    expect(messages_of(page)).to_contain_text("已列入拟认定名单，申报单位已收到通知。")
    expect(page.locator(".state-badge").first).to_have_text("拟认定")
    steps.shot(page, "市级拟认定")


def city_publishes_notice(page: Page, round_, steps):
    main_menu(page, "公示管理").click()
    page.get_by_role("link", name="发布拟认定名单公示").click()
    expect(page).to_have_url(re.compile("/city/notices/new/$"))
    row = page.get_by_role("row").filter(has_text=round_.title)
    expect(row.get_by_role("cell").nth(1)).to_have_text("1")
    row.get_by_role("link", name="编制公示").click()
    expect(page.get_by_role("heading", name="发布拟认定名单公示")).to_be_visible()
    expect(page.get_by_label(f"海淀区 · {UNIT}（{CARRIER_NAME}）")).to_be_checked()
    page.get_by_label("文号").fill(f"京经信公示〔{round_.year}〕5号")
    page.get_by_label("异议受理方式").fill(
        "受理单位：北京市经济和信息化局\n联系电话：010-55590000\n通讯地址：北京市通州区运河东大街57号")
    steps.shot(page, "编制公示")
    page.get_by_role("button", name="发布公示").click()
    expect(messages_of(page)).to_contain_text("公示已发布，公示期：")
    row = page.get_by_role("row").filter(has_text=f"京经信公示〔{round_.year}〕5号")
    expect(row).to_contain_text("公示中")
    steps.shot(page, "公示已发布")


def notice_period_ends():
    """The nightly sweep, run in-process on the day after the notice's last day."""
    notice = PublicNotice.objects.get()
    out = io.StringIO()
    call_command("run_sweep", "close_notices", today=(notice.ends_on + datetime.timedelta(days=1)).isoformat(),
                 stdout=out)
    assert "公示期满通过的申报：1" in out.getvalue(), out.getvalue()


def city_announces(page: Page, round_, steps) -> str:
    """The city publishes the 公告; returns the certificate number shown."""
    main_menu(page, "认定公告").click()
    row = page.get_by_role("row").filter(has_text=round_.title)
    expect(row.get_by_role("cell").nth(1)).to_have_text("1")
    steps.shot(page, "待公告的批次")
    row.get_by_role("link", name="编制公告").click()
    expect(page.get_by_role("heading", name="编制认定公告")).to_be_visible()
    expect(page.get_by_label(UNIT)).to_be_checked()
    page.get_by_label("文号").fill(f"京经信发〔{round_.year}〕12号")
    steps.shot(page, "编制公告")
    page.get_by_role("button", name="发布公告").click()
    expect(messages_of(page)).to_contain_text("公告已发布，1 个载体已认定")
    row = page.get_by_role("row").filter(has_text=UNIT)
    expect(row).to_contain_text(CARRIER_NAME)
    number = re.search(r"BJZJTX-\d{4}-\d{4}", row.inner_text()).group(0)
    assert number == f"BJZJTX-{timezone.localdate().year}-0001"
    steps.shot(page, "公告已发布-证书编号")
    return number


def unit_downloads_certificate(page: Page, number: str, steps):
    main_menu(page, "我的申报").click()
    row = page.get_by_role("row").filter(has_text=CARRIER_NAME)
    expect(row).to_contain_text("已公告")
    row.get_by_role("link", name=re.compile(r"SB\d+")).click()
    expect(page.locator(".state-badge").first).to_have_text("已公告")
    expect(page.get_by_text(number)).to_be_visible()
    steps.shot(page, "申报单位-认定结果")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载证书（PDF）").click()
    reader = pypdf.PdfReader(download.value.path())
    text = "".join(p.extract_text() for p in reader.pages)
    for expected in (UNIT, CARRIER_NAME, number):
        assert expected in text, f"证书中没有“{expected}”：{text}"


def visitor_verifies(page: Page, number: str, steps):
    page.goto(f"/verify/{number}/")
    expect(page.get_by_role("heading", name="核验结果：有效")).to_be_visible()
    expect(page.get_by_text(UNIT)).to_be_visible()
    expect(page.get_by_role("link", name=CARRIER_NAME)).to_be_visible()
    steps.shot(page, "公众核验证书")
    page.goto("/carriers/")
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text(CARRIER_NAME)
    expect(row).to_contain_text(UNIT)
    expect(row).to_contain_text("海淀区")
    expect(row).to_contain_text("有效")
    steps.shot(page, "公众认定名单")


def test_bj_station_designation_from_registration_to_verification(new_context, tmp_path, steps):
    round_, officer, reviewer = arrange_round_and_officials()
    unit = new_context().new_page()
    district = new_context().new_page()
    city = new_context().new_page()

    register_unit(unit, steps)
    number = file_declaration(unit, round_, tmp_path, steps)

    log_in(district, officer.username)
    district_returns(district, steps)
    unit_revises_and_resubmits(unit, number, steps)
    district_recommends(district, round_, steps)

    log_in(city, reviewer.username)
    city_shortlists(city, steps)
    city_publishes_notice(city, round_, steps)

    notice_period_ends()
    city.reload()
    expect(city.get_by_role("row").filter(has_text=f"京经信公示〔{round_.year}〕5号")).to_contain_text("✔ 已结束")
    steps.shot(city, "公示期满-公示已结束")
    unit.reload()
    expect(unit.locator(".state-badge").first).to_have_text("已通过")
    expect(unit.get_by_text("公示期满，无异议或异议经调查核实不成立")).to_be_visible()
    steps.shot(unit, "公示期满-已通过")

    certificate = city_announces(city, round_, steps)
    unit_downloads_certificate(unit, certificate, steps)

    visitor = new_context().new_page()
    visitor_verifies(visitor, certificate, steps)
