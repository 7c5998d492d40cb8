"""Keeping `PeopleMonthlyFact` current: the figures per unit and person of an agency.

Same scheme as the dossier facts (`egov.indicators.facts`): one item — an assignment, a dossier
or an incoming document — is recounted by a job enqueued on commit (`events.people_changed`,
and the dossier job, which recounts the dossier's workflow steps too); the difference with what
it contributed before (`PeopleContribution`) is added to the rows with ``F()`` increments, so
an event applied twice, or out of order, changes nothing more. `people_rebuild` throws the rows
away and rebuilds them from every item; `people_counts_live` counts one agency and month from
the live tables with aggregate queries, independently of the per-item rules (the tests hold
that the three agree).

What counts, for whom (the "slot" is the unit and the person, 0 for none):

* assignments — the MAIN owner: a staff member (their unit, themselves), a unit (the unit, no
  person) or the agency itself (0, 0); in the owner agency's calendar months, as
  `assignments.AssignmentMonthlyFact`: `assigned` (assigned_at), `done` with `on_time` / `late`
  (completed_at), `overdue_open` (due month, still open and flagged overdue);
* dossiers — each workflow step finished with an outcome (early, on time, late), for the agency
  the actor acted in (`HistoryEntry.actor_agency`), the actor's staff record and unit (the
  step's unit when the actor has none); reporting month of `acted_at`: `done`, `on_time`
  (early or on time), `late`;
* documents — an incoming document closed, for its MAIN handler (a person: their unit and
  themselves; a unit); calendar month of `closed_at`: `done`, `on_time`, `late`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, IntegerField, Q, Value
from django.db.models.functions import Coalesce

from egov.core.iterables import chunked
from egov.indicators.models import (
    PEOPLE_FACT_FIELDS,
    PeopleContribution,
    PeopleMonthlyFact,
    PeopleSource,
)
from egov.indicators.periods import month_bounds, reporting_month

Counts = dict[str, dict[str, int]]  # "agency|YYYY-MM-DD|unit|staff" -> field -> n
Slot = tuple[int, int]  # (unit_ref, staff_ref)
DOSSIER_SUBJECT = "dossiers.dossier"
STEP_ON_TIME = ("early", "on_time")


def _key(agency_id: int, month: dt.date, unit: int | None, staff: int | None) -> str:
    return f"{agency_id}|{month.isoformat()}|{unit or 0}|{staff or 0}"


def _split(key: str) -> tuple[int, dt.date, int, int]:
    agency, month, unit, staff = key.split("|")
    return int(agency), dt.date.fromisoformat(month), int(unit), int(staff)


def calendar_month(instant: dt.datetime) -> dt.date:
    """The calendar month (first day, local time) of an instant."""
    return instant.astimezone(ZoneInfo(settings.TIME_ZONE)).date().replace(day=1)


def calendar_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return dt.datetime.combine(month, dt.time(), zone), dt.datetime.combine(nxt, dt.time(), zone)


class _Counter:
    def __init__(self) -> None:
        self.out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, key: str, **fields: bool) -> None:
        for name, on in fields.items():
            if on:
                self.out[key][name] += 1

    def result(self) -> Counts:
        return {
            k: {f: n for f, n in v.items() if n} for k, v in self.out.items() if any(v.values())
        }


# --- what items contribute now: each rule once, read for a batch of items ---------------------
#
# Each `*_counts_of(ids)` reads a batch (a few queries whatever its size: the full rebuild reads
# 2,000 items at a time); the one-item functions the jobs call are a batch of one.


def assignment_counts_of(ids: list[int]) -> dict[int, Counts]:
    from egov.assignments.models import (
        OPEN_STATUSES,
        Assignment,
        AssignmentOwner,
        AssignmentStatus,
        OwnerKind,
    )

    mains = {
        assignment_id: (unit_id or staff_unit_id, staff_id)
        for assignment_id, unit_id, staff_id, staff_unit_id in AssignmentOwner.objects.filter(
            assignment_id__in=ids, kind=OwnerKind.MAIN
        ).values_list("assignment_id", "unit_id", "staff_id", "staff__unit_id")
    }
    out: dict[int, Counts] = {}
    for assignment in Assignment.objects.filter(pk__in=ids, is_series=False).only(
        "owner_agency_id", "assigned_at", "status", "completed_at", "on_time", "overdue_since",
        "due_at",
    ):  # fmt: skip
        main = mains.get(assignment.pk)
        if main is None:
            continue
        unit, staff_id = main
        agency = assignment.owner_agency_id
        c = _Counter()
        c.add(_key(agency, calendar_month(assignment.assigned_at), unit, staff_id), assigned=True)
        if assignment.status == AssignmentStatus.DONE and assignment.completed_at is not None:
            c.add(
                _key(agency, calendar_month(assignment.completed_at), unit, staff_id),
                done=True,
                on_time=assignment.on_time is True,
                late=assignment.on_time is False,
            )
        if assignment.status in OPEN_STATUSES and assignment.overdue_since is not None:
            c.add(
                _key(agency, calendar_month(assignment.due_at), unit, staff_id), overdue_open=True
            )
        out[assignment.pk] = c.result()
    return out


def assignment_counts(assignment_id: int) -> Counts:
    return assignment_counts_of([assignment_id]).get(assignment_id, {})


def dossier_step_counts_of(instance_ids: list[int]) -> dict[int, Counts]:
    """The finished workflow steps of dossiers, by workflow instance id."""
    from egov.workflow.models import HistoryEntry

    counters: dict[int, _Counter] = defaultdict(_Counter)
    for instance_id, agency, acted_at, outcome, unit, staff in (
        HistoryEntry.objects.filter(instance_id__in=instance_ids)
        .exclude(outcome="")
        .filter(actor__isnull=False, actor_agency__isnull=False)
        .order_by()
        .values_list(
            "instance_id",
            "actor_agency_id",
            "acted_at",
            "outcome",
            Coalesce("actor__staff__unit_id", "step__actor_unit_id"),
            "actor__staff__id",
        )
    ):
        counters[instance_id].add(
            _key(agency, reporting_month(acted_at), unit, staff),
            done=True,
            on_time=outcome in STEP_ON_TIME,
            late=outcome not in STEP_ON_TIME,
        )
    return {instance_id: c.result() for instance_id, c in counters.items()}


def dossier_step_counts(dossier: Any) -> Counts:
    """The dossier's finished workflow steps (`dossier`: a Dossier with workflow_instance_id)."""
    if dossier.workflow_instance_id is None:
        return {}
    instance_id = dossier.workflow_instance_id
    return dossier_step_counts_of([instance_id]).get(instance_id, {})


def document_counts_of(ids: list[int]) -> dict[int, Counts]:
    from egov.documents.models import Direction, Document, Handling, HandlingRole

    mains: dict[int, list[tuple[int | None, int | None]]] = defaultdict(list)
    for document_id, unit_id, staff_id, staff_unit_id in Handling.objects.filter(
        document_id__in=ids, role=HandlingRole.MAIN
    ).values_list("document_id", "unit_id", "staff_id", "staff__unit_id"):
        mains[document_id].append((unit_id or staff_unit_id, staff_id))
    out: dict[int, Counts] = {}
    for document in Document.objects.filter(
        pk__in=ids, direction=Direction.INCOMING, closed_at__isnull=False
    ).only("agency_id", "closed_at", "closed_on_time"):
        c = _Counter()
        month = calendar_month(document.closed_at)  # type: ignore[arg-type]
        for handler_unit, handler in mains.get(document.pk, ()):
            c.add(
                _key(document.agency_id, month, handler_unit, handler),
                done=True,
                on_time=document.closed_on_time is True,
                late=document.closed_on_time is False,
            )
        out[document.pk] = c.result()
    return out


def document_counts(document_id: int) -> Counts:
    return document_counts_of([document_id]).get(document_id, {})


# --- applying the difference ---------------------------------------------------------------


def _difference(new: Counts, old: Counts) -> Counts:
    delta: Counts = {}
    for key in set(new) | set(old):
        fields = set(new.get(key, {})) | set(old.get(key, {}))
        changes = {f: new.get(key, {}).get(f, 0) - old.get(key, {}).get(f, 0) for f in fields}
        changes = {f: n for f, n in changes.items() if n}
        if changes:
            delta[key] = changes
    return delta


def _apply(source: str, delta: Counts) -> None:
    """Add `delta` to the rows, creating missing rows first (in key order)."""
    if not delta:
        return
    keys = sorted(delta)
    PeopleMonthlyFact.objects.bulk_create(
        [
            PeopleMonthlyFact(source=source, agency_id=a, month=m, unit_ref=u, staff_ref=s)
            for a, m, u, s in map(_split, keys)
        ],
        ignore_conflicts=True,
    )
    for key in keys:
        a, m, u, s = _split(key)
        PeopleMonthlyFact.objects.filter(
            source=source, agency_id=a, month=m, unit_ref=u, staff_ref=s
        ).update(**{f: F(f) + n for f, n in sorted(delta[key].items())})


def contribution_apply(source: str, object_id: int, new: Counts) -> bool:
    """Bring the rows up to date with one item's counts now; True when something changed.
    Call inside a transaction that holds the item's row lock (or accept a retry)."""
    with transaction.atomic():
        contribution = (
            PeopleContribution.objects.select_for_update()
            .filter(source=source, object_id=object_id)
            .first()
        )
        old: Counts = {} if contribution is None else contribution.counts
        delta = _difference(new, old)
        _apply(source, delta)
        if contribution is None:
            if new:
                PeopleContribution.objects.create(source=source, object_id=object_id, counts=new)
        elif delta:
            contribution.counts = new
            contribution.save(update_fields=["counts", "updated_at"])
        return bool(delta)


def people_apply(*, source: str, object_id: int) -> bool:
    """Recount one assignment or incoming document (the job of `events.people_changed`)."""
    with transaction.atomic():
        if source == PeopleSource.ASSIGNMENTS:
            from egov.assignments.models import Assignment

            Assignment.objects.select_for_update().filter(pk=object_id).exists()
            counts = assignment_counts(object_id)
        elif source == PeopleSource.DOCUMENTS:
            from egov.documents.models import Document

            Document.objects.select_for_update().filter(pk=object_id).exists()
            counts = document_counts(object_id)
        else:
            raise ValueError(f"unknown people source {source!r}")
        return contribution_apply(source, object_id, counts)


# --- the full paths ------------------------------------------------------------------------


def _items(source: str, batch: int) -> Iterable[tuple[int, Counts]]:
    """Every item of `source` with what it contributes, read `batch` items at a time."""
    if source == PeopleSource.DOSSIERS:
        from egov.dossiers.models import Dossier

        pairs = Dossier.objects.filter(workflow_instance__isnull=False).values_list(
            "pk", "workflow_instance_id"
        )
        for chunk in chunked(pairs.order_by("pk").iterator(chunk_size=batch), batch):
            steps = dossier_step_counts_of([instance_id for _, instance_id in chunk])
            yield from ((pk, steps.get(instance_id, {})) for pk, instance_id in chunk)
        return
    if source == PeopleSource.ASSIGNMENTS:
        from egov.assignments.models import Assignment

        ids = Assignment.objects.filter(is_series=False).values_list("pk", flat=True)
        count_of = assignment_counts_of
    else:
        from egov.documents.models import Direction, Document

        ids = Document.objects.filter(  # type: ignore[assignment]
            direction=Direction.INCOMING, closed_at__isnull=False
        ).values_list("pk", flat=True)
        count_of = document_counts_of
    for chunk_ids in chunked(ids.order_by("pk").iterator(chunk_size=batch), batch):
        counts = count_of(chunk_ids)
        yield from ((pk, counts.get(pk, {})) for pk in chunk_ids)


def people_rebuild(*, sources: Iterable[str] | None = None, batch: int = 2000) -> int:
    """Throw the rows of `sources` (default: all) away and rebuild rows and contributions from
    every item. For the demo's bulk-written data and repairs. Returns the number of items."""
    from django.apps import apps

    wanted = [s for s in (sources or PeopleSource.values) if apps.is_installed(f"egov.{s}")]
    n = 0
    with transaction.atomic():
        for source in wanted:
            PeopleContribution.objects.filter(source=source).delete()
            PeopleMonthlyFact.objects.filter(source=source).delete()
            totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
            contributions: list[PeopleContribution] = []
            for object_id, counts in _items(source, batch):
                n += 1
                if not counts:
                    continue
                for key, values in counts.items():
                    for name, value in values.items():
                        totals[key][name] += value
                contributions.append(
                    PeopleContribution(source=source, object_id=object_id, counts=counts)
                )
                if len(contributions) >= batch:
                    PeopleContribution.objects.bulk_create(contributions)
                    contributions = []
            PeopleContribution.objects.bulk_create(contributions)
            rows = []
            for key, values in totals.items():
                a, m, u, s = _split(key)
                rows.append(
                    PeopleMonthlyFact(
                        source=source, agency_id=a, month=m, unit_ref=u, staff_ref=s, **values
                    )
                )
            PeopleMonthlyFact.objects.bulk_create(rows, batch_size=batch)
    return n


def _zero(value: Any) -> Any:
    return Coalesce(value, Value(0), output_field=IntegerField())


def people_counts_live(
    *, agency_id: int, month: dt.date
) -> dict[tuple[str, int, int], dict[str, int]]:
    """One agency's month counted from the live tables (aggregates, not the per-item rules):
    {(source, unit_ref, staff_ref): {field: n}}, only non-zero counters."""
    from django.apps import apps

    out: dict[tuple[str, int, int], dict[str, int]] = {}

    def keep(source: str, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            slot = (source, row.pop("u"), row.pop("s"))
            values = {f: n for f, n in row.items() if n}
            if values:
                out[slot] = values

    if apps.is_installed("egov.assignments"):
        from egov.assignments.models import OPEN_STATUSES, AssignmentOwner, AssignmentStatus

        start, end = calendar_bounds(month)
        p = "assignment__"
        done = Q(
            **{
                f"{p}status": AssignmentStatus.DONE,
                f"{p}completed_at__gte": start,
                f"{p}completed_at__lt": end,
            }
        )
        keep(
            PeopleSource.ASSIGNMENTS,
            AssignmentOwner.objects.filter(
                kind="main",
                **{f"{p}is_series": False, f"{p}owner_agency_id": agency_id},
            )
            .values(u=_zero(Coalesce("unit_id", "staff__unit_id")), s=_zero("staff_id"))
            .annotate(
                assigned=Count(
                    "pk", filter=Q(**{f"{p}assigned_at__gte": start, f"{p}assigned_at__lt": end})
                ),
                done=Count("pk", filter=done),
                on_time=Count("pk", filter=done & Q(**{f"{p}on_time": True})),
                late=Count("pk", filter=done & Q(**{f"{p}on_time": False})),
                overdue_open=Count(
                    "pk",
                    filter=Q(
                        **{
                            f"{p}status__in": OPEN_STATUSES,
                            f"{p}overdue_since__isnull": False,
                            f"{p}due_at__gte": start,
                            f"{p}due_at__lt": end,
                        }
                    ),
                ),
            )
            .order_by(),
        )
    if apps.is_installed("egov.dossiers"):
        from egov.dossiers.models import Dossier
        from egov.workflow.models import HistoryEntry

        start, end = month_bounds(month)
        keep(
            PeopleSource.DOSSIERS,
            HistoryEntry.objects.filter(
                instance_id__in=Dossier.objects.filter(workflow_instance__isnull=False).values(
                    "workflow_instance_id"
                ),
                actor_agency_id=agency_id,
                actor__isnull=False,
                acted_at__gte=start,
                acted_at__lt=end,
            )
            .exclude(outcome="")
            .values(
                u=_zero(Coalesce("actor__staff__unit_id", "step__actor_unit_id")),
                s=_zero("actor__staff__id"),
            )
            .annotate(
                done=Count("pk"),
                on_time=Count("pk", filter=Q(outcome__in=STEP_ON_TIME)),
                late=Count("pk", filter=~Q(outcome__in=STEP_ON_TIME)),
            )
            .order_by(),
        )
    if apps.is_installed("egov.documents"):
        from egov.documents.models import Direction, Handling, HandlingRole

        start, end = calendar_bounds(month)
        keep(
            PeopleSource.DOCUMENTS,
            Handling.objects.filter(
                role=HandlingRole.MAIN,
                document__direction=Direction.INCOMING,
                document__agency_id=agency_id,
                document__closed_at__gte=start,
                document__closed_at__lt=end,
            )
            .values(u=_zero(Coalesce("unit_id", "staff__unit_id")), s=_zero("staff_id"))
            .annotate(
                done=Count("pk"),
                on_time=Count("pk", filter=Q(document__closed_on_time=True)),
                late=Count("pk", filter=Q(document__closed_on_time=False)),
            )
            .order_by(),
        )
    return out


def people_recompute(*, agency_id: int, month: dt.date) -> int:
    """Rewrite one agency's rows of one month from the live tables (checks and repairs; the
    contributions are left alone — `people_rebuild` resets both). Returns the rows written."""
    counts = people_counts_live(agency_id=agency_id, month=month)
    with transaction.atomic():
        PeopleMonthlyFact.objects.filter(agency_id=agency_id, month=month).delete()
        PeopleMonthlyFact.objects.bulk_create(
            [
                PeopleMonthlyFact(
                    source=source,
                    agency_id=agency_id,
                    month=month,
                    unit_ref=u,
                    staff_ref=s,
                    **values,
                )
                for (source, u, s), values in sorted(counts.items())
            ]
        )
    return len(counts)


FIELDS = PEOPLE_FACT_FIELDS
