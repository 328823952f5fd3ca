"""Two officials acting on the same application at the same moment: exactly one
transition happens; the other gets a clear message (PostgreSQL, two real connections)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from applications.models import ApplicationEvent, ApplicationState
from applications.workflow import TransitionRefused, transition
from tests import factories


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_at_once_only_one_transition(postgres):
    app = factories.ApplicationFactory(state=ApplicationState.DISTRICT_REVIEW, submitted_at=timezone.now())
    first = factories.DistrictOfficerFactory(district_code=app.district.code)
    second = factories.DistrictOfficerFactory(district_code=app.district.code)
    seen_version = app.version
    barrier = threading.Barrier(2)
    outcomes = {}

    def act(officer, action, comment):
        try:
            barrier.wait(timeout=10)
            transition(app.pk, action, officer, comment, expected_version=seen_version)
            outcomes[officer.pk] = "done"
        except TransitionRefused as refused:
            outcomes[officer.pk] = refused.message
        finally:
            connection.close()  # each thread used its own connection

    threads = [
        threading.Thread(target=act, args=(first, "return_for_revision", "请补充场地证明")),
        threading.Thread(target=act, args=(second, "reject", "不符合条件")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values(), key=lambda v: v != "done")[0] == "done"
    refusals = [message for message in outcomes.values() if message != "done"]
    assert len(refusals) == 1
    assert "已被他人处理或更新" in refusals[0]
    app.refresh_from_db()
    assert app.version == seen_version + 1
    assert ApplicationEvent.objects.filter(application=app).count() == 1
    assert app.state in (ApplicationState.DRAFT, ApplicationState.REJECTED)


@pytest.mark.django_db
def test_reference_data_survives_the_transactional_test():
    from accounts.models import District

    assert District.objects.count() == 28
