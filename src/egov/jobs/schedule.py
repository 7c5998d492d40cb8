"""Every periodic job of the platform, declared here and nowhere else.

Add a line to `SCHEDULE`: a stable name, when (``local_crontab``, in the project's time zone)
and the dotted path of a plain function taking no arguments (usually a service). The worker
(``egov worker``) runs the scheduler; the web processes only enqueue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.module_loading import import_string
from huey import crontab
from huey.api import TaskWrapper
from huey.contrib.djhuey import HUEY, db_periodic_task

When = Callable[[dt.datetime], bool]


def local_crontab(**fields: str) -> When:
    """huey's ``crontab`` read in ``settings.TIME_ZONE`` (huey itself ticks in UTC)."""
    matches = crontab(**fields)
    zone = ZoneInfo(settings.TIME_ZONE)

    def when(timestamp: dt.datetime) -> bool:
        if HUEY.utc:
            timestamp = timestamp.replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None)
        return bool(matches(timestamp))

    return when


SCHEDULE: dict[str, tuple[When, str]] = {
    # name: (when, what) -- times are Vietnam time
    "jobs_heartbeat": (local_crontab(minute="*"), "egov.jobs.queue.heartbeat"),
    "files_sweep_orphans": (
        local_crontab(hour="3", minute="17"),
        "egov.core.files.files_sweep_orphans",
    ),
    # edXML outbox: deliveries whose next attempt has come (retries survive worker restarts).
    "exchange_outbox_due": (local_crontab(minute="*"), "egov.exchange.services.outbox_deliver_due"),
}


def _periodic(name: str, when: When, target: str) -> TaskWrapper:
    def run() -> None:
        import_string(target)()

    run.__name__ = run.__qualname__ = name
    wrapper: TaskWrapper = db_periodic_task(when, name=name)(run)
    return wrapper


PERIODIC: dict[str, TaskWrapper] = {
    name: _periodic(name, when, target) for name, (when, target) in SCHEDULE.items()
}
