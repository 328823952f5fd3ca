"""A real Celery worker (subprocess, Redis broker) runs a sweep against the test database.

Needs REDIS_URL (skips without it, fails under PORTAL_REQUIRE_SERVICES=1 as in CI). The worker reads the
test database: its settings come through DATABASE_URL built from ``connection.settings_dict``, and the
test commits its rows (transaction=True).
"""

import datetime
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from carriers.models import Carrier
from portal import sweeps
from portal.models import SweepRun
from tests import factories
from tests.portal.test_sweeps import OURS, snapshot

ROOT = Path(__file__).resolve().parents[2]
TODAY = datetime.date(2026, 7, 1)


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            auth += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "localhost"
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{auth}@{host}{port}/{quote(db['NAME'], safe='')}"
    if connection.vendor == "sqlite":
        name = db["NAME"]
        if connection.creation.is_in_memory_db(name):
            pytest.skip("内存中的 SQLite 测试数据库无法被另一个进程读取；请使用 PostgreSQL（DATABASE_URL）。")
        return f"sqlite:///{name}"
    pytest.skip(f"不支持的数据库：{connection.vendor}")


def start_worker(queue: str, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "DATABASE_URL": database_url(),
           "REDIS_URL": settings.REDIS_URL, "CONN_MAX_AGE": "0", "PORTAL_VAR_DIR": str(settings.VAR_DIR)}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    log = log_path.open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "-c", "1", "-Q", queue,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO", "-n", f"{queue}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop(worker: subprocess.Popen):
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(5)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_runs_the_expiry_sweep_and_sweeps_are_idempotent(redis_client):
    from portal.celery import app
    from portal.tasks import run_sweep_task

    due = factories.CarrierFactory(valid_from=datetime.date(2025, 7, 1), valid_until=datetime.date(2026, 6, 30))
    kept = factories.CarrierFactory(valid_from=datetime.date(2026, 1, 1), valid_until=datetime.date(2027, 12, 31))
    queue = f"portal-test-{uuid.uuid4().hex[:12]}"
    log_path = Path(tempfile.mkdtemp(prefix="celery-worker-")) / "worker.log"
    worker = start_worker(queue, log_path)
    eager = app.conf.task_always_eager
    try:
        app.conf.task_always_eager = False
        run_sweep_task.apply_async(args=["expire_carriers", TODAY.isoformat()], queue=queue)
        app.conf.task_always_eager = eager
        deadline = time.monotonic() + 60
        run = None
        while time.monotonic() < deadline and run is None:
            assert worker.poll() is None, f"Celery worker 已退出：\n{log_path.read_text(errors='replace')[-3000:]}"
            run = SweepRun.objects.filter(name="expire_carriers", outcome=SweepRun.Outcome.DONE).first()
            time.sleep(0.5)
        assert run is not None, f"60 秒内没有运行记录：\n{log_path.read_text(errors='replace')[-3000:]}"
        assert run.changed_ids == {"expired": [due.pk]} and run.today == TODAY
    finally:
        app.conf.task_always_eager = eager
        stop(worker)
        redis_client.delete(queue)
    assert Carrier.objects.get(pk=due.pk).status == Carrier.Status.EXPIRED
    assert Carrier.objects.get(pk=kept.pk).status == Carrier.Status.ACTIVE

    for name in OURS:
        sweeps.run_sweep(name, today=TODAY)
    after_first = snapshot()
    for name in OURS:
        assert sweeps.run_sweep(name, today=TODAY).outcome == SweepRun.Outcome.DONE
    assert snapshot() == after_first
