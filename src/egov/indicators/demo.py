"""Demo step: the demo loaders bulk-write their rows (no services, no events), so the facts are
rebuilt once from every dossier (and the figures per unit and person from every assignment,
dossier step and incoming document) and the catalogue snapshot taken."""

from __future__ import annotations

from typing import Any

from egov.indicators.facts import catalogue_snapshot, facts_rebuild
from egov.indicators.people import people_rebuild


def load_demo_facts(*, stdout: Any = None) -> list[Any]:
    dossiers = facts_rebuild()
    items = people_rebuild()
    agencies = catalogue_snapshot()
    if stdout is not None:
        stdout.write(
            f"    số liệu chỉ số: {dossiers} hồ sơ, {items} mục theo đơn vị và cán bộ, "
            f"danh mục thủ tục của {agencies} cơ quan\n"
        )
    return []
