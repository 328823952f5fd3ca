"""Applicant units register with a valid credit code; nothing is stored otherwise."""

import pytest
from django.urls import reverse

from accounts.models import District, Organisation, Role, User
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "name": "北京测试科技服务有限公司",
        "uscc": "91110108MA01ABCD2H",
        "district": District.objects.get(code="110108").pk,
        "founded_on": "2018-03-12",
        "legal_representative": "王建国",
        "address": "北京市海淀区中关村大街1号",
        "contact_name": "张联系",
        "contact_phone": "010-62345678",
        "contact_email": "contact@example.com",
        "username": "newunit",
        "real_name": "张管理",
        "phone": "13800138000",
        "email": "admin@example.com",
        "password1": "Strong#Pass2026",
        "password2": "Strong#Pass2026",
    }
    data.update(overrides)
    return data


def test_registration_creates_organisation_and_its_administrator(client):
    response = client.post(reverse("accounts:register"), form_data())
    assert response.status_code == 302
    org = Organisation.objects.get(uscc="91110108MA01ABCD2H")
    user = User.objects.get(username="newunit")
    assert user.organisation == org
    assert user.is_org_admin and user.role == Role.APPLICANT and user.city == "beijing"
    landing = client.get(response.url)
    assert "北京测试科技服务有限公司" in landing.content.decode()


def test_lower_case_code_with_spaces_is_normalised(client):
    client.post(reverse("accounts:register"), form_data(uscc=" 91110108ma01abcd2h "))
    assert Organisation.objects.filter(uscc="91110108MA01ABCD2H").exists()


@pytest.mark.parametrize(
    ("uscc", "message"),
    [
        ("91110108MA01ABCD2A", "校验位不正确"),
        ("91110108MA01ABCD", "应为18位"),
        ("91110108MA01ABCI2H", "不允许的字符"),
    ],
)
def test_invalid_code_gets_clear_message_and_stores_nothing(client, uscc, message):
    response = client.post(reverse("accounts:register"), form_data(uscc=uscc))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organisation.objects.count() == 0
    assert not User.objects.filter(username="newunit").exists()


def test_one_organisation_per_code(client):
    OrganisationFactory(uscc="91110108MA01ABCD2H")
    response = client.post(reverse("accounts:register"), form_data())
    assert "该统一社会信用代码已注册" in response.content.decode()
    assert Organisation.objects.count() == 1
    assert not User.objects.filter(username="newunit").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password1": "12345678901", "password2": "12345678901"}, "密码"),
        ({"password2": "Other#Pass2026"}, "两次输入的密码不一致"),
        ({"founded_on": "2999-01-01"}, "成立日期不能晚于今天"),
        ({"contact_phone": "abc"}, "有效的电话号码"),
        ({"username": "bad name!"}, "用户名只能包含"),
        ({"district": ""}, "必填"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message(client, overrides, message):
    response = client.post(reverse("accounts:register"), form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organisation.objects.count() == 0


def test_registration_page_renders_in_chinese(client):
    response = client.get(reverse("accounts:register"))
    body = response.content.decode()
    assert "申报单位注册" in body and "统一社会信用代码" in body
    assert 'lang="zh-CN"' in body


def test_org_admin_adds_a_member_and_staff_cannot(client, applicant):
    client.force_login(applicant)
    response = client.post(reverse("accounts:member_add"), {
        "username": "staff1", "real_name": "李经办", "phone": "13900139000", "email": "s@example.com",
        "password1": "Staff#Pass2026", "password2": "Staff#Pass2026",
    })
    assert response.status_code == 302
    staff = User.objects.get(username="staff1")
    assert staff.organisation_id == applicant.organisation_id and not staff.is_org_admin
    client.force_login(staff)
    response = client.post(reverse("accounts:member_add"), {
        "username": "staff2", "real_name": "赵经办", "phone": "13900139001", "email": "t@example.com",
        "password1": "Staff#Pass2026", "password2": "Staff#Pass2026",
    })
    assert response.status_code == 403
    assert not User.objects.filter(username="staff2").exists()


def test_org_admin_cannot_touch_another_organisations_member(client, applicant):
    other = OrganisationFactory()
    from tests.factories import ApplicantFactory

    stranger = ApplicantFactory(organisation=other)
    client.force_login(applicant)
    response = client.post(reverse("accounts:member_toggle", args=[stranger.pk]))
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active


def test_typed_date_survives_a_validation_error(client):
    """Date inputs need ISO values; a localised value would make the browser drop what was typed."""
    response = client.post(reverse("accounts:register"), form_data(password2="Other#Pass2026"))
    assert 'value="2018-03-12"' in response.content.decode()
