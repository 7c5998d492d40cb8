"""`egov catalogue import FILE` and `egov catalogue export FILE --format json|xlsx`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.procedures import catalogue, selectors, services

DESCRIPTION = """\
Nhập, xuất danh mục thủ tục hành chính (JSON hoặc XLSX, xem docs/catalogue-format.md).

  egov catalogue import docs/samples/procedures.json   nhập, cập nhật theo mã thủ tục
  egov catalogue export danh-muc.xlsx --format xlsx     xuất toàn bộ danh mục

Mọi thủ tục được kiểm tra trước. Nếu có lỗi, lệnh in từng lỗi dạng
"<vị trí>: <trường>: <lý do>", không ghi gì và trả về mã lỗi 1.

Imports or exports the procedure catalogue; an import with any error writes nothing.
"""


class Command(BaseCommand):
    help = DESCRIPTION

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import,export}")
        read = sub.add_parser("import", help="Nhập danh mục từ tệp JSON hoặc XLSX")
        read.add_argument("file", help="Đường dẫn tệp (.json hoặc .xlsx)")
        write = sub.add_parser("export", help="Xuất danh mục ra tệp")
        write.add_argument("file", help="Đường dẫn tệp sẽ ghi")
        write.add_argument(
            "--format",
            choices=("json", "xlsx"),
            default=None,
            help="Định dạng (mặc định theo phần mở rộng của tệp)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if options["action"] == "import":
            self._import(path)
        else:
            fmt = options["format"] or ("xlsx" if path.suffix.lower() == ".xlsx" else "json")
            self._export(path, fmt)

    def _import(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        parsed = catalogue.read_file(path.name, path.read_bytes())
        services.service_levels_ensure_standard(actor=None)
        try:
            report = services.catalogue_import(
                actor=None, rows=parsed.rows, fields=parsed.fields, errors=parsed.errors
            )
        except services.CatalogueImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Tệp có {len(refused.errors)} lỗi; chưa nhập thủ tục nào."
            ) from refused
        self.stdout.write(
            f"Đã nhập {report.total} thủ tục: {len(report.created)} mới, "
            f"{len(report.updated)} cập nhật, {len(report.unchanged)} giữ nguyên."
        )

    def _export(self, path: Path, fmt: str) -> None:
        rows = selectors.procedures_for_export()
        content = catalogue.write_xlsx(rows) if fmt == "xlsx" else catalogue.write_json(rows)
        path.write_bytes(content)
        self.stdout.write(f"Đã xuất {rows.count()} thủ tục ra {path}.")
