"""`egov registers export-register --agency CODE --year 2026 --kind outgoing --format xlsx FILE`

Writes one Appendix IV register (outgoing, incoming, follow-up) of one agency and year to FILE,
as XLSX (streamed, flat memory) or PDF; prints the row count, the time and the peak memory.
"""

from __future__ import annotations

import resource
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.documents import registers
from egov.organisations.models import Agency


class Command(BaseCommand):
    help = "Xuất sổ văn bản (Phụ lục IV Nghị định 30/2020) ra XLSX hoặc PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export-register", help="Xuất một sổ của một cơ quan, một năm")
        export.add_argument("--agency", required=True, help="Mã định danh cơ quan")
        export.add_argument("--year", type=int, required=True)
        export.add_argument("--kind", choices=sorted(registers.REGISTERS), default="outgoing")
        export.add_argument("--format", choices=("xlsx", "pdf"), default="xlsx")
        export.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"Không có cơ quan mã {options['agency']}.")
        register = registers.REGISTERS[options["kind"]]
        started = time.perf_counter()
        if options["format"] == "xlsx":
            count = registers.write_xlsx(
                register,
                agency_id=agency.pk,
                agency_name=agency.name,
                year=options["year"],
                out=options["file"],
            )
        else:
            data = registers.render_pdf(
                register, agency_id=agency.pk, agency_name=agency.name, year=options["year"]
            )
            with open(options["file"], "wb") as handle:
                handle.write(data)
            count = -1
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"{register.title} {options['year']}: {count} rows → {options['file']} "
            f"in {elapsed:.2f} s, peak RSS {peak_mb:.0f} MB"
        )
