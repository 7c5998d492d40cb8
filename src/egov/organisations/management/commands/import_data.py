"""`egov import agencies FILE` and `egov import staff FILE`."""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from egov.organisations.importing import (
    ImportRefused,
    ImportResult,
    import_agencies,
    import_staff,
    import_units,
    read_table,
)
from egov.policy.engine import can

PROGRESS_FROM_ROWS = 50

DESCRIPTION = """\
Nhập cơ quan, đơn vị hoặc cán bộ từ tệp CSV (UTF-8) hay XLSX.

  egov import agencies docs/samples/agencies.csv   nhập, cập nhật danh sách cơ quan
  egov import units docs/samples/units.csv         nhập, cập nhật phòng, ban của cơ quan
  egov import staff docs/samples/staff.csv         nhập, cập nhật cán bộ và tài khoản

Mọi dòng được kiểm tra trước. Nếu có dòng lỗi, lệnh in từng lỗi dạng
"dòng N: <cột>: <lý do>", không ghi dòng nào và trả về mã lỗi 1. Nếu không có lỗi,
toàn bộ tệp được nhập trong một giao dịch và ghi nhật ký. Mã cơ quan (hoặc tên đăng nhập)
đã có thì được cập nhật. Các cột được mô tả trong docs/guides/administrator.md.

Imports agencies, units or staff from a CSV or XLSX file: all rows are checked first; any bad
row means nothing is imported.
"""


class Command(BaseCommand):
    help = DESCRIPTION

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="what", required=True, metavar="{agencies,units,staff}", title="loại dữ liệu"
        )
        agencies = sub.add_parser(
            "agencies",
            help="nhập danh sách cơ quan (agencies)",
            description="Nhập, cập nhật cơ quan từ tệp CSV hoặc XLSX.",
        )
        units = sub.add_parser(
            "units",
            help="nhập phòng, ban của các cơ quan đã có (units)",
            description="Nhập, cập nhật đơn vị (phòng, ban) từ tệp CSV hoặc XLSX.",
        )
        staff = sub.add_parser(
            "staff",
            help="nhập cán bộ và tài khoản (staff)",
            description=(
                "Nhập, cập nhật cán bộ từ tệp CSV hoặc XLSX. Tài khoản mới lấy mật khẩu ở cột "
                "mat_khau; nếu để trống, hệ thống sinh mật khẩu ngẫu nhiên và in ra (hoặc ghi "
                "vào tệp --passwords-file)."
            ),
        )
        for p in (agencies, units, staff):
            p.add_argument("file", metavar="FILE", help="tệp .csv (UTF-8) hoặc .xlsx")
            p.add_argument(
                "--dry-run",
                action="store_true",
                help="chỉ kiểm tra, không ghi gì (check only, write nothing)",
            )
            p.add_argument(
                "--sheet", help="tên trang tính trong tệp XLSX (mặc định: trang đầu tiên)"
            )
            p.add_argument(
                "--actor",
                metavar="USERNAME",
                help="tài khoản quản trị ghi vào nhật ký (mặc định: hệ thống)",
            )
        staff.add_argument(
            "--passwords-file",
            metavar="PATH",
            help="ghi mật khẩu được sinh vào tệp CSV này (chỉ chủ sở hữu đọc được) thay vì in ra",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        actor = self._actor(opts.get("actor"))
        path = Path(opts["file"])
        try:
            rows = read_table(path, sheet=opts.get("sheet"))
            importer = {
                "agencies": import_agencies,
                "units": import_units,
                "staff": import_staff,
            }[opts["what"]]
            result = importer(rows, actor=actor, dry_run=opts["dry_run"], progress=self._progress)
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Không nhập dòng nào: {len(refused.errors)} lỗi trong {path}. "
                "Sửa tệp rồi chạy lại.",
                returncode=1,
            ) from None
        self._report(result, opts)

    def _actor(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{username}”.", returncode=2)
        if not can(user, "import.run"):
            raise CommandError(f"Tài khoản “{username}” không có quyền nhập dữ liệu.", returncode=2)
        return user

    def _progress(self, items: Iterable[Any], total: int) -> Iterable[Any]:
        return tqdm(
            items,
            total=total,
            desc="Nhập",
            unit="dòng",
            file=sys.stderr,
            disable=total < PROGRESS_FROM_ROWS,
            leave=False,
        )

    def _report(self, result: ImportResult, opts: dict[str, Any]) -> None:
        verb = "Kiểm tra xong (không ghi gì)" if opts["dry_run"] else "Đã nhập"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {result.total} dòng – thêm mới {result.created}, cập nhật "
                f"{result.updated}, không đổi {result.unchanged}."
            )
        )
        if not result.generated_passwords:
            return
        target = opts.get("passwords_file")
        if target:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["ten_dang_nhap", "mat_khau"])
                writer.writerows(result.generated_passwords)
            self.stdout.write(
                f"Mật khẩu ban đầu của {len(result.generated_passwords)} tài khoản mới: {target}"
            )
            return
        self.stdout.write("Mật khẩu ban đầu của tài khoản mới (giao riêng cho từng người):")
        for username, password in result.generated_passwords:
            self.stdout.write(f"  {username}\t{password}")
