"""公示: publishing (period in working days, all or nothing), the public pages and PDF, closing the period."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications.models import ApplicationEvent, ApplicationState
from reviews import notices, sweeps
from reviews.models import NoticeEntry, Objection, PublicNotice
from tests import factories

pytestmark = pytest.mark.django_db

S = ApplicationState
NATIONAL_DAY_START = datetime.date(2026, 9, 29)


def shortlisted(round_, district="110108", n=0, **extra):
    now = timezone.now()
    org = factories.OrganisationFactory(district_code=district)
    fields = {
        "state": S.SHORTLISTED, "submitted_at": now, "recommended_at": now,
        "carrier_name": f"{org.name[:6]}服务站{n}", "contact_phone": f"1391234{n:04d}",
        "contact_email": f"private{n}@example.com", "legal_representative": f"法定代表人甲{n}",
        "liaison_name": f"联络员乙{n}", "liaison_phone": f"1380013{n:04d}", "liaison_email": f"liaison{n}@example.com",
        **extra,
    }
    return factories.ApplicationFactory(round=round_, organisation=org, **fields)


@pytest.fixture
def bj_round():
    return factories.RoundFactory(type_code="bj_srdi_station", document_number="京经信发〔2026〕1号")


@pytest.fixture
def apps(bj_round):
    return [shortlisted(bj_round, "110108", 1), shortlisted(bj_round, "110105", 2)]


def publish(user, round_, apps, today=NATIONAL_DAY_START, number="京经信公示〔2026〕5号"):
    return notices.publish(user, round_.pk, title="关于2026年度北京市专精特新企业服务站拟认定名单的公示",
                           document_number=number, body="现予以公示。",
                           objection_contact="受理单位：中小企业处\n电话：010-55550000",
                           application_ids=[a.pk for a in apps], today=today)


def states(apps):
    return [type(a).objects.get(pk=a.pk).state for a in apps]


# --- Publishing ------------------------------------------------------------------------------

def test_period_spans_the_national_day_holiday(bj_city, bj_round, apps):
    notice = publish(bj_city, bj_round, apps)
    assert (notice.starts_on, notice.ends_on) == (datetime.date(2026, 9, 29), datetime.date(2026, 10, 10))
    assert notices.period_text(notice) == "公示期：2026年9月29日至2026年10月10日（5个工作日）"
    assert states(apps) == [S.IN_NOTICE, S.IN_NOTICE]
    entries = list(notice.entries.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2]
    assert {e.unit_name for e in entries} == {a.applicant_name for a in apps}
    assert {e.district_name for e in entries} == {"海淀区", "朝阳区"}
    assert entries[0].type_name == "北京市专精特新企业服务站"
    assert ApplicationEvent.objects.filter(action="publish_notice", actor=bj_city).count() == 2


def test_document_number_clash_is_refused(bj_city, bj_round, apps):
    publish(bj_city, bj_round, apps[:1])
    with pytest.raises(notices.NoticeRefused, match="文号"):
        publish(bj_city, bj_round, apps[1:])
    assert states(apps[1:]) == [S.SHORTLISTED]


def test_document_number_clash_in_the_form(client, bj_city, bj_round, apps):
    publish(bj_city, bj_round, apps[:1])
    client.force_login(bj_city)
    response = client.post(f"{reverse('reviews:city_notice_new')}?round={bj_round.pk}", {
        "title": "另一公示", "document_number": "京经信公示〔2026〕5号", "body": "正文",
        "objection_contact": "中小企业处",
        "applications": [apps[1].pk]})
    assert response.status_code == 200
    assert "已被公示" in response.content.decode()
    assert PublicNotice.objects.count() == 1


def test_other_citys_round_is_refused(bj_round, apps):
    gz_city = factories.CityReviewerFactory(city="guangzhou")
    with pytest.raises(notices.NoticeRefused, match="不属于本市"):
        publish(gz_city, bj_round, apps)
    assert not PublicNotice.objects.exists() and states(apps) == [S.SHORTLISTED] * 2


def test_other_city_gets_404_on_the_form(client, bj_round, apps):
    client.force_login(factories.CityReviewerFactory(city="guangzhou"))
    response = client.get(reverse("reviews:city_notice_new"), {"round": bj_round.pk})
    assert response.status_code == 404


def test_calendar_missing_creates_nothing(client, bj_city, bj_round, apps):
    with pytest.raises(notices.WorkingDayCalendarMissing):
        publish(bj_city, bj_round, apps, today=datetime.date(2026, 12, 28))
    assert not PublicNotice.objects.exists() and not NoticeEntry.objects.exists()
    assert states(apps) == [S.SHORTLISTED] * 2


def test_calendar_missing_message_shown_to_the_reviewer(client, bj_city, bj_round, apps, monkeypatch):
    monkeypatch.setattr(notices, "china_today", lambda: datetime.date(2026, 12, 28))
    client.force_login(bj_city)
    response = client.post(f"{reverse('reviews:city_notice_new')}?round={bj_round.pk}", {
        "title": "公示", "document_number": "京经信公示〔2026〕9号", "body": "正文", "objection_contact": "中小企业处",
        "applications": [a.pk for a in apps]}, follow=True)
    body = response.content.decode()
    assert "2027年的法定节假日安排尚未录入" in body
    assert not PublicNotice.objects.exists() and states(apps) == [S.SHORTLISTED] * 2


def test_a_failing_entry_rolls_everything_back(bj_city, bj_round, apps):
    type(apps[1]).objects.filter(pk=apps[1].pk).update(state=S.CITY_REVIEW)
    with pytest.raises(notices.NoticeRefused):
        publish(bj_city, bj_round, apps)
    assert not PublicNotice.objects.exists() and states(apps)[0] == S.SHORTLISTED


def test_publish_through_the_form_lists_all_by_default(client, bj_city, bj_round, apps):
    client.force_login(bj_city)
    url = f"{reverse('reviews:city_notice_new')}?round={bj_round.pk}"
    page = client.get(url).content.decode()
    assert page.count("checked") >= 2 and "拟认定名单的公示" in page
    response = client.post(url, {"title": "公示", "document_number": "京经信公示〔2026〕7号", "body": "正文",
                                 "objection_contact": "中小企业处 010-55550000",
                                 "applications": [a.pk for a in apps]})
    assert response.status_code == 302
    assert states(apps) == [S.IN_NOTICE] * 2


def test_mobile_number_in_the_contact_is_refused(client, bj_city, bj_round, apps):
    client.force_login(bj_city)
    response = client.post(f"{reverse('reviews:city_notice_new')}?round={bj_round.pk}", {
        "title": "公示", "document_number": "京经信公示〔2026〕8号", "body": "正文",
        "objection_contact": "联系人手机 13912345678", "applications": [a.pk for a in apps]})
    assert "含有手机号码" in response.content.decode()
    assert not PublicNotice.objects.exists()


def test_city_list_counts_with_bounded_queries(client, bj_city, bj_round, apps, django_assert_max_num_queries):
    notice = publish(bj_city, bj_round, apps)
    entry = notice.entries.first()
    Objection.objects.create(entry=entry, kind="individual", objector_name="张实名", contact_phone="010-1",
                             contact_email="a@example.com", facts="x" * 30)
    for n in range(3):
        other_round = factories.RoundFactory(type_code="bj_demo_platform", year=2040 + n)
        publish(bj_city, other_round, [shortlisted(other_round, n=10 + n)], number=f"京经信公示〔2026〕{20 + n}号")
    client.force_login(bj_city)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reviews:city_notices"))
    body = response.content.decode()
    assert "待处理 1 件" in body and notice.document_number in body
    gz = factories.CityReviewerFactory(city="guangzhou")
    client.force_login(gz)
    assert notice.document_number not in client.get(reverse("reviews:city_notices")).content.decode()


# --- Public page and PDF ---------------------------------------------------------------------

def private_bits(apps):
    bits = []
    for a in apps:
        bits += [a.contact_phone, a.contact_email, a.liaison_phone, a.liaison_email, a.legal_representative,
                 a.liaison_name, a.contact_name, a.uscc, a.address]
    return [b for b in bits if b]


def test_public_page_shows_the_notice_and_no_personal_data(client, bj_city, bj_round, apps):
    notice = publish(bj_city, bj_round, apps)
    today = timezone.localdate()  # move the period around today so that the objection link shows
    PublicNotice.objects.filter(pk=notice.pk).update(starts_on=today, ends_on=today + datetime.timedelta(days=6))
    notice.refresh_from_db()
    response = client.get(reverse("reviews:notice", args=[notice.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for text in (notice.title, notice.document_number, "公示期：", "个工作日）", apps[0].applicant_name,
                 apps[0].carrier_name, "海淀区", "不受理匿名异议", "公章", "真实姓名", "保密", "中小企业处",
                 reverse("reviews:notice_object", args=[notice.pk])):
        assert text in body, text
    for bit in private_bits(apps):
        assert bit not in body, bit
    listing = client.get(reverse("reviews:notices")).content.decode()
    assert notice.title in listing


def test_no_objection_link_after_the_period(client, bj_city, bj_round, apps):
    notice = publish(bj_city, bj_round, apps)  # 2026-09-29 .. 2026-10-10, long past or far ahead of today
    body = client.get(reverse("reviews:notice", args=[notice.pk])).content.decode()
    assert (reverse("reviews:notice_object", args=[notice.pk]) in body) == notices.is_open(notice)


def test_pdf_is_a_red_header_document_without_personal_data(client, bj_city, bj_round, apps):
    notice = publish(bj_city, bj_round, apps)
    response = client.get(reverse("reviews:notice_pdf", args=[notice.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    compact = text.replace(" ", "").replace("\n", "")
    for expected in ("北京市经济和信息化局", notice.document_number, "2026年9月29日至2026年10月10日", "不受理匿名异议",
                     apps[0].applicant_name):
        assert expected in compact, expected
    for bit in private_bits(apps):
        assert bit not in compact, bit


# --- Closing the period ----------------------------------------------------------------------

def objection(entry, status=Objection.Status.OPEN):
    return Objection.objects.create(entry=entry, kind="individual", objector_name="李实名", contact_phone="010-2",
                                    contact_email="li@example.com", facts="事实" * 15, status=status)


@pytest.fixture
def three(bj_round):
    return [shortlisted(bj_round, "110108", n) for n in (1, 2, 3)]


def test_sweep_approves_none_and_dismissed_and_waits_for_open(bj_city, bj_round, three):
    notice = publish(bj_city, bj_round, three)
    entries = list(notice.entries.order_by("seq"))
    objection(entries[1], Objection.Status.DISMISSED)
    objection(entries[2])
    assert sweeps.close_ended_notices(today=datetime.date(2026, 10, 10)).counts["approved"] == 0  # last day
    result = sweeps.close_ended_notices(today=datetime.date(2026, 10, 11))
    by_seq = {e.seq: e.application_id for e in entries}
    assert sorted(result.changed_ids["approved"]) == sorted([by_seq[1], by_seq[2]])
    assert result.changed_ids["waiting"] == [by_seq[3]] and result.counts["notices_closed"] == 0
    assert states(three) == [S.APPROVED, S.APPROVED, S.IN_NOTICE]
    event = ApplicationEvent.objects.get(application_id=by_seq[1], action="close_notice")
    assert event.actor is None and event.actor_role == "system"
    notice.refresh_from_db()
    assert notice.closed_at is None
    again = sweeps.close_ended_notices(today=datetime.date(2026, 10, 12))
    assert again.counts == {"approved": 0, "waiting": 1, "notices_closed": 0}


def test_sweep_closes_the_notice_and_is_idempotent(bj_city, bj_round, apps):
    notice = publish(bj_city, bj_round, apps)
    result = sweeps.close_ended_notices(today=datetime.date(2026, 10, 11))
    assert result.counts == {"approved": 2, "waiting": 0, "notices_closed": 1}
    assert result.changed_ids["notices_closed"] == [notice.pk]
    notice.refresh_from_db()
    assert notice.closed_at is not None
    second = sweeps.close_ended_notices(today=datetime.date(2026, 10, 11))
    assert second.counts == {"approved": 0, "waiting": 0, "notices_closed": 0}
    assert ApplicationEvent.objects.filter(action="close_notice").count() == 2


def test_the_unit_sees_the_systems_step_once_the_period_closed(client, bj_city, bj_round, apps):
    publish(bj_city, bj_round, apps)
    sweeps.close_ended_notices(today=datetime.date(2026, 10, 11))
    client.force_login(factories.ApplicantFactory(organisation=apps[0].organisation))
    response = client.get(reverse("applications:detail", args=[apps[0].pk]))
    assert response.status_code == 200
    assert "系统：公示中 → 已通过" in response.content.decode()


def test_dry_run_changes_nothing(bj_city, bj_round, apps):
    notice = publish(bj_city, bj_round, apps)
    result = sweeps.close_ended_notices(today=datetime.date(2026, 10, 11), dry_run=True)
    assert result.counts == {"approved": 2, "waiting": 0, "notices_closed": 1}
    assert states(apps) == [S.IN_NOTICE] * 2
    notice.refresh_from_db()
    assert notice.closed_at is None


def test_second_runner_skips_entries_already_approved(bj_city, bj_round, apps, monkeypatch):
    """Two sweeps at once: the second one's candidate list is stale; transition() refuses, it skips."""
    publish(bj_city, bj_round, apps)
    sweeps.close_ended_notices(today=datetime.date(2026, 10, 11))
    from applications import workflow

    calls = []
    real = workflow.transition

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(sweeps, "transition", counting)
    stale = [(a.pk, a.notice_entry.notice_id, 0) for a in apps]
    monkeypatch.setattr(sweeps, "_candidates", lambda ended: stale)
    result = sweeps.close_ended_notices(today=datetime.date(2026, 10, 11))
    assert len(calls) == 2 and result.counts["approved"] == 0
    assert ApplicationEvent.objects.filter(action="close_notice").count() == 2


def test_celery_task_runs_the_sweep(bj_city, bj_round, apps):
    from reviews.tasks import close_ended_notices

    publish(bj_city, bj_round, apps)
    outcome = close_ended_notices.delay("2026-10-11").get()
    assert outcome["counts"]["approved"] == 2


def test_beat_schedule_is_registered():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="reviews.tasks.close_ended_notices")
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == ("30", "0", "Asia/Shanghai")


def test_management_command_prints_counts_and_ids(bj_city, bj_round, apps):
    publish(bj_city, bj_round, apps)
    out = io.StringIO()
    call_command("close_notices", "--dry-run", "--today", "2026-10-11", stdout=out)
    text = out.getvalue()
    assert "试运行" in text and "公示期满通过的申报：2" in text
    assert all(str(a.pk) in text.split("approved: ")[1].split("）")[0].split(", ") for a in apps)
    assert states(apps) == [S.IN_NOTICE] * 2
    out = io.StringIO()
    call_command("close_notices", "--today", "2026-10-11", stdout=out)
    assert "公示期满通过的申报：2" in out.getvalue() and "已结束的公示：1" in out.getvalue()
    assert states(apps) == [S.APPROVED] * 2


def test_management_command_rejects_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="格式无效"):
        call_command("close_notices", "--today", "2026-13-01")
