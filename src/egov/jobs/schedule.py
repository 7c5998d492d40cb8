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
    # Indicators: catalogue figures nightly; monthly reports of the last closed reporting month
    # (sent once per agency and month, so a daily run catches up after any cut-off day).
    "indicators_catalogue": (
        local_crontab(hour="1", minute="30"),
        "egov.indicators.facts.catalogue_snapshot",
    ),
    "indicators_monthly_reports": (
        local_crontab(hour="7", minute="0"),
        "egov.indicators.services.monthly_reports_send",
    ),
    "assignments_recurring": (
        local_crontab(hour="0", minute="10"),
        "egov.assignments.jobs.assignments_recurring",
    ),
    "assignments_reminders": (
        local_crontab(minute="5"),
        "egov.assignments.jobs.assignments_reminders",
    ),
    "assignments_escalate": (
        local_crontab(minute="*/15"),
        "egov.assignments.jobs.assignments_escalate",
    ),
    "exchange_daily_digest": (
        local_crontab(hour="17", minute="45"),
        "egov.assignments.jobs.exchange_daily_digest",
    ),
    # Notifications whose delivery job was lost (still queued two hours on) are queued again.
    "notifications_requeue_stale": (
        local_crontab(minute="*/15"),
        "egov.notifications.services.deliveries_requeue_stale",
    ),
    # Uploads kept between a failed online submission and the next try, older than yesterday.
    "dossiers_upload_stash_sweep": (
        local_crontab(hour="3", minute="40"),
        "egov.dossiers.forms.upload_stash_sweep",
    ),
    # Staff moves and departures reach the capacity facts through a nightly rebuild.
    "training_facts_recompute": (
        local_crontab(hour="2", minute="10"),
        "egov.training.facts.training_facts_recompute",
    ),
    "infrastructure_facts_recompute": (
        local_crontab(hour="2", minute="20"),
        "egov.infrastructure.facts.infrastructure_facts_recompute",
    ),
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
