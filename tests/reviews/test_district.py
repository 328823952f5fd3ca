"""District officers: the queue, the decisions on the review page, the recommendation list sent to the
city as one act, and its exports."""

import datetime
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from applications.models import Application, ApplicationEvent, ApplicationState
from applications.workflow import transition
from portal.models import Notification
from reviews import district as service
from reviews.models import RecommendationEntry, RecommendationList
from tests import factories
from tests.applications.test_declaration import fill_all, start

pytestmark = pytest.mark.django_db

S = ApplicationState
HAIDIAN, CHAOYANG = "110108", "110105"


def today():
    return service.shanghai_today()


def org(name, district_code=HAIDIAN):
    return factories.OrganisationFactory(name=name, district_code=district_code)


def submitted(name, round_, district_code=HAIDIAN, **kwargs):
    return factories.submitted_application(round=round_, organisation=org(name, district_code), **kwargs)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def snapshot(app):
    app.refresh_from_db()
    return (app.state, app.version, ApplicationEvent.objects.filter(application=app).count(),
            RecommendationEntry.objects.filter(application=app).count())


@pytest.fixture
def round_():
    return factories.RoundFactory(type_code="bj_srdi_station")


@pytest.fixture
def officer(client):
    user = factories.DistrictOfficerFactory(district_code=HAIDIAN, real_name="赵海")
    client.force_login(user)
    return user


@pytest.fixture
def app(round_):
    return submitted("海淀甲服务有限公司", round_)


def url(name, *args):
    return reverse(f"reviews:{name}", args=args)


def post_action(client, name, app, **data):
    data.setdefault("version", app.version)
    return client.post(url(name, app.pk), data)


# --- The queue -----------------------------------------------------------------------------------------------------


def test_queue_shows_only_the_officers_district_and_no_drafts(client, officer, round_):
    submitted("海淀甲服务有限公司", round_)
    submitted("朝阳乙服务有限公司", round_, CHAOYANG)
    factories.ApplicationFactory(round=round_, organisation=org("海淀草稿有限公司"))
    response = client.get(url("district_queue"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "海淀甲服务有限公司" in body
    assert "朝阳乙服务有限公司" not in body
    assert "海淀草稿有限公司" not in body
    assert "待审申报" in body and reverse("reviews:district_queue") in body  # nav entry


def test_queue_filters_and_counts(client, officer, round_):
    platform_round = factories.RoundFactory(type_code="bj_demo_platform")
    submitted("海淀站一有限公司", round_)
    submitted("海淀站二有限公司", round_, state=S.CITY_REVIEW, recommended_at=timezone.now())
    submitted("海淀平台有限公司", platform_round)
    submitted("朝阳站有限公司", round_, CHAOYANG)

    body = client.get(url("district_queue"), {"round": round_.pk}).content.decode()
    assert "海淀站一有限公司" in body and "海淀站二有限公司" in body and "海淀平台有限公司" not in body
    counts = dict(re.findall(r'data-state="(\w+)"[^>]*>[^<]*<span class="state-count">(\d+)', body))
    assert counts == {"district_review": "1", "city_review": "1"}

    body = client.get(url("district_queue"), {"round": round_.pk, "state": "city_review"}).content.decode()
    assert "海淀站二有限公司" in body and "海淀站一有限公司" not in body
    counts = dict(re.findall(r'data-state="(\w+)"[^>]*>[^<]*<span class="state-count">(\d+)', body))
    assert counts == {"district_review": "1", "city_review": "1"}  # the counts follow type and round, not state

    platform = platform_round.carrier_type
    body = client.get(url("district_queue"), {"carrier_type": platform.pk}).content.decode()
    assert "海淀平台有限公司" in body and "海淀站一有限公司" not in body


@pytest.mark.parametrize("params", [
    {"state": "nonsense"}, {"round": "abc"}, {"round": "999999"}, {"carrier_type": "1 OR 1=1"},
    {"page": "x"}, {"page": "9999"},
])
def test_queue_ignores_bad_filter_values(client, officer, app, params):
    response = client.get(url("district_queue"), params)
    body = response.content.decode()
    assert response.status_code == 200
    assert app.applicant_name in body
    if "page" not in params:
        assert "的值无效，已忽略" in body


def test_queue_does_not_offer_rounds_of_the_other_city(client, officer, app):
    gz_round = factories.RoundFactory(type_code="gz_service_station")
    response = client.get(url("district_queue"), {"round": gz_round.pk})
    assert "申报批次”的值无效" in response.content.decode()


def test_queue_paginates_and_keeps_the_filter(client, officer, round_):
    for n in range(23):
        submitted(f"分页测试{n:02d}有限公司", round_)
    body = client.get(url("district_queue"), {"state": "district_review"}).content.decode()
    assert len(set(re.findall(r"分页测试\d+有限公司", body))) == 20
    assert "第 1 / 2 页" in body
    assert "state=district_review&amp;page=2" in body
    body = client.get(url("district_queue"), {"state": "district_review", "page": 2}).content.decode()
    assert len(set(re.findall(r"分页测试\d+有限公司", body))) == 3


def queue_queries(client, officer, n, round_):
    for i in range(n):
        app = submitted(f"计数{n}-{i}有限公司", round_)
        if i % 2:
            service.add_to_list(app.pk, officer, app.version)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url("district_queue"))
    assert response.status_code == 200
    assert len(set(re.findall(r"计数[\d-]+有限公司", response.content.decode()))) == min(n, service.QUEUE_PAGE_SIZE)
    return len(ctx.captured_queries)


def test_queue_runs_a_fixed_number_of_queries(client, officer):
    few = queue_queries(client, officer, 5, factories.RoundFactory(type_code="bj_srdi_station"))
    many = queue_queries(client, officer, 30, factories.RoundFactory(type_code="bj_demo_base"))
    assert few == many


def test_queue_flags_close_and_past_deadlines_in_text(client, officer):
    soon = factories.RoundFactory(closes_on=today() + datetime.timedelta(days=1),
                                  district_deadline=today() + datetime.timedelta(days=3))
    past = factories.RoundFactory(type_code="bj_demo_base", opens_on=today() - datetime.timedelta(days=40),
                                  closes_on=today() - datetime.timedelta(days=20),
                                  district_deadline=today() - datetime.timedelta(days=2))
    far = factories.RoundFactory(type_code="bj_demo_platform")
    submitted("临近截止有限公司", soon)
    submitted("已过截止有限公司", past)
    submitted("宽裕有限公司", far)
    body = client.get(url("district_queue")).content.decode()
    assert "剩余3天" in body
    assert "已过截止日期2天" in body
    row = re.search(r"宽裕有限公司.*?</tr>", body, re.S).group(0)
    assert "剩余" not in row and "已过截止" not in row


def test_queue_is_for_district_officers_only(client, app):
    client.force_login(factories.CityReviewerFactory())
    assert client.get(url("district_queue")).status_code == 403
    client.force_login(factories.AdminFactory())
    assert client.get(url("district_queue")).status_code == 403
    client.logout()
    assert client.get(url("district_queue")).status_code == 302


# --- The panel and the decisions -------------------------------------------------------------------------------------


def test_panel_shown_only_in_district_review_for_own_district(client, officer, round_, app):
    body = client.get(url("detail", app.pk)).content.decode()
    assert url("district_return", app.pk) in body and url("district_reject", app.pk) in body
    assert url("district_list_add", app.pk) in body
    assert f'name="version" value="{app.version}"' in body

    later = submitted("海淀已推荐有限公司", round_, state=S.CITY_REVIEW, recommended_at=timezone.now())
    body = client.get(url("detail", later.pk)).content.decode()
    assert url("district_return", later.pk) not in body

    other = submitted("朝阳丙有限公司", round_, CHAOYANG)
    assert client.get(url("detail", other.pk)).status_code == 404


def test_return_with_reason_reaches_the_applicant_who_resubmits(client, round_):
    applicant = factories.ApplicantFactory(organisation=org("海淀退回测试有限公司"), is_org_admin=True)
    client.force_login(applicant)
    app = start(client, round_)
    fill_all(client, app)
    assert client.post(reverse("applications:submit", args=[app.pk]), {"declaration": "on"}).status_code == 302
    app.refresh_from_db()
    assert app.state == S.DISTRICT_REVIEW

    officer = factories.DistrictOfficerFactory(district_code=HAIDIAN)
    client.force_login(officer)
    response = post_action(client, "district_return", app, reason="服务方案缺少年度服务目标，请补充。")
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == S.DRAFT
    event = ApplicationEvent.objects.filter(application=app).latest("pk")
    reason = "服务方案缺少年度服务目标，请补充。"
    assert (event.action, event.actor, event.comment) == ("return_for_revision", officer, reason)
    note = Notification.objects.get(recipient=applicant, title__contains="退回修改")
    assert "服务方案缺少年度服务目标" in note.body

    client.force_login(applicant)
    body = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "退回原因" in body and "服务方案缺少年度服务目标，请补充。" in body
    response = client.post(reverse("applications:submit", args=[app.pk]), {"declaration": "on"})
    assert response.status_code == 302, messages_of(response)
    app.refresh_from_db()
    assert app.state == S.DISTRICT_REVIEW


@pytest.mark.parametrize("name", ["district_return", "district_reject"])
@pytest.mark.parametrize("reason", ["", "   "])
def test_decisions_need_a_reason(client, officer, app, name, reason):
    before = snapshot(app)
    response = post_action(client, name, app, reason=reason)
    assert response.status_code == 302
    assert any("须填写理由" in m for m in messages_of(response))
    assert snapshot(app) == before


def test_reject_with_reason(client, officer, app):
    applicant = factories.ApplicantFactory(organisation=app.organisation)
    response = post_action(client, "district_reject", app, reason="近两年存在严重失信记录。")
    assert any("不予推荐" in m for m in messages_of(response))
    app.refresh_from_db()
    assert app.state == S.REJECTED
    event = ApplicationEvent.objects.get(application=app)
    assert (event.action, event.comment) == ("reject", "近两年存在严重失信记录。")
    assert Notification.objects.filter(recipient=applicant, title__contains="未通过").exists()


def test_stale_version_is_refused_with_the_chinese_message(client, officer, app):
    seen = app.version
    other = factories.DistrictOfficerFactory(district_code=HAIDIAN)
    transition(app.pk, "return_for_revision", other, "另一位经办人已退回。")
    transition(app.pk, "submit", factories.ApplicantFactory(organisation=app.organisation))
    before = snapshot(app)
    for name in ("district_reject", "district_return", "district_list_add"):
        response = client.post(url(name, app.pk), {"version": seen, "reason": "重复操作"})
        assert any("该申报已被他人处理或更新" in m for m in messages_of(response)), name
        assert snapshot(app) == before


def test_missing_version_is_refused(client, officer, app):
    before = snapshot(app)
    response = client.post(url("district_reject", app.pk), {"reason": "理由"})
    assert any("页面已过期" in m for m in messages_of(response))
    assert snapshot(app) == before


@pytest.mark.parametrize("who", ["other_district", "city", "applicant", "admin", "gz_district"])
def test_forged_posts_change_nothing(client, round_, app, who):
    user = {
        "other_district": lambda: factories.DistrictOfficerFactory(district_code=CHAOYANG),
        "gz_district": lambda: factories.DistrictOfficerFactory(district_code="440106"),
        "city": lambda: factories.CityReviewerFactory(),
        "applicant": lambda: factories.ApplicantFactory(organisation=app.organisation),
        "admin": lambda: factories.AdminFactory(),
    }[who]()
    client.force_login(user)
    before = snapshot(app)
    for name in ("district_return", "district_reject", "district_list_add", "district_list_remove"):
        response = client.post(url(name, app.pk), {"version": app.version, "reason": "伪造"})
        assert response.status_code in (403, 404), (name, response.status_code)
    assert snapshot(app) == before


def test_decisions_refused_in_the_wrong_state(client, officer, round_):
    app = submitted("海淀市级中有限公司", round_, state=S.CITY_REVIEW, recommended_at=timezone.now())
    before = snapshot(app)
    for name in ("district_return", "district_reject", "district_list_add"):
        response = post_action(client, name, app, reason="理由")
        assert any("当前状态为“市级评审”" in m for m in messages_of(response)), name
    assert snapshot(app) == before


def test_get_on_action_urls_is_refused(client, officer, app):
    assert client.get(url("district_reject", app.pk)).status_code == 405


# --- The recommendation list ---------------------------------------------------------------------------------------


def list_of(round_, district_code=HAIDIAN):
    return RecommendationList.objects.get(round=round_, district__code=district_code)


def ranks(round_):
    return [(e.application.applicant_name, e.rank, e.note)
            for e in list_of(round_).entries.select_related("application").order_by("rank")]


def test_list_add_reorder_note_opinion_and_submit(client, officer, round_):
    a = submitted("名单甲有限公司", round_)
    b = submitted("名单乙有限公司", round_)
    c = submitted("名单丙有限公司", round_)
    left = submitted("未列入丁有限公司", round_)
    assert post_action(client, "district_list_add", a, note="服务能力突出").status_code == 302
    post_action(client, "district_list_add", b)
    post_action(client, "district_list_add", c, next="list")
    assert [r[:2] for r in ranks(round_)] == [("名单甲有限公司", 1), ("名单乙有限公司", 2), ("名单丙有限公司", 3)]
    assert Application.objects.get(pk=a.pk).state == S.DISTRICT_REVIEW  # 拟推荐: no state change yet

    entries = {e.application_id: e.pk for e in list_of(round_).entries.all()}
    client.post(url("district_list_entries", round_.pk), {"action": f"down:{entries[a.pk]}"})
    assert [r[0] for r in ranks(round_)] == ["名单乙有限公司", "名单甲有限公司", "名单丙有限公司"]
    client.post(url("district_list_entries", round_.pk), {
        "action": "save", f"rank-{entries[c.pk]}": "1", f"rank-{entries[a.pk]}": "2", f"rank-{entries[b.pk]}": "3",
        f"note-{entries[c.pk]}": "活动场地充足", f"note-{entries[a.pk]}": "服务能力突出",
        f"note-{entries[b.pk]}": ""})
    assert ranks(round_) == [("名单丙有限公司", 1, "活动场地充足"), ("名单甲有限公司", 2, "服务能力突出"),
                             ("名单乙有限公司", 3, "")]
    client.post(url("district_list_entries", round_.pk), {"action": f"up:{entries[b.pk]}",
                                                          f"rank-{entries[b.pk]}": "3"})
    assert [r[0] for r in ranks(round_)] == ["名单丙有限公司", "名单乙有限公司", "名单甲有限公司"]
    client.post(url("district_list_submit", round_.pk), {"action": "save", "opinion": "同意推荐以上三家单位。"})
    assert list_of(round_).opinion == "同意推荐以上三家单位。"

    page = client.get(url("district_list", round_.pk)).content.decode()
    assert page.index("名单丙有限公司") < page.index("名单乙有限公司") < page.index("名单甲有限公司")
    assert "未列入丁有限公司" in page

    bj_city = factories.CityReviewerFactory(city="beijing")
    gz_city = factories.CityReviewerFactory(city="guangzhou")
    response = client.post(url("district_list_submit", round_.pk),
                           {"action": "submit", "confirm": "1", "opinion": "同意推荐以上三家单位。"})
    assert any("推荐名单已报送" in m for m in messages_of(response)), messages_of(response)
    for application in (a, b, c):
        application.refresh_from_db()
        assert application.state == S.CITY_REVIEW and application.recommended_at
        event = ApplicationEvent.objects.filter(application=application).latest("pk")
        assert (event.action, event.actor) == ("recommend", officer)
    left.refresh_from_db()
    assert left.state == S.DISTRICT_REVIEW  # stays until the officer rejects it
    recommendation_list = list_of(round_)
    assert recommendation_list.status == "submitted" and recommendation_list.submitted_by == officer
    note = Notification.objects.get(recipient=bj_city)
    assert note.title == f"海淀区报送了推荐名单：{round_.title}"
    assert "名单丙有限公司" in note.body
    assert not Notification.objects.filter(recipient=gz_city).exists()

    # Read-only once sent.
    page = client.get(url("district_list", round_.pk)).content.decode()
    assert "已报送市级" in page and url("district_list_entries", round_.pk) not in page
    assert "不予推荐" in page  # the note about applications left in district review
    before = ranks(round_)
    response = client.post(url("district_list_entries", round_.pk), {"action": f"up:{entries[a.pk]}"})
    assert any("已于" in m and "报送市级，不能再修改" in m for m in messages_of(response))
    response = post_action(client, "district_list_add", left)
    assert any("不能再修改" in m for m in messages_of(response))
    response = client.post(url("district_list_submit", round_.pk), {"action": "submit", "confirm": "1"})
    assert any("不能再修改" in m for m in messages_of(response))
    assert ranks(round_) == before
    assert Notification.objects.filter(recipient=bj_city).count() == 1


def test_ranks_are_read_as_the_number_field_sends_them(client, officer, round_):
    """A browser's number field lets "1.0" or "2e0" through as whole numbers; refusing them lost every typed note."""
    a, b = submitted("写法甲有限公司", round_), submitted("写法乙有限公司", round_)
    post_action(client, "district_list_add", a)
    post_action(client, "district_list_add", b)
    entries = {e.application_id: e.pk for e in list_of(round_).entries.all()}
    response = client.post(url("district_list_entries", round_.pk), {
        "action": "save", f"rank-{entries[b.pk]}": "1.0", f"rank-{entries[a.pk]}": "2e0",
        f"note-{entries[b.pk]}": "服务突出"})
    assert any("已保存" in m for m in messages_of(response)), messages_of(response)
    assert ranks(round_) == [("写法乙有限公司", 1, "服务突出"), ("写法甲有限公司", 2, "")]
    for bad in ("1.5", "一", "NaN", "Infinity"):
        response = client.post(url("district_list_entries", round_.pk),
                               {"action": "save", f"rank-{entries[a.pk]}": bad})
        assert any("的排序须为整数" in m for m in messages_of(response)), bad
    assert ranks(round_) == [("写法乙有限公司", 1, "服务突出"), ("写法甲有限公司", 2, "")]


def test_panel_after_the_list_was_sent_offers_only_the_decisions(client, officer, round_, app):
    left = submitted("报送后剩余有限公司", round_)
    post_action(client, "district_list_add", app)
    client.post(url("district_list_submit", round_.pk), {"action": "submit", "confirm": "1"})
    body = client.get(url("detail", left.pk)).content.decode()
    assert "推荐名单已报送市级，不能再列入" in body
    assert url("district_list_add", left.pk) not in body
    assert url("district_reject", left.pk) in body
    post_action(client, "district_reject", left, reason="未列入本区推荐名单。")
    left.refresh_from_db()
    assert left.state == S.REJECTED


def test_submit_needs_the_confirmation(client, officer, round_, app):
    post_action(client, "district_list_add", app)
    response = client.post(url("district_list_submit", round_.pk), {"action": "submit", "opinion": "意见"})
    assert any("请勾选" in m for m in messages_of(response))
    app.refresh_from_db()
    assert app.state == S.DISTRICT_REVIEW and list_of(round_).status == "draft"
    assert list_of(round_).opinion == "意见"  # what was typed is kept


def test_submit_after_the_deadline_is_refused(client, officer):
    round_ = factories.RoundFactory(opens_on=today() - datetime.timedelta(days=30),
                                    closes_on=today() - datetime.timedelta(days=10),
                                    district_deadline=today() - datetime.timedelta(days=1))
    app = submitted("逾期有限公司", round_)
    recommendation_list = RecommendationList.objects.create(round=round_, district=officer.district)
    RecommendationEntry.objects.create(recommendation_list=recommendation_list, application=app, rank=1)
    before = snapshot(app)
    response = client.post(url("district_list_submit", round_.pk), {"action": "submit", "confirm": "1"})
    assert any("已过区级推荐截止日期" in m for m in messages_of(response))
    assert snapshot(app) == before
    assert list_of(round_).status == "draft"
    assert not Notification.objects.exists()
    # and no new entries after the deadline
    late = submitted("逾期乙有限公司", round_)
    response = post_action(client, "district_list_add", late)
    assert any("已过区级推荐截止日期" in m for m in messages_of(response))
    assert not RecommendationEntry.objects.filter(application=late).exists()


def test_deadline_is_the_beijing_date(monkeypatch, officer, round_):
    # 2026-05-31 17:00 UTC is already 1 June in Beijing.
    round_.district_deadline = datetime.date(2026, 5, 31)
    moment = datetime.datetime(2026, 5, 31, 17, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(service.timezone, "now", lambda: moment)
    assert service.shanghai_today() == datetime.date(2026, 6, 1)
    assert service.deadline_passed(round_)


def test_submit_empty_list_is_refused(client, officer, round_):
    response = client.post(url("district_list_submit", round_.pk), {"action": "submit", "confirm": "1"})
    assert any("推荐名单为空" in m for m in messages_of(response))
    assert not RecommendationList.objects.filter(status="submitted").exists()


def test_submission_is_all_or_nothing(client, officer, round_):
    a = submitted("全有甲有限公司", round_)
    b = submitted("全无乙有限公司", round_)
    post_action(client, "district_list_add", a)
    post_action(client, "district_list_add", b)
    transition(b.pk, "withdraw", factories.ApplicantFactory(organisation=b.organisation), "不再申报")
    page = client.get(url("district_list", round_.pk)).content.decode()
    assert "报送前须移出名单" in page
    response = client.post(url("district_list_submit", round_.pk), {"action": "submit", "confirm": "1"})
    assert any("全无乙有限公司" in m and "推荐名单未报送" in m for m in messages_of(response))
    a.refresh_from_db()
    assert a.state == S.DISTRICT_REVIEW and a.recommended_at is None
    assert not ApplicationEvent.objects.filter(action="recommend").exists()
    assert list_of(round_).status == "draft"
    assert not Notification.objects.filter(title__contains="报送了推荐名单").exists()
    # The withdrawn one can be taken off the list, then the list goes.
    client.post(url("district_list_remove", b.pk), {"next": "list"})
    client.post(url("district_list_submit", round_.pk), {"action": "submit", "confirm": "1"})
    a.refresh_from_db()
    assert a.state == S.CITY_REVIEW


def test_return_or_reject_takes_the_application_off_the_draft_list(client, officer, round_):
    a = submitted("先列入后退回有限公司", round_)
    b = submitted("排第二有限公司", round_)
    post_action(client, "district_list_add", a)
    post_action(client, "district_list_add", b)
    a.refresh_from_db()
    post_action(client, "district_return", a, reason="请补充材料。")
    assert not RecommendationEntry.objects.filter(application=a).exists()
    assert ranks(round_) == [("排第二有限公司", 1, "")]


def test_adding_twice_is_refused(client, officer, round_, app):
    post_action(client, "district_list_add", app)
    response = post_action(client, "district_list_add", app)
    assert any("已在推荐名单中" in m for m in messages_of(response))
    assert RecommendationEntry.objects.count() == 1


def test_other_district_cannot_see_or_touch_the_list(client, officer, round_, app):
    post_action(client, "district_list_add", app)
    haidian_list = list_of(round_)
    entry = haidian_list.entries.get()

    chaoyang = factories.DistrictOfficerFactory(district_code=CHAOYANG)
    client.force_login(chaoyang)
    page = client.get(url("district_list", round_.pk))
    assert page.status_code == 200 and app.applicant_name not in page.content.decode()  # its own, empty list
    assert client.get(url("district_list_xlsx", haidian_list.pk)).status_code == 404
    assert client.get(url("district_list_pdf", haidian_list.pk)).status_code == 404
    client.post(url("district_list_entries", round_.pk), {"action": f"down:{entry.pk}", f"note-{entry.pk}": "篡改"})
    client.post(url("district_list_submit", round_.pk), {"action": "submit", "confirm": "1", "opinion": "篡改"})
    assert client.post(url("district_list_remove", app.pk)).status_code == 404
    entry.refresh_from_db()
    haidian_list.refresh_from_db()
    assert (entry.note, haidian_list.opinion, haidian_list.status) == ("", "", "draft")
    assert not RecommendationList.objects.filter(district=chaoyang.district, status="submitted").exists()

    client.force_login(factories.DistrictOfficerFactory(district_code="440106"))
    assert client.get(url("district_list", round_.pk)).status_code == 404  # a Beijing round
    client.force_login(factories.CityReviewerFactory())
    assert client.get(url("district_list", round_.pk)).status_code == 403
    assert client.get(url("district_list_xlsx", haidian_list.pk)).status_code == 403


# --- Exports ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def listed(client, officer, round_):
    a = submitted("导出甲科技服务有限公司", round_, carrier_name="导出甲服务站")
    b = submitted("导出乙企业管理有限公司", round_, carrier_name="导出乙服务站")
    post_action(client, "district_list_add", a, note="服务企业数量多")
    post_action(client, "district_list_add", b)
    client.post(url("district_list_submit", round_.pk), {"action": "save", "opinion": "经审核，同意推荐。"})
    return list_of(round_)


def test_xlsx_export(client, listed, round_):
    response = client.get(url("district_list_xlsx", listed.pk))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "海淀区" in sheet["A1"].value and "推荐名单" in sheet["A1"].value
    assert [c.value for c in sheet[2]] == ["序号", "单位名称", "统一社会信用代码", "载体名称", "载体类型", "推荐理由"]
    first = [c.value for c in sheet[3]]
    assert first[:2] == [1, "导出甲科技服务有限公司"] and first[3] == "导出甲服务站"
    assert first[4] == "北京市专精特新企业服务站" and first[5] == "服务企业数量多"
    assert sheet[4][1].value == "导出乙企业管理有限公司"
    assert sheet.column_dimensions["B"].width >= 30


def test_pdf_export_for_stamping(client, listed):
    response = client.get(url("district_list_pdf", listed.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages))
    assert "导出甲科技服务有限公司" in text and "导出乙企业管理有限公司" in text
    assert "海淀区关于推荐" in text and "（盖章）" in text
    assert "经审核，同意推荐。" in text
    assert "尚未报送" in text  # a draft is marked as such
