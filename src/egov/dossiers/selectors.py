"""Reads of the one-stop shop: submission, the applicant's list, public tracking, officer queues.

Every selector returns rows with their joins chosen, so a page or an endpoint builds no query
of its own. Two reads are on a hot path and kept lean on purpose:

* **Public tracking** (`tracking_dossier`, `tracking_timeline`): one query on the unique code
  joined to the procedure and the agency with only the columns shown, then one query for the
  timeline on the workflow history index (`instance, acted_at`), with the step names joined.
* **Officer queues** (`queue`): one scoped query per page plus one capped count, whatever the
  page size. The scope is "received by or handled by one of my agencies", an OR that no index
  can read in order; a page (a slice) therefore selects its ids as the UNION of the two
  branches, each read in the page's order from its own index (`(agency, due_at, id)`,
  `(handling_agency, due_at, id)`, or the `(…, status, due_at)` ones when a queue fixes the
  status) and LIMITed to offset + size, and fetches those ids with the joins, in the same
  query (`QueueQuerySet`). Pages use LIMIT/OFFSET with the count capped at
  `COUNT_CAP`: queues are worked from the top (soonest due), deep pages are rare, and a capped
  count bounds the cost on a year of data while keeping plain page links (keyset pagination
  would make every filter and sort order a different cursor for little gain here).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import OperationalError, connections
from django.db.models import F, Q, QuerySet
from django.db.models.enums import Choices
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from egov.calendar.arithmetic import WorkingCalendar
from egov.core.search import search_filter
from egov.dossiers.models import (
    ApologyLetter,
    Dossier,
    DossierPaper,
    DossierResult,
    DossierStatus,
    FeeDue,
    Payment,
    Rating,
    SupplementRequest,
)
from egov.organisations.models import Agency, AgencyKind
from egov.policy.engine import agency_filter, subject_for
from egov.procedures.models import Procedure, ReceivingScope, RequiredPaper
from egov.workflow.models import Action, HistoryEntry, Instance, Outcome, Step

COUNT_CAP = 1000
DUE_SOON_WORKING_DAYS = 2
OPEN_STATUSES = (
    DossierStatus.SUBMITTED,
    DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.PROCESSING,
    DossierStatus.SUSPENDED,
    DossierStatus.RESULT_READY,
)
# The clock runs (a due can pass) only while the dossier is being processed.
RUNNING_STATUSES = (DossierStatus.PROCESSING,)


# --- submission ----------------------------------------------------------------------------------


def procedure_for_submission(code: str) -> Procedure | None:
    """A published procedure open to online submission, with its papers (2 queries)."""
    procedure = (
        Procedure.objects.select_related("service_level", "field", "process")
        .filter(code=code, is_published=True, service_level__allows_online_submission=True)
        .first()
    )
    if procedure is None:
        return None
    return procedure


def required_papers(procedure: Procedure) -> list[RequiredPaper]:
    return list(RequiredPaper.objects.filter(procedure=procedure).order_by("order"))


def receiving_agencies(procedure: Procedure) -> list[Agency]:
    """Where a dossier of `procedure` may be submitted: the listed agencies, or every local
    committee when the procedure is received by all wards, communes and special zones."""
    if procedure.receiving_scope == ReceivingScope.ALL_LOCAL:
        kinds = (AgencyKind.WARD, AgencyKind.COMMUNE, AgencyKind.SPECIAL_ZONE)
        qs = Agency.objects.filter(kind__in=kinds)
    else:
        qs = procedure.agencies.all()
    return list(qs.filter(is_active=True).order_by("name"))


# --- the applicant -------------------------------------------------------------------------------


def dossiers_of_applicant(user: Any) -> QuerySet[Dossier]:
    """The signed-in applicant's own dossiers, newest first (index `applicant, -submitted_at`)."""
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(applicant_id=user.pk)
        .select_related("procedure", "agency", "rating")
        .order_by("-submitted_at", "-id")
    )


def open_supplement(dossier: Dossier) -> SupplementRequest | None:
    return SupplementRequest.objects.filter(dossier=dossier, fulfilled_at__isnull=True).first()


def returned_results(dossier: Dossier) -> list[DossierResult]:
    return list(DossierResult.objects.filter(dossier=dossier).select_related("file", "signed_file"))


# --- public tracking -----------------------------------------------------------------------------

TRACKING_COLUMNS = (
    "id",
    "code",
    "status",
    "channel",
    "submitted_at",
    "received_at",
    "due_at",
    "decided_at",
    "returned_at",
    "finished_on_time",
    "current_step_name",
    "workflow_instance_id",
    "applicant_id",
    "applicant_name",
    "applicant_address",
    "applicant_phone",
    "procedure__code",
    "procedure__name",
    "agency__code",
    "agency__name",
)


def tracking_dossier(code: str) -> Dossier | None:
    """One indexed query on the unique code; only the columns tracking shows. Read for the
    applicant's part of tracking (personal data, never cached); the public part is
    `public_tracking`."""
    found = normal_tracking_code(code)
    if found is None:
        return None
    return (
        Dossier.objects.select_related("procedure", "agency")
        .only(*TRACKING_COLUMNS)
        .filter(code=found)
        .first()
    )


@cache
def enum_labels(choices: type[Choices], language: str | None) -> dict[str, str]:
    """The labels of `choices` in `language` (the active one when asked), translated once per
    process: tracking shows a dozen labels per answer, each a catalogue lookup otherwise."""
    return {str(member.value): str(member.label) for member in choices}  # type: ignore[attr-defined]


@dataclass(frozen=True)
class TimelineRow:
    """One step of the public timeline: no officer's name, only steps, dates and the outcome.

    Holds codes, not words: the labels are read from the enums in the language of the request
    (so a row can be cached and shown in Vietnamese or English)."""

    action: str
    step: str
    to_step: str
    acted_at: datetime
    step_due_at: datetime | None
    outcome: str

    @property
    def action_label(self) -> str:
        return enum_labels(Action, get_language()).get(self.action, self.action)

    @property
    def outcome_label(self) -> str:
        return enum_labels(Outcome, get_language()).get(self.outcome, "")


def tracking_timeline(dossier: Dossier) -> list[TimelineRow]:
    """The workflow history of the dossier, oldest first (one query on `instance, acted_at`)."""
    if dossier.workflow_instance_id is None:
        return []
    rows = (
        HistoryEntry.objects.filter(instance_id=dossier.workflow_instance_id)
        .order_by("acted_at", "id")
        .values_list("action", "step__name", "to_step__name", "acted_at", "step_due_at", "outcome")
    )
    return [
        TimelineRow(action, step or "", to_step or "", acted_at, step_due_at, outcome or "")
        for action, step, to_step, acted_at, step_due_at, outcome in rows
    ]


@dataclass(frozen=True)
class PublicTracking:
    """What anyone who has the code may see of a dossier (the public tracking answer).

    Nothing about the applicant (name, address, phone, papers, account): this is what
    `egov.dossiers.tracking` keeps in the cache, so it must stay free of personal data.
    """

    code: str
    status: str
    procedure_code: str
    procedure_name: str
    agency_code: str
    agency_name: str
    submitted_at: datetime
    received_at: datetime | None
    due_at: datetime | None
    returned_at: datetime | None
    current_step_name: str
    timeline: tuple[TimelineRow, ...]

    @property
    def status_label(self) -> str:
        return enum_labels(DossierStatus, get_language()).get(self.status, self.status)

    @property
    def clock_stopped(self) -> bool:
        return self.status in (DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.SUSPENDED)


_H = "workflow_instance__history__"
PUBLIC_TRACKING_COLUMNS = (
    "code",
    "status",
    "procedure__code",
    "procedure__name",
    "agency__code",
    "agency__name",
    "submitted_at",
    "received_at",
    "due_at",
    "returned_at",
    "current_step_name",
    f"{_H}action",
    f"{_H}step__name",
    f"{_H}to_step__name",
    f"{_H}acted_at",
    f"{_H}step_due_at",
    f"{_H}outcome",
)


def normal_tracking_code(code: str | None) -> str | None:
    """The code as stored (upper case, trimmed), or None when it cannot be a code."""
    code = (code or "").strip().upper()
    return code if code and len(code) <= 60 else None


def timeline_snapshot(instance: Instance | None) -> dict[str, Any] | None:
    """What `Dossier.tracking_snapshot` keeps: the public timeline rows, and the instance's
    `updated_at` they were read at (every workflow move saves the instance, so a different
    `updated_at` means the snapshot is behind and is not used). Pass the instance as saved."""
    if instance is None or instance.pk is None or instance.updated_at is None:
        return None
    instance_id, stamp = instance.pk, instance.updated_at
    rows = (
        HistoryEntry.objects.filter(instance_id=instance_id)
        .order_by("acted_at", "id")
        .values_list("action", "step__name", "to_step__name", "acted_at", "step_due_at", "outcome")
    )
    return {
        "at": stamp.isoformat(),
        "rows": [
            [a, s or "", t or "", acted.isoformat(), due.isoformat() if due else None, o or ""]
            for a, s, t, acted, due, o in rows
        ],
    }


def _snapshot_timeline(snapshot: Any, stamp: datetime | None) -> tuple[TimelineRow, ...] | None:
    """The timeline from a snapshot that still matches the instance; None when it cannot be
    trusted (missing, written before the instance's last change, or unreadable)."""
    if isinstance(snapshot, str):
        snapshot = json.loads(snapshot)
    if not isinstance(snapshot, dict) or stamp is None:
        return None
    try:
        if datetime.fromisoformat(snapshot["at"]) != stamp:
            return None
        return tuple(
            TimelineRow(
                a,
                s,
                t,
                datetime.fromisoformat(acted),
                datetime.fromisoformat(due) if due else None,
                o,
            )
            for a, s, t, acted, due, o in snapshot["rows"]
        )
    except (KeyError, TypeError, ValueError):
        return None


@cache
def _public_tracking_sql(*, snapshot: bool) -> str:
    """The rows of public tracking, written once (the hot path).

    With ``snapshot``: the dossier, its procedure and agency (primary keys) and its timeline
    snapshot with the instance's `updated_at` to check it. Without: the timeline joined from
    the history, one row per step (when the snapshot is missing or behind).
    """
    dossier, procedure, agency = (
        Dossier._meta.db_table,
        Procedure._meta.db_table,
        Agency._meta.db_table,
    )
    history, step = HistoryEntry._meta.db_table, Step._meta.db_table
    instance = Instance._meta.db_table
    head = (
        "SELECT d.code, d.status, p.code, p.name, a.code, a.name, d.submitted_at,"
        " d.received_at, d.due_at, d.returned_at, d.current_step_name,"
    )
    joins = (
        f" FROM {dossier} d"
        f" JOIN {procedure} p ON p.id = d.procedure_id"
        f" JOIN {agency} a ON a.id = d.agency_id"
    )
    # Table names come from the models; the code is a bound parameter.
    if snapshot:
        return (
            head
            + " i.updated_at, d.tracking_snapshot"
            + joins
            + f" LEFT JOIN {instance} i ON i.id = d.workflow_instance_id WHERE d.code = %s"
        )
    return (
        head
        + " h.action, s.name, t.name, h.acted_at, h.step_due_at, h.outcome"
        + joins
        + f" LEFT JOIN {history} h ON h.instance_id = d.workflow_instance_id"
        + f" LEFT JOIN {step} s ON s.id = h.step_id"
        + f" LEFT JOIN {step} t ON t.id = h.to_step_id"
        + " WHERE d.code = %s ORDER BY h.acted_at, h.id"
    )


def _public_tracking_rows(code: str, *, snapshot: bool) -> list[tuple[Any, ...]]:
    """On PostgreSQL a prepared statement, so the joins are not planned again on every lookup
    (planning was most of a first lookup's database time). Elsewhere, the ORM."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        columns = PUBLIC_TRACKING_COLUMNS[:11]
        if snapshot:
            return list(
                Dossier.objects.filter(code=code)
                .order_by()
                .values_list(*columns, "workflow_instance__updated_at", "tracking_snapshot")
            )
        return list(
            Dossier.objects.filter(code=code)
            .order_by(f"{_H}acted_at", f"{_H}id")
            .values_list(*PUBLIC_TRACKING_COLUMNS)
        )
    sql, params = _public_tracking_sql(snapshot=snapshot), [code]
    try:
        return _prepared_rows(connection, sql, params)
    except OperationalError:
        # Django checks a kept connection with a round trip before its first query in each
        # request; this read runs first and repairs instead: when the server has dropped the
        # connection (restart, failover), reconnect and read again, once.
        raw = connection.connection
        if connection.in_atomic_block or raw is None or not raw.closed:
            raise
        connection.close()
        return _prepared_rows(connection, sql, params)


def _prepared_rows(connection: Any, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run `sql` prepared, on Django's connection. Django's cursors bind on the client and are
    never prepared; this one binds on the server, and is prepared on its first run on this
    connection and kept while the connection lives (settings' `prepare_threshold`)."""
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        if connection.queries_logged:  # DEBUG or a test counting queries: log it like Django
            with connection.make_debug_cursor(cursor).debug_sql(sql, params):
                cursor.execute(sql, params, prepare=True)
        else:
            cursor.execute(sql, params, prepare=True)
        return list(cursor.fetchall())


def public_tracking(code: str) -> PublicTracking | None:
    """The public tracking answer from the database: the dossier on its unique code with its
    timeline snapshot (one row); when the snapshot is missing or behind, the dossier joined to
    its history instead (one query, one row per step). Values only. Callers go through
    `egov.dossiers.tracking.public_view`, which caches it."""
    found = normal_tracking_code(code)
    if found is None:
        return None
    rows = _public_tracking_rows(found, snapshot=True)
    if not rows:
        return None
    d = rows[0]
    timeline = _snapshot_timeline(d[12], d[11])
    if timeline is None:
        rows = _public_tracking_rows(found, snapshot=False)
        if not rows:
            return None
        d = rows[0]
        timeline = tuple(
            TimelineRow(r[11], r[12] or "", r[13] or "", r[14], r[15], r[16] or "")
            for r in rows
            if r[11] is not None
        )
    return PublicTracking(
        code=d[0],
        status=d[1],
        procedure_code=d[2],
        procedure_name=d[3],
        agency_code=d[4],
        agency_name=d[5],
        submitted_at=d[6],
        received_at=d[7],
        due_at=d[8],
        returned_at=d[9],
        current_step_name=d[10],
        timeline=timeline,
    )


def tracking_papers(dossier: Dossier) -> list[DossierPaper]:
    """Papers for the applicant's view of tracking (personal data: ask before calling)."""
    return list(DossierPaper.objects.filter(dossier=dossier).only("name", "copies", "uploaded_at"))


# --- officer queues ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    key: str
    label: Any
    description: Any
    action: str = "dossier.view"


QUEUES: dict[str, Queue] = {
    q.key: q
    for q in (
        Queue("mine", _("Của tôi"), _("Hồ sơ đang giao cho tôi xử lý")),
        Queue("unit", _("Của đơn vị"), _("Hồ sơ đang do đơn vị tôi xử lý")),
        Queue("due_soon", _("Sắp đến hạn"), _("Đến hạn trong 2 ngày làm việc")),
        Queue("overdue", _("Quá hạn"), _("Đã quá hạn giải quyết")),
        Queue("waiting", _("Chờ bổ sung"), _("Đang chờ người nộp bổ sung")),
        Queue(
            "to_receive",
            _("Chờ tiếp nhận"),
            _("Hồ sơ nộp trực tuyến chờ cán bộ một cửa tiếp nhận"),
            action="dossier.intake",
        ),
        Queue("all", _("Tất cả"), _("Mọi hồ sơ của cơ quan")),
    )
}

# Untimed rows (not yet received) last, as PostgreSQL's ascending index order has them.
SORTS: dict[str, tuple[Any, ...]] = {
    "due": (F("due_at").asc(nulls_last=True), "id"),
    "-due": (F("due_at").desc(nulls_last=True), "-id"),
    "submitted": ("submitted_at", "id"),
    "-submitted": ("-submitted_at", "-id"),
    "code": ("code",),
}
SORT_LABELS = (
    ("due", _("Hạn giải quyết (sớm nhất trước)")),
    ("-due", _("Hạn giải quyết (muộn nhất trước)")),
    ("-submitted", _("Ngày nộp (mới nhất trước)")),
    ("submitted", _("Ngày nộp (cũ nhất trước)")),
    ("code", _("Mã hồ sơ")),
)


@dataclass(frozen=True)
class QueueFilters:
    q: str = ""
    procedure: str = ""
    status: str = ""
    received_from: date | None = None
    received_to: date | None = None
    sort: str = "due"


def due_soon_limit(agency: Agency | None, *, now: datetime | None = None) -> datetime:
    """The close of the 2nd working day from now, on the agency's calendar."""
    now = now or timezone.now()
    return WorkingCalendar.for_agency(agency).due_after_working_days(now, DUE_SOON_WORKING_DAYS)


class QueueQuerySet(QuerySet[Dossier]):
    """A queue scoped by `branch A OR branch B` whose ordered pages read each branch in order.

    `WHERE agency IN (…) OR handling_agency IN (…) ORDER BY due_at, id LIMIT 20` makes the
    database collect and sort every dossier of the agencies (tens of thousands on a
    city-year). The first `offset + size` rows of the OR are among the first `offset + size`
    rows of each branch, so an ordered slice selects its ids as the UNION of the two branches,
    each ordered and LIMITed (served in order by an index on the branch's agency column), and
    orders and slices only those ids, with the joins, in the same query. Unordered reads, whole
    iterations and any further `filter()` use the plain OR query (same rows).
    """

    _branches: tuple[QuerySet[Dossier], QuerySet[Dossier]] | None = None

    def _clone(self) -> QueueQuerySet:
        clone: QueueQuerySet = super()._clone()  # type: ignore[misc]
        clone._branches = self._branches
        return clone

    def _filter_or_exclude(self, negate: bool, args: Any, kwargs: Any) -> QueueQuerySet:
        clone: QueueQuerySet = super()._filter_or_exclude(negate, args, kwargs)  # type: ignore[misc]
        clone._branches = None  # the branches would not have the new condition
        return clone

    def __getitem__(self, k: Any) -> Any:
        if (
            isinstance(k, slice)
            and k.stop is not None
            and self._branches is not None
            and self._result_cache is None
            and self._iterable_class is ModelIterable
            and self.query.order_by
            and not self.query.is_sliced
            and int(k.stop) > int(k.start or 0) >= 0
        ):
            return self._union_page(int(k.stop))[k]
        return super().__getitem__(k)

    def _union_page(self, stop: int) -> QuerySet[Dossier]:
        """This queryset restricted to the union of each branch's first `stop` ids."""
        assert self._branches is not None
        connection = connections[self.db]
        parts: list[str] = []
        params: list[Any] = []
        for n, branch in enumerate(self._branches):
            ids = branch.order_by(*self.query.order_by).values_list("pk", flat=True)[:stop]
            try:
                sql, branch_params = ids.query.get_compiler(connection=connection).as_sql()
            except EmptyResultSet:  # e.g. `agency IN ()`: the branch has no rows
                continue
            # Wrapped: SQLite allows no ORDER BY/LIMIT in a compound's own members.
            # Only SQL compiled by Django from our querysets, with its parameters: no input text.
            parts.append(f"SELECT * FROM ({sql}) AS queue_branch_{n}")  # noqa: S608
            params.extend(branch_params)
        page = self.all()
        page._branches = None
        if not parts:
            return page.none()
        return page.filter(pk__in=RawSQL(" UNION ".join(parts), params))  # noqa: S611


def _scoped(user: Any, action: str, filters: Q) -> QuerySet[Dossier]:
    """Dossiers of the agencies where `action` is open to `user` (receiving or handling)."""
    by_agency = agency_filter(user, action, field="agency")
    by_handler = agency_filter(user, action, field="handling_agency")
    qs = QueueQuerySet(model=Dossier).filter(filters & (by_agency | by_handler))
    if by_agency and by_handler:  # an empty Q (every agency) needs no branches
        base = Dossier.objects.filter(filters)
        qs._branches = (base.filter(by_agency), base.filter(by_handler))
    return qs


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def queue(
    *,
    user: Any,
    key: str,
    filters: QueueFilters = QueueFilters(),
    agency: Agency | None = None,
    now: datetime | None = None,
) -> QuerySet[Dossier]:
    """One officer queue, policy-scoped, filtered and sorted; unknown keys give no rows."""
    definition = QUEUES.get(key)
    if definition is None:
        return Dossier.objects.none()
    subject = subject_for(user)
    now = now or timezone.now()
    where = Q()
    if key == "mine":
        where &= Q(assignee_id=subject.staff_id, status__in=OPEN_STATUSES)
    elif key == "unit":
        if subject.unit_id is None:
            return Dossier.objects.none()
        where &= Q(assignee__unit_id=subject.unit_id, status__in=OPEN_STATUSES)
    elif key == "due_soon":
        where &= Q(
            status__in=RUNNING_STATUSES,
            due_at__gte=now,
            due_at__lte=due_soon_limit(agency, now=now),
        )
    elif key == "overdue":
        where &= Q(status__in=RUNNING_STATUSES, due_at__lt=now)
    elif key == "waiting":
        where &= Q(status=DossierStatus.SUPPLEMENT_REQUESTED)
    elif key == "to_receive":
        where &= Q(status=DossierStatus.SUBMITTED)
    if filters.q:
        where &= search_filter("search_text", filters.q)
    if filters.procedure:
        where &= Q(procedure__code=filters.procedure.strip())
    if filters.status and filters.status in DossierStatus.values:
        where &= Q(status=filters.status)
    if filters.received_from:
        where &= Q(submitted_at__gte=_day_start(filters.received_from))
    if filters.received_to:
        where &= Q(submitted_at__lt=_day_start(filters.received_to + timedelta(days=1)))
    order = SORTS.get(filters.sort, SORTS["due"])
    return (
        _scoped(user, definition.action, where)
        .select_related("procedure", "agency", "assignee__user")
        .only(
            "id",
            "public_id",
            "code",
            "status",
            "channel",
            "applicant_name",
            "submitted_at",
            "received_at",
            "due_at",
            "current_step_name",
            "finished_on_time",
            "procedure__code",
            "procedure__name",
            "agency__code",
            "agency__name",
            "assignee__id",
            "assignee__user__full_name",
            "assignee__user__username",
        )
        .order_by(*order)
    )


def capped_count(qs: QuerySet[Any], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, more): the rows up to `cap`, and whether there are more (one query)."""
    n = qs.order_by()[: cap + 1].count()
    return min(n, cap), n > cap


def queue_counts(*, user: Any, keys: Iterable[str], agency: Agency | None) -> dict[str, int]:
    """Capped counts for the queue tabs (one query each)."""
    return {k: capped_count(queue(user=user, key=k, agency=agency))[0] for k in keys}


# --- one dossier, for officers -----------------------------------------------------------------


def dossier_by_code(code: str) -> Dossier | None:
    """The dossier with everything the detail page shows on it (one query). Ask the policy."""
    return (
        Dossier.objects.select_related(
            "procedure",
            "procedure__service_level",
            "agency",
            "agency__parent",
            "handling_agency",
            "applicant",
            "received_by__user",
            "assignee__user",
            "workflow_instance__current_step",
            "workflow_instance__process",
            "workflow_instance__agency",
        )
        .filter(code=(code or "").strip())
        .first()
    )


def dossier_papers(dossier: Dossier) -> list[DossierPaper]:
    return list(
        DossierPaper.objects.filter(dossier=dossier).select_related("file", "required_paper")
    )


def dossier_paper(dossier: Dossier, public_id: Any) -> DossierPaper | None:
    return (
        DossierPaper.objects.filter(dossier=dossier, public_id=public_id)
        .select_related("file")
        .first()
    )


def dossier_result(dossier: Dossier, public_id: Any) -> DossierResult | None:
    return (
        DossierResult.objects.filter(dossier=dossier, public_id=public_id)
        .select_related("file", "signed_file")
        .first()
    )


def dossier_fees(dossier: Dossier) -> list[FeeDue]:
    return list(FeeDue.objects.filter(dossier=dossier))


def dossier_payments(dossier: Dossier) -> list[Payment]:
    return list(
        Payment.objects.filter(dossier=dossier).select_related("recorded_by", "confirmed_by")
    )


def dossier_payment(dossier: Dossier, public_id: Any) -> Payment | None:
    return Payment.objects.filter(dossier=dossier, public_id=public_id).first()


def dossier_supplements(dossier: Dossier) -> list[SupplementRequest]:
    return list(SupplementRequest.objects.filter(dossier=dossier).select_related("requested_by"))


def dossier_apologies(dossier: Dossier) -> list[ApologyLetter]:
    return list(ApologyLetter.objects.filter(dossier=dossier).select_related("issued_by"))


def dossier_rating(dossier: Dossier) -> Rating | None:
    return Rating.objects.filter(dossier=dossier).first()


def agency_staff_choices(agency_id: int | None) -> list[tuple[str, str]]:
    """Active staff of an agency, for "forward to" (public id, name)."""
    from egov.organisations.models import StaffMember

    if agency_id is None:
        return []
    rows = (
        StaffMember.objects.filter(agency_id=agency_id, is_active=True)
        .select_related("user", "unit")
        .order_by("user__full_name")
    )
    return [
        (
            str(s.public_id),
            f"{s.user.full_name or s.user.username}"
            + (f" – {s.unit.name}" if s.unit_id and s.unit else ""),
        )
        for s in rows
    ]


def staff_agency(agency_id: int | None) -> Agency | None:
    if agency_id is None:
        return None
    return Agency.objects.select_related("parent").filter(pk=agency_id).first()


def procedure_for_counter(code: str) -> Procedure | None:
    """A published procedure, for counter intake (any service level)."""
    return (
        Procedure.objects.select_related("service_level", "field", "process")
        .filter(code=code.strip(), is_published=True)
        .first()
    )


def procedures_for_counter(*, q: str = "", limit: int = 30) -> list[Procedure]:
    qs = Procedure.objects.filter(is_published=True).select_related("field")
    if q:
        qs = qs.filter(search_filter("search_text", q))
    return list(qs.order_by("field__order", "name")[:limit])


def staff_by_public_id(public_id: str) -> Any:
    import uuid

    from egov.organisations.models import StaffMember

    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return StaffMember.objects.select_related("user").filter(public_id=key).first()


def idempotency_key_used(user: Any, key: str) -> bool:
    """Whether `user` already submitted with this `Idempotency-Key` (a retry)."""
    from egov.dossiers.models import IdempotencyKey

    return IdempotencyKey.objects.filter(user_id=user.pk, key=key).exists()
