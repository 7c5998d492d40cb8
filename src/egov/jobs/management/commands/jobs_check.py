"""`egov jobs_check [--timeout S]`: queue a probe job and wait until a worker has run it."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from huey.exceptions import HueyException

from egov.jobs.diagnostics import jobs_probe
from egov.jobs.queue import enqueue, queue_health


class Command(BaseCommand):
    help = "Kiểm tra hàng đợi tác vụ: gửi một tác vụ thử và chờ worker xử lý xong."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--timeout", type=float, default=30.0, help="Số giây chờ tối đa.")

    def handle(self, *args: Any, **options: Any) -> None:
        token = f"check-{secrets.token_hex(8)}"
        result = enqueue(jobs_probe, token)
        try:
            report = result.get(blocking=True, timeout=options["timeout"]) if result else None
        except HueyException as exc:
            if result is not None:
                result.revoke()  # do not leave the probe behind for a worker started later
            raise CommandError(
                f"Không có worker xử lý tác vụ thử trong {options['timeout']:g} giây "
                f"(đã chạy `egov worker` chưa?): {exc!r}"
            ) from exc
        health = queue_health()
        self.stdout.write(json.dumps({"probe": report, "queue": health}, ensure_ascii=False))
