"""`egov worker [--workers N]`: run the job queue consumer (huey's ``run_huey``)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey.management.commands.run_huey import Command as RunHueyCommand

# An idle SQLite queue is polled with a growing delay; cap it so a new job waits at most this
# long (Redis blocks on the queue instead and answers at once).
DEFAULT_MAX_DELAY = 2.0


class Command(RunHueyCommand):
    help = "Chạy tiến trình xử lý tác vụ nền (hàng đợi huey: SQLite hoặc Redis)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.JOBS_IMMEDIATE:
            raise CommandError(
                "EGOV_JOBS_IMMEDIATE=1: tác vụ chạy ngay trong tiến trình gọi, không cần worker."
            )
        # Every app's jobs.py, so the worker knows each job the web processes may queue.
        autodiscover_modules("jobs")
        if options.get("max_delay") is None:
            options["max_delay"] = DEFAULT_MAX_DELAY
        # huey's consumer logs through its own handler; do not print each line twice via root.
        logging.getLogger("huey").propagate = False
        super().handle(*args, **options)
