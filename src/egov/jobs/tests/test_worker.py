"""Jobs run by a real `egov worker` process, on the SQLite queue and (when set) on Redis."""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from egov.core.files import file_store
from egov.jobs import enqueue, enqueue_on_commit, queue_health
from egov.jobs.diagnostics import jobs_probe, probe_path
from egov.jobs.queue import queue
from egov.jobs.schedule import PERIODIC, SCHEDULE
from egov.jobs.tests.conftest import Worker, wait_for


def _token() -> str:
    return f"t-{secrets.token_hex(6)}"


def _result(result, worker: Worker):  # type: ignore[no-untyped-def]
    try:
        return result.get(blocking=True, timeout=60)
    except Exception as exc:
        raise AssertionError(
            f"job not done: {exc!r}\n--- worker log ---\n{worker.output()}"
        ) from exc


def test_worker_runs_an_enqueued_job(worker: Worker):
    token = _token()
    report = _result(enqueue(jobs_probe, token), worker)
    assert report["token"] == token
    assert report["pid"] == worker.process.pid  # run by the worker, not in this process
    assert json.loads(probe_path(token).read_text())["pid"] == worker.process.pid


def test_worker_heartbeat_shows_in_queue_health(worker: Worker):
    health = wait_for(
        lambda: (h := queue_health()) and h["worker_alive"] and h,
        what=f"a heartbeat\n{worker.log}",
    )
    assert health["backend"] == worker.backend
    assert health["mode"] == "worker"
    assert health["pending"] >= 0


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_queues_after_commit_and_never_on_rollback(worker: Worker):
    committed, rolled_back, marker = _token(), _token(), _token()
    with transaction.atomic():
        enqueue_on_commit(jobs_probe, committed)
        assert queue().pending_count() == 0  # nothing reaches the queue before COMMIT
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(jobs_probe, rolled_back)
        raise RuntimeError("the service failed")
    _result(enqueue(jobs_probe, marker), worker)  # one worker thread, FIFO: the others ran first
    wait_for(probe_path(committed).exists, what="the committed job")
    assert not probe_path(rolled_back).exists()


def test_jobs_refuse_model_instances():
    from egov.core.models import StoredFile

    with pytest.raises(TypeError, match="pass ids"):
        enqueue(jobs_probe, StoredFile(sha256="0" * 64))


@pytest.mark.django_db(transaction=True)
def test_worker_job_reads_the_database(worker: Worker, settings, tmp_path):  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("the SQLite test database lives in this process's memory; see the PG run")
    files_root = Path(settings.FILES_ROOT)
    kept = file_store(
        upload=SimpleUploadedFile("giu.txt", f"giữ lại {_token()}".encode()),
        field="f",
        allowed={"txt"},
        actor=None,
    )
    orphan = files_root / "ff" / "ee" / ("ffee" + secrets.token_hex(30))
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"orphan")
    two_days_ago = (orphan.stat().st_mtime - timedelta(days=2).total_seconds(),) * 2
    os.utime(orphan, two_days_ago)
    os.utime(files_root / kept.storage_key, two_days_ago)

    enqueue(PERIODIC["files_sweep_orphans"])  # periodic jobs keep no result: watch the blob

    wait_for(lambda: not orphan.exists(), what=f"the orphan swept\n{worker.output()}")
    assert (files_root / kept.storage_key).exists()  # its row, committed here, seen by the worker


def test_periodic_schedule_is_declared_once():
    # One periodic task per SCHEDULE line, and none declared anywhere else.
    assert set(PERIODIC) == set(SCHEDULE)
    assert {"jobs_heartbeat", "files_sweep_orphans"} <= set(PERIODIC)
    assert all(task.task_class.__module__ == "egov.jobs.schedule" for task in PERIODIC.values())
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
