"""Login, lockout after repeated failures (django-axes), password reset, idle time-out."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_succeeds_and_lands_on_role_page(client, applicant):
    response = client.post(reverse("accounts:login"), {"username": applicant.username, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("accounts:landing")


def test_wrong_password_gets_chinese_message(client, applicant):
    response = client.post(reverse("accounts:login"), {"username": applicant.username, "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode()


def test_lockout_after_five_failures_even_with_the_right_password(client, applicant):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": applicant.username, "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": applicant.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "账号已临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_name(client, applicant):
    from tests.factories import ApplicantFactory

    other = ApplicantFactory(organisation=applicant.organisation)
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": applicant.username, "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": other.username, "password": PASSWORD})
    assert response.status_code == 302


def test_password_reset_sends_mail_in_chinese(client, applicant):
    response = client.post(reverse("accounts:password_reset"), {"email": applicant.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "重设密码" in mail.outbox[0].subject
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_password_change_requires_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_idle_official_is_signed_out(client, settings):
    from tests.factories import DistrictOfficerFactory

    officer = DistrictOfficerFactory()
    client.force_login(officer)
    session = client.session
    session["last_activity"] = 1  # long ago
    session.save()
    response = client.get(reverse("accounts:landing"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    follow = client.get(response.url)
    assert "长时间未操作" in follow.content.decode()


def test_logout_needs_post(client, applicant):
    client.force_login(applicant)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session
