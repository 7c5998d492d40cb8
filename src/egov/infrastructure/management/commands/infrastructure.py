"""`egov infrastructure import FILE` and `egov infrastructure recompute`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.infrastructure.facts import infrastructure_facts_recompute
from egov.infrastructure.importing import import_inventory, read_workbook
from egov.organisations.importing import ImportRefused
from egov.policy.engine import can

DESCRIPTION = """\
Hạ tầng CNTT.

  egov infrastructure import docs/samples/infrastructure.xlsx   nhập máy tính, máy chủ, kết nối,
                                                                hệ thống, thư công vụ
  egov infrastructure recompute                                 tính lại số liệu từng cơ quan

Mọi dòng của mọi trang được kiểm tra trước. Nếu có dòng lỗi, lệnh in từng lỗi dạng
"dòng N: <trang>.<cột>: <lý do>", không ghi dòng nào và trả về mã lỗi 1.
"""


class Command(BaseCommand):
    help = DESCRIPTION

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="{import,recompute}")
        imp = sub.add_parser("import", help="nhập hạ tầng từ tệp XLSX (một trang mỗi bảng)")
        imp.add_argument("file", metavar="FILE")
        imp.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
        imp.add_argument("--actor", metavar="USERNAME", help="tài khoản ghi vào nhật ký")
        sub.add_parser("recompute", help="tính lại số liệu hạ tầng từng cơ quan")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["what"] == "recompute":
            n = infrastructure_facts_recompute()
            self.stdout.write(self.style.SUCCESS(f"Đã tính lại số liệu của {n} cơ quan."))
            return
        actor = None
        if opts.get("actor"):
            actor = get_user_model().objects.filter(username=opts["actor"], is_active=True).first()
            if actor is None or not can(actor, "infrastructure.record"):
                raise CommandError(f"Tài khoản “{opts['actor']}” không ghi được.", returncode=2)
        path = Path(opts["file"])
        try:
            result = import_inventory(read_workbook(path), actor=actor, dry_run=opts["dry_run"])
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Không nhập dòng nào: {len(refused.errors)} lỗi trong {path}. "
                "Sửa tệp rồi chạy lại.",
                returncode=1,
            ) from None
        verb = "Kiểm tra xong (không ghi gì)" if opts["dry_run"] else "Đã nhập"
        self.stdout.write(self.style.SUCCESS(f"{verb}: {result.total} dòng."))
