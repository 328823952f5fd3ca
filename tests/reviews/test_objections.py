"""异议: the public form (period, letter, challenge, rate limit), who sees objections, the city's decision."""

import datetime
import zoneinfo

import pytest
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationState
from portal.models import Notification
from reviews import notices, objections
from reviews.models import Objection
from tests import factories
from tests.reviews.test_notices import NATIONAL_DAY_START, publish, shortlisted

pytestmark = pytest.mark.django_db

S = ApplicationState
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\x00" * 200
OBJECTOR = "赵保密异议人"
FACTS = "该单位申报材料中所列服务场地面积与实际不符，实际办公面积不足一百平方米，且专职人员未达到三人。"


@pytest.fixture
def bj_round():
    return factories.RoundFactory(type_code="bj_srdi_station")


@pytest.fixture
def apps(bj_round):
    return [shortlisted(bj_round, "110108", 1), shortlisted(bj_round, "110105", 2)]


@pytest.fixture
def notice(bj_city, bj_round, apps):
    """Published over National Day 2026 (2026-09-29 .. 2026-10-10)."""
    return publish(bj_city, bj_round, apps)


@pytest.fixture
def open_notice(notice):
    """The same notice, moved so that today (Beijing time) is inside its period."""
    today = timezone.localdate(timezone=CHINA)
    type(notice).objects.filter(pk=notice.pk).update(starts_on=today - datetime.timedelta(days=1),
                                                     ends_on=today + datetime.timedelta(days=3))
    notice.refresh_from_db()
    return notice


def answered():
    question, token = objections.new_challenge()
    data = signing.loads(token, salt=objections.CHALLENGE_SALT)
    return token, data["a"] + data["b"]


def form_data(notice, kind="individual", **extra):
    token, answer = answered()
    data = {"entry": notice.entries.order_by("seq").first().pk, "kind": kind, "objector_name": OBJECTOR,
            "contact_phone": "010-66668888", "contact_email": "objector@example.com", "facts": FACTS,
            "challenge": answer, "challenge_token": token}
    data.update(extra)
    return data


def object_url(notice):
    return reverse("reviews:notice_object", args=[notice.pk])


# --- The period, checked on the server in Beijing time -------------------------------------

@pytest.mark.parametrize("local, accepted", [
    (datetime.datetime(2026, 9, 29, 0, 0), True),
    (datetime.datetime(2026, 10, 10, 23, 59, 59), True),
    (datetime.datetime(2026, 10, 10, 23, 59), True),  # one minute before the end
    (datetime.datetime(2026, 10, 11, 0, 0), False),
    (datetime.datetime(2026, 10, 11, 0, 1), False),  # one minute after the end
    (datetime.datetime(2026, 9, 28, 23, 59), False),
])
def test_period_boundaries_in_beijing_time(notice, local, accepted):
    form = objections.ObjectionForm(form_data(notice), notice=notice)
    assert form.is_valid(), form.errors
    now = local.replace(tzinfo=CHINA)
    if accepted:
        objections.submit(notice, form, now=now)
        assert Objection.objects.count() == 1
    else:
        with pytest.raises(objections.ObjectionRefused, match="不再受理异议"):
            objections.submit(notice, form, now=now)
        assert not Objection.objects.exists()


def test_last_day_late_evening_utc_is_already_the_next_day_in_beijing(notice):
    form = objections.ObjectionForm(form_data(notice), notice=notice)
    assert form.is_valid()
    with pytest.raises(objections.ObjectionRefused):  # 2026-10-10 16:30 UTC = 2026-10-11 00:30 Beijing
        objections.submit(notice, form, now=datetime.datetime(2026, 10, 10, 16, 30, tzinfo=datetime.UTC))


def test_form_outside_the_period_says_so_and_stores_nothing(client, notice):
    response = client.post(object_url(notice), form_data(notice))
    assert response.status_code == 403
    assert "不再受理异议" in response.content.decode()
    assert not Objection.objects.exists()
    assert "不再受理异议" in client.get(object_url(notice)).content.decode()


def test_individual_objection_accepted_and_the_city_told(client, open_notice, bj_city):
    response = client.post(object_url(open_notice), form_data(open_notice))
    assert response.status_code == 200 and "异议已提交" in response.content.decode()
    objection = Objection.objects.get()
    assert (objection.kind, objection.objector_name, objection.status) == ("individual", OBJECTOR, "open")
    note = Notification.objects.get(recipient=bj_city)
    assert OBJECTOR not in note.title + note.body


def test_unit_objection_with_stamped_letter(client, open_notice):
    letter = SimpleUploadedFile("异议函（盖章）.pdf", PDF, content_type="application/pdf")
    response = client.post(object_url(open_notice), form_data(open_notice, kind="unit", letter=letter))
    assert response.status_code == 200
    objection = Objection.objects.get()
    assert objection.letter and objection.letter_name == "异议函（盖章）.pdf"


def test_unit_without_letter_refused(client, open_notice):
    response = client.post(object_url(open_notice), form_data(open_notice, kind="unit"))
    body = response.content.decode()
    assert response.status_code == 400 and "加盖单位公章的书面异议材料" in body
    assert OBJECTOR in body and FACTS in body  # typed input kept
    assert not Objection.objects.exists()


def test_bad_upload_refused_and_nothing_stored(client, open_notice, settings):
    before = set(settings.PRIVATE_MEDIA_ROOT.rglob("*")) if settings.PRIVATE_MEDIA_ROOT.exists() else set()
    letter = SimpleUploadedFile("letter.pdf", EXE, content_type="application/pdf")
    response = client.post(object_url(open_notice), form_data(open_notice, kind="unit", letter=letter))
    assert response.status_code == 400 and "Windows 可执行程序" in response.content.decode()
    assert not Objection.objects.exists()
    after = set(settings.PRIVATE_MEDIA_ROOT.rglob("*")) if settings.PRIVATE_MEDIA_ROOT.exists() else set()
    assert after == before


def test_short_facts_refused(client, open_notice):
    response = client.post(object_url(open_notice), form_data(open_notice, facts="不符合条件"))
    assert "至少填写 20 个字" in response.content.decode()
    assert not Objection.objects.exists()


def test_wrong_challenge_answer_refused_input_kept(client, open_notice):
    data = form_data(open_notice)
    data["challenge"] = data["challenge"] + 1
    response = client.post(object_url(open_notice), data)
    body = response.content.decode()
    assert response.status_code == 400 and "验证问题回答错误" in body
    assert OBJECTOR in body and "objector@example.com" in body
    assert data["challenge_token"] not in body  # a fresh question
    assert not Objection.objects.exists()


def test_forged_or_reused_challenge_refused(client, open_notice):
    forged = form_data(open_notice, challenge_token="x:y:z")
    assert "验证问题无效" in client.post(object_url(open_notice), forged).content.decode()
    data = form_data(open_notice)
    assert client.post(object_url(open_notice), data).status_code == 200
    again = client.post(object_url(open_notice), data)
    assert "已使用过" in again.content.decode() and Objection.objects.count() == 1


def test_anonymous_objection_refused(client, open_notice):
    response = client.post(object_url(open_notice), form_data(open_notice, objector_name=""))
    assert "不受理匿名异议" in response.content.decode() and not Objection.objects.exists()


@pytest.fixture
def frozen_rate_window(monkeypatch):
    import types

    from django_ratelimit import core

    monkeypatch.setattr(core, "time", types.SimpleNamespace(time=lambda: 1_800_000_000.0))


@override_settings(OBJECTION_RATE="2/h")
def test_rate_limited_per_ip(client, open_notice, frozen_rate_window):
    for _ in range(2):
        client.post(object_url(open_notice), form_data(open_notice))
    response = client.post(object_url(open_notice), form_data(open_notice))
    assert response.status_code == 429 and "提交异议次数过多" in response.content.decode()
    assert Objection.objects.count() == 2
    other = client.post(object_url(open_notice), form_data(open_notice), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_default_rate_is_five_an_hour(client, open_notice, frozen_rate_window):
    for _ in range(5):
        client.post(object_url(open_notice), form_data(open_notice))
    assert client.post(object_url(open_notice), form_data(open_notice)).status_code == 429


# --- Who sees objections -------------------------------------------------------------------

@pytest.fixture
def lodged(notice):
    entry = notice.entries.order_by("seq").first()
    return Objection.objects.create(entry=entry, kind="unit", objector_name=OBJECTOR, contact_phone="010-66668888",
                                    contact_email="objector@example.com", facts=FACTS,
                                    letter=SimpleUploadedFile("函.pdf", PDF), letter_name="函.pdf")


def test_only_the_citys_reviewers_see_objections(client, lodged, bj_city, apps):
    detail = reverse("reviews:city_objection", args=[lodged.pk])
    letter = reverse("reviews:city_objection_letter", args=[lodged.pk])
    listing = reverse("reviews:city_objections")
    client.force_login(bj_city)
    assert OBJECTOR in client.get(listing).content.decode()
    assert OBJECTOR in client.get(detail).content.decode()
    assert client.get(letter).status_code == 200
    gz = factories.CityReviewerFactory(city="guangzhou")
    applicant = factories.ApplicantFactory(organisation=lodged.entry.application.organisation)
    district = factories.DistrictOfficerFactory(district_code=lodged.entry.application.district.code)
    for user, statuses in ((gz, (200, 404, 404)), (applicant, (403, 403, 403)), (district, (403, 403, 403)),
                           (factories.AdminFactory(), (200, 404, 404))):
        client.force_login(user)
        for url, status in zip((listing, detail, letter), statuses, strict=True):
            response = client.get(url)
            assert response.status_code == status, (user.role, url)
            assert OBJECTOR not in response.content.decode()
    client.logout()
    assert client.get(detail).status_code == 302


def test_applicant_never_sees_the_objector(client, lodged, bj_city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        objections.decide(lodged.pk, bj_city, "upheld", "经核实，实际办公面积不足100平方米。",
                          today=datetime.date(2026, 10, 5))
    app = lodged.entry.application
    client.force_login(factories.ApplicantFactory(organisation=app.organisation))
    body = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert OBJECTOR not in body and "objector@example.com" not in body
    for note in Notification.objects.filter(recipient__organisation=app.organisation):
        assert OBJECTOR not in note.title + note.body


# --- Decisions -----------------------------------------------------------------------------

def test_upheld_rejects_the_entry_and_emails_the_objector(client, lodged, bj_city, django_capture_on_commit_callbacks):
    client.force_login(bj_city)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:city_objection", args=[lodged.pk]),
                               {"outcome": "upheld", "reason": "经实地核查，办公面积不足100平方米。"})
    assert response.status_code == 302
    lodged.refresh_from_db()
    assert lodged.status == "upheld" and lodged.decided_by == bj_city and lodged.objector_notified_at
    app = lodged.entry.application
    app.refresh_from_db()
    assert app.state == S.REJECTED
    event = app.events.get(action="uphold_objection")
    assert "办公面积不足" in event.comment and OBJECTOR not in event.comment
    to_objector = [m for m in mail.outbox if m.to == ["objector@example.com"]]
    assert len(to_objector) == 1
    assert "异议成立" in to_objector[0].body and "办公面积不足" in to_objector[0].body
    assert Notification.objects.filter(recipient__organisation=app.organisation,
                                       title__contains="异议成立").exists()


def test_dismissed_emails_the_objector_and_the_entry_waits_for_the_end(lodged, bj_city,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        objections.decide(lodged.pk, bj_city, "dismissed", "经核实，该单位条件符合要求。",
                          today=datetime.date(2026, 10, 5))
    lodged.refresh_from_db()
    assert lodged.status == "dismissed" and lodged.objector_notified_at
    assert "异议不成立" in mail.outbox[-1].body and mail.outbox[-1].to == ["objector@example.com"]
    assert type(lodged.entry.application).objects.get(pk=lodged.entry.application_id).state == S.IN_NOTICE


def test_deciding_the_last_open_objection_of_an_ended_notice_approves_at_once(lodged, bj_city, notice, apps):
    from reviews import sweeps

    sweeps.close_ended_notices(today=datetime.date(2026, 10, 11))
    waiting = lodged.entry.application
    waiting.refresh_from_db()
    assert waiting.state == S.IN_NOTICE
    objections.decide(lodged.pk, bj_city, "dismissed", "经核实不成立。", today=datetime.date(2026, 10, 20))
    waiting.refresh_from_db()
    notice.refresh_from_db()
    assert waiting.state == S.APPROVED and notice.closed_at is not None


def test_reason_required_and_no_second_decision(client, lodged, bj_city):
    with pytest.raises(objections.ObjectionRefused, match="理由"):
        objections.decide(lodged.pk, bj_city, "upheld", "  ")
    client.force_login(bj_city)
    response = client.post(reverse("reviews:city_objection", args=[lodged.pk]), {"outcome": "upheld", "reason": ""})
    assert "请填写调查核实的理由" in response.content.decode()
    objections.decide(lodged.pk, bj_city, "dismissed", "不成立。", today=datetime.date(2026, 10, 5))
    with pytest.raises(objections.ObjectionRefused, match="不能重复处理"):
        objections.decide(lodged.pk, bj_city, "upheld", "成立。")


def test_other_city_cannot_decide(lodged):
    with pytest.raises(objections.ObjectionRefused, match="无权"):
        objections.decide(lodged.pk, factories.CityReviewerFactory(city="guangzhou"), "upheld", "成立。")
    lodged.refresh_from_db()
    assert lodged.status == "open"


def test_public_notice_is_open_helper_uses_beijing_time(notice):
    assert notices.is_open(notice, datetime.datetime(2026, 10, 10, 15, 59, tzinfo=datetime.UTC))
    assert not notices.is_open(notice, datetime.datetime(2026, 10, 10, 16, 0, tzinfo=datetime.UTC))
    assert notice.starts_on == NATIONAL_DAY_START


def test_an_upheld_objection_removes_the_entry_from_the_announcement(notice, bj_city, apps):
    """Upheld → rejected; the sweep approves the other entry; only that one can be announced."""
    from reviews import announcements, sweeps

    first, second = (entry.application for entry in notice.entries.order_by("seq"))
    form = objections.ObjectionForm(form_data(notice, entry=notice.entries.get(application=first).pk), notice=notice)
    assert form.is_valid(), form.errors
    objection = objections.submit(notice, form, now=datetime.datetime(2026, 10, 9, 10, 0, tzinfo=CHINA))
    objections.decide(objection.pk, bj_city, "upheld", "经核查，申报材料所列场地面积不实。",
                      today=datetime.date(2026, 10, 9))
    sweeps.close_ended_notices(today=datetime.date(2026, 10, 12))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (S.REJECTED, S.APPROVED)
    assert list(announcements.approved_applications(notice.round)) == [second]
    with pytest.raises(announcements.AnnouncementRefused):
        announcements.publish(notice.round, bj_city, title="公告", document_number="京经信发〔2026〕99号",
                              published_on=datetime.date(2026, 10, 20), body="现予公告。",
                              application_ids=[first.pk, second.pk])
    first.refresh_from_db()
    assert first.state == S.REJECTED
