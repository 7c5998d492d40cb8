"""`egov audit verify`: walk the hash chain of the audit trail and say whether it is intact."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from egov.audit.services import audit_chain_check
from egov.audit.verify import count_entries, verify_chain


class Command(BaseCommand):
    help = "Nhật ký kiểm tra (audit trail): các lệnh quản trị chuỗi nhật ký."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(
            dest="subcommand", required=True, title="lệnh", metavar="{verify}"
        )
        verify = commands.add_parser(
            "verify",
            help="Kiểm tra chuỗi nhật ký có toàn vẹn không.",
            description=(
                "Đọc lần lượt mọi bản ghi nhật ký từ đầu đến cuối, tính lại mã băm của từng "
                "bản ghi và so với mã đã lưu. Nếu chuỗi toàn vẹn, in số bản ghi và thoát với "
                "mã 0. Nếu có bản ghi bị sửa, bị xóa hoặc bị chèn, in bản ghi hỏng đầu tiên "
                "(số thứ tự, thời điểm, hành động, lý do) và thoát với mã 1."
            ),
        )
        verify.add_argument(
            "--no-progress",
            action="store_true",
            help="Không hiện thanh tiến độ (khi chạy trong cron hoặc ghi ra tệp).",
        )
        verify.add_argument(
            "--record",
            action="store_true",
            help="Ghi lại lần kiểm tra này vào chính nhật ký (hành động audit.verify).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self._verify(progress=not options["no_progress"], record=options["record"])

    def _verify(self, *, progress: bool, record: bool) -> None:
        total = count_entries()
        with tqdm(
            total=total,
            unit=" bản ghi",
            desc="Kiểm tra",
            disable=not progress,
            file=sys.stderr,
        ) as bar:
            if record:
                result = audit_chain_check(actor=None, progress=bar.update)
            else:
                result = verify_chain(progress=bar.update)
        if result.ok:
            self.stdout.write(self.style.SUCCESS(result.describe()))
            return
        self.stderr.write(self.style.ERROR(result.describe()))
        raise SystemExit(1)
