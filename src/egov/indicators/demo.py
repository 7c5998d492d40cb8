"""Demo step: the demo loaders bulk-write their rows (no services, no events), so the facts are
rebuilt once from every dossier and the catalogue snapshot taken."""

from __future__ import annotations

from typing import Any

from egov.indicators.facts import catalogue_snapshot, facts_rebuild


def load_demo_facts(*, stdout: Any = None) -> list[Any]:
    dossiers = facts_rebuild()
    agencies = catalogue_snapshot()
    if stdout is not None:
        stdout.write(
            f"    số liệu chỉ số: {dossiers} hồ sơ, danh mục thủ tục của {agencies} cơ quan\n"
        )
    return []
