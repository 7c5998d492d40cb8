"""The one job interface of egov, over huey (see docs/decisions/0001-job-runner.md).

    from egov.jobs import job, enqueue_on_commit

    @job(retries=3, retry_delay=60)
    def dossier_notify(dossier_id: int) -> None:   # in <app>/jobs.py: thin, takes ids
        notifications.services.dossier_notify(dossier_id=dossier_id)

    # in a service, inside its transaction:
    enqueue_on_commit(dossier_notify, dossier.pk)

Jobs run in `egov worker` (huey's consumer): the queue is a SQLite file in the data dir by
default and Redis when ``REDIS_URL`` is set. With ``EGOV_JOBS_IMMEDIATE=1`` (the tests) a job
runs in the calling process at the moment it is enqueued.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from huey import RedisHuey, SqliteHuey
from huey.api import Huey, Result, TaskWrapper
from huey.contrib.djhuey import HUEY, db_task
from huey.storage import RedisStorage, SqliteStorage

F = TypeVar("F", bound=Callable[..., Any])

HEARTBEAT_KEY = "egov:worker-heartbeat"
# A worker beats at start and every minute (jobs.schedule); silent longer than this is gone.
HEARTBEAT_STALE_AFTER = dt.timedelta(minutes=3)


def job(
    name: str | None = None,
    *,
    retries: int = 0,
    retry_delay: int = 0,
    priority: int | None = None,
    expires: int | dt.timedelta | None = None,
    timeout: int | None = None,
) -> Callable[[Callable[..., Any]], TaskWrapper]:
    """Declare a background job (a huey ``db_task``: database connections are tidied around it).

    ``name`` defaults to the function's name; the queue knows the job as ``<module>.<name>``,
    so renaming or moving a job strands the copies already queued: keep names stable.
    """

    def decorator(fn: Callable[..., Any]) -> TaskWrapper:
        wrapper: TaskWrapper = db_task(
            name=name or fn.__name__,
            retries=retries,
            retry_delay=retry_delay,
            priority=priority,
            expires=expires,
            timeout=timeout,
        )(fn)
        return wrapper

    return decorator


def _check_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, models.Model):
            raise TypeError(
                f"pass ids to jobs, not model instances ({type(value).__name__}): "
                "the row may change or vanish before the job runs"
            )


def enqueue(task: TaskWrapper, *args: Any, **kwargs: Any) -> Result | None:
    """Queue ``task(*args, **kwargs)`` now. Prefer `enqueue_on_commit` inside services."""
    _check_arguments(args, kwargs)
    result: Result | None = task(*args, **kwargs)
    return result


def enqueue_on_commit(
    task: TaskWrapper, *args: Any, using: str | None = None, **kwargs: Any
) -> None:
    """Queue the job once the current transaction commits; never if it rolls back.

    Outside a transaction (autocommit) it queues at once, as Django's ``on_commit`` does.
    """
    _check_arguments(args, kwargs)
    transaction.on_commit(partial(enqueue, task, *args, **kwargs), using=using)


def queue() -> Huey:
    """The configured huey instance (for tests and diagnostics; apps use the functions above)."""
    return HUEY


def backend_name(huey: Huey | None = None) -> str:
    huey = huey or HUEY
    if isinstance(huey.storage, RedisStorage):
        return "redis"
    if isinstance(huey.storage, SqliteStorage):
        return "sqlite"
    if isinstance(huey, RedisHuey):
        return "redis"
    if isinstance(huey, SqliteHuey):
        return "sqlite"
    return type(huey).__name__.lower()


def heartbeat(huey: Huey | None = None) -> None:
    """Record that a worker is alive (called by the worker at start and every minute)."""
    huey = huey or HUEY
    huey.put(
        HEARTBEAT_KEY,
        {"at": timezone.now().isoformat(), "host": socket.gethostname(), "pid": os.getpid()},
    )


def queue_health(huey: Huey | None = None) -> dict[str, Any]:
    """The queue as `/healthz` reports it. Raises if the queue's storage cannot be reached.

    ``pending`` counts jobs waiting for a worker, ``scheduled`` jobs waiting for their time;
    ``worker_seen`` is the last heartbeat and ``worker_alive`` whether it is recent.
    """
    huey = huey or HUEY
    report: dict[str, Any] = {"backend": backend_name(huey)}
    if huey.immediate:
        return {
            **report,
            "mode": "immediate",
            "pending": 0,
            "scheduled": 0,
            "worker_seen": None,
            "worker_alive": True,
        }
    report["mode"] = "worker"
    report["pending"] = huey.pending_count()
    report["scheduled"] = huey.scheduled_count()
    beat = huey.get(HEARTBEAT_KEY, peek=True)
    seen = (
        dt.datetime.fromisoformat(beat["at"]) if isinstance(beat, dict) and beat.get("at") else None
    )
    report["worker_seen"] = seen.isoformat() if seen else None
    report["worker_alive"] = bool(seen and timezone.now() - seen < HEARTBEAT_STALE_AFTER)
    return report
