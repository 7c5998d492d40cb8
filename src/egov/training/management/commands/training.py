"""`egov training import FILE` and `egov training recompute`."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from egov.organisations.importing import ImportRefused, read_table
from egov.policy.engine import can
from egov.training.facts import training_facts_recompute
from egov.training.importing import import_results

DESCRIPTION = """\
Đào tạo kỹ năng CNTT.

  egov training import docs/samples/training-results.xlsx   nhập kết quả mô-đun, chứng chỉ
  egov training recompute                                   tính lại số liệu đạt chuẩn

Mọi dòng được kiểm tra trước. Nếu có dòng lỗi, lệnh in từng lỗi dạng
"dòng N: <cột>: <lý do>", không ghi dòng nào và trả về mã lỗi 1.
"""


class Command(BaseCommand):
    help = DESCRIPTION

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="{import,recompute}")
        imp = sub.add_parser("import", help="nhập kết quả, chứng chỉ từ tệp XLSX/CSV")
        imp.add_argument("file", metavar="FILE")
        imp.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
        imp.add_argument("--sheet", help="tên trang tính (mặc định: trang đầu tiên)")
        imp.add_argument("--actor", metavar="USERNAME", help="tài khoản ghi vào nhật ký")
        sub.add_parser("recompute", help="tính lại chuẩn từng người và số liệu từng cơ quan")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["what"] == "recompute":
            n = training_facts_recompute()
            self.stdout.write(self.style.SUCCESS(f"Đã tính lại số liệu của {n} cơ quan."))
            return
        actor = self._actor(opts.get("actor"))
        path = Path(opts["file"])
        try:
            rows = read_table(path, sheet=opts.get("sheet"))
            result = import_results(
                rows, actor=actor, dry_run=opts["dry_run"], progress=self._progress
            )
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

    def _actor(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{username}”.", returncode=2)
        if not can(user, "training.record"):
            raise CommandError(f"Tài khoản “{username}” không có quyền ghi.", returncode=2)
        return user

    def _progress(self, items: Iterable[Any], total: int) -> Iterable[Any]:
        return tqdm(
            items,
            total=total,
            desc="Nhập",
            unit="dòng",
            file=sys.stderr,
            disable=total < 50,
            leave=False,
        )
