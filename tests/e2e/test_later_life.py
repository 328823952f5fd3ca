"""A Beijing 专精特新企业服务站 misses its self-assessment deadline and loses its title, as people see it."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import ApplicationState
from reviews.models import Announcement, AnnouncementEntry
from tests import factories
from tests.e2e.helpers import log_in
from tests.evaluations.helpers import campaign

STATION_NAME = "海淀中关村专精特新企业服务站"
UNIT_NAME = "北京中关村企服科技有限公司"
GROUND = "第二十条（一） 未按要求参加年度绩效评价"


def announcement_title(year: int) -> str:
    return f"关于公布{year}年度北京市专精特新企业服务站名单的公告"


def announced_station():
    """An active station announced by the city, with its certificate number, and its unit's applicant."""
    unit = factories.OrganisationFactory(district_code="110108", name=UNIT_NAME)
    applicant = factories.ApplicantFactory(organisation=unit, username="zgc_unit", real_name="周填报")
    valid_from = timezone.localdate() - datetime.timedelta(days=100)
    station = factories.CarrierFactory(organisation=unit, name=STATION_NAME,
                                       number=f"BJZJTX-{valid_from.year}-0001", valid_from=valid_from)
    application = factories.ApplicationFactory(
        round=factories.RoundFactory(type_code="bj_srdi_station", year=valid_from.year), organisation=unit,
        created_by=applicant, carrier_name=STATION_NAME, state=ApplicationState.ANNOUNCED,
        submitted_at=timezone.now())
    announcement = Announcement.objects.create(
        round=application.round, title=announcement_title(valid_from.year),
        document_number=f"京经信发〔{valid_from.year}〕18号", published_on=valid_from, body="现予公告。",
        published_by=factories.CityReviewerFactory(city="beijing"))
    AnnouncementEntry.objects.create(announcement=announcement, application=application, carrier=station, seq=1)
    return station, applicant


def run_missed_self_assessment_sweep(day: datetime.date) -> str:
    out = io.StringIO()
    call_command("run_sweep", "fail_missing_self_assessments", today=day.isoformat(), stdout=out)
    return out.getvalue()


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def test_missed_self_assessment_revokes_the_station(new_context, steps):
    station, applicant = announced_station()
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    campaign("bj_srdi_station", year=deadline.year, deadline=deadline)
    number = station.number

    # The unit sees its pending self-assessment and the deadline.
    unit = new_context().new_page()
    log_in(unit, applicant.username)
    unit.get_by_role("link", name="年度评价").click()
    expect(unit.get_by_role("heading", name="待填报的绩效自评")).to_be_visible()
    pending = unit.get_by_role("row").filter(has_text=STATION_NAME)
    expect(pending).to_contain_text(deadline.isoformat())
    expect(pending).to_contain_text("未填报")
    expect(pending.get_by_role("link", name="填报自评")).to_be_visible()
    steps.shot(unit, "单位看到待填报的自评与截止日期")

    # Before the deadline the public sees a valid title.
    visitor = new_context().new_page()
    visitor.goto(f"/carriers/{number}/")
    expect(visitor.get_by_role("heading", name=STATION_NAME, level=1)).to_be_visible()
    expect(visitor.locator("dt:has-text('状态') + dd")).to_have_text("有效")
    expect(visitor.get_by_text("被撤销认定")).to_have_count(0)
    expect(visitor.get_by_role("link", name=announcement_title(station.valid_from.year))).to_be_visible()
    steps.shot(visitor, "截止前载体公开页面显示有效")
    visitor.get_by_role("link", name="核验证书").click()
    expect(visitor.get_by_role("heading", name="核验结果：有效")).to_be_visible()
    steps.shot(visitor, "截止前证书核验有效")

    # The deadline passes; the nightly sweep runs the next day.
    revoked_on = deadline + datetime.timedelta(days=1)
    output = run_missed_self_assessment_sweep(revoked_on)
    assert "撤销的载体：1" in output, output

    # A new visitor sees the revocation, its ground and its date.
    visitor = new_context().new_page()
    visitor.goto(f"/carriers/{number}/")
    notice = visitor.get_by_role("status")
    expect(notice).to_contain_text(f"该载体已于{cn_date(revoked_on)}被撤销认定。")
    expect(notice).to_contain_text(f"撤销依据：{GROUND}")
    expect(visitor.locator("dt:has-text('状态') + dd")).to_have_text("已撤销")
    steps.shot(visitor, "截止后载体公开页面显示已撤销")
    visitor.goto(f"/verify/{number}/")
    expect(visitor.get_by_role("heading", name="核验结果：已撤销")).to_be_visible()
    expect(visitor.locator("dt:has-text('撤销日期') + dd")).to_have_text(f"{cn_date(revoked_on)}（{GROUND}）")
    steps.shot(visitor, "截止后证书核验已撤销")

    # The unit is told, and its evaluation page records the missed self-assessment.
    unit.reload()
    unit.get_by_role("link", name="消息").click()
    expect(unit.get_by_role("heading", name="站内消息")).to_be_visible()
    message = unit.get_by_role("listitem").filter(has_text=f"“{STATION_NAME}”已撤销认定")
    expect(message).to_contain_text("未读")
    expect(message).to_contain_text(f"{revoked_on:%Y年%m月%d日}决定对“{STATION_NAME}”（{number}）撤销认定")
    expect(message).to_contain_text(GROUND)
    steps.shot(unit, "单位收到撤销认定消息")
    message.get_by_role("link", name=f"“{STATION_NAME}”已撤销认定").click()
    expect(unit.locator("dt:has-text('状态') + dd")).to_have_text("已撤销")
    steps.shot(unit, "单位从消息打开载体页面")
    unit.get_by_role("link", name="年度评价").click()
    expect(unit.get_by_text("目前没有需要填报的绩效自评。")).to_be_visible()
    expect(unit.get_by_role("row").filter(has_text=STATION_NAME)).to_contain_text("未按期参加（视同不合格）")
    steps.shot(unit, "单位的年度评价记录为视同不合格")
