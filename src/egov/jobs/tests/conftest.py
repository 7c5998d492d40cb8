"""A real `egov worker` subprocess on a private queue, for the job tests.

The worker shares the test process's data dir (so it sees the same files and SQLite queue
file) but listens on a queue name of its own, so parallel test runs cannot take each other's
jobs. On PostgreSQL it also uses the test database, so jobs see rows the test committed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from huey.storage import RedisStorage, SqliteStorage

from egov.jobs.queue import queue

BACKENDS = ["sqlite", "redis"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", BACKENDS, scope="module")


@dataclass
class Worker:
    backend: str
    queue_name: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def wait_for(condition: Callable[[], Any], *, timeout: float = 60.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")


def _database_url() -> str | None:
    if connection.vendor != "postgresql":
        return None  # the SQLite test database is in memory: the worker cannot share it
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture(scope="module")
def worker(
    backend: str, tmp_path_factory: pytest.TempPathFactory, django_db_setup: None
) -> Iterator[Worker]:
    """One worker per backend for the module (starting one takes about two seconds)."""
    redis_url = os.environ.get("REDIS_URL", "")
    if backend == "redis" and not redis_url:
        pytest.skip("REDIS_URL is not set: the Redis queue runs in the PostgreSQL + Redis suite")
    name = f"test-{uuid.uuid4().hex[:12]}"
    huey = queue()
    saved_immediate = huey.immediate
    huey.immediate = False
    huey.storage = (
        SqliteStorage(name, filename=str(settings.DATA_DIR / "jobs.sqlite3"))
        if backend == "sqlite"
        else RedisStorage(name, url=redis_url)
    )
    env = {
        **os.environ,
        "EGOV_DATA_DIR": str(settings.DATA_DIR),
        "EGOV_JOBS_IMMEDIATE": "0",
        "EGOV_JOBS_QUEUE": name,
        "DJANGO_SETTINGS_MODULE": "egov.conf.settings",
    }
    if backend == "sqlite":
        env.pop("REDIS_URL", None)
    database_url = _database_url()
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "egov", "worker", "--workers", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    running = Worker(backend, name, process, log)
    try:
        yield running
    finally:
        process.send_signal(signal.SIGINT)  # graceful: finish the job in hand
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        huey.storage.flush_all()
        huey.immediate = True
        huey.immediate = saved_immediate
