"""Demo dossiers: a year of the one-stop shop (issue 3, §10), loaded by `egov demo`.

About 10,000 dossiers over the twelve months before today, across the demo procedures and their
receiving agencies, in every state: waiting for intake, waiting for a supplement, processing
(some overdue), suspended, result ready, returned (most), refused, withdrawn. Some are decided
late, most of those with an apology letter and a new appointment; returned dossiers are often
rated. Each dossier has realistic Vietnamese applicants (names, 12-digit personal numbers with
valid province codes, mobile numbers, addresses in Đà Nẵng wards), its workflow instance and
history consistent with its state (the processing-control sheet), two papers, fees and payments.

Speed is the point: this runs inside `make demo` (budget ≤ 60 s on SQLite for the whole dossier
demo), so the rows are built in memory and written with `bulk_create` in batches, not through the
services (which take row locks, write an audit row and enqueue a notification per action: minutes
for a year of data). Due dates still come from the working calendar, exactly as the services
compute them (`deadlines.due_at_receipt`, `workflow.services.step_outcome`).

**Audit.** The loader writes ONE audit entry per run, summarising the load (counts per state),
instead of one per dossier and action: these rows are a seed, not actions of the people named in
them, and a hundred thousand chain entries "by" demo officers would make the trail say things
that never happened. The summary entry records who loaded what and when, which is the truth.

**Papers** are three tiny PDFs stored once through the content-addressed file store
(`core.files.file_store`); every demo paper references one of them.

Idempotent: a second run finds the demo dossiers (marked in `form_data`) and does nothing.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from itertools import pairwise
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import User, UserKind
from egov.accounts.validators import PROVINCE_CODES, tax_code_check_digit
from egov.audit.services import audit_record
from egov.calendar.arithmetic import WorkingCalendar
from egov.core.files import file_store
from egov.core.models import StoredFile
from egov.core.search import fold
from egov.dossiers import deadlines
from egov.dossiers.codes import code_day, format_code
from egov.dossiers.models import (
    ApologyLetter,
    ApplicantKind,
    Channel,
    Dossier,
    DossierCounter,
    DossierPaper,
    DossierResult,
    DossierStatus,
    FeeDue,
    Payment,
    PaymentStatus,
    Rating,
    RatingValue,
    Refusal,
    ResultChannel,
    ResultKind,
    SupplementRequest,
    SupplementStage,
)
from egov.organisations.demo import (
    COMMUNES,
    FAMILY_NAMES,
    GIVEN_FEMALE,
    GIVEN_MALE,
    MIDDLE_FEMALE,
    MIDDLE_MALE,
    WARDS,
)
from egov.organisations.models import Agency, AgencyKind, StaffMember
from egov.procedures.models import ApplicantType, Procedure, ReceivingScope
from egov.workflow.models import (
    Action,
    HistoryEntry,
    Instance,
    InstanceStatus,
    Step,
    StepKind,
    Transition,
)
from egov.workflow.services import step_outcome

SEED = 2026
DEFAULT_COUNT = 10_000
# Marks a demo dossier (in `form_data`), so that a second run knows the seed is there.
DEMO_MARK = "_demo"
SUBJECT_TYPE = "dossiers.dossier"
BATCH = 2000

# Target share of each state, per 100 dossiers: every state appears even in a small demo.
STATE_MIX: tuple[tuple[str, int], ...] = (
    (DossierStatus.RETURNED, 70),
    (DossierStatus.PROCESSING, 11),
    (DossierStatus.SUBMITTED, 3),
    (DossierStatus.SUPPLEMENT_REQUESTED, 3),
    (DossierStatus.SUSPENDED, 1),
    (DossierStatus.RESULT_READY, 4),
    (DossierStatus.REFUSED, 4),
    (DossierStatus.WITHDRAWN, 4),
)
OPEN = {
    DossierStatus.SUBMITTED,
    DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.PROCESSING,
    DossierStatus.SUSPENDED,
    DossierStatus.RESULT_READY,
}
# Share of dossiers decided late (after the due by law) among the decided ones.
LATE_SHARE = 0.07
# Of the late ones, how many got an apology letter, and how many of those in time.
APOLOGY_SHARE = 0.8
APOLOGY_IN_TIME_SHARE = 0.85
RATING_SHARE = 0.6

STREETS = (
    "Lê Duẩn",
    "Trần Phú",
    "Nguyễn Văn Linh",
    "Hùng Vương",
    "Điện Biên Phủ",
    "Ông Ích Khiêm",
    "Hoàng Diệu",
    "Lê Lợi",
    "Bạch Đằng",
    "Nguyễn Tất Thành",
    "Võ Nguyên Giáp",
    "Ngô Quyền",
    "Phạm Văn Đồng",
    "Tôn Đức Thắng",
    "Nguyễn Lương Bằng",
    "Âu Cơ",
    "Cách Mạng Tháng Tám",
    "2 Tháng 9",
    "Núi Thành",
    "Trưng Nữ Vương",
    "Hàm Nghi",
    "Nguyễn Hữu Thọ",
    "Trường Sa",
    "Phan Châu Trinh",
    "Hải Phòng",
    "Quang Trung",
    "Hà Huy Tập",
    "Nguyễn Chí Thanh",
)
MOBILE_PREFIXES = (
    "090",
    "093",
    "070",
    "079",
    "077",
    "076",
    "078",
    "089",
    "091",
    "094",
    "088",
    "083",
    "084",
    "085",
    "081",
    "082",
    "096",
    "097",
    "098",
    "086",
    "032",
    "033",
    "034",
    "035",
)
COMPANY_KINDS = (
    "Công ty TNHH",
    "Công ty cổ phần",
    "Công ty TNHH MTV",
    "Hợp tác xã",
    "Doanh nghiệp tư nhân",
)
COMPANY_NAMES = (
    "Sông Hàn",
    "Biển Xanh",
    "Ngũ Hành",
    "Sơn Trà",
    "Hải Vân",
    "Bà Nà",
    "Minh Phát",
    "Thành Công",
    "Phú Quý",
    "An Phước",
    "Đại Dương",
    "Miền Trung",
    "Hòa Khánh",
    "Tiên Sa",
    "Cẩm Lệ",
    "Hội An",
    "Thu Bồn",
    "Mỹ Khê",
    "Non Nước",
    "Trường Thịnh",
)
COMPANY_TRADES = (
    "Xây dựng",
    "Thương mại và Dịch vụ",
    "Du lịch",
    "Vận tải",
    "Thủy sản",
    "Công nghệ",
    "Đầu tư",
    "Cơ khí",
    "Thực phẩm",
    "Kiến trúc",
)
SUPPLEMENT_ITEMS = (
    "Bản sao giấy tờ tùy thân còn thời hạn",
    "Tờ khai ghi thiếu thông tin nơi cư trú",
    "Bản chụp giấy tờ bị mờ, đề nghị chụp lại rõ nét",
    "Thiếu chữ ký của người yêu cầu trên tờ khai",
    "Giấy ủy quyền có chứng thực (nộp thay)",
    "Bản vẽ sơ đồ vị trí thửa đất",
)
REFUSAL_REASONS = (
    "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan",
    "Người nộp không đủ điều kiện theo quy định",
    "Quá thời hạn bổ sung hồ sơ mà không bổ sung",
    "Thông tin kê khai không trung thực",
)
WITHDRAW_NOTES = (
    "Người nộp đề nghị rút hồ sơ để nộp lại sau",
    "Người nộp không còn nhu cầu giải quyết",
    "Nộp nhầm thủ tục",
)
SUSPEND_NOTES = (
    "Tạm dừng chờ kết quả xác minh của cơ quan phối hợp",
    "Tạm dừng theo đề nghị của người nộp",
)
APOLOGY_REASONS = (
    "Hồ sơ cần xác minh thêm với cơ quan liên quan",
    "Khối lượng hồ sơ tiếp nhận tăng đột biến",
    "Chờ ý kiến của cơ quan phối hợp",
    "Cần khảo sát thực địa",
)
RATING_COMMENTS = (
    "",
    "",
    "",
    "Cán bộ hướng dẫn tận tình",
    "Giải quyết nhanh, đúng hẹn",
    "Nộp trực tuyến thuận tiện",
    "Thời gian chờ còn lâu",
    "Cần hướng dẫn rõ hơn về thành phần hồ sơ",
)
GENERIC_PAPERS: tuple[tuple[int | None, str, bool, int], ...] = (
    (None, "Tờ khai", True, 1),
    (None, "Giấy tờ kèm theo", False, 1),
)
PAPER_FILES = (
    ("to-khai.pdf", "egov demo - To khai"),
    ("ban-sao-giay-to.pdf", "egov demo - Ban sao giay to"),
    ("ket-qua.pdf", "egov demo - Ket qua giai quyet"),
)


def _write(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")
        stdout.flush()


# --- what the catalogue and the city give ------------------------------------------------------


@dataclass
class _Proc:
    obj: Procedure
    steps: list[Step]  # in order, without the final (done) step
    final: Step | None
    moves: list[str]  # the action that leads from steps[i] to the next step
    receivers: list[Agency]
    papers: list[tuple[int | None, str, bool, int]]  # (required paper id, name, original, copies)
    fees: list[tuple[int, str, str, int, int]]  # (fee id, name, kind, counter, online)
    online: bool
    business: bool
    citizen: bool

    @property
    def days(self) -> Decimal:
        return Decimal(self.obj.legal_working_days or 0)


@dataclass
class _Staff:
    staff_id: int
    user_id: int


@dataclass
class _City:
    by_role: dict[tuple[int, str], list[_Staff]]
    by_agency: dict[int, list[_Staff]]
    anywhere: dict[str, list[_Staff]]
    agencies: dict[int, Agency]

    def pick(self, rng: random.Random, agency_id: int, roles: Sequence[str]) -> _Staff:
        for role in roles:
            found = self.by_role.get((agency_id, role))
            if found:
                return rng.choice(found)
        if self.by_agency.get(agency_id):
            return rng.choice(self.by_agency[agency_id])
        for role in roles:
            if self.anywhere.get(role):
                return rng.choice(self.anywhere[role])
        return rng.choice([s for staff in self.by_agency.values() for s in staff])


def _procedures() -> list[_Proc]:
    procs = list(
        Procedure.objects.filter(is_published=True, process__isnull=False)
        .select_related("process", "service_level")
        .prefetch_related("agencies", "papers", "fees")
        .order_by("code")
    )
    process_ids = {p.process_id for p in procs}
    steps_by_process: dict[int, list[Step]] = defaultdict(list)
    for step in Step.objects.filter(process_id__in=process_ids).order_by("process_id", "order"):
        steps_by_process[step.process_id].append(step)
    moves_by_step: dict[tuple[int, int], str] = {}
    for t in Transition.objects.filter(process_id__in=process_ids, target__isnull=False):
        moves_by_step[(t.source_id, t.target_id)] = t.action  # type: ignore[index]
    local_kinds = (AgencyKind.WARD, AgencyKind.COMMUNE, AgencyKind.SPECIAL_ZONE)
    local = list(Agency.objects.filter(kind__in=local_kinds, is_active=True).order_by("code"))
    out: list[_Proc] = []
    for p in procs:
        all_steps = steps_by_process.get(p.process_id or 0, [])
        steps = [s for s in all_steps if not s.is_final]
        final = next((s for s in all_steps if s.is_final), None)
        chain = [*steps, final] if final is not None else steps
        moves = [moves_by_step.get((a.pk, b.pk), "") for a, b in pairwise(chain)]
        if len(steps) < 2 or "" in moves or steps[0].kind != StepKind.INTAKE:
            continue  # not the intake → … → result shape this loader knows how to play
        if p.receiving_scope == ReceivingScope.ALL_LOCAL:
            receivers = local
        else:
            receivers = sorted((a for a in p.agencies.all() if a.is_active), key=lambda a: a.code)
        if not receivers:
            continue
        papers: list[tuple[int | None, str, bool, int]] = [
            (rp.pk, rp.name, rp.form == "original", rp.copies or 1) for rp in p.papers.all()
        ]
        fees = [(f.pk, f.name, f.kind, f.counter_amount, f.online_amount) for f in p.fees.all()]
        level = p.service_level
        out.append(
            _Proc(
                obj=p,
                steps=steps,
                final=final,
                moves=moves,
                receivers=receivers,
                papers=papers,
                fees=fees,
                online=bool(level and level.allows_online_submission),
                business=p.applicant_types in (ApplicantType.BUSINESS, ApplicantType.BOTH),
                citizen=p.applicant_types in (ApplicantType.CITIZEN, ApplicantType.BOTH),
            )
        )
    return out


def _city() -> _City:
    by_role: dict[tuple[int, str], list[_Staff]] = defaultdict(list)
    by_agency: dict[int, list[_Staff]] = defaultdict(list)
    anywhere: dict[str, list[_Staff]] = defaultdict(list)
    rows = StaffMember.objects.filter(is_active=True).values_list(
        "id", "user_id", "agency_id", "roles__code"
    )
    seen: set[int] = set()
    for staff_id, user_id, agency_id, role in rows:
        staff = _Staff(staff_id, user_id)
        if role:
            by_role[(agency_id, role)].append(staff)
            anywhere[role].append(staff)
        if staff_id not in seen:
            by_agency[agency_id].append(staff)
            seen.add(staff_id)
    agencies = {a.pk: a for a in Agency.objects.all()}
    return _City(by_role, by_agency, anywhere, agencies)


# --- people --------------------------------------------------------------------------------------


@dataclass
class _Person:
    kind: str
    name: str
    id_number: str
    phone: str
    email: str
    address: str
    user_id: int | None = None


def _weighted_family(rng: random.Random) -> str:
    names, weights = zip(*FAMILY_NAMES, strict=True)
    return rng.choices(names, weights=weights)[0]


def _citizen_id(rng: random.Random, taken: set[str]) -> str:
    codes = list(PROVINCE_CODES)
    while True:
        roll = rng.random()
        province = "048" if roll < 0.6 else "049" if roll < 0.85 else rng.choice(codes)
        born = rng.randint(1950, 2007)
        female = rng.random() < 0.5
        century = (born - 1900) // 100
        digit = century * 2 + (1 if female else 0)
        number = f"{province}{digit}{born % 100:02d}{rng.randint(0, 999_999):06d}"
        if number not in taken:
            taken.add(number)
            return number


def _tax_code(rng: random.Random) -> str:
    first = f"04{rng.randint(0, 9_999_999):07d}"  # 04…: Đà Nẵng's tax department
    return first + str(tax_code_check_digit(first))


def _mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 9_999_999):07d}"


def _address(rng: random.Random) -> str:
    place = f"phường {rng.choice(WARDS)}" if rng.random() < 0.75 else f"xã {rng.choice(COMMUNES)}"
    kiet = f"kiệt {rng.randint(1, 120)} " if rng.random() < 0.3 else ""
    return f"{rng.randint(1, 420)} {kiet}{rng.choice(STREETS)}, {place}, thành phố Đà Nẵng"


def _slug(text: str) -> str:
    return fold(text).replace(" ", "")


def _citizen(rng: random.Random, taken: set[str]) -> _Person:
    female = rng.random() < 0.5
    family = _weighted_family(rng)
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    name = f"{family} {middle} {given}"
    email = f"{_slug(given)}.{_slug(family)}{rng.randint(10, 9999)}@example.com"
    return _Person(
        ApplicantKind.CITIZEN, name, _citizen_id(rng, taken), _mobile(rng), email, _address(rng)
    )


def _business(rng: random.Random) -> _Person:
    name = f"{rng.choice(COMPANY_KINDS)} {rng.choice(COMPANY_TRADES)} {rng.choice(COMPANY_NAMES)}"
    email = f"lienhe{rng.randint(100, 99999)}@example.com"
    return _Person(ApplicantKind.BUSINESS, name, _tax_code(rng), _mobile(rng), email, _address(rng))


def _ensure_citizen_users(rng: random.Random, n: int, taken: set[str]) -> list[_Person]:
    """`n` demo citizen accounts (no usable password) to own the online dossiers."""
    prefix = "demo.cd"
    existing = {
        u.username: u
        for u in User.objects.filter(username__startswith=prefix).only(
            "id", "username", "full_name", "citizen_id", "phone", "email"
        )
    }
    unusable = make_password(None)
    people: list[_Person] = []
    new: list[User] = []
    for i in range(1, n + 1):
        username = f"{prefix}{i:05d}"
        person = _citizen(rng, taken)
        if username in existing:
            u = existing[username]
            person.name, person.id_number = u.full_name, u.citizen_id
            person.phone, person.email = u.phone, u.email
        else:
            new.append(
                User(
                    username=username,
                    kind=UserKind.CITIZEN,
                    full_name=person.name,
                    email=person.email,
                    phone=person.phone,
                    citizen_id=person.id_number,
                    email_verified_at=timezone.now(),
                    password=unusable,
                    is_active=True,
                )
            )
        people.append(person)
    User.objects.bulk_create(new, batch_size=BATCH)
    ids = dict(User.objects.filter(username__startswith=prefix).values_list("username", "id"))
    for i, person in enumerate(people, start=1):
        person.user_id = ids[f"{prefix}{i:05d}"]
    return people


# --- files ---------------------------------------------------------------------------------------


def _tiny_pdf(title: str) -> bytes:
    """A valid one-page PDF (a few hundred bytes) with one line of ASCII text."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _demo_files() -> list[StoredFile]:
    """The three demo PDFs, stored once (content-addressed: one blob each)."""
    stored = []
    for name, title in PAPER_FILES:
        upload = File(BytesIO(_tiny_pdf(title)), name=name)
        stored.append(file_store(upload=upload, field="demo", allowed={"pdf"}, actor=None))
    return stored


# --- one dossier's life --------------------------------------------------------------------------


class _Future(Exception):  # control flow: an event would fall after "now"
    pass


@dataclass
class _Life:
    """Everything the simulation decides for one dossier, before any row exists."""

    proc: _Proc
    agency: Agency
    channel: str
    person: _Person
    target: str
    fields: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    instance: dict[str, Any] = field(default_factory=dict)
    supplements: list[dict[str, Any]] = field(default_factory=list)
    refusal: dict[str, Any] | None = None
    apologies: list[dict[str, Any]] = field(default_factory=list)
    result: dict[str, Any] | None = None
    rating: dict[str, Any] | None = None
    paid: bool = False


class _Sim:
    """Plays one dossier forward in working time; raises `_Future` if it would pass `now`."""

    def __init__(self, rng: random.Random, city: _City, now: datetime) -> None:
        self.rng = rng
        self.city = city
        self.now = now
        self._calendars: dict[int, WorkingCalendar] = {}

    def cal(self, agency_id: int) -> WorkingCalendar:
        found = self._calendars.get(agency_id)
        if found is None:
            found = WorkingCalendar.for_agency(self.city.agencies[agency_id])
            self._calendars[agency_id] = found
        return found

    def due_at_receipt(self, procedure: Procedure, agency: Agency, received: datetime) -> datetime:
        """`deadlines.due_at_receipt` on the calendar kept here (the tests compare the two).

        The deadlines function looks the calendar up on every call, which reads the calendar's
        revision token (one query): ten thousand queries a demo does not need.
        """
        calendar = self.cal(agency.pk)
        if procedure.cutoff_time is not None:
            calendar = calendar.with_cutoff(procedure.cutoff_time)
        days = Decimal(procedure.legal_working_days)
        whole = int(days)
        if whole == 0:
            day = calendar.receipt_day(received)
            due = calendar.close_of(day)
            if due < received:
                due = calendar.close_of(calendar.next_working_day(day))
            return due
        due = calendar.due_after_working_days(received, whole)
        if days - whole:
            due = calendar.add_working_time(due, deadlines.WORKING_DAY * float(days - whole))
        return due

    def after(self, agency_id: int, start: datetime, hours: float) -> datetime:
        at = self.cal(agency_id).add_working_hours(start, timedelta(hours=max(hours, 0.02)))
        if at > self.now:
            raise _Future
        return at

    def counter_instant(self, agency_id: int, day: date) -> datetime:
        """A random instant within working hours of the first working day from `day`."""
        cal = self.cal(agency_id)
        while not cal.is_working_day(day):
            day += timedelta(days=1)
        periods = cal.periods_on(day)
        period = self.rng.choice(periods)
        start = datetime.combine(day, period.start, tzinfo=cal.tz)
        end = datetime.combine(day, period.end, tzinfo=cal.tz)
        span = (end - start).total_seconds()
        return start + timedelta(seconds=self.rng.uniform(0, span * 0.95))

    def play(self, life: _Life, submitted_at: datetime) -> None:
        rng, proc, target = self.rng, life.proc, life.target
        steps, moves = proc.steps, proc.moves
        receiving = life.agency
        applicant_user = life.person.user_id
        late = target in (DossierStatus.RETURNED, DossierStatus.RESULT_READY) and (
            rng.random() < LATE_SHARE * 2.2  # not every slow dossier ends up late
        )
        f = life.fields
        f.update(
            submitted_at=submitted_at,
            received_at=None,
            received_by_id=None,
            due_at=None,
            original_due_at=None,
            legal_due_at=None,
            decided_at=None,
            finished_on_time=None,
            returned_at=None,
            result_channel="",
            closed_at=None,
            status_note="",
        )
        history = life.history
        life.supplements.clear()
        life.apologies.clear()
        history.clear()
        life.refusal = life.result = life.rating = None

        def step_agency(step: Step) -> int:
            return step.actor_agency_id or receiving.pk

        def staff_for(step: Step) -> _Staff:
            return self.city.pick(rng, step_agency(step), step.actor_roles or ["specialist"])

        def hist(**row: Any) -> dict[str, Any]:
            history.append(row)
            return row

        # State of the instance while playing.
        inst: dict[str, Any] = {"status": InstanceStatus.ACTIVE, "paused_at": None}
        life.instance = inst

        def enter(i: int, at: datetime, who: _Staff | None) -> None:
            step = steps[i]
            agency_id = step_agency(step)
            allotted = float(step.allotted_hours or 0)
            inst.update(
                step=i,
                agency_id=agency_id,
                assignee=who,
                step_started_at=at,
                step_due_at=(
                    self.cal(agency_id).add_working_hours(at, timedelta(hours=allotted))
                    if allotted
                    else None
                ),
            )

        def finish(
            action: str,
            at: datetime,
            actor_user: int | None,
            actor_agency: int | None,
            nxt: int | None,
            who: _Staff | None,
            note: str = "",
            outcome: bool = True,
        ) -> None:
            step = steps[inst["step"]]
            to_step = steps[nxt] if nxt is not None and nxt < len(steps) else proc.final
            row = hist(
                step=step,
                action=action,
                to_step=to_step if action not in (Action.REFUSE, Action.WITHDRAW) else None,
                actor_id=actor_user,
                actor_agency_id=actor_agency,
                step_started_at=inst["step_started_at"],
                step_due_at=inst["step_due_at"],
                acted_at=at,
                outcome=(
                    step_outcome(
                        due_at=inst["step_due_at"], acted_at=at, tz=self.cal(inst["agency_id"]).tz
                    )
                    if outcome
                    else ""
                ),
                note=note,
                paused_working=None,
            )
            if nxt is not None and nxt < len(steps):
                enter(nxt, at, who)
            else:
                inst.update(step=None, assignee=None, step_started_at=None, step_due_at=None)
                if to_step is not None and action not in (Action.REFUSE, Action.WITHDRAW):
                    inst["final"] = True
            row["to_agency_id"] = inst.get("agency_id")
            row["to_assignee_id"] = inst["assignee"].staff_id if inst.get("assignee") else None

        def pause(action: str, at: datetime, actor: _Staff, note: str) -> dict[str, Any]:
            step = steps[inst["step"]]
            inst["status"] = (
                InstanceStatus.WAITING
                if action == Action.REQUEST_SUPPLEMENT
                else InstanceStatus.SUSPENDED
            )
            inst["paused_at"] = at
            return hist(
                step=step,
                action=action,
                to_step=step,
                actor_id=actor.user_id,
                actor_agency_id=inst["agency_id"],
                step_started_at=inst["step_started_at"],
                step_due_at=inst["step_due_at"],
                acted_at=at,
                outcome="",
                note=note,
                paused_working=None,
                to_agency_id=inst["agency_id"],
                to_assignee_id=inst["assignee"].staff_id if inst.get("assignee") else None,
            )

        def resume(
            action: str, at: datetime, actor_user: int | None, actor_agency: int | None
        ) -> timedelta:
            cal = self.cal(inst["agency_id"])
            paused = cal.working_duration_between(inst["paused_at"], at)
            if inst["step_due_at"] is not None:
                inst["step_due_at"] = cal.add_working_time(inst["step_due_at"], paused)
            inst["status"] = InstanceStatus.ACTIVE
            inst["paused_at"] = None
            step = steps[inst["step"]]
            hist(
                step=step,
                action=action,
                to_step=step,
                actor_id=actor_user,
                actor_agency_id=actor_agency,
                step_started_at=inst["step_started_at"],
                step_due_at=inst["step_due_at"],
                acted_at=at,
                outcome="",
                note="",
                paused_working=paused,
                to_agency_id=inst["agency_id"],
                to_assignee_id=inst["assignee"].staff_id if inst.get("assignee") else None,
            )
            return paused

        def shift(paused: timedelta) -> None:
            for key in ("due_at", "legal_due_at"):
                if f[key] is not None:
                    f[key] = self.cal(receiving.pk).add_working_time(f[key], paused)

        # 1. Submission. Online: the applicant; at the counter: the one-stop officer, who then
        # checks and accepts at once.
        intake = steps[0]
        intake_staff = staff_for(intake)
        online = life.channel == Channel.ONLINE
        inst.update(step=0)
        enter(0, submitted_at, None if online else intake_staff)
        hist(
            step=None,
            action=Action.SUBMIT,
            to_step=intake,
            actor_id=applicant_user if online else intake_staff.user_id,
            actor_agency_id=None if online else step_agency(intake),
            step_started_at=None,
            step_due_at=None,
            acted_at=submitted_at,
            outcome="",
            note="",
            paused_working=None,
            to_agency_id=step_agency(intake),
            to_assignee_id=None if online else intake_staff.staff_id,
        )
        if target == DossierStatus.SUBMITTED:
            return
        at = submitted_at
        allotted = float(intake.allotted_hours or 4)

        # 2. Intake: a supplement at intake (the clock has not started), a refusal, or receipt.
        wants_intake_supplement = (
            target == DossierStatus.SUPPLEMENT_REQUESTED and rng.random() < 0.7
        )
        if online and (wants_intake_supplement or rng.random() < 0.06):
            at = self.after(step_agency(intake), at, allotted * rng.uniform(0.1, 0.9))
            items = rng.sample(SUPPLEMENT_ITEMS, rng.randint(1, 3))
            pause(Action.REQUEST_SUPPLEMENT, at, intake_staff, "; ".join(items))
            sup = {
                "stage": SupplementStage.INTAKE,
                "requested_by_id": intake_staff.user_id,
                "requested_at": at,
                "items": items,
                "fulfilled_at": None,
                "fulfilled_by_id": None,
                "paused_working": None,
            }
            life.supplements.append(sup)
            if wants_intake_supplement:
                return
            at = self.after(step_agency(intake), at, rng.uniform(4, 60))
            resume(Action.SUPPLEMENT, at, applicant_user, None)
            sup.update(fulfilled_at=at, fulfilled_by_id=applicant_user)
        if target == DossierStatus.WITHDRAWN and rng.random() < 0.3:
            at = self.after(step_agency(intake), at, rng.uniform(0.5, 8))
            self._withdraw(life, inst, finish, at, applicant_user or intake_staff.user_id)
            return
        if target == DossierStatus.REFUSED and rng.random() < 0.4:
            at = self.after(step_agency(intake), at, allotted * rng.uniform(0.1, 1.0))
            reasons = rng.sample(REFUSAL_REASONS, rng.randint(1, 2))
            finish(
                Action.REFUSE,
                at,
                intake_staff.user_id,
                step_agency(intake),
                None,
                None,
                note="; ".join(reasons),
            )
            inst["status"] = InstanceStatus.REFUSED
            life.refusal = {
                "stage": SupplementStage.INTAKE,
                "refused_by_id": intake_staff.user_id,
                "refused_at": at,
                "reasons": reasons,
            }
            f.update(decided_at=at, closed_at=at)
            return
        if online:
            at = self.after(step_agency(intake), at, allotted * rng.uniform(0.05, 1.1))
        received = at
        f.update(received_at=received, received_by_id=intake_staff.staff_id)
        due = self.due_at_receipt(proc.obj, receiving, received)
        f.update(due_at=due, original_due_at=due, legal_due_at=due)
        life.paid = True
        nxt_staff = staff_for(steps[1])
        finish(moves[0], received, intake_staff.user_id, step_agency(intake), 1, nxt_staff)

        # 3. Processing steps up to the result step. Late dossiers lose time in processing.
        legal_hours = float(proc.days) * 7.5 or 4.0
        stop_at = len(steps) - 1  # index of the result step (trả kết quả)
        processing_stop = (
            rng.randint(1, max(1, stop_at - 1))
            if target
            in (
                DossierStatus.PROCESSING,
                DossierStatus.SUSPENDED,
                DossierStatus.SUPPLEMENT_REQUESTED,
                DossierStatus.WITHDRAWN,
                DossierStatus.REFUSED,
            )
            else None
        )
        for i in range(1, stop_at):
            step = steps[i]
            who = inst["assignee"] or staff_for(step)
            share = float(step.allotted_hours or 1) / max(legal_hours, 1)
            factor = rng.uniform(0.15, 0.9)
            if late and step.kind == StepKind.PROCESSING:
                factor = rng.uniform(1.2, 1.6) + 0.5 / max(share, 0.2)
            hours = float(step.allotted_hours or 2) * factor
            if processing_stop == i:
                if target == DossierStatus.PROCESSING:
                    return  # being worked on now
                at = self.after(inst["agency_id"], at, hours * rng.uniform(0.2, 0.7))
                if target == DossierStatus.SUPPLEMENT_REQUESTED:
                    items = rng.sample(SUPPLEMENT_ITEMS, rng.randint(1, 3))
                    pause(Action.REQUEST_SUPPLEMENT, at, who, "; ".join(items))
                    life.supplements.append(
                        {
                            "stage": SupplementStage.PROCESSING,
                            "requested_by_id": who.user_id,
                            "requested_at": at,
                            "items": items,
                            "fulfilled_at": None,
                            "fulfilled_by_id": None,
                            "paused_working": None,
                        }
                    )
                    return
                if target == DossierStatus.SUSPENDED:
                    note = rng.choice(SUSPEND_NOTES)
                    pause(Action.SUSPEND, at, who, note)
                    f["status_note"] = note
                    return
                if target == DossierStatus.WITHDRAWN:
                    self._withdraw(life, inst, finish, at, applicant_user or who.user_id)
                    return
                reasons = rng.sample(REFUSAL_REASONS, rng.randint(1, 2))
                finish(
                    Action.REFUSE,
                    at,
                    who.user_id,
                    inst["agency_id"],
                    None,
                    None,
                    note="; ".join(reasons),
                )
                inst["status"] = InstanceStatus.REFUSED
                life.refusal = {
                    "stage": SupplementStage.PROCESSING,
                    "refused_by_id": who.user_id,
                    "refused_at": at,
                    "reasons": reasons,
                }
                f.update(decided_at=at, closed_at=at, finished_on_time=at <= f["legal_due_at"])
                return
            if step.kind == StepKind.PROCESSING and i == 1 and rng.random() < 0.05:
                # A supplement asked during processing and supplied: the clock stands still.
                at = self.after(inst["agency_id"], at, hours * 0.3)
                items = rng.sample(SUPPLEMENT_ITEMS, 1)
                pause(Action.REQUEST_SUPPLEMENT, at, who, items[0])
                sup = {
                    "stage": SupplementStage.PROCESSING,
                    "requested_by_id": who.user_id,
                    "requested_at": at,
                    "items": items,
                }
                at = self.after(inst["agency_id"], at, rng.uniform(4, 40))
                paused = resume(Action.SUPPLEMENT, at, applicant_user, None)
                sup.update(fulfilled_at=at, fulfilled_by_id=applicant_user, paused_working=paused)
                life.supplements.append(sup)
                shift(paused)
            at = self.after(inst["agency_id"], at, hours)
            nxt_staff = staff_for(steps[i + 1])
            finish(moves[i], at, who.user_id, inst["agency_id"], i + 1, nxt_staff)
            if moves[i] == Action.SIGN_RESULT:
                life.result = {"signed_at": at, "signed_by_id": who.user_id}
        # Decided: the result is signed, waiting at the result step.
        decided = at
        f["decided_at"] = decided
        f["finished_on_time"] = decided <= f["legal_due_at"]
        if life.result is None:
            life.result = {"signed_at": decided, "signed_by_id": history[-1]["actor_id"]}
        if not f["finished_on_time"] and rng.random() < APOLOGY_SHARE:
            self._apologise(life, receiving.pk, decided)
        if target == DossierStatus.RESULT_READY:
            return
        # 4. The result returned: online (download) or at the counter.
        result_step = steps[stop_at]
        who = inst["assignee"] or staff_for(result_step)
        at = self.after(inst["agency_id"], at, rng.uniform(0.2, 16))
        finish(moves[stop_at], at, who.user_id, inst["agency_id"], None, None)
        inst["status"] = InstanceStatus.COMPLETED
        f.update(
            returned_at=at,
            closed_at=at,
            result_channel=ResultChannel.ONLINE
            if online and rng.random() < 0.7
            else ResultChannel.COUNTER,
        )
        if applicant_user and rng.random() < RATING_SHARE:
            rated = at + timedelta(hours=rng.uniform(0.2, 96))
            if rated <= self.now:
                value = rng.choices(
                    [RatingValue.SATISFIED, RatingValue.ACCEPTABLE, RatingValue.NOT_SATISFIED],
                    weights=[78, 16, 6] if f["finished_on_time"] else [35, 35, 30],
                )[0]
                life.rating = {
                    "value": value,
                    "comment": rng.choice(RATING_COMMENTS),
                    "rated_at": rated,
                    "rated_by_id": applicant_user,
                }

    def _withdraw(
        self, life: _Life, inst: dict[str, Any], finish: Any, at: datetime, by: int
    ) -> None:
        note = self.rng.choice(WITHDRAW_NOTES)
        finish(Action.WITHDRAW, at, by, None, None, None, note=note, outcome=False)
        inst.update(status=InstanceStatus.WITHDRAWN, paused_at=None)
        life.fields.update(closed_at=at, status_note=note)

    def _apologise(self, life: _Life, agency_id: int, decided: datetime) -> None:
        f, rng = life.fields, self.rng
        previous = f["due_at"]
        deadline = deadlines.apology_deadline(self.city.agencies[agency_id], previous)
        in_time = rng.random() < APOLOGY_IN_TIME_SHARE
        issued = (
            deadline - timedelta(hours=rng.uniform(0.5, 30))
            if in_time
            else previous + timedelta(hours=rng.uniform(1, 40))
        )
        received = f["received_at"]
        issued = max(min(issued, decided - timedelta(minutes=5)), received + timedelta(minutes=5))
        new_due = self.cal(agency_id).due_after_working_days(decided, rng.randint(1, 3))
        if new_due <= previous:
            return
        life.apologies.append(
            {
                "issued_by_id": life.history[-1]["actor_id"],
                "issued_at": issued,
                "reason": rng.choice(APOLOGY_REASONS),
                "previous_due_at": previous,
                "new_due_at": new_due,
                "in_time": issued <= deadline,
            }
        )
        f["due_at"] = new_due


def _targets(n: int, rng: random.Random) -> list[str]:
    """The target state of each dossier: STATE_MIX per block of 100, shuffled in the block."""
    block = [state for state, share in STATE_MIX for _ in range(share)]
    out: list[str] = []
    while len(out) < n:
        chunk = block[:]
        rng.shuffle(chunk)
        out.extend(chunk)
    return out[:n]


def _lookback(rng: random.Random, target: str, proc: _Proc) -> timedelta:
    """How long before now a dossier in `target` state was plausibly submitted."""
    days = float(proc.days) or 0.5
    if target == DossierStatus.SUBMITTED:
        return timedelta(hours=rng.uniform(0.5, 40))
    if target == DossierStatus.SUPPLEMENT_REQUESTED:
        return timedelta(days=rng.uniform(1, 12) + days * rng.uniform(0, 1))
    if target in (DossierStatus.PROCESSING, DossierStatus.SUSPENDED):
        return timedelta(days=days * 1.4 * rng.uniform(0.1, 1.3) + rng.uniform(0.2, 3))
    if target == DossierStatus.RESULT_READY:
        return timedelta(days=days * 1.4 * rng.uniform(0.9, 1.6) + rng.uniform(1, 8))
    return timedelta(days=rng.uniform(days * 1.6 + 4, 365))


# --- writing -------------------------------------------------------------------------------------


def demo_dossiers_loaded() -> int:
    return Dossier.objects.filter(**{f"form_data__{DEMO_MARK}": True}).count()


def load_demo_dossiers(
    *,
    stdout: TextIO | None = None,
    count: int = DEFAULT_COUNT,
    now: datetime | None = None,
    seed: int = SEED,
) -> list[Any]:
    """Load `count` demo dossiers over the year before `now` (default: now). Returns no logins.

    Needs the demo city and the demo catalogue. Does nothing when demo dossiers already exist.
    """
    existing = demo_dossiers_loaded()
    if existing:
        _write(stdout, _("    hồ sơ mẫu đã có: %(n)d (giữ nguyên)") % {"n": existing})
        return []
    now = now or timezone.now()
    rng = random.Random(seed)
    procs = _procedures()
    if not procs:
        _write(stdout, _("    chưa có thủ tục mẫu: bỏ qua hồ sơ mẫu"))
        return []
    city = _city()
    taken = set(User.objects.exclude(citizen_id="").values_list("citizen_id", flat=True))
    with transaction.atomic():
        citizens = _ensure_citizen_users(rng, max(10, min(400, count // 25)), taken)
        congdan = User.objects.filter(username="congdan").values_list("id", flat=True).first()
        files = _demo_files()
        lives = _simulate(rng, city, procs, citizens, taken, congdan, count, now)
        summary = _write_rows(lives, files, now)
        root = Agency.objects.filter(parent__isnull=True).order_by("id").first()
        if root is not None:
            audit_record(
                actor=None,
                action="dossier.demo_load",
                target=root,
                summary=_(
                    "Nạp dữ liệu mẫu một cửa: %(n)d hồ sơ trong 12 tháng (dữ liệu mẫu, không phải "
                    "thao tác của cán bộ hay người dân)"
                )
                % {"n": len(lives)},
                after=summary,
            )
    _write(
        stdout,
        _("    hồ sơ mới: %(n)d (%(states)s)")
        % {"n": len(lives), "states": ", ".join(f"{k} {v}" for k, v in summary["states"].items())},
    )
    return []


def _simulate(
    rng: random.Random,
    city: _City,
    procs: list[_Proc],
    citizens: list[_Person],
    taken: set[str],
    congdan: int | None,
    count: int,
    now: datetime,
) -> list[_Life]:
    sim = _Sim(rng, city, now)
    # Ward-level procedures (civil status, certification) are the bulk of a one-stop shop.
    weights = [6.0 if p.obj.receiving_scope == ReceivingScope.ALL_LOCAL else 1.5 for p in procs]
    lives: list[_Life] = []
    for i, target in enumerate(_targets(count, rng)):
        proc = rng.choices(procs, weights=weights)[0]
        agency = rng.choice(proc.receivers)
        online = proc.online and rng.random() < 0.62
        business = proc.business and (not proc.citizen or rng.random() < 0.3)
        if online and not business:
            person = rng.choice(citizens)
            if congdan is not None and i % 700 == 3:
                person = _Person(**{**person.__dict__, "user_id": congdan})
        else:
            person = _business(rng) if business else _citizen(rng, taken)
            if online:  # a business account submitting online: one of the demo citizens' logins
                person.user_id = rng.choice(citizens).user_id
        life = _Life(proc, agency, Channel.ONLINE if online else Channel.COUNTER, person, target)
        back = _lookback(rng, target, proc)
        for _attempt in range(8):
            start = now - back
            if not online:
                start = sim.counter_instant(
                    agency.pk, start.astimezone(sim.cal(agency.pk).tz).date()
                )
                if start > now:
                    back += timedelta(days=1)
                    continue
            try:
                sim.play(life, start)
                break
            except _Future:
                back = back * 1.5 + timedelta(days=2)
        else:
            continue  # could not fit in the year (should not happen): leave it out
        lives.append(life)
    return lives


def _status_of(life: _Life) -> str:
    inst = life.instance
    status = inst["status"]
    if status == InstanceStatus.WAITING:
        return DossierStatus.SUPPLEMENT_REQUESTED
    if status == InstanceStatus.SUSPENDED:
        return DossierStatus.SUSPENDED
    if status == InstanceStatus.REFUSED:
        return DossierStatus.REFUSED
    if status == InstanceStatus.WITHDRAWN:
        return DossierStatus.WITHDRAWN
    if status == InstanceStatus.COMPLETED:
        return DossierStatus.RETURNED
    step = life.proc.steps[inst["step"]] if inst.get("step") is not None else None
    if step is None or step.kind in (StepKind.RESULT, StepKind.DONE):
        return DossierStatus.RESULT_READY
    if step.kind == StepKind.INTAKE:
        return DossierStatus.SUBMITTED
    return DossierStatus.PROCESSING


def _batched(items: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _timeline_snapshot(instance: Instance, history: list[dict[str, Any]]) -> dict[str, Any]:
    """What `selectors.timeline_snapshot` reads back from the database, from the history rows
    about to be written (in the order written, so the database's `acted_at, id` order)."""
    rows = sorted(history, key=lambda row: row["acted_at"])
    return {
        "at": _utc_iso(instance.updated_at),
        "rows": [
            [
                row["action"],
                row["step"].name if row["step"] is not None else "",
                row["to_step"].name if row["to_step"] is not None else "",
                _utc_iso(row["acted_at"]),
                _utc_iso(row["step_due_at"]) if row["step_due_at"] else None,
                row["outcome"] or "",
            ]
            for row in rows
        ],
    }


def _utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()  # as the database gives it back


def _write_rows(lives: list[_Life], files: list[StoredFile], now: datetime) -> dict[str, Any]:
    # Codes: the agency's sequence of the submission day, after any existing counter.
    lives.sort(key=lambda life: life.fields["submitted_at"])
    counters = {
        (c.agency_id, c.day): c.last_value
        for c in DossierCounter.objects.filter(agency_id__in={life.agency.pk for life in lives})
    }
    used: dict[tuple[int, date], int] = {}
    dossiers: list[Dossier] = []
    for life in lives:
        f = life.fields
        day = code_day(f["submitted_at"])
        key = (life.agency.pk, day)
        seq = used.get(key, counters.get(key, 0)) + 1
        used[key] = seq
        code = format_code(agency_code=life.agency.code, day=day, seq=seq)
        inst = life.instance
        step = life.proc.steps[inst["step"]] if inst.get("step") is not None else None
        person = life.person
        online = life.channel == Channel.ONLINE
        d = Dossier(
            code=code,
            procedure=life.proc.obj,
            agency=life.agency,
            handling_agency_id=inst.get("agency_id"),
            applicant_id=person.user_id if online else None,
            applicant_kind=person.kind,
            applicant_name=person.name,
            applicant_id_number=person.id_number,
            applicant_phone=person.phone,
            applicant_email=person.email if online else "",
            applicant_address=person.address,
            channel=life.channel,
            form_data={DEMO_MARK: True, "ho_ten": person.name, "dia_chi": person.address},
            status=_status_of(life),
            current_step_name=step.name if step is not None else "",
            assignee_id=inst["assignee"].staff_id if inst.get("assignee") else None,
            search_text=fold(
                " ".join(
                    [
                        code,
                        person.name,
                        person.id_number,
                        person.phone,
                        life.proc.obj.code,
                        life.proc.obj.name,
                    ]
                )
            ),
            **f,
        )
        dossiers.append(d)
    for chunk in _batched(dossiers):
        Dossier.objects.bulk_create(chunk)
    new_counters = [
        DossierCounter(agency_id=agency_id, day=day, last_value=last)
        for (agency_id, day), last in used.items()
    ]
    DossierCounter.objects.bulk_create(
        new_counters,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["agency", "day"],
        update_fields=["last_value"],
    )

    # Workflow instances and their history (the processing-control sheets).
    instances: list[Instance] = []
    for life, d in zip(lives, dossiers, strict=True):
        inst = life.instance
        step = life.proc.steps[inst["step"]] if inst.get("step") is not None else None
        current = life.proc.final if step is None and inst.get("final") else step
        instances.append(
            Instance(
                process_id=life.proc.obj.process_id or 0,
                subject_type=SUBJECT_TYPE,
                subject_id=d.pk,
                agency_id=inst.get("agency_id") or life.agency.pk,
                current_step=current,
                assignee_id=inst["assignee"].staff_id if inst.get("assignee") else None,
                status=inst["status"],
                step_started_at=inst.get("step_started_at"),
                step_due_at=inst.get("step_due_at"),
                paused_at=inst.get("paused_at"),
                due_at=life.fields["legal_due_at"],
                paused_working=sum(
                    (s.get("paused_working") or timedelta(0) for s in life.supplements),
                    timedelta(0),
                ),
            )
        )
    for chunk in _batched(instances):
        Instance.objects.bulk_create(chunk)
    # Each dossier gets its instance and the public timeline snapshot that every real workflow
    # move writes (`selectors.timeline_snapshot`), built from the rows in hand.
    for life, d, instance in zip(lives, dossiers, instances, strict=True):
        d.workflow_instance = instance
        d.tracking_snapshot = _timeline_snapshot(instance, life.history)
    for chunk in _batched(dossiers, 1000):
        Dossier.objects.bulk_update(chunk, ["workflow_instance", "tracking_snapshot"])
    entries = [
        HistoryEntry(
            instance=instance,
            step=row["step"],
            action=row["action"],
            to_step=row["to_step"],
            actor_id=row["actor_id"],
            actor_agency_id=row["actor_agency_id"],
            to_agency_id=row.get("to_agency_id"),
            to_assignee_id=row.get("to_assignee_id"),
            step_started_at=row["step_started_at"],
            step_due_at=row["step_due_at"],
            acted_at=row["acted_at"],
            outcome=row["outcome"],
            paused_working=row["paused_working"],
            note=row["note"],
        )
        for life, instance in zip(lives, instances, strict=True)
        for row in life.history
    ]
    HistoryEntry.objects.bulk_create(entries, batch_size=BATCH)

    # Papers (two per dossier, the shared demo PDFs), fees, payments, and the rest.
    form_pdf, copy_pdf, result_pdf = files
    papers: list[DossierPaper] = []
    fees: list[FeeDue] = []
    payments: list[Payment] = []
    supplements: list[SupplementRequest] = []
    refusals: list[Refusal] = []
    apologies: list[ApologyLetter] = []
    results: list[DossierResult] = []
    ratings: list[Rating] = []
    for life, d in zip(lives, dossiers, strict=True):
        f = life.fields
        online = life.channel == Channel.ONLINE
        uploader = d.applicant_id if online else life.history[0]["actor_id"]
        listed = [*life.proc.papers[:2], *GENERIC_PAPERS][:2]  # two papers each
        for n, (paper_id, name, original, copies) in enumerate(listed):
            papers.append(
                DossierPaper(
                    dossier=d,
                    required_paper_id=paper_id,
                    name=name[:500],
                    file=form_pdf if n == 0 else copy_pdf,
                    is_original=original,
                    copies=copies,
                    uploaded_at=f["submitted_at"],
                    uploaded_by_id=uploader,
                )
            )
        total = 0
        for fee_id, name, kind, counter_amount, online_amount in life.proc.fees:
            amount = online_amount if online else counter_amount
            if amount:
                total += amount
                fees.append(FeeDue(dossier=d, fee_id=fee_id, name=name, kind=kind, amount=amount))
        if total and life.paid:
            officer = life.history[0]["actor_id"] if not online else None
            confirmed_by = life.history[1]["actor_id"] if len(life.history) > 1 else None
            pending = online and d.status in OPEN and d.pk % 10 == 0
            payments.append(
                Payment(
                    dossier=d,
                    provider="bank_transfer" if online else "counter",
                    reference=f"{'CK' if online else 'BL'}-{d.code}",
                    amount=total,
                    status=PaymentStatus.PENDING if pending else PaymentStatus.CONFIRMED,
                    recorded_by_id=officer or d.applicant_id,
                    confirmed_by_id=None if pending else confirmed_by,
                    confirmed_at=None if pending else f["received_at"],
                    note="" if not online else "Chuyển khoản qua ngân hàng",
                )
            )
        for sup in life.supplements:
            supplements.append(SupplementRequest(dossier=d, **sup))
        if life.refusal:
            refusals.append(Refusal(dossier=d, **life.refusal))
        for apology in life.apologies:
            apologies.append(ApologyLetter(dossier=d, **apology))
        if life.result is not None and d.status in (
            DossierStatus.RESULT_READY,
            DossierStatus.RETURNED,
        ):
            results.append(
                DossierResult(
                    dossier=d,
                    name=(life.proc.obj.result_type or "Kết quả giải quyết")[:500],
                    kind=ResultKind.GENERATED,
                    file=result_pdf,
                    attached_by_id=life.result["signed_by_id"],
                    signed=True,
                    signed_by_id=life.result["signed_by_id"],
                    signed_at=life.result["signed_at"],
                )
            )
        if life.rating is not None:
            ratings.append(Rating(dossier=d, **life.rating))
    for model, rows in (
        (DossierPaper, papers),
        (FeeDue, fees),
        (Payment, payments),
        (SupplementRequest, supplements),
        (Refusal, refusals),
        (ApologyLetter, apologies),
        (DossierResult, results),
        (Rating, ratings),
    ):
        model.objects.bulk_create(rows, batch_size=BATCH)  # type: ignore[attr-defined,arg-type]
    states = Counter(d.status for d in dossiers)
    return {
        "dossiers": len(dossiers),
        "states": {s: states.get(s, 0) for s, _share in STATE_MIX},
        "late": sum(1 for d in dossiers if d.finished_on_time is False),
        "overdue_open": sum(
            1 for d in dossiers if d.status in OPEN and d.due_at is not None and d.due_at < now
        ),
        "history_rows": len(entries),
        "papers": len(papers),
        "apologies": len(apologies),
        "ratings": len(ratings),
        "payments": len(payments),
        "outcomes": dict(Counter(e.outcome or "-" for e in entries)),
        "seed_note": "bulk seed (egov.dossiers.demo), not user actions",
        "on_time_share": round(
            sum(1 for d in dossiers if d.finished_on_time)
            / max(1, sum(1 for d in dossiers if d.finished_on_time is not None)),
            3,
        ),
        "now": now.isoformat(),
    }
