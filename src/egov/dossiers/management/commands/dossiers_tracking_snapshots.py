"""`egov dossiers_tracking_snapshots`: write the public-tracking timeline snapshot of dossiers
that have none (rows loaded in bulk, or from before the snapshot existed).

Tracking answers without a snapshot anyway (it joins the history); the snapshot makes a first
lookup a one-row read. Every workflow move writes it from then on.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from tqdm import tqdm

from egov.dossiers import selectors
from egov.dossiers.models import Dossier
from egov.workflow.models import HistoryEntry, Instance, Step

BATCH = 50_000
_UTC_ISO = """to_char(({col}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""


def _postgresql_sql(only_missing: bool) -> str:
    dossier, instance = Dossier._meta.db_table, Instance._meta.db_table
    history, step = HistoryEntry._meta.db_table, Step._meta.db_table
    rows = (
        "SELECT COALESCE(jsonb_agg(jsonb_build_array(h.action, COALESCE(s.name, ''),"  # noqa: S608
        f" COALESCE(t.name, ''), {_UTC_ISO.format(col='h.acted_at')},"
        f" CASE WHEN h.step_due_at IS NULL THEN NULL ELSE {_UTC_ISO.format(col='h.step_due_at')}"
        " END, COALESCE(h.outcome, '')) ORDER BY h.acted_at, h.id), '[]'::jsonb)"
        f" FROM {history} h LEFT JOIN {step} s ON s.id = h.step_id"
        f" LEFT JOIN {step} t ON t.id = h.to_step_id WHERE h.instance_id = i.id"
    )
    missing = " AND d.tracking_snapshot IS NULL" if only_missing else ""
    # Table names come from the models; the bounds are bound parameters.
    return (
        f"UPDATE {dossier} d SET tracking_snapshot = jsonb_build_object("  # noqa: S608
        f"'at', {_UTC_ISO.format(col='i.updated_at')}, 'rows', ({rows}))"
        f" FROM {instance} i WHERE i.id = d.workflow_instance_id"
        f" AND d.id >= %s AND d.id < %s{missing}"
    )


class Command(BaseCommand):
    help = (
        "Ghi ảnh chụp tiến trình (tra cứu công khai) cho hồ sơ chưa có. "
        "Write the public-tracking timeline snapshot of dossiers that have none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="Ghi lại cho mọi hồ sơ / rewrite every dossier"
        )
        parser.add_argument("--no-progress", action="store_true", help="Không hiện tiến độ")

    def handle(self, *args: Any, **opts: Any) -> None:
        only_missing = not opts["all"]
        queryset = Dossier.objects.exclude(workflow_instance=None)
        if only_missing:
            queryset = queryset.filter(tracking_snapshot__isnull=True)
        last = Dossier.objects.order_by("-id").values_list("id", flat=True).first() or 0
        bar = tqdm(total=last, unit="id", disable=opts["no_progress"], desc="snapshots")
        written = 0
        for low in range(0, last + 1, BATCH):
            high = low + BATCH
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute(_postgresql_sql(only_missing), [low, high])
                        written += cursor.rowcount
                else:
                    batch = queryset.filter(id__gte=low, id__lt=high).select_related(
                        "workflow_instance"
                    )
                    for dossier in batch.only("id", "workflow_instance"):
                        snapshot = selectors.timeline_snapshot(dossier.workflow_instance)
                        Dossier.objects.filter(pk=dossier.pk).update(tracking_snapshot=snapshot)
                        written += 1
            bar.update(min(BATCH, last + 1 - low))
        bar.close()
        self.stdout.write(f"Đã ghi {written} ảnh chụp tiến trình.")
