"""Jobs that check the job system itself: the worker's heartbeat and a probe job."""

from __future__ import annotations

import json
import os
import re
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from huey.contrib.djhuey import on_startup

from egov.jobs.queue import heartbeat, job

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@on_startup(name="egov_heartbeat_on_start")
def _beat_on_start() -> None:
    heartbeat()


def probe_path(token: str) -> Any:
    if not _TOKEN.match(token):
        raise ValueError("probe token must be 1-64 letters, digits, '-' or '_'")
    return settings.DATA_DIR / "probes" / f"{token}.json"


@job(name="jobs_probe")
def jobs_probe(token: str) -> dict[str, Any]:
    """Write ``<data dir>/probes/<token>.json`` and return what was written.

    `egov jobs_check` and the job tests enqueue it to prove a worker runs jobs.
    """
    path = probe_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "token": token,
        "pid": os.getpid(),
        "database": connection.vendor,
        "at": timezone.now().isoformat(),
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(report))
    tmp.replace(path)  # atomic: a reader sees the whole file or none
    return report
