"""egov indicators_rebuild: rebuild the dossier facts from every dossier (after a change of
EGOV_INDICATORS_CUTOFF_DAY, or to repair), the figures per unit and person from every
assignment, dossier step and incoming document, and take the catalogue snapshot."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from egov.indicators.facts import catalogue_snapshot, facts_rebuild
from egov.indicators.people import people_rebuild


class Command(BaseCommand):
    help = "Tính lại toàn bộ bảng số liệu hồ sơ và danh mục thủ tục cho các chỉ số."

    def handle(self, *args: Any, **options: Any) -> None:
        dossiers = facts_rebuild()
        items = people_rebuild()
        agencies = catalogue_snapshot()
        self.stdout.write(
            f"Đã tính lại từ {dossiers} hồ sơ; {items} mục theo đơn vị, cán bộ; "
            f"danh mục của {agencies} cơ quan."
        )
