"""In-portal notifications with an unread count, and e-mail sent through Celery after the commit."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationState
from applications.workflow import transition
from portal.models import Notification
from portal.tasks import email_notifications
from tests import factories

pytestmark = pytest.mark.django_db


def test_submission_notifies_the_district_in_portal_and_by_email(django_capture_on_commit_callbacks):
    app = factories.ApplicationFactory()
    officer = factories.DistrictOfficerFactory(district_code=app.district.code, email="officer@example.com")
    factories.DistrictOfficerFactory(district_code="110105")  # another district: not told
    applicant = factories.ApplicantFactory(organisation=app.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        transition(app.pk, "submit", applicant)
    note = Notification.objects.get()
    assert note.recipient == officer and "新申报待初审" in note.title
    assert [m.to for m in mail.outbox] == [["officer@example.com"]]
    assert "新申报待初审" in mail.outbox[0].subject
    note.refresh_from_db()
    assert note.emailed_at is not None


def test_return_notifies_every_member_of_the_unit(django_capture_on_commit_callbacks):
    app = factories.ApplicationFactory(state=ApplicationState.DISTRICT_REVIEW, submitted_at=timezone.now())
    members = [factories.ApplicantFactory(organisation=app.organisation) for _ in range(2)]
    officer = factories.DistrictOfficerFactory(district_code=app.district.code)
    with django_capture_on_commit_callbacks(execute=True):
        transition(app.pk, "return_for_revision", officer, "请补充办公场所租赁合同")
    assert set(Notification.objects.values_list("recipient", flat=True)) >= {m.pk for m in members}
    assert all("请补充办公场所租赁合同" in n.body for n in Notification.objects.all())


def test_email_task_is_idempotent():
    user = factories.ApplicantFactory(email="a@example.com")
    note = Notification.objects.create(recipient=user, title="测试")
    assert email_notifications([note.pk]) == 1
    assert email_notifications([note.pk]) == 0
    assert len(mail.outbox) == 1


def test_notification_list_unread_count_and_marking_read(client):
    user = factories.ApplicantFactory()
    other = factories.ApplicantFactory()
    Notification.objects.create(recipient=user, title="申报被退回修改：SB2026000001", url="/applications/1/")
    Notification.objects.create(recipient=other, title="别人的消息")
    client.force_login(user)
    home = client.get("/").content.decode()
    assert "条未读" in home
    page = client.get(reverse("notifications")).content.decode()
    assert "申报被退回修改" in page and "别人的消息" not in page and "未读" in page
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).exists()


def test_notification_list_needs_login(client):
    assert client.get(reverse("notifications")).status_code == 302


def test_notification_list_query_count_is_bounded(client):
    """The same number of queries for 5 and for 40 messages."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = factories.ApplicantFactory()
    client.force_login(user)
    counts = []
    for n in (5, 40):
        Notification.objects.filter(recipient=user).delete()
        Notification.objects.bulk_create([Notification(recipient=user, title=f"消息{i}") for i in range(n)])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("notifications")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 10, counts
