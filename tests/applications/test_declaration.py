"""The applicant's declaration: sections saved server-side, live eligibility,
attachments, the submission checks and the transition record."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationEvent, ApplicationState, Attachment
from carriers.rules import get_rules
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

STATION_FACTS = {
    "legal_person": "true",
    "registered_city": "beijing",
    "established_on": "2018-03-12",
    "serious_dishonesty": "false",
    "suspension_or_license_revocation_penalty": "false",
    "legal_rep_criminal_penalty": "false",
    "office_area_m2": "120",
    "event_space_m2": "1200",
    "fulltime_staff": "4",
    "srdi_service_visits_last_year": "60",
    "smes_served_last_year": "100",
    "public_welfare_activities_last_year": "20",
}


def url(name, app, **kwargs):
    return reverse(f"applications:{name}", kwargs={"pk": app.pk, **kwargs})


@pytest.fixture
def round_():
    return factories.RoundFactory(type_code="bj_srdi_station")


@pytest.fixture
def unit(client, applicant):
    client.force_login(applicant)
    return applicant


def start(client, round_):
    response = client.post(reverse("applications:start", args=[round_.pk]))
    assert response.status_code == 302
    return Application.objects.latest("pk")


def fill_all(client, app, facts=None):
    client.post(url("section", app, key="basic"), {
        "legal_representative": "王建国", "address": "北京市海淀区中关村大街1号", "contact_name": "张明",
        "contact_phone": "010-62345678", "contact_email": "zm@example.com"})
    client.post(url("section", app, key="facts"), facts or STATION_FACTS)
    client.post(url("section", app, key="carrier"), {
        "carrier_name": "智造创新服务站",
        "service_plan": "服务目标：服务专精特新企业。服务内容和实施计划：政策宣贯。工作保障措施：专人负责。",
        "work_rules": "工作流程、服务标准、人员管理制度。"})
    client.post(url("section", app, key="liaison"), {
        "liaison_name": "李联络", "liaison_phone": "13800138000", "liaison_email": "ll@example.com"})
    for spec in get_rules(app.carrier_type.code).required_attachments:
        client.post(url("attachments", app), {
            "slot": spec.key, "file": SimpleUploadedFile(f"{spec.label}.pdf", PDF, content_type="application/pdf")})


def test_start_prefills_from_the_organisation(client, unit, round_):
    app = start(client, round_)
    assert app.state == ApplicationState.DRAFT
    assert app.applicant_name == unit.organisation.name and app.uscc == unit.organisation.uscc
    assert app.district == unit.organisation.district and app.number.startswith("SB")


def test_whole_declaration_submits_and_is_recorded(client, unit, round_):
    app = start(client, round_)
    fill_all(client, app)
    response = client.post(url("submit", app), {"declaration": "on"})
    assert response.status_code == 302, [str(m) for m in response.wsgi_request._messages]
    app.refresh_from_db()
    assert app.state == ApplicationState.DISTRICT_REVIEW and app.submitted_at
    event = ApplicationEvent.objects.get(application=app)
    assert (event.from_state, event.to_state, event.actor, event.action) == ("draft", "district_review", unit, "submit")
    assert client.post(url("section", app, key="basic"), {"contact_name": "改"}).status_code == 302
    app.refresh_from_db()
    assert app.contact_name == "张明"  # a submitted application is not edited


def test_invalid_section_input_is_kept_on_the_server(client, unit, round_):
    app = start(client, round_)
    response = client.post(url("section", app, key="facts"), {**STATION_FACTS, "office_area_m2": "-5"})
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.drafts["facts"]["office_area_m2"] == "-5"
    assert app.drafts["facts"]["event_space_m2"] == "1200"


def test_saved_yes_no_answers_are_shown_again(client, unit, round_):
    app = start(client, round_)
    client.post(url("section", app, key="facts"), STATION_FACTS)
    body = client.get(url("section", app, key="facts")).content.decode()
    assert body.count('<option value="true" selected>') == 1  # 具有独立法人资格: 是
    assert body.count('<option value="false" selected>') == 3  # 失信、停产停业、刑事处罚: 否


def test_draft_survives_logout_and_a_new_session(client, unit, round_):
    app = start(client, round_)
    client.post(url("section", app, key="carrier"), {"carrier_name": "智造创新", "service_plan": "服务目标……"})
    client.post(reverse("accounts:logout"))
    other = Client()
    other.force_login(unit)
    body = other.get(url("section", app, key="carrier")).content.decode()
    assert "智造创新" in body and "服务目标……" in body


def test_bj_station_name_must_end_with_fuwuzhan(client, unit, round_):
    """第四条: 公司简称 + 服务站."""
    app = start(client, round_)
    response = client.post(url("section", app, key="carrier"), {
        "carrier_name": "智造创新中心", "service_plan": "服务目标与计划", "work_rules": "制度"})
    assert "服务站" in response.content.decode()
    app.refresh_from_db()
    assert app.carrier_name == ""


def test_submission_refused_with_every_reason(client, unit, round_):
    app = start(client, round_)
    response = client.post(url("submit", app), {})
    body = response.content.decode()
    assert "请勾选承诺书" in body
    assert "尚未填写完整" in body
    assert "缺少必需附件" in body
    app.refresh_from_db()
    assert app.state == ApplicationState.DRAFT and not ApplicationEvent.objects.exists()


def test_the_submit_page_is_reachable_while_something_is_missing(client, unit, round_):
    """The 承诺书 is signed on the submit page, so the overview links there even with problems listed."""
    app = start(client, round_)
    body = client.get(url("detail", app)).content.decode()
    assert "提交前还需完成" in body
    assert f'href="{url("submit", app)}"' in body


def test_hard_rule_failure_blocks_submission(client, unit, round_):
    app = start(client, round_)
    fill_all(client, app, {**STATION_FACTS, "office_area_m2": "99"})
    response = client.post(url("submit", app), {"declaration": "on"})
    assert "不符合申报条件" in response.content.decode()
    app.refresh_from_db()
    assert app.state == ApplicationState.DRAFT


def test_general_rule_failure_needs_an_explanation(client, unit, round_):
    """legal_person is 一般应 for BJ stations (第五条（二）): a warning that needs a written explanation."""
    app = start(client, round_)
    fill_all(client, app, {**STATION_FACTS, "legal_person": "false"})
    response = client.post(url("submit", app), {"declaration": "on"})
    assert "书面说明" in response.content.decode()
    app.refresh_from_db()
    assert app.state == ApplicationState.DRAFT
    field = [k for k in response.context["form"].fields if k.startswith("explain_")][0]
    explanation = "本单位为非法人分支机构，由总公司授权运营服务站。"
    response = client.post(url("submit", app), {"declaration": "on", field: explanation})
    app.refresh_from_db()
    assert app.state == ApplicationState.DISTRICT_REVIEW
    assert list(app.explanations.values()) == [explanation]


def test_submission_after_the_deadline_is_refused(client, unit):
    today = timezone.localdate()
    round_ = factories.RoundFactory(opens_on=today - datetime.timedelta(days=30), closes_on=today,
                                    district_deadline=today + datetime.timedelta(days=10))
    app = start(client, round_)
    fill_all(client, app)
    round_.closes_on = today - datetime.timedelta(days=1)
    round_.opens_on = today - datetime.timedelta(days=30)
    round_.save()
    response = client.post(url("submit", app), {"declaration": "on"})
    assert "不在申报期内" in response.content.decode()
    app.refresh_from_db()
    assert app.state == ApplicationState.DRAFT


def test_starting_twice_is_refused(client, unit, round_):
    start(client, round_)
    response = client.post(reverse("applications:start", args=[round_.pk]), follow=True)
    assert "已有一份该类型的申报" in response.content.decode()
    assert Application.objects.count() == 1


def test_replaced_attachment_keeps_its_history(client, unit, round_):
    app = start(client, round_)
    slot = get_rules(app.carrier_type.code).required_attachments[0].key
    for name in ("第一版.pdf", "第二版.pdf"):
        client.post(url("attachments", app), {"slot": slot, "file": SimpleUploadedFile(name, PDF)})
    files = Attachment.objects.filter(application=app, slot=slot).order_by("uploaded_at")
    assert [f.original_name for f in files] == ["第一版.pdf", "第二版.pdf"]
    assert files[0].superseded_at is not None and files[1].superseded_at is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("申报书.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "PDF"),
        ("申报书.pdf", b"", "空"),
        ("../../etc/passwd.exe", b"MZ" + b"\x00" * 100, "PDF"),
    ],
)
def test_bad_uploads_store_nothing(client, unit, round_, name, content, message):
    app = start(client, round_)
    slot = get_rules(app.carrier_type.code).required_attachments[0].key
    response = client.post(url("attachments", app), {"slot": slot, "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_path_traversal_name_is_sanitised(client, unit, round_):
    app = start(client, round_)
    slot = get_rules(app.carrier_type.code).required_attachments[0].key
    client.post(url("attachments", app), {"slot": slot, "file": SimpleUploadedFile("../../etc/申报书.pdf", PDF)})
    attachment = Attachment.objects.get()
    assert "/" not in attachment.original_name and ".." not in attachment.original_name
    assert "申报书" in attachment.original_name
    assert "申报书" not in attachment.file.name


def test_other_organisations_cannot_see_or_touch(client, unit, round_):
    app = start(client, round_)
    fill_all(client, app)
    attachment = Attachment.objects.filter(application=app).first()
    stranger = factories.ApplicantFactory()
    client.force_login(stranger)
    for target in (url("detail", app), url("section", app, key="basic"), url("attachments", app),
                   url("submit", app), url("pdf", app), url("attachment", app, attachment_pk=attachment.pk)):
        assert client.get(target).status_code == 404, target
    assert client.post(url("withdraw", app), {"reason": "恶意撤回"}).status_code == 404
    app.refresh_from_db()
    assert app.state == ApplicationState.DRAFT


def test_district_officer_does_not_see_drafts(client, unit, round_):
    app = start(client, round_)
    client.force_login(factories.DistrictOfficerFactory(district_code=app.district.code))
    assert client.get(url("detail", app)).status_code == 404


def test_withdraw_needs_a_reason_and_is_recorded(client, unit, round_):
    app = start(client, round_)
    client.post(url("withdraw", app), {"reason": ""})
    app.refresh_from_db()
    assert app.state == ApplicationState.DRAFT
    client.post(url("withdraw", app), {"reason": "材料准备不足，下次再报"})
    app.refresh_from_db()
    assert app.state == ApplicationState.WITHDRAWN
    assert ApplicationEvent.objects.get(application=app).comment == "材料准备不足，下次再报"


def test_my_applications_lists_states(client, unit, round_):
    app = start(client, round_)
    body = client.get(reverse("applications:mine")).content.decode()
    assert app.number in body and "草稿" in body
