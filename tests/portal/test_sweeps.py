"""The scheduled sweeps: registry, lock, run records, each sweep's rules, idempotency, command, task, beat."""

import datetime
import io
import threading

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils.module_loading import import_string

from accounts.models import Role
from applications.models import ApplicationState, Round
from applications.sweeps import gz_stations_without_re_review
from carriers.models import Carrier, CarrierEvent
from portal import sweeps
from portal.models import Notification, SweepRun
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 7, 1)
S = Carrier.Status
# Written by another helper; its own tests call it. Ours leave it out.
OURS = [name for name in sweeps.SWEEPS if name != "fail_missing_self_assessments"]


def snapshot():
    """Every row of every table but the run records: two equal snapshots mean nothing changed."""
    rows = {}
    for model in django_apps.get_models():
        if model is SweepRun or model._meta.proxy or not model._meta.managed:
            continue
        rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


class World:
    """On 2026-07-01: carriers expiring, GZ stations at the end of their three years, rounds opening and closing."""

    def __init__(self):
        day = datetime.date
        self.bj_org = factories.OrganisationFactory(district_code="110108")
        self.gz_org = factories.OrganisationFactory(district_code="440106")
        self.bj_user = factories.ApplicantFactory(organisation=self.bj_org)
        self.gz_user = factories.ApplicantFactory(organisation=self.gz_org)
        self.bj_district = factories.DistrictOfficerFactory(district_code="110108")
        self.gz_district = factories.DistrictOfficerFactory(district_code="440106")
        self.expired = factories.CarrierFactory(organisation=self.bj_org, valid_from=day(2025, 7, 1),
                                                valid_until=day(2026, 6, 30))
        self.expiring = factories.CarrierFactory(organisation=self.bj_org, valid_from=day(2025, 8, 20),
                                                 valid_until=day(2026, 8, 19))
        self.far = factories.CarrierFactory(valid_from=day(2026, 1, 1), valid_until=day(2027, 12, 31))
        self.open_ended = factories.CarrierFactory(type_code="bj_demo_platform", valid_from=day(2024, 1, 1),
                                                   valid_until=None)
        # GZ: the 2026 round closed on 31 May; the district deadline passed on 20 June.
        self.gz_round = factories.RoundFactory(type_code="gz_service_station", year=2026, opens_on=day(2026, 4, 1),
                                               closes_on=day(2026, 5, 31), district_deadline=day(2026, 6, 20))
        gz = {"type_code": "gz_service_station", "valid_from": day(2023, 6, 16), "valid_until": day(2026, 6, 15)}
        self.no_re_review = factories.CarrierFactory(organisation=self.gz_org, **gz)
        self.pending = factories.CarrierFactory(organisation=factories.OrganisationFactory(district_code="440106"),
                                                **gz)
        factories.submitted_application(round=self.gz_round, organisation=self.pending.organisation,
                                        renews_carrier=self.pending)
        self.draft_only = factories.CarrierFactory(organisation=factories.OrganisationFactory(district_code="440106"),
                                                   **gz)
        factories.ApplicationFactory(round=self.gz_round, organisation=self.draft_only.organisation)
        self.withdrawn = factories.CarrierFactory(organisation=factories.OrganisationFactory(district_code="440106"),
                                                  **gz)
        factories.ApplicationFactory(round=self.gz_round, organisation=self.withdrawn.organisation,
                                     state=ApplicationState.WITHDRAWN)
        self.gz_in_force = factories.CarrierFactory(
            organisation=factories.OrganisationFactory(district_code="440106"), type_code="gz_service_station",
            valid_from=day(2024, 1, 1), valid_until=day(2026, 12, 31))
        # BJ: the station round opens today; the platform round closed yesterday, districts have until 10 July.
        self.opening = factories.RoundFactory(type_code="bj_srdi_station", year=2026, opens_on=TODAY,
                                              closes_on=day(2026, 7, 31), district_deadline=day(2026, 8, 15))
        self.closing = factories.RoundFactory(type_code="bj_demo_platform", year=2026, opens_on=day(2026, 6, 1),
                                              closes_on=day(2026, 6, 30), district_deadline=day(2026, 7, 10))
        factories.submitted_application(round=self.closing, organisation=self.bj_org)
        self.future = factories.RoundFactory(type_code="bj_demo_base", year=2026, opens_on=day(2026, 9, 1),
                                             closes_on=day(2026, 9, 30), district_deadline=day(2026, 10, 15))


@pytest.fixture
def world():
    return World()


def statuses(*carriers):
    return [Carrier.objects.get(pk=c.pk).status for c in carriers]


def test_registry_paths_import_and_revocation_runs_before_expiry():
    for sweep in sweeps.SWEEPS.values():
        assert callable(import_string(sweep.path)), sweep.name
    order = list(sweeps.SWEEPS)
    assert order.index("revoke_gz_without_re_review") < order.index("expire_carriers")
    with pytest.raises(sweeps.UnknownSweep):
        sweeps.run_sweep("no_such_sweep")


def test_run_records_counts_and_ids(world):
    run = sweeps.run_sweep("expire_carriers", today=TODAY)
    assert (run.outcome, run.dry_run, run.today) == (SweepRun.Outcome.DONE, False, TODAY)
    assert run.finished_at is not None and run.error == ""
    # The GZ stations are due too: run alone, expiry does not know about 复核.
    expired = {world.expired.pk, world.no_re_review.pk, world.pending.pk, world.draft_only.pk, world.withdrawn.pk}
    assert run.counts == {"expired": 5} and set(run.changed_ids["expired"]) == expired
    assert SweepRun.objects.get(pk=run.pk).changed_ids == run.changed_ids


def test_dry_run_is_recorded_and_changes_nothing(world):
    before = snapshot()
    for name in OURS:
        run = sweeps.run_sweep(name, today=TODAY, dry_run=True)
        assert run.dry_run and run.outcome == SweepRun.Outcome.DONE
    assert snapshot() == before
    assert SweepRun.objects.get(name="expire_carriers").counts == {"expired": 5}


def test_second_run_while_one_holds_the_lock_is_skipped_and_changes_nothing(world):
    held, release, done = threading.Event(), threading.Event(), threading.Event()

    def other_run():
        try:
            with sweeps.sweep_lock("expire_carriers") as acquired:
                assert acquired
                held.set()
                release.wait(10)
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=other_run)
    thread.start()
    try:
        assert held.wait(10)
        before = snapshot()
        run = sweeps.run_sweep("expire_carriers", today=TODAY)
        assert (run.outcome, run.error, run.counts) == (SweepRun.Outcome.SKIPPED, sweeps.LOCKED, {})
        assert snapshot() == before
    finally:
        release.set()
        thread.join(10)
    assert done.is_set()
    assert sweeps.run_sweep("expire_carriers", today=TODAY).outcome == SweepRun.Outcome.DONE


def test_a_failing_sweep_is_recorded(world, monkeypatch):
    def broken(today, dry_run):
        raise RuntimeError("数据异常")

    monkeypatch.setattr("carriers.sweeps.expire_carriers", broken)
    with pytest.raises(RuntimeError):
        sweeps.run_sweep("expire_carriers", today=TODAY)
    run = SweepRun.objects.get(name="expire_carriers")
    assert run.outcome == SweepRun.Outcome.FAILED and "数据异常" in run.error
    with sweeps.sweep_lock("expire_carriers") as acquired:  # the lock was released
        assert acquired


def test_gz_stations_without_re_review_are_revoked_on_ground_5_before_expiry(world):
    run = sweeps.run_sweep("revoke_gz_without_re_review", today=TODAY)
    assert set(run.changed_ids["revoked"]) == {world.no_re_review.pk, world.draft_only.pk, world.withdrawn.pk}
    station = Carrier.objects.get(pk=world.no_re_review.pk)
    assert (station.status, station.revoked_on) == (S.REVOKED, TODAY)
    assert station.revocation_ground.startswith("四（三）5")
    event = CarrierEvent.objects.get(carrier=station, action="revoke")
    assert event.actor is None and "2026年度" in event.comment
    # The pending re-review is not touched; nothing else is either.
    assert statuses(world.pending, world.gz_in_force, world.expired) == [S.ACTIVE] * 3
    run = sweeps.run_sweep("expire_carriers", today=TODAY)
    assert set(run.changed_ids["expired"]) == {world.expired.pk, world.pending.pk}
    assert statuses(world.no_re_review, world.draft_only) == [S.REVOKED, S.REVOKED]


def test_the_unit_of_a_revoked_gz_station_is_told(world):
    sweeps.run_sweep("revoke_gz_without_re_review", today=TODAY)
    note = Notification.objects.get(recipient=world.gz_user, title=f"“{world.no_re_review.name}”已撤销认定")
    assert "2026年07月01日" in note.body and "四（三）5" in note.body and "未在2026年度申报中申请复核" in note.body
    assert note.url == f"/carriers/{world.no_re_review.number}/"


def test_gz_station_is_not_revoked_while_its_round_still_takes_applications(world):
    Round.objects.filter(pk=world.gz_round.pk).update(closes_on=datetime.date(2026, 7, 5),
                                                      district_deadline=datetime.date(2026, 7, 20))
    assert sweeps.run_sweep("revoke_gz_without_re_review", today=TODAY).counts == {"revoked": 0}
    run = sweeps.run_sweep("revoke_gz_without_re_review", today=datetime.date(2026, 7, 6))
    assert run.counts == {"revoked": 3}


def test_revocation_selects_with_a_fixed_number_of_queries(django_assert_num_queries):
    gz = {"type_code": "gz_service_station", "valid_from": datetime.date(2023, 1, 1),
          "valid_until": datetime.date(2026, 1, 1)}
    factories.CarrierFactory.create_batch(3, **gz)
    with django_assert_num_queries(1):
        assert len(list(gz_stations_without_re_review(TODAY))) == 3
    factories.CarrierFactory.create_batch(20, **gz)
    with django_assert_num_queries(1):
        assert len(list(gz_stations_without_re_review(TODAY))) == 23


def test_expiry_query_count_does_not_grow_with_the_carriers(django_assert_num_queries):
    def expire_batch(n, today):
        factories.CarrierFactory.create_batch(n, valid_from=datetime.date(2025, 1, 1),
                                              valid_until=today - datetime.timedelta(days=1))
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert sweeps.run_sweep("expire_carriers", today=today).counts == {"expired": n}
        return len(queries)

    assert expire_batch(5, TODAY) == expire_batch(30, TODAY + datetime.timedelta(days=10))


def test_rounds_opening_and_closing_are_announced_once(world):
    run = sweeps.run_sweep("open_close_rounds", today=TODAY)
    assert run.changed_ids == {"opened": [world.opening.pk], "closed": [world.closing.pk]}
    opened = Notification.objects.filter(title__startswith="申报开始")
    assert world.bj_user in [n.recipient for n in opened]
    assert not opened.filter(recipient__organisation__district__city="guangzhou").exists()
    assert not opened.exclude(recipient__role=Role.APPLICANT).exists()
    closed = Notification.objects.filter(title__startswith="申报已截止")
    assert [n.recipient for n in closed] == [world.bj_district]
    assert "待初审的申报 1 份" in closed.get().body and "2026年07月10日" in closed.get().body
    count = Notification.objects.count()
    assert sweeps.run_sweep("open_close_rounds", today=TODAY).counts == {"opened": 0, "closed": 0}
    assert Notification.objects.count() == count
    # The future round opens on its own day.
    assert sweeps.run_sweep("open_close_rounds", today=datetime.date(2026, 9, 1)).changed_ids["opened"] == [
        world.future.pk]


def test_expiring_titles_are_reminded_once_per_validity(world):
    run = sweeps.run_sweep("reminders", today=TODAY)
    assert run.changed_ids["expiry_reminded"] == [world.expiring.pk]
    notes = Notification.objects.filter(title__contains="称号即将到期")
    assert world.bj_user in [n.recipient for n in notes]
    assert {n.recipient.organisation_id for n in notes} == {world.bj_org.pk}
    assert "2026年08月19日" in notes[0].body
    assert sweeps.run_sweep("reminders", today=TODAY + datetime.timedelta(days=5)).counts["expiry_reminded"] == 0
    from carriers import lifecycle

    lifecycle.extend(world.expiring.pk, datetime.date(2027, 8, 19), None, TODAY, "评价合格")
    assert sweeps.run_sweep("reminders", today=datetime.date(2027, 7, 1)).changed_ids["expiry_reminded"] == [
        world.expiring.pk]
    assert Notification.objects.filter(title__contains="称号即将到期").count() == 2 * len(notes)


@pytest.mark.parametrize("name", OURS)
def test_every_sweep_is_idempotent(world, name):
    sweeps.run_sweep(name, today=TODAY)
    after_first = snapshot()
    second = sweeps.run_sweep(name, today=TODAY)
    assert snapshot() == after_first
    assert not any(second.counts.values())


def test_all_sweeps_in_order_then_again_change_nothing(world):
    for name in OURS:
        sweeps.run_sweep(name, today=TODAY)
    assert statuses(world.no_re_review, world.pending, world.expired, world.gz_in_force) == [
        S.REVOKED, S.EXPIRED, S.EXPIRED, S.ACTIVE]
    after_first = snapshot()
    for name in OURS:
        sweeps.run_sweep(name, today=TODAY)
    assert snapshot() == after_first


def test_command_prints_counts_and_ids_in_chinese(world, monkeypatch):
    out = io.StringIO()
    call_command("run_sweep", "expire_carriers", "--dry-run", "--today", "2026-07-01", stdout=out)
    text = out.getvalue()
    assert "试运行（未作任何修改）" in text and "有效期届满的载体：5" in text and str(world.expired.pk) in text
    assert Carrier.objects.get(pk=world.expired.pk).status == S.ACTIVE
    monkeypatch.setattr(sweeps, "SWEEPS", {n: s for n, s in sweeps.SWEEPS.items() if n in OURS})
    monkeypatch.setattr("portal.management.commands.run_sweep.SWEEPS", sweeps.SWEEPS)
    out = io.StringIO()
    call_command("run_sweep", "all", "--today", "2026-07-01", stdout=out)
    text = out.getvalue()
    assert "【广州服务站三年期满未申请复核撤销】" in text and "撤销的载体：3" in text
    assert text.index("revoke_gz_without_re_review") < text.index("expire_carriers")
    assert Carrier.objects.get(pk=world.expired.pk).status == S.EXPIRED
    with pytest.raises(CommandError, match="没有名为"):
        call_command("run_sweep", "nonsense")
    with pytest.raises(CommandError, match="格式无效"):
        call_command("run_sweep", "reminders", "--today", "1.7.2026")


def test_celery_task_runs_the_sweep(world):
    from portal.tasks import run_sweep_task

    outcome = run_sweep_task.delay("expire_carriers", "2026-07-01").get()
    assert outcome["outcome"] == "done" and outcome["counts"] == {"expired": 5}
    assert SweepRun.objects.filter(pk=outcome["run"], name="expire_carriers").exists()


def test_every_sweep_has_a_beat_schedule_in_beijing_time_in_order():
    import json

    from django_celery_beat.models import PeriodicTask

    tasks = {json.loads(t.args)[0]: t for t in PeriodicTask.objects.filter(task="portal.tasks.run_sweep_task")}
    assert set(tasks) == set(sweeps.SWEEPS)
    for task in tasks.values():
        assert task.enabled and str(task.crontab.timezone) == "Asia/Shanghai"

    def at(name):
        return int(tasks[name].crontab.hour), int(tasks[name].crontab.minute)

    assert at("fail_missing_self_assessments") < at("revoke_gz_without_re_review") < at("expire_carriers")
    assert not PeriodicTask.objects.get(task="reviews.tasks.close_ended_notices").enabled
