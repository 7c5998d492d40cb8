"""`egov serve`: the web server (granian, WSGI) in front of Django."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Chạy máy chủ web của egov (granian). Run the egov web server. "
        "Ví dụ / example: egov serve --host 127.0.0.1 --port 8000"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="Địa chỉ lắng nghe (mặc định 127.0.0.1)"
        )
        parser.add_argument("--port", type=int, default=8000, help="Cổng (mặc định 8000)")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Số tiến trình web (mặc định EGOV_WEB_WORKERS hoặc 1)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        from granian.constants import Interfaces
        from granian.server import Server

        from egov.conf.env import env_int

        workers = opts["workers"] or env_int("EGOV_WEB_WORKERS", 1)
        self.stdout.write(
            f"egov: phục vụ tại http://{opts['host']}:{opts['port']}/ ({workers} tiến trình)"
        )
        self.stdout.flush()
        # One blocking thread per worker: measured steadier and faster (see stack notes).
        Server(
            "egov.conf.wsgi:application",
            address=opts["host"],
            port=opts["port"],
            interface=Interfaces.WSGI,
            workers=workers,
            blocking_threads=1,
            log_access=settings.DEBUG,
        ).serve()
