"""Demo assignments: a year of tasks from meetings and documents for the demo agencies.

What it writes (all dated over the twelve months before today, so the dashboards show a
year): monthly meeting conclusions ("Giao ban UBND thành phố tháng 3/2026", "Giao ban Sở …")
with several assignments each; assignments from the instructions on incoming demo documents
(linked to the document when the documents demo ran); tasks given directly by leaders; one
monthly recurring report per agency (a series and its monthly instances). Owners are agencies,
units and people; every status occurs (new, in progress, extension asked, completion reported,
done on time, done late, cancelled, still open and overdue); progress reports, approved,
refused and pending extensions, and the history rows go with them.

Each agency draws its own discipline (share done on time between about 45 % and 95 %), so the
on-time rates and overdue counts differ between agencies on the dashboards.

Fast: rows are bulk-inserted (no services, no notifications), then the
`AssignmentMonthlyFact` rows of the touched (agency, month) pairs are rebuilt with the same
rules as `facts.facts_compute` from one read of the assignments (a test holds them equal).
Idempotent: skipped when demo meeting conclusions exist. One audit entry per run
(`assignments.demo_load` on the root agency, saying it is demo data) instead of one per row.
"""

from __future__ import annotations

import contextlib
import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any, TextIO

from django.db import models, transaction
from django.utils import timezone

from egov.assignments.facts import FIELDS, month_of
from egov.assignments.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentEvent,
    AssignmentEventKind,
    AssignmentMonthlyFact,
    AssignmentOwner,
    AssignmentStatus,
    ExtensionDecision,
    ExtensionRequest,
    MeetingConclusion,
    OwnerKind,
    Priority,
    ProgressReport,
    Recurrence,
    SourceKind,
)
from egov.audit.services import audit_record
from egov.organisations.models import Agency, RoleCode, StaffMember, Unit

SEED = 2026
DEMO_MARK = "[mẫu]"
DEMO_ACTION = "assignments.demo_load"
DEFAULT_COUNT = 3000
BATCH = 1000

MEETING_TASKS = (
    "Đẩy nhanh tiến độ giải ngân vốn đầu tư công",
    "Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền",
    "Tăng tỷ lệ hồ sơ trực tuyến toàn trình",
    "Xử lý dứt điểm hồ sơ giải quyết quá hạn",
    "Hoàn thành số hóa kết quả giải quyết thủ tục hành chính còn hiệu lực",
    "Chuẩn bị phương án phòng chống thiên tai mùa mưa bão",
    "Tháo gỡ vướng mắc giải phóng mặt bằng các dự án trọng điểm",
    "Tổ chức đối thoại với doanh nghiệp về thủ tục đầu tư",
    "Kiểm tra công tác vệ sinh môi trường, thu gom rác thải",
    "Đánh giá kết quả thực hiện Đề án 06 về dữ liệu dân cư",
    "Rà soát các dự án chậm tiến độ, đề xuất thu hồi",
    "Triển khai ký số cho 100% văn bản đi",
    "Cải thiện chỉ số hài lòng của người dân tại bộ phận một cửa",
    "Hoàn thiện hồ sơ đề nghị công nhận phường đạt chuẩn đô thị văn minh",
    "Tổng hợp ý kiến góp ý dự thảo quy hoạch phân khu",
    "Đảm bảo an ninh trật tự dịp lễ, Tết",
    "Kiểm tra an toàn thực phẩm tại các bếp ăn tập thể",
    "Báo cáo tình hình thu ngân sách, đề xuất giải pháp tăng thu",
)
DOCUMENT_TASKS = (
    "Tham mưu thực hiện văn bản số",
    "Triển khai nội dung chỉ đạo tại văn bản",
    "Báo cáo kết quả thực hiện theo yêu cầu tại văn bản",
    "Rà soát, đề xuất phương án xử lý theo văn bản",
)
OWN_TASKS = (
    "Chuẩn bị nội dung làm việc với Đoàn kiểm tra của Bộ",
    "Xây dựng kế hoạch chuyển đổi số năm",
    "Rà soát quy chế làm việc của cơ quan",
    "Tổng hợp kiến nghị cử tri trước kỳ họp HĐND",
    "Chuẩn bị báo cáo sơ kết 6 tháng",
    "Kiểm tra việc thực hiện quy chế văn hóa công sở",
    "Cập nhật dữ liệu cán bộ, công chức lên hệ thống quản lý",
    "Đề xuất danh mục dịch vụ công trực tuyến toàn trình bổ sung",
    "Xử lý đơn thư kiến nghị của công dân",
)
RECURRING = "Báo cáo tình hình thực hiện nhiệm vụ kinh tế – xã hội hằng tháng"
PROGRESS_TEXTS = (
    "Đã họp triển khai, phân công cán bộ thực hiện.",
    "Đã làm việc với các đơn vị liên quan, đang tổng hợp số liệu.",
    "Hoàn thành dự thảo, đang lấy ý kiến các phòng chuyên môn.",
    "Đã trình lãnh đạo cơ quan xem xét.",
)
EXTENSION_REASONS = (
    "Chờ ý kiến của các sở, ngành liên quan.",
    "Khối lượng hồ sơ lớn, cần thêm thời gian rà soát.",
    "Chờ kết quả khảo sát hiện trạng.",
)

# outcome: weight (the on-time/late split is drawn per agency)
PAST_OUTCOMES = {
    "done": 70,
    "done_extended": 8,
    "open_overdue": 8,
    "refused_overdue": 3,
    "completion_reported": 3,
    "cancelled": 2,
}
CURRENT_OUTCOMES = {
    "open": 25,
    "in_progress": 45,
    "extension_requested": 10,
    "completion_reported": 8,
    "done_early": 12,
}
# the first outcomes drawn, so that a small run has every status
FIRST = (
    "done",
    "done_late",
    "open_overdue",
    "done_extended",
    "refused_overdue",
    "cancelled",
    "open",
    "in_progress",
    "extension_requested",
    "completion_reported",
)


def _write(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


@contextlib.contextmanager
def _keep_timestamps(*models_: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the past `created_at`/`updated_at` the demo sets on its rows."""
    saved = []
    for model in models_:
        for name in ("created_at", "updated_at"):
            field: Any = model._meta.get_field(name)
            saved.append((field, field.auto_now, field.auto_now_add))
            field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, now, now_add in saved:
            field.auto_now, field.auto_now_add = now, now_add


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Plan:
    """Collects the rows of one run before they are written."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.assignments: list[Assignment] = []
        self.owners: list[list[AssignmentOwner]] = []
        self.events: list[list[AssignmentEvent]] = []
        self.progress: list[list[ProgressReport]] = []
        self.extensions: list[list[ExtensionRequest]] = []

    def at(self, instant: datetime) -> datetime:
        return min(instant, self.now - timedelta(minutes=5))

    def add(
        self,
        *,
        assignment: Assignment,
        owners: list[AssignmentOwner],
        outcome: str,
        on_time_share: float,
        author: StaffMember,
    ) -> None:
        rng, a = self.rng, self.assignment_defaults(assignment)
        leader = a.assigner
        events = [
            AssignmentEvent(kind=AssignmentEventKind.CREATED, actor=leader.user, at=a.assigned_at)
        ]
        progress: list[ProgressReport] = []
        extensions: list[ExtensionRequest] = []
        user = author.user
        span = a.due_at - a.assigned_at

        def report(at: datetime, percent: int) -> None:
            at = self.at(at)
            progress.append(
                ProgressReport(
                    author=author,
                    text=rng.choice(PROGRESS_TEXTS),
                    percent=percent,
                    created_at=at,
                    updated_at=at,
                )
            )
            events.append(AssignmentEvent(kind=AssignmentEventKind.PROGRESS, actor=user, at=at))
            a.percent = max(a.percent, percent)

        def extend(at: datetime, new_due: datetime, decision: str) -> None:
            at = self.at(at)
            requester = author
            extensions.append(
                ExtensionRequest(
                    requested_by=requester,
                    previous_due_at=a.due_at,
                    requested_due_at=new_due,
                    reason=rng.choice(EXTENSION_REASONS),
                    decision=decision,
                    decided_by=leader if decision else None,
                    decided_at=self.at(at + timedelta(days=1)) if decision else None,
                    note="Đồng ý gia hạn." if decision == ExtensionDecision.APPROVED else "",
                    created_at=at,
                    updated_at=at,
                )
            )
            events.append(
                AssignmentEvent(kind=AssignmentEventKind.EXTENSION_REQUESTED, actor=user, at=at)
            )
            if decision == ExtensionDecision.APPROVED:
                events.append(
                    AssignmentEvent(
                        kind=AssignmentEventKind.EXTENSION_APPROVED,
                        actor=leader.user,
                        at=self.at(at + timedelta(days=1)),
                    )
                )
                a.due_at = new_due
            elif decision == ExtensionDecision.REFUSED:
                events.append(
                    AssignmentEvent(
                        kind=AssignmentEventKind.EXTENSION_REFUSED,
                        actor=leader.user,
                        at=self.at(at + timedelta(days=1)),
                        note="Yêu cầu hoàn thành đúng hạn đã giao.",
                    )
                )

        def finish(reported: datetime, *, accept: bool = True) -> None:
            reported = self.at(reported)
            report(a.assigned_at + (reported - a.assigned_at) / 2, rng.choice((50, 60, 70, 80)))
            events.append(
                AssignmentEvent(
                    kind=AssignmentEventKind.COMPLETION_REPORTED, actor=user, at=reported
                )
            )
            a.percent = 100
            if not accept:
                a.status = AssignmentStatus.COMPLETION_REPORTED
                return
            accepted = self.at(reported + timedelta(hours=rng.randrange(2, 72)))
            a.status = AssignmentStatus.DONE
            a.completed_at = accepted
            a.on_time = reported <= a.due_at
            events.append(
                AssignmentEvent(kind=AssignmentEventKind.ACCEPTED, actor=leader.user, at=accepted)
            )

        if outcome in ("done", "done_late"):
            late = outcome == "done_late" or rng.random() > on_time_share
            if late and a.due_at + timedelta(days=2) < self.now:
                lateness = (self.now - a.due_at) * rng.uniform(0.02, 0.3)
                finish(a.due_at + max(lateness, timedelta(days=1)))
            else:
                finish(a.assigned_at + span * rng.uniform(0.4, 0.97))
        elif outcome == "done_extended":
            new_due = a.due_at + timedelta(days=rng.choice((7, 10, 14, 21)))
            extend(a.assigned_at + span * 0.8, new_due, ExtensionDecision.APPROVED)
            finish(a.assigned_at + (a.due_at - a.assigned_at) * rng.uniform(0.85, 0.99))
        elif outcome in ("open_overdue", "refused_overdue"):
            a.status = AssignmentStatus.IN_PROGRESS
            report(a.assigned_at + span * 0.5, rng.choice((20, 30, 40, 60)))
            if outcome == "refused_overdue":
                extend(
                    a.assigned_at + span * 0.9,
                    a.due_at + timedelta(days=30),
                    ExtensionDecision.REFUSED,
                )
        elif outcome == "completion_reported":
            finish(a.assigned_at + span * rng.uniform(0.5, 0.95), accept=False)
        elif outcome == "cancelled":
            a.status = AssignmentStatus.CANCELLED
        elif outcome == "in_progress":
            a.status = AssignmentStatus.IN_PROGRESS
            report(a.assigned_at + (self.now - a.assigned_at) / 2, rng.choice((10, 30, 50, 70)))
        elif outcome == "extension_requested":
            a.status = AssignmentStatus.EXTENSION_REQUESTED
            report(a.assigned_at + (self.now - a.assigned_at) / 3, rng.choice((20, 40)))
            extend(
                a.assigned_at + (self.now - a.assigned_at) * 0.8,
                a.due_at + timedelta(days=rng.choice((10, 15, 30))),
                ExtensionDecision.PENDING,
            )
        elif outcome == "done_early":
            finish(a.assigned_at + (self.now - a.assigned_at) * rng.uniform(0.5, 0.9))
        # else "open": just given
        if a.status in OPEN_STATUSES and a.due_at < self.now:
            # what the escalation job would have done by now
            flagged = self.at(a.due_at + timedelta(hours=1))
            a.overdue_since = a.escalated_at = flagged
            a.reminded_at = a.due_at - timedelta(days=2)
            events.append(
                AssignmentEvent(
                    kind=AssignmentEventKind.ESCALATED,
                    at=flagged,
                    note="Báo quá hạn tới người giao và lãnh đạo đơn vị chủ trì",
                )
            )
        a.created_at = a.assigned_at
        a.updated_at = max([e.at for e in events])
        self.assignments.append(a)
        self.owners.append(owners)
        self.events.append(events)
        self.progress.append(progress)
        self.extensions.append(extensions)

    @staticmethod
    def assignment_defaults(a: Assignment) -> Assignment:
        a.original_due_at = a.due_at
        a.percent = 0
        a.status = AssignmentStatus.OPEN
        return a


def _owner(kind: str, target: Agency | Unit | StaffMember) -> AssignmentOwner:
    if isinstance(target, StaffMember):
        return AssignmentOwner(kind=kind, agency_id=target.agency_id, staff=target)
    if isinstance(target, Unit):
        return AssignmentOwner(kind=kind, agency_id=target.agency_id, unit=target)
    return AssignmentOwner(kind=kind, agency_id=target.pk)


def load_demo_assignments(*, stdout: TextIO | None = None, count: int = DEFAULT_COUNT) -> list[Any]:
    """About `count` assignments over the past year (plus the monthly recurring reports)."""
    if MeetingConclusion.objects.filter(title__startswith=DEMO_MARK).exists():
        _write(stdout, "    nhiệm vụ: đã có dữ liệu mẫu, bỏ qua")
        return []
    agencies = list(Agency.objects.filter(is_active=True).order_by("pk"))
    staff = list(
        StaffMember.objects.filter(is_active=True)
        .select_related("user")
        .prefetch_related("roles")
        .order_by("pk")
    )
    if not agencies or not staff:
        return []
    rng = random.Random(SEED)
    now = timezone.now()
    by_id = {a.pk: a for a in agencies}
    children: dict[int | None, list[Agency]] = defaultdict(list)
    for agency in agencies:
        children[agency.parent_id].append(agency)
    roots = children[None] or agencies[:1]
    root = roots[0]
    people: dict[int, list[StaffMember]] = defaultdict(list)
    leaders: dict[int, list[StaffMember]] = defaultdict(list)
    for person in staff:
        people[person.agency_id].append(person)
        codes = {r.code for r in person.roles.all()}
        if codes & {RoleCode.AGENCY_LEADER, RoleCode.CITY_LEADER}:
            leaders[person.agency_id].append(person)
    units: dict[int, list[Unit]] = defaultdict(list)
    for unit in Unit.objects.filter(is_active=True, agency_id__in=by_id).order_by("pk"):
        units[unit.agency_id].append(unit)
    givers = [a for a in agencies if leaders.get(a.pk)]
    if not givers:
        return []
    documents = _incoming_documents(givers)
    discipline = {a.pk: rng.uniform(0.45, 0.95) for a in agencies}

    def targets_of(giver: Agency) -> list[Agency | Unit | StaffMember]:
        """Possible owners inside the giver's tree: sub-agencies, units, people."""
        below = children.get(giver.pk, [])
        out: list[Agency | Unit | StaffMember] = []
        out += below
        out += units.get(giver.pk, [])
        out += [p for p in people.get(giver.pk, []) if p not in leaders[giver.pk]]
        for sub in below:
            out += leaders.get(sub.pk, [])[:1]
        return out or list(leaders[giver.pk])

    targets = {g.pk: targets_of(g) for g in givers}
    in_unit: dict[int, StaffMember] = {}
    for person in staff:
        if person.unit_id is not None:
            in_unit.setdefault(person.unit_id, person)

    def author_of(target: Agency | Unit | StaffMember, fallback: StaffMember) -> StaffMember:
        """Who reports for an owner: the person, someone of the unit, the agency's leader."""
        if isinstance(target, StaffMember):
            return target
        if isinstance(target, Unit):
            return in_unit.get(target.pk, fallback)
        return (leaders.get(target.pk) or people.get(target.pk) or [fallback])[0]

    weights = [10 if g.pk == root.pk else 1 for g in givers]
    plan = _Plan(rng, now)
    conclusions: dict[tuple[int, date], MeetingConclusion] = {}
    doc_cursor: dict[int, int] = defaultdict(int)
    year_ago = now - timedelta(days=365)

    def meeting_of(giver: Agency, assigned: datetime, leader: StaffMember) -> MeetingConclusion:
        month = month_of(assigned)
        found = conclusions.get((giver.pk, month))
        if found is None:
            day = timezone.localtime(assigned).date()
            who = "UBND thành phố" if giver.pk == root.pk else (giver.abbreviation or giver.name)
            found = MeetingConclusion(
                agency=giver,
                title=f"{DEMO_MARK} Giao ban {who} tháng {month:%m/%Y}",
                date=day,
                text=(
                    f"Kết luận của {leader.user.get_full_name() or leader.user} tại cuộc họp "
                    f"giao ban tháng {month:%m/%Y}: các đơn vị tập trung thực hiện các nhiệm vụ "
                    "dưới đây, báo cáo kết quả đúng hạn."
                ),
                created_by=leader,
                created_at=assigned,
                updated_at=assigned,
            )
            conclusions[(giver.pk, month)] = found
        return found

    for n in range(count):
        giver = rng.choices(givers, weights=weights)[0]
        leader = rng.choice(leaders[giver.pk])
        pool = targets[giver.pk]
        main = rng.choice(pool)
        co = [t for t in rng.sample(pool, min(len(pool), 2)) if t is not main][:1]
        if n < len(FIRST):
            outcome = FIRST[n]
        else:
            past = rng.random() < 0.8
            outcome = _pick(rng, PAST_OUTCOMES if past else CURRENT_OUTCOMES)
        current = outcome in CURRENT_OUTCOMES and outcome != "completion_reported"
        current = current or (outcome == "completion_reported" and rng.random() < 0.5)
        if current:
            assigned = now - timedelta(days=rng.uniform(1, 25))
            due = now + timedelta(days=rng.uniform(3, 30))
        else:
            assigned = year_ago + timedelta(days=rng.uniform(0, 320))
            due = assigned + timedelta(days=rng.choice((7, 10, 15, 20, 30, 45)))
            if due >= now - timedelta(days=2):
                due = now - timedelta(days=rng.uniform(2, 10))
                assigned = min(assigned, due - timedelta(days=7))
        kind = rng.choices((SourceKind.MEETING, SourceKind.DOCUMENT, SourceKind.OWN), (5, 3, 2))[0]
        docs = documents.get(giver.pk, [])
        meeting = None
        source_document = None
        if kind == SourceKind.DOCUMENT and docs and doc_cursor[giver.pk] < len(docs):
            source_document = docs[doc_cursor[giver.pk]]
            doc_cursor[giver.pk] += 1
            prefix = rng.choice(DOCUMENT_TASKS)
            title = f"{prefix} {source_document.subject}"[:480]
        elif kind == SourceKind.DOCUMENT:
            kind = SourceKind.OWN
            title = rng.choice(OWN_TASKS)
        elif kind == SourceKind.MEETING:
            meeting = meeting_of(giver, assigned, leader)
            title = rng.choice(MEETING_TASKS)
        else:
            title = rng.choice(OWN_TASKS)
        if kind == SourceKind.OWN and "năm" in title[-4:]:
            title = f"{title} {timezone.localtime(assigned).year}"
        owners = [_owner(OwnerKind.MAIN, main)] + [_owner(OwnerKind.CO, t) for t in co]
        plan.add(
            author=author_of(main, leader),
            assignment=Assignment(
                agency=giver,
                owner_agency_id=owners[0].agency_id,
                title=title,
                description="",
                source_kind=kind,
                source_document=source_document,
                meeting=meeting,
                assigner=leader,
                priority=rng.choices(Priority.values, (80, 15, 5))[0],
                assigned_at=assigned,
                due_at=due,
            ),
            owners=owners,
            outcome=outcome,
            on_time_share=discipline[owners[0].agency_id],
        )
    series = _recurring(plan, givers, leaders, targets, discipline, author_of)
    with (
        transaction.atomic(),
        _keep_timestamps(MeetingConclusion, Assignment, ProgressReport, ExtensionRequest),
    ):
        MeetingConclusion.objects.bulk_create(list(conclusions.values()), batch_size=BATCH)
        for a in plan.assignments:
            if a.meeting is not None:
                a.meeting_id = a.meeting.pk
        Assignment.objects.bulk_create(series, batch_size=BATCH)
        for a in plan.assignments:
            if a.parent is not None:
                a.parent_id = a.parent.pk
        Assignment.objects.bulk_create(plan.assignments, batch_size=BATCH)
        owners_rows: list[AssignmentOwner] = []
        events: list[AssignmentEvent] = []
        progress: list[ProgressReport] = []
        extensions: list[ExtensionRequest] = []
        for i, a in enumerate(plan.assignments):
            for row in plan.owners[i]:
                row.assignment = a
                owners_rows.append(row)
            for event in plan.events[i]:
                event.assignment = a
                events.append(event)
            for p in plan.progress[i]:
                p.assignment = a
                progress.append(p)
            for e in plan.extensions[i]:
                e.assignment = a
                extensions.append(e)
        AssignmentOwner.objects.bulk_create(owners_rows, batch_size=BATCH)
        AssignmentEvent.objects.bulk_create(events, batch_size=BATCH)
        ProgressReport.objects.bulk_create(progress, batch_size=BATCH)
        ExtensionRequest.objects.bulk_create(extensions, batch_size=BATCH)
        facts = facts_rebuild_for({a.owner_agency_id for a in plan.assignments})
        summary = {
            "meetings": len(conclusions),
            "assignments": len(plan.assignments),
            "series": len(series),
            "progress_reports": len(progress),
            "extensions": len(extensions),
            "fact_rows": facts,
        }
        audit_record(
            actor=None,
            action=DEMO_ACTION,
            target=root,
            summary=(
                f"Nạp dữ liệu mẫu nhiệm vụ: {len(plan.assignments)} nhiệm vụ từ "
                f"{len(conclusions)} cuộc họp và văn bản đến (dữ liệu mẫu, không phải thao tác "
                "của cán bộ)"
            ),
            after=summary,
        )
    _write(
        stdout,
        f"    nhiệm vụ: {len(plan.assignments)} nhiệm vụ, {len(conclusions)} kết luận cuộc họp, "
        f"{len(progress)} báo cáo tiến độ, {len(extensions)} đề nghị gia hạn",
    )
    return []


def _incoming_documents(givers: list[Agency]) -> dict[int, list[Any]]:
    """Incoming demo documents with a leader's instruction, per agency (none if no documents)."""
    try:
        from egov.documents.models import Direction, Document
    except ImportError:  # pragma: no cover - documents not installed
        return {}
    out: dict[int, list[Any]] = defaultdict(list)
    rows = (
        Document.objects.filter(agency_id__in=[g.pk for g in givers], direction=Direction.INCOMING)
        .exclude(instruction="")
        .only("pk", "agency_id", "subject")
        .order_by("pk")
    )
    for doc in rows[:20000]:
        if len(out[doc.agency_id]) < 200:
            out[doc.agency_id].append(doc)
    return out


def _recurring(
    plan: _Plan,
    givers: list[Agency],
    leaders: dict[int, list[StaffMember]],
    targets: dict[int, list[Agency | Unit | StaffMember]],
    discipline: dict[int, float],
    author_of: Any,
) -> list[Assignment]:
    """A monthly report per giving agency (series) and one instance per past month."""
    rng, now = plan.rng, plan.now
    series_rows: list[Assignment] = []
    start = month_of(now - timedelta(days=330))
    for giver in givers:
        pool = [t for t in targets[giver.pk] if not isinstance(t, StaffMember)] or targets[giver.pk]
        main = pool[0]
        leader = leaders[giver.pk][0]
        first = datetime(start.year, start.month, 1, 8, tzinfo=timezone.get_current_timezone())
        series = Assignment(
            agency=giver,
            owner_agency_id=_owner(OwnerKind.MAIN, main).agency_id,
            title=RECURRING,
            source_kind=SourceKind.OWN,
            assigner=leader,
            assigned_at=first,
            due_at=first,
            original_due_at=first,
            recurrence=Recurrence.MONTHLY,
            recurrence_day=20,
            is_series=True,
            created_at=first,
            updated_at=first,
        )
        series_rows.append(series)
        month = start
        while True:
            spawned = datetime(month.year, month.month, 1, 7, tzinfo=first.tzinfo)
            if spawned >= now:
                break
            due = spawned.replace(day=20, hour=17)
            if due > now:
                outcome = "in_progress"
            else:
                outcome = "done" if rng.random() < 0.9 else "open_overdue"
            a = Assignment(
                agency=giver,
                owner_agency_id=series.owner_agency_id,
                title=f"{RECURRING} (tháng {month:%m/%Y})",
                source_kind=SourceKind.OWN,
                assigner=leader,
                priority=Priority.NORMAL,
                assigned_at=spawned,
                due_at=due,
                parent=series,
                period_start=month,
            )
            plan.add(
                author=author_of(main, leader),
                assignment=a,
                owners=[_owner(OwnerKind.MAIN, main)],
                outcome=outcome,
                on_time_share=discipline[series.owner_agency_id],
            )
            month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return series_rows


def facts_rebuild_for(agency_ids: set[int]) -> int:
    """Rebuild every `AssignmentMonthlyFact` row of these agencies from one read of their
    assignments (the rules of `facts.facts_compute`). Returns the number of rows written."""
    figures: dict[tuple[int, date], dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    rows = Assignment.objects.filter(owner_agency_id__in=agency_ids, is_series=False).values_list(
        "owner_agency_id", "assigned_at", "status", "completed_at", "on_time", "overdue_since",
        "due_at",
    )  # fmt: skip
    for agency_id, assigned_at, status, completed_at, on_time, overdue_since, due_at in rows:
        figures[(agency_id, month_of(assigned_at))]["assigned"] += 1
        if status == AssignmentStatus.DONE and completed_at is not None:
            bucket = figures[(agency_id, month_of(completed_at))]
            bucket["done"] += 1
            if on_time is True:
                bucket["done_on_time"] += 1
            elif on_time is False:
                bucket["done_late"] += 1
        if status in OPEN_STATUSES and overdue_since is not None:
            figures[(agency_id, month_of(due_at))]["overdue_open"] += 1
    AssignmentMonthlyFact.objects.filter(agency_id__in=agency_ids).delete()
    AssignmentMonthlyFact.objects.bulk_create(
        [
            AssignmentMonthlyFact(agency_id=agency_id, month=month, **values)
            for (agency_id, month), values in sorted(figures.items())
        ],
        batch_size=BATCH,
    )
    return len(figures)
