"""`egov demo`: migrate, load the demo city, start the web server and the worker, print logins."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from egov.operations.demo import run_loaders


class Command(BaseCommand):
    help = (
        "Dựng thành phố mẫu và chạy egov: tạo cơ sở dữ liệu, nạp dữ liệu mẫu, chạy máy chủ web "
        "và tiến trình nền, in tài khoản đăng nhập. Sets up the demo city and runs it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="Địa chỉ máy chủ web (mặc định 127.0.0.1)"
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="Cổng máy chủ web (mặc định 8000)"
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Chỉ nạp dữ liệu mẫu, không chạy máy chủ (only load the data)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        out = self.stdout
        started = time.monotonic()
        out.write(f"egov: dữ liệu tại {settings.DATA_DIR}")
        out.write("1/3 Tạo, cập nhật cơ sở dữ liệu …")
        call_command("migrate", interactive=False, verbosity=0)
        out.write("2/3 Nạp thành phố mẫu …")
        results = run_loaders(stdout=out)
        out.write(self.style.SUCCESS(f"   xong sau {time.monotonic() - started:.1f} giây"))
        self._print_logins(results)
        if opts["no_serve"]:
            return
        out.write("3/3 Chạy máy chủ web và tiến trình nền …")
        self._serve(opts["host"], opts["port"])

    def _print_logins(self, results: list[Any]) -> None:
        out = self.stdout
        out.write("")
        out.write("Tài khoản mẫu (demo logins):")
        out.write(f"  {'vai trò / role':<28} {'tên đăng nhập':<14} {'mật khẩu':<12} cơ quan")
        for result in results:
            for login in result.logins:
                role, user, password = login.role_label, login.username, login.password
                out.write(f"  {role:<28} {user:<14} {password:<12} {login.agency}")
        out.write("")

    def _serve(self, host: str, port: int) -> None:
        python = sys.executable
        worker = subprocess.Popen([python, "-m", "egov", "worker"])  # noqa: S603
        web = subprocess.Popen([python, "-m", "egov", "serve", "--host", host, "--port", str(port)])  # noqa: S603
        self.stdout.write(
            self.style.SUCCESS(f"Mở trình duyệt: http://{host}:{port}/  (Ctrl-C để dừng)")
        )
        self.stdout.flush()

        def stop(*_: Any) -> None:
            for proc in (web, worker):
                if proc.poll() is None:
                    proc.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while web.poll() is None and worker.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for proc in (web, worker):
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
