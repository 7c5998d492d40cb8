"""/healthz: database and job queue, 503 when either is unreachable."""

from __future__ import annotations

import pytest
from huey.storage import RedisStorage, SqliteStorage

from egov.jobs.queue import HEARTBEAT_KEY, heartbeat, queue


@pytest.fixture
def real_queue(settings, tmp_path):
    """The configured huey with a real (non-immediate) SQLite queue in a temporary file."""
    huey = queue()
    saved = huey.immediate
    huey.immediate = False
    huey.storage = SqliteStorage("health-test", filename=str(tmp_path / "jobs.sqlite3"))
    try:
        yield huey
    finally:
        huey.immediate = True
        huey.immediate = saved


@pytest.mark.django_db
def test_healthz_reports_database_and_immediate_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["jobs"]["status"] == "ok"
    assert body["jobs"]["backend"] in {"sqlite", "redis"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_counts_pending_jobs_and_sees_the_heartbeat(client, real_queue):
    from egov.jobs import enqueue
    from egov.jobs.diagnostics import jobs_probe

    body = client.get("/healthz").json()
    assert body["jobs"] == {
        "status": "ok",
        "backend": "sqlite",
        "mode": "worker",
        "pending": 0,
        "scheduled": 0,
        "worker_seen": None,
        "worker_alive": False,
    }
    enqueue(jobs_probe, "health")
    enqueue(jobs_probe, "health")
    heartbeat()
    jobs = client.get("/healthz").json()["jobs"]
    assert jobs["pending"] == 2
    assert jobs["worker_alive"] is True
    assert jobs["worker_seen"] == real_queue.get(HEARTBEAT_KEY, peek=True)["at"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_queue_is_unreachable(client, real_queue):
    real_queue.storage = RedisStorage("health-test", url="redis://127.0.0.1:1/0")  # nothing listens
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["jobs"]["status"].startswith("error: ")
    assert body["jobs"]["backend"] == "redis"
