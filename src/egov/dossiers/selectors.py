"""Reads of the one-stop shop: submission, the applicant's list, public tracking, officer queues.

Every selector returns rows with their joins chosen, so a page or an endpoint builds no query
of its own. Two reads are on a hot path and kept lean on purpose:

* **Public tracking** (`tracking_dossier`, `tracking_timeline`): one query on the unique code
  joined to the procedure and the agency with only the columns shown, then one query for the
  timeline on the workflow history index (`instance, acted_at`), with the step names joined.
* **Officer queues** (`queue`): one scoped query per page plus one capped count, whatever the
  page size; the default order (`due_at`, `id`) follows the indexes `(agency, status, due_at)`
  and `(assignee, status, due_at)`. Pages use LIMIT/OFFSET with the count capped at
  `COUNT_CAP`: queues are worked from the top (soonest due), deep pages are rare, and a capped
  count bounds the cost on a year of data while keeping plain page links (keyset pagination
  would make every filter and sort order a different cursor for little gain here).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone
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
from egov.workflow.models import HistoryEntry

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
    """One indexed query on the unique code; only the columns tracking shows."""
    code = (code or "").strip().upper()
    if not code or len(code) > 60:
        return None
    return (
        Dossier.objects.select_related("procedure", "agency")
        .only(*TRACKING_COLUMNS)
        .filter(code=code)
        .first()
    )


@dataclass(frozen=True)
class TimelineRow:
    """One step of the public timeline: no officer's name, only steps, dates and the outcome."""

    action: str
    action_label: str
    step: str
    to_step: str
    acted_at: datetime
    step_due_at: datetime | None
    outcome: str
    outcome_label: str


def tracking_timeline(dossier: Dossier) -> list[TimelineRow]:
    """The workflow history of the dossier, oldest first (one query on `instance, acted_at`)."""
    if dossier.workflow_instance_id is None:
        return []
    entries = (
        HistoryEntry.objects.filter(instance_id=dossier.workflow_instance_id)
        .select_related("step", "to_step")
        .only(
            "action",
            "acted_at",
            "step_due_at",
            "outcome",
            "step__name",
            "to_step__name",
        )
        .order_by("acted_at", "id")
    )
    return [
        TimelineRow(
            action=e.action,
            action_label=str(e.get_action_display()),
            step=e.step.name if e.step is not None else "",
            to_step=e.to_step.name if e.to_step is not None else "",
            acted_at=e.acted_at,
            step_due_at=e.step_due_at,
            outcome=e.outcome,
            outcome_label=str(e.get_outcome_display()) if e.outcome else "",
        )
        for e in entries
    ]


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


def _scoped(user: Any, action: str) -> QuerySet[Dossier]:
    """Dossiers of the agencies where `action` is open to `user` (receiving or handling)."""
    by_agency = agency_filter(user, action, field="agency")
    by_handler = agency_filter(user, action, field="handling_agency")
    return Dossier.objects.filter(by_agency | by_handler)


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
    qs = _scoped(user, definition.action)
    if key == "mine":
        qs = qs.filter(assignee_id=subject.staff_id, status__in=OPEN_STATUSES)
    elif key == "unit":
        if subject.unit_id is None:
            return Dossier.objects.none()
        qs = qs.filter(assignee__unit_id=subject.unit_id, status__in=OPEN_STATUSES)
    elif key == "due_soon":
        qs = qs.filter(
            status__in=RUNNING_STATUSES,
            due_at__gte=now,
            due_at__lte=due_soon_limit(agency, now=now),
        )
    elif key == "overdue":
        qs = qs.filter(status__in=RUNNING_STATUSES, due_at__lt=now)
    elif key == "waiting":
        qs = qs.filter(status=DossierStatus.SUPPLEMENT_REQUESTED)
    elif key == "to_receive":
        qs = qs.filter(status=DossierStatus.SUBMITTED)
    if filters.q:
        qs = qs.filter(search_filter("search_text", filters.q))
    if filters.procedure:
        qs = qs.filter(procedure__code=filters.procedure.strip())
    if filters.status and filters.status in DossierStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.received_from:
        qs = qs.filter(submitted_at__gte=_day_start(filters.received_from))
    if filters.received_to:
        qs = qs.filter(submitted_at__lt=_day_start(filters.received_to + timedelta(days=1)))
    order = SORTS.get(filters.sort, SORTS["due"])
    return (
        qs.select_related("procedure", "agency", "assignee__user")
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
