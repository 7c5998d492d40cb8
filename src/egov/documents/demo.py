"""Demo official documents: a year of văn bản across the demo city (issue 4, §10).

About 20,000 documents over the twelve months before today, across the demo agencies, loaded by
`egov demo` after the city, the keys and the dossiers:

* **outgoing** documents in every state — drafting, in review, returned (with the reviewer's
  comment), approved, signed, issued (most), recalled — with realistic Vietnamese trích yếu per
  type (Quyết định "Về việc…", Công văn "V/v…", Kế hoạch "Triển khai…", Báo cáo "Tình hình…",
  Giấy mời "Họp…", Thông báo "Kết luận…"), signers with their competence (KT., TM.), urgency;
* **numbers and notations** by the numbering rules: per agency, calendar year (Vietnam time)
  and series, from 01 on 1 January with no gap (`05/QĐ-UBND`, `12/UBND-VX`, `07/SXD-VP`), the
  series chosen like `numbering.outgoing_series_key` (shared or per type; secret documents on
  their own), the document identifier like `notation.build_document_id`; the `NumberSeries`
  rows end at the last number handed out, so the first real issue after the demo continues
  the series without a gap or a duplicate (an existing series is continued, not restarted);
* **exchanged between demo agencies**: about a quarter of the issued documents go to one or
  two other demo agencies on the platform; each receiver gets its incoming copy (arrival
  number, the leader's direction, handlers, progress, closed on time or late) and the sender's
  recipient row shows the receiver's edXML status (01 arrived … 06 done, 02 rejected); others
  go to bodies outside the platform (exchange, statuses 00/01) or by post;
* **incoming** documents from outside the platform (ministries through the exchange, paper
  letters) in every incoming state: arrived, rejected, registered, submitted, assigned,
  processing, done, revoked;
* some **public** (shown on the portal), a few **secret** (mật / tối mật: own series, never
  sent through the exchange, not public, the drafter and signer named on them);
* the **monthly facts** (`DocumentMonthlyFact`) computed from the same rows by the rules of
  `figures.figures_compute` (so `figures_recompute` finds nothing to change).

**Signatures.** Signing 20,000 PDFs with pyHanko would take many minutes, and `make demo` has
a budget of about a minute for this loader. So a small set of real PDFs (a Decree 30 layout in
Tinos, the embedded Vietnamese font) is signed through `egov.signing.services.sign_pdf`: one
per busiest agency (`SIGNED_AGENCIES`: the People's Committee and the departments with most
documents), signed by the agency's leader with their demo key, then sealed with the agency's
demo key (`load_demo_keys`). Each is stored once in the content-addressed file store
(`core.files.file_store`) and every electronic document of that agency — and the platform
copies its receivers get — references it from its `DocumentFile` rows. Verification of any of
them says "valid" with the demo CA; the content is the same sample letter, which is what a
demo needs. The other agencies (wards, communes) share one unsigned sample: their documents
say so (`digitally_signed` false), which also gives the paperless figures a realistic share of
signed documents. Without demo keys (signing not set up) every file is stored unsigned.

**Audit.** ONE audit entry per load summarises what was seeded (counts per direction and
state): these rows are a seed, not actions of the people named in them, and tens of thousands
of chain entries "by" demo clerks would make the trail say things that never happened. The
entry records who loaded what and when, which is the truth. Its presence also makes the loader
idempotent: a second run finds it and does nothing.

**What is left out**, on purpose: review workflow instances (`Document.review`) and draft
history beyond one comment per returned draft, hồ sơ (case files) and edXML messages in the
exchange outbox (the platform-to-platform copies need none).
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from io import BytesIO
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from egov.audit.models import AuditEntry
from egov.audit.services import audit_record
from egov.core.files import file_store
from egov.core.models import StoredFile
from egov.core.search import fold
from egov.documents.models import (
    Channel,
    CommentKind,
    DeliveryStatus,
    Direction,
    Document,
    DocumentFile,
    DocumentGrant,
    DocumentMonthlyFact,
    DocumentStatus,
    DocumentType,
    DraftComment,
    FieldAbbreviation,
    FileKindChoice,
    Handling,
    HandlingProgress,
    HandlingRole,
    HandlingStatus,
    NumberingMode,
    NumberingPolicy,
    NumberSeries,
    Recipient,
    RecipientChannel,
    RecipientKind,
    SecrecyLevel,
    SignatureStatus,
    SigningAuthority,
    Source,
    TypeCategory,
    Urgency,
)
from egov.documents.numbering import CLASSIFIED, INCOMING, OUTGOING, render_number
from egov.organisations.models import Agency, AgencyKind, RoleCode, StaffMember

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SEED = 2026
DEFAULT_COUNT = 20_000
BATCH = 2000
DEMO_ACTION = "documents.demo_load"

# Share of the documents (per 100) an agency of each kind writes, relative to a ward's.
KIND_WEIGHT: dict[str, int] = {
    AgencyKind.PEOPLES_COMMITTEE: 12,
    AgencyKind.DEPARTMENT: 4,
    AgencyKind.OTHER: 2,
}
# Of `count`: outgoing written by the agencies (their platform copies come on top, counted in),
# incoming from outside the platform.
OUTGOING_SHARE = 0.62
EXCHANGED_SHARE = 0.25  # of issued, non-secret, electronic outgoing documents
SECRET_PER_MILLE = 4
PUBLIC_SHARE = 0.2  # of issued named documents of public kinds

# (type code, weight, subject pattern)
OUTGOING_TYPES: tuple[tuple[str, int, str], ...] = (
    ("cong-van", 38, "V/v {action} {topic} {place}"),
    ("quyet-dinh", 18, "Về việc {action} {topic} {place}"),
    ("ke-hoach", 7, "Triển khai {topic} {place} {period}"),
    ("bao-cao", 10, "Tình hình {topic} {period}"),
    ("giay-moi", 8, "Họp {action} {topic}"),
    ("thong-bao", 8, "Kết luận của lãnh đạo tại cuộc họp về {topic} {place}"),
    ("to-trinh", 4, "Đề nghị {action} {topic}"),
    ("chi-thi", 2, "Về tăng cường {topic} {place}"),
    ("huong-dan", 2, "Hướng dẫn thực hiện {topic} {period}"),
    ("chuong-trinh", 1, "Chương trình hành động về {topic} {period}"),
    ("cong-dien", 1, "Về việc chủ động ứng phó {topic}"),
    ("bien-ban", 1, "Kiểm tra {topic} {place}"),
)
SIGNED_STATES = {DocumentStatus.SIGNED, DocumentStatus.ISSUED, DocumentStatus.RECALLED}
PUBLIC_TYPES = {"quyet-dinh", "ke-hoach", "thong-bao", "chi-thi", "huong-dan"}

ACTIONS = (
    "phê duyệt", "ban hành quy chế", "thành lập Ban chỉ đạo", "kiện toàn Tổ công tác",
    "giao chỉ tiêu", "điều chỉnh kế hoạch", "triển khai thực hiện", "đôn đốc thực hiện",
    "góp ý dự thảo", "tăng cường công tác", "tổng kết công tác", "bổ sung kinh phí",
    "phân bổ dự toán", "kiểm tra việc thực hiện", "báo cáo kết quả",
)  # fmt: skip
TOPICS = (
    "ứng dụng công nghệ thông tin", "chuyển đổi số", "cải cách hành chính",
    "dịch vụ công trực tuyến toàn trình", "phòng, chống thiên tai",
    "phòng cháy, chữa cháy và cứu nạn, cứu hộ", "xây dựng nông thôn mới",
    "bảo đảm trật tự an toàn giao thông", "bảo vệ môi trường",
    "thu gom, xử lý chất thải rắn sinh hoạt", "giải phóng mặt bằng dự án đường ven sông",
    "quản lý trật tự xây dựng", "thu ngân sách nhà nước", "giải ngân vốn đầu tư công",
    "phát triển du lịch biển", "Lễ hội pháo hoa quốc tế Đà Nẵng",
    "an sinh xã hội và giảm nghèo bền vững", "tuyển sinh đầu cấp", "tiêm chủng mở rộng",
    "cấp giấy chứng nhận quyền sử dụng đất", "vận hành chính quyền địa phương hai cấp",
    "công tác văn thư, lưu trữ", "đào tạo, bồi dưỡng cán bộ, công chức",
    "thi đua, khen thưởng", "tổ chức Tết Nguyên đán", "phòng, chống tham nhũng, tiêu cực",
    "tiếp công dân", "giải quyết khiếu nại, tố cáo", "chỉnh trang đô thị",
    "hỗ trợ doanh nghiệp nhỏ và vừa", "Khu công nghệ cao Đà Nẵng", "an toàn thực phẩm",
)  # fmt: skip
PLACES = (
    "trên địa bàn thành phố", "tại phường Hải Châu", "tại phường Thanh Khê",
    "tại phường Sơn Trà", "tại phường Ngũ Hành Sơn", "tại phường Liên Chiểu",
    "tại xã Hòa Vang", "tại các cơ quan, đơn vị", "trong các cơ sở giáo dục",
)  # fmt: skip
PERIODS = ("quý I", "quý II", "quý III", "quý IV", "6 tháng đầu năm", "năm {year}", "tháng {month}")
FIELDS = (("TH", "Tổng hợp"), ("KT", "Kinh tế"), ("VX", "Văn hóa - Xã hội"), ("NC", "Nội chính"))
# (organ id, name, abbreviation) of bodies outside the platform.
OUTSIDE = (
    ("000.00.00.G09", "Văn phòng Chính phủ", "VPCP"),
    ("000.00.00.G12", "Bộ Nội vụ", "BNV"),
    ("000.00.00.G10", "Bộ Tài chính", "BTC"),
    ("000.00.00.G22", "Bộ Khoa học và Công nghệ", "BKHCN"),
    ("000.00.00.G17", "Bộ Xây dựng", "BXD"),
    ("000.00.00.G20", "Bộ Y tế", "BYT"),
)
INSTRUCTIONS = (
    "Giao {unit} chủ trì, tham mưu xử lý; báo cáo kết quả trước hạn.",
    "Giao {unit} nghiên cứu, đề xuất phương án trình lãnh đạo.",
    "Chuyển {unit} để biết, thực hiện theo chức năng, nhiệm vụ.",
)
PROGRESS = (
    "Đã nghiên cứu, đang dự thảo văn bản trả lời.",
    "Đã xin ý kiến các đơn vị phối hợp.",
    "Đã trình lãnh đạo dự thảo văn bản trả lời.",
)
RETURN_COMMENTS = (
    "Đề nghị bổ sung căn cứ pháp lý và thời hạn thực hiện.",
    "Chỉnh sửa trích yếu cho ngắn gọn, đúng thể thức.",
    "Rà soát lại nơi nhận, bổ sung các phường có liên quan.",
)

SIGN_REASON = "Ký số văn bản mẫu của dữ liệu demo"
# How many agencies get a really signed sample PDF (two pyHanko signatures each, ~0.3 s apiece).
SIGNED_AGENCIES = 12


def _write(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")
        stdout.flush()


@dataclass
class _AgencyCtx:
    agency: Agency
    weight: int
    clerks: list[StaffMember]
    leaders: list[StaffMember]
    workers: list[StaffMember]
    units: list[Any]
    fields: list[FieldAbbreviation]
    file: StoredFile | None = None
    signed: bool = False


@dataclass
class _Plan:
    """One outgoing document and its copies, before the rows exist."""

    doc: Document
    copies: list[tuple[_AgencyCtx, Document]] = field(default_factory=list)
    outside: list[tuple[str, str, str]] = field(default_factory=list)


# --- PDFs ----------------------------------------------------------------------------------------


def _sample_pdf(agency: Agency | None) -> bytes:
    """A one-page Decree 30 style letter of `agency`, in Tinos (Vietnamese), via ReportLab."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from egov.printing.fonts import register_fonts

    family = register_fonts()
    out = BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    name = agency.name if agency else "Cơ quan ban hành"
    abbreviation = agency.abbreviation if agency else "…"
    pdf.setTitle(f"Văn bản mẫu – {name}")
    width, height = A4
    pdf.setFont(family, 12)
    pdf.drawCentredString(150, height - 60, name.upper()[:48])
    pdf.drawCentredString(width - 170, height - 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    pdf.drawCentredString(width - 170, height - 76, "Độc lập - Tự do - Hạnh phúc")
    pdf.drawCentredString(150, height - 96, f"Số:      /{abbreviation}")
    pdf.drawCentredString(width - 170, height - 96, "Đà Nẵng, ngày      tháng      năm")
    pdf.setFont(family, 14)
    pdf.drawCentredString(width / 2, height - 150, "VĂN BẢN MẪU CỦA DỮ LIỆU DEMO")
    pdf.setFont(family, 13)
    lines = (
        "Văn bản này là bản mẫu dùng chung cho các văn bản điện tử của dữ liệu demo,",
        "được ký số bằng khóa demo của người ký và của cơ quan ban hành.",
        "Số, ký hiệu, ngày ban hành và trích yếu của từng văn bản ghi trong hệ thống.",
    )
    for i, line in enumerate(lines):
        pdf.drawString(85, height - 200 - 20 * i, line)
    pdf.drawString(85, 120, "Nơi nhận:")
    pdf.drawString(85, 104, "- Như trên;")
    pdf.drawString(85, 88, "- Lưu: VT.")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _signed_file(ctx: _AgencyCtx, at: datetime) -> tuple[StoredFile, bool]:
    """The agency's sample PDF signed by its leader and sealed by the agency, stored once."""
    data = _sample_pdf(ctx.agency)
    signed = False
    try:
        from egov.signing.services import sign_pdf

        leader = ctx.leaders[0].user if ctx.leaders else None
        if leader is not None:
            data = sign_pdf(
                pdf_bytes=data,
                signer_user=leader,
                agency=ctx.agency,
                reason=SIGN_REASON,
                location=ctx.agency.name,
                at=at,
            )
        data = sign_pdf(
            pdf_bytes=data,
            agency=ctx.agency,
            reason=SIGN_REASON,
            location=ctx.agency.name,
            visible=False,
            at=at,
        )
        signed = True
    except Exception:
        data = _sample_pdf(ctx.agency)
    name = f"van-ban-mau-{ctx.agency.code}.pdf"
    stored = file_store(
        upload=File(BytesIO(data), name=name), field="demo", allowed={"pdf"}, actor=None
    )
    return stored, signed


def _unsigned_file() -> StoredFile:
    data = _sample_pdf(None)
    return file_store(
        upload=File(BytesIO(data), name="van-ban-mau.pdf"),
        field="demo",
        allowed={"pdf"},
        actor=None,
    )


# --- the load ------------------------------------------------------------------------------------


def _at(day: date, rng: random.Random) -> datetime:
    """A working-hours instant of `day`, Vietnam time."""
    minutes = rng.randrange(7 * 60 + 30, 17 * 60)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=VN_TZ)


def _working_day(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _person_name(staff: StaffMember | None) -> str:
    if staff is None:
        return ""
    return (staff.user.full_name or staff.user.get_username())[:50]


def _position(staff: StaffMember | None) -> str:
    if staff is None or staff.position is None:
        return ""
    return staff.position.name[:100]


def _abbr(text: str) -> str:
    return unicodedata.normalize("NFC", "".join((text or "").split()))


class _Loader:
    def __init__(self, *, count: int, stdout: TextIO | None) -> None:
        self.count = count
        self.stdout = stdout
        self.rng = random.Random(SEED)
        self.now = timezone.now()
        self.today = timezone.localtime(self.now, VN_TZ).date()
        self.start = self.today - timedelta(days=365)
        self.types = {t.code: t for t in DocumentType.objects.all()}
        self.urgencies = list(Urgency.objects.order_by("edxml_code"))
        self.secrecy = {s.level: s for s in SecrecyLevel.objects.all()}
        self.competence = {a.code: a for a in SigningAuthority.objects.all()}
        self.policies = dict(NumberingPolicy.objects.values_list("agency_id", "mode"))
        # Series continue from what exists (a demo loaded after real issues must not reuse).
        self.series: dict[tuple[int, int, str], int] = {
            (a, y, k): last
            for a, y, k, last in NumberSeries.objects.values_list(
                "agency_id", "year", "key", "last"
            )
        }
        self.touched: set[tuple[int, int, str]] = set()
        self.counts: Counter[str] = Counter()

    # -- context ----------------------------------------------------------------------------

    def agencies(self) -> list[_AgencyCtx]:
        staff_by: dict[int, list[StaffMember]] = defaultdict(list)
        for s in (
            StaffMember.objects.filter(is_active=True)
            .select_related("user", "position", "unit")
            .prefetch_related("roles")
            .order_by("pk")
        ):
            staff_by[s.agency_id].append(s)
        units_by: dict[int, list[Any]] = defaultdict(list)
        from egov.organisations.models import Unit

        for u in Unit.objects.filter(is_active=True).exclude(abbreviation="").order_by("pk"):
            units_by[u.agency_id].append(u)
        contexts = []
        for agency in Agency.objects.filter(is_active=True).exclude(abbreviation="").order_by("pk"):
            staff = staff_by.get(agency.pk, [])
            if not staff:
                continue

            def with_role(*codes: str, staff: list[StaffMember] = staff) -> list[StaffMember]:
                return [s for s in staff if {r.code for r in s.roles.all()} & set(codes)]

            leaders = with_role(RoleCode.AGENCY_LEADER, RoleCode.CITY_LEADER)
            clerks = with_role(RoleCode.CLERK) or leaders or staff
            workers = with_role(RoleCode.SPECIALIST, RoleCode.UNIT_HEAD) or staff
            fields: list[FieldAbbreviation] = []
            if not units_by.get(agency.pk):
                for abbr, name in FIELDS:
                    row, _created = FieldAbbreviation.objects.get_or_create(
                        agency=agency, abbreviation=abbr, defaults={"name": name}
                    )
                    fields.append(row)
            contexts.append(
                _AgencyCtx(
                    agency=agency,
                    weight=KIND_WEIGHT.get(agency.kind, 1),
                    clerks=clerks,
                    leaders=leaders or staff,
                    workers=workers,
                    units=units_by.get(agency.pk, []),
                    fields=fields,
                )
            )
        return contexts

    # -- numbering --------------------------------------------------------------------------

    def series_key(self, ctx: _AgencyCtx, doc_type: DocumentType, *, secret: bool) -> str:
        """`numbering.outgoing_series_key` with the policies read once."""
        if secret:
            return f"{OUTGOING}:{CLASSIFIED}"
        if doc_type.series:
            return f"{OUTGOING}:{doc_type.series}"
        if self.policies.get(ctx.agency.pk) == NumberingMode.PER_TYPE:
            return f"{OUTGOING}:{doc_type.code}"
        return OUTGOING

    def take(self, agency_id: int, year: int, key: str) -> int:
        k = (agency_id, year, key)
        self.series[k] = self.series.get(k, 0) + 1
        self.touched.add(k)
        return self.series[k]

    # -- building ---------------------------------------------------------------------------

    def subject(self, pattern: str, day: date) -> str:
        rng = self.rng
        period = rng.choice(PERIODS).format(year=day.year, month=day.month)
        text = pattern.format(
            action=rng.choice(ACTIONS),
            topic=rng.choice(TOPICS),
            place=rng.choice(PLACES),
            period=period,
        )
        return text[:500]

    def outgoing(self, ctx: _AgencyCtx, day: date) -> Document:
        rng = self.rng
        code = rng.choices([t[0] for t in OUTGOING_TYPES], weights=[t[1] for t in OUTGOING_TYPES])[
            0
        ]
        pattern = next(t[2] for t in OUTGOING_TYPES if t[0] == code)
        doc_type = self.types[code]
        at = _at(day, rng)
        age = (self.today - day).days
        roll = rng.random()
        if age > 14:
            status = DocumentStatus.RECALLED if roll < 0.005 else DocumentStatus.ISSUED
        else:
            status = rng.choices(
                [
                    DocumentStatus.DRAFT,
                    DocumentStatus.IN_REVIEW,
                    DocumentStatus.RETURNED,
                    DocumentStatus.APPROVED,
                    DocumentStatus.SIGNED,
                    DocumentStatus.ISSUED,
                ],
                weights=[15, 20, 7, 6, 10, 42],
            )[0]
        secret = rng.randrange(1000) < SECRET_PER_MILLE
        signer = rng.choice(ctx.leaders)
        drafter = rng.choice(ctx.workers)
        competence = self.competence.get("kt") if rng.random() < 0.5 else None
        paper = rng.random() < 0.05
        unit = rng.choice(ctx.units) if ctx.units else None
        doc = Document(
            agency=ctx.agency,
            direction=Direction.OUTGOING,
            channel=Channel.PAPER if paper else Channel.ELECTRONIC,
            source=Source.DRAFTED,
            status=status,
            organ_id=ctx.agency.code,
            organ_name=ctx.agency.name[:200],
            type=doc_type,
            subject=self.subject(pattern, day),
            page_amount=rng.randint(1, 8),
            signer_position=_position(signer),
            signer_full_name=_person_name(signer),
            signer_competence=competence,
            priority=rng.choices(self.urgencies, weights=[88, 8, 3, 1][: len(self.urgencies)])[0],
            secrecy=self.secrecy[rng.choice((1, 1, 1, 2))] if secret else self.secrecy[0],
            issued_amount=rng.randint(2, 20),
            due_date=day + timedelta(days=15) if code in ("cong-van", "to-trinh") else None,
            unit=unit,
            field_abbreviation=(
                rng.choice(ctx.fields)
                if doc_type.category == TypeCategory.OFFICIAL_LETTER and not unit and ctx.fields
                else None
            ),
            drafter=drafter,
            signer=signer
            if status in (DocumentStatus.SIGNED, DocumentStatus.ISSUED, DocumentStatus.RECALLED)
            else None,
            trace_header_list=[],
        )
        doc.created_at = doc.updated_at = at - timedelta(days=2)
        if status in (DocumentStatus.SIGNED, DocumentStatus.ISSUED, DocumentStatus.RECALLED):
            doc.signed_at = at - timedelta(hours=3)
            doc.digitally_signed = not paper and ctx.signed
        if status in (DocumentStatus.ISSUED, DocumentStatus.RECALLED):
            self.number(ctx, doc, at)
            doc.is_public = (
                status == DocumentStatus.ISSUED
                and not secret
                and code in PUBLIC_TYPES
                and rng.random() < PUBLIC_SHARE
            )
            if status == DocumentStatus.RECALLED:
                doc.frozen_at = at + timedelta(days=3)
                doc.revoke_reason = "Thu hồi để ban hành văn bản thay thế"
        doc.search_text = _search_text(doc)
        return doc

    def number(self, ctx: _AgencyCtx, doc: Document, at: datetime) -> None:
        from egov.documents.notation import build_document_id, build_notation

        year = at.astimezone(VN_TZ).year
        key = self.series_key(ctx, doc.type, secret=doc.secrecy.level > 0)
        n = self.take(ctx.agency.pk, year, key)
        doc.code_number, doc.code_notation = build_notation(
            number=n,
            doc_type=doc.type,
            agency=ctx.agency,
            unit=doc.unit,
            field_abbreviation=doc.field_abbreviation,
        )
        doc.series_key, doc.series_year, doc.series_number = key, year, n
        doc.issued_at = at
        doc.issued_date = at.astimezone(VN_TZ).date()
        doc.document_id = build_document_id(
            organ_id=ctx.agency.code,
            issued_date=doc.issued_date,
            code_number=doc.code_number,
            code_notation=doc.code_notation,
        )
        doc.trace_header_list = [
            {"event": "document_issue", "at": at.isoformat(), "number": doc.number_notation}
        ]

    def incoming(
        self,
        ctx: _AgencyCtx,
        *,
        arrived: datetime,
        source: str,
        organ: tuple[str, str, str],
        doc_type: DocumentType,
        subject: str,
        code_number: str,
        code_notation: str,
        issued_date: date,
        signer_name: str = "",
        signer_position: str = "",
        source_document: Document | None = None,
        document_id: str = "",
        secrecy: SecrecyLevel | None = None,
        signature_status: str = SignatureStatus.UNSIGNED,
    ) -> Document:
        rng = self.rng
        age = (self.today - arrived.astimezone(VN_TZ).date()).days
        if age > 30:
            status = rng.choices(
                [DocumentStatus.DONE, DocumentStatus.PROCESSING, DocumentStatus.REJECTED,
                 DocumentStatus.REVOKED], weights=[93, 4, 2, 1])[0]  # fmt: skip
        else:
            status = rng.choices(
                [DocumentStatus.ARRIVED, DocumentStatus.REJECTED, DocumentStatus.REGISTERED,
                 DocumentStatus.SUBMITTED, DocumentStatus.ASSIGNED, DocumentStatus.PROCESSING,
                 DocumentStatus.DONE], weights=[8, 2, 10, 8, 15, 25, 32])[0]  # fmt: skip
        if source == Source.PAPER and status == DocumentStatus.REJECTED:
            status = DocumentStatus.REGISTERED  # paper is refused at the desk, never registered
        paper = source == Source.PAPER
        doc = Document(
            agency=ctx.agency,
            direction=Direction.INCOMING,
            channel=Channel.PAPER if paper else Channel.ELECTRONIC,
            source=source,
            status=status,
            organ_id=organ[0],
            organ_name=organ[1][:200],
            type=doc_type,
            code_number=code_number,
            code_notation=code_notation,
            issued_date=issued_date,
            subject=subject,
            page_amount=rng.randint(1, 8),
            signer_position=signer_position,
            signer_full_name=signer_name,
            priority=rng.choices(self.urgencies, weights=[88, 8, 3, 1][: len(self.urgencies)])[0],
            secrecy=secrecy or self.secrecy[0],
            document_id=document_id,
            source_document=source_document,
            arrived_at=arrived,
            signature_status=SignatureStatus.UNSIGNED if paper else signature_status,
            trace_header_list=[{"event": "arrived", "at": arrived.isoformat()}],
        )
        doc.created_at = doc.updated_at = arrived
        if status not in (DocumentStatus.ARRIVED, DocumentStatus.REJECTED):
            registered = arrived + timedelta(minutes=rng.randint(10, 240))
            year = registered.astimezone(VN_TZ).year
            key = f"{INCOMING}:{CLASSIFIED}" if doc.secrecy.level else INCOMING
            n = self.take(ctx.agency.pk, year, key)
            doc.series_key, doc.series_year, doc.series_number = key, year, n
            doc.arrival_number = n
            doc.registered_at = registered
            doc.arrival_date = registered.astimezone(VN_TZ).date()
        if status == DocumentStatus.REJECTED:
            doc.signature_note = "Gửi nhầm nơi nhận"
        if status in (DocumentStatus.ASSIGNED, DocumentStatus.PROCESSING, DocumentStatus.DONE,
                      DocumentStatus.REVOKED):  # fmt: skip
            assert doc.registered_at is not None
            leader = rng.choice(ctx.leaders)
            unit_name = rng.choice(ctx.units).name if ctx.units else "Văn phòng"
            doc.directed_by = leader
            doc.directed_at = doc.registered_at + timedelta(hours=rng.randint(1, 20))
            doc.instruction = rng.choice(INSTRUCTIONS).format(unit=unit_name)
            doc.handling_due_at = doc.directed_at + timedelta(days=10)
            doc.to_places = unit_name[:1000]
            if status == DocumentStatus.DONE:
                late = rng.random() < 0.1
                doc.closed_at = doc.handling_due_at + (
                    timedelta(days=rng.randint(1, 5))
                    if late
                    else -timedelta(days=rng.randint(1, 8))
                )
                doc.closed_at = min(doc.closed_at, self.now - timedelta(hours=1))
                doc.closed_on_time = doc.closed_at <= doc.handling_due_at
        if status == DocumentStatus.REVOKED:
            doc.revoke_reason = "Cơ quan ban hành thu hồi văn bản"
        doc.search_text = _search_text(doc)
        return doc

    # -- the run ----------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        rng = self.rng
        contexts = self.agencies()
        if not contexts:
            return {}
        self.counts["agencies"] = len(contexts)
        sign_at = datetime.combine(self.start, time(8, 0), tzinfo=VN_TZ)
        clock = timezone.now()
        # The busiest agencies (the People's Committee, departments) get a PDF signed by their
        # leader and sealed by the agency; the others share one unsigned sample (their
        # electronic documents say "not digitally signed", as a ward without a token would).
        ranked = sorted(contexts, key=lambda c: (-c.weight, c.agency.pk))
        unsigned = self.unsigned = _unsigned_file()
        for i, ctx in enumerate(ranked):
            if i < SIGNED_AGENCIES:
                ctx.file, ctx.signed = _signed_file(ctx, sign_at)
            else:
                ctx.file, ctx.signed = unsigned, False
        self.counts["signed_files"] = sum(1 for c in contexts if c.signed)
        _write(
            self.stdout,
            f"    văn bản demo: {self.counts['signed_files']} tệp PDF ký số mẫu trong "
            f"{(timezone.now() - clock).total_seconds():.1f} s",
        )

        weights = [c.weight for c in contexts]
        days = [self.start + timedelta(days=i) for i in range(1, 366)]
        working = [d for d in days if d.weekday() < 5]
        n_out = int(self.count * OUTGOING_SHARE)
        plans: list[_Plan] = []
        # Outgoing documents in date order (numbers follow the order of issue).
        out_days = sorted(rng.choice(working) for _ in range(n_out))
        out_agencies = rng.choices(contexts, weights=weights, k=n_out)
        total = 0
        for day, ctx in zip(out_days, out_agencies, strict=True):
            plans.append(_Plan(self._with_ctx(ctx, self.outgoing(ctx, day))))
            total += 1
        # Exchanges: copies at other demo agencies, or bodies outside the platform.
        for plan in plans:
            doc = plan.doc
            if doc.series_number is None or doc.secrecy.level > 0:
                continue
            if doc.channel == Channel.ELECTRONIC and rng.random() < EXCHANGED_SHARE:
                sender = self._ctx_of[id(doc)]
                for receiver in rng.sample(contexts, k=min(len(contexts), 3)):
                    if receiver is sender or len(plan.copies) >= rng.choice((1, 1, 2)):
                        continue
                    assert doc.issued_at is not None
                    copy = self.incoming(
                        receiver,
                        arrived=doc.issued_at + timedelta(minutes=rng.randint(1, 30)),
                        source=Source.PLATFORM,
                        organ=(sender.agency.code, sender.agency.name, ""),
                        doc_type=doc.type,
                        subject=doc.subject,
                        code_number=doc.code_number,
                        code_notation=doc.code_notation,
                        issued_date=doc.issued_date or self.today,
                        signer_name=doc.signer_full_name,
                        signer_position=doc.signer_position,
                        source_document=doc,
                        document_id=doc.document_id,
                        signature_status=(
                            SignatureStatus.VALID if sender.signed else SignatureStatus.UNSIGNED
                        ),
                    )
                    plan.copies.append((receiver, copy))
                    total += 1
            if rng.random() < 0.3:
                plan.outside.append(rng.choice(OUTSIDE))
        # Incoming from outside the platform (exchange from ministries, paper letters).
        n_in = max(0, self.count - total)
        in_days = sorted(rng.choice(working) for _ in range(n_in))
        in_agencies = rng.choices(contexts, weights=weights, k=n_in)
        others: list[tuple[_AgencyCtx, Document]] = []
        for i, (day, ctx) in enumerate(zip(in_days, in_agencies, strict=True)):
            organ = rng.choice(OUTSIDE)
            source = Source.EXCHANGE if rng.random() < 0.7 else Source.PAPER
            code = rng.choices(["cong-van", "quyet-dinh", "thong-bao", "ke-hoach", "giay-moi"],
                               weights=[50, 15, 15, 10, 10])[0]  # fmt: skip
            doc_type = self.types[code]
            number = render_number(1 + (i * 37) % 4000)
            notation = (
                f"{organ[2]}-VP" if doc_type.category == TypeCategory.OFFICIAL_LETTER
                else f"{_abbr(doc_type.abbreviation)}-{organ[2]}"
            )  # fmt: skip
            issued = _working_day(day - timedelta(days=rng.randint(1, 4)))
            pattern = next((t[2] for t in OUTGOING_TYPES if t[0] == code), "{topic}")
            from egov.documents.notation import build_document_id

            doc = self.incoming(
                ctx,
                arrived=_at(day, rng),
                source=source,
                organ=organ,
                doc_type=doc_type,
                subject=self.subject(pattern, day),
                code_number=number,
                code_notation=notation,
                issued_date=issued,
                signer_name=f"{rng.choice(('Nguyễn', 'Trần', 'Lê', 'Phạm'))} "
                f"{rng.choice(('Văn', 'Thị', 'Hữu', 'Minh'))} "
                f"{rng.choice(('Hùng', 'Lan', 'Dũng', 'Hà', 'Sơn'))}",
                signer_position="Thứ trưởng" if organ[2].startswith("B") else "Phó Chủ nhiệm",
                document_id=(
                    build_document_id(
                        organ_id=organ[0],
                        issued_date=issued,
                        code_number=number,
                        code_notation=notation,
                    )
                    if source == Source.EXCHANGE
                    else ""
                ),
            )
            others.append((ctx, doc))
        self.write(plans, others)
        return dict(self.counts)

    _ctx_of: dict[int, _AgencyCtx]
    unsigned: StoredFile

    def _with_ctx(self, ctx: _AgencyCtx, doc: Document) -> Document:
        if not hasattr(self, "_ctx_of"):
            self._ctx_of = {}
        self._ctx_of[id(doc)] = ctx
        return doc

    # -- writing ----------------------------------------------------------------------------

    def write(self, plans: list[_Plan], others: list[tuple[_AgencyCtx, Document]]) -> None:
        rng = self.rng
        outgoing = [p.doc for p in plans]
        Document.objects.bulk_create(outgoing, batch_size=BATCH)
        copies = [(ctx, copy) for p in plans for ctx, copy in p.copies]
        incoming = [copy for _ctx, copy in copies] + [doc for _ctx, doc in others]
        Document.objects.bulk_create(incoming, batch_size=BATCH)
        all_docs: list[tuple[_AgencyCtx, Document]] = (
            [(self._ctx_of[id(p.doc)], p.doc) for p in plans] + copies + others
        )

        recipients: list[Recipient] = []
        for p in plans:
            doc = p.doc
            if doc.series_number is None:
                continue
            for ctx, copy in p.copies:
                recipients.append(
                    Recipient(
                        document=doc,
                        agency=ctx.agency,
                        organ_id=ctx.agency.code,
                        organ_name=ctx.agency.name[:200],
                        kind=RecipientKind.MAIN,
                        channel=RecipientChannel.PLATFORM,
                        status=_delivery_status(copy.status),
                        status_at=copy.closed_at
                        or copy.directed_at
                        or copy.registered_at
                        or copy.arrived_at,
                        status_history=[
                            {
                                "status": "01",
                                "at": copy.arrived_at.isoformat() if copy.arrived_at else None,
                            }
                        ],
                        sent_at=doc.issued_at,
                        incoming_document=copy,
                    )
                )
            for organ in p.outside:
                recipients.append(
                    Recipient(
                        document=doc,
                        organ_id=organ[0],
                        organ_name=organ[1],
                        kind=RecipientKind.FOR_INFORMATION,
                        channel=(
                            RecipientChannel.PAPER
                            if doc.channel == Channel.PAPER
                            else RecipientChannel.EXCHANGE
                        ),
                        status=(
                            DeliveryStatus.PENDING
                            if doc.channel == Channel.PAPER
                            else rng.choice((DeliveryStatus.SENT, DeliveryStatus.ARRIVED))
                        ),
                        status_at=doc.issued_at,
                        sent_at=doc.issued_at,
                    )
                )
            if not p.copies and not p.outside:
                recipients.append(
                    Recipient(
                        document=doc,
                        organ_name="Các phòng, đơn vị trực thuộc",
                        kind=RecipientKind.MAIN,
                        channel=RecipientChannel.PAPER,
                        sent_at=doc.issued_at,
                    )
                )
        Recipient.objects.bulk_create(recipients, batch_size=BATCH)

        files: list[DocumentFile] = []
        handlings: list[Handling] = []
        comments: list[DraftComment] = []
        grants: list[DocumentGrant] = []
        for ctx, doc in all_docs:
            self.counts[f"{doc.direction}:{doc.status}"] += 1
            if doc.channel == Channel.ELECTRONIC:
                files.append(self.file_row(ctx, doc))
            if doc.direction == Direction.OUTGOING and doc.secrecy.level > 0 and doc.drafter:
                grants.append(
                    DocumentGrant(document=doc, staff=doc.drafter, reason="Người soạn thảo")
                )
            if doc.status == DocumentStatus.RETURNED and ctx.leaders:
                comments.append(
                    DraftComment(
                        document=doc,
                        version=1,
                        author=rng.choice(ctx.leaders).user,
                        kind=CommentKind.RETURN,
                        step_code="leader",
                        body=rng.choice(RETURN_COMMENTS),
                    )
                )
            if doc.directed_by is not None and doc.directed_at is not None:
                done = doc.status == DocumentStatus.DONE
                main = rng.choice(ctx.workers)
                handlings.append(
                    Handling(
                        document=doc,
                        agency=ctx.agency,
                        staff=main,
                        unit=main.unit,
                        role=HandlingRole.MAIN,
                        due_at=doc.handling_due_at,
                        status=(
                            HandlingStatus.DONE
                            if done
                            else HandlingStatus.PROCESSING
                            if doc.status == DocumentStatus.PROCESSING
                            else HandlingStatus.ASSIGNED
                        ),
                        assigned_by=doc.directed_by,
                        closed_at=doc.closed_at,
                    )
                )
                if rng.random() < 0.4:
                    co = rng.choice(ctx.workers)
                    if co.pk != main.pk:
                        handlings.append(
                            Handling(
                                document=doc,
                                agency=ctx.agency,
                                staff=co,
                                unit=co.unit,
                                role=HandlingRole.CO,
                                due_at=doc.handling_due_at,
                                status=HandlingStatus.DONE if done else HandlingStatus.ASSIGNED,
                                assigned_by=doc.directed_by,
                                closed_at=doc.closed_at,
                            )
                        )
        DocumentFile.objects.bulk_create(files, batch_size=BATCH)
        DraftComment.objects.bulk_create(comments, batch_size=BATCH)
        DocumentGrant.objects.bulk_create(grants, batch_size=BATCH)
        Handling.objects.bulk_create(handlings, batch_size=BATCH)
        progress = [
            HandlingProgress(handling=h, author=h.staff.user, note=rng.choice(PROGRESS))
            for h in handlings
            if h.role == HandlingRole.MAIN and h.status != HandlingStatus.ASSIGNED and h.staff
        ]
        HandlingProgress.objects.bulk_create(progress, batch_size=BATCH)

        self.write_series()
        self.write_facts([doc for _ctx, doc in all_docs])
        self.counts.update(
            {
                "documents": len(all_docs),
                "recipients": len(recipients),
                "platform_copies": len(copies),
                "files": len(files),
                "handlings": len(handlings),
                "public": sum(1 for _c, d in all_docs if d.is_public),
                "secret": sum(1 for _c, d in all_docs if d.secrecy.level > 0),
            }
        )

    def file_row(self, ctx: _AgencyCtx, doc: Document) -> DocumentFile:
        """The main file: the agency's signed sample once signed, the sender's for a platform
        copy (same content, same signatures), the unsigned sample otherwise (drafts, and bodies
        outside the platform, which have no demo key)."""
        status = SignatureStatus.NOT_CHECKED
        if doc.direction == Direction.OUTGOING:
            signed = ctx.signed and doc.status in SIGNED_STATES
            stored = ctx.file if signed else self.unsigned
        elif doc.source_document is not None:
            sender = self._ctx_of[id(doc.source_document)]
            signed = sender.signed
            stored = sender.file if signed else self.unsigned
            status = SignatureStatus.VALID if signed else SignatureStatus.UNSIGNED
        else:
            signed, stored, status = False, self.unsigned, SignatureStatus.UNSIGNED
        assert stored is not None
        return DocumentFile(
            document=doc,
            stored_file=stored,
            kind=FileKindChoice.MAIN,
            signed=signed,
            signature_status=status,
        )

    def write_series(self) -> None:
        existing = {
            (s.agency_id, s.year, s.key): s
            for s in NumberSeries.objects.filter(
                agency_id__in={k[0] for k in self.touched}, year__in={k[1] for k in self.touched}
            )
        }
        new, changed = [], []
        for key in sorted(self.touched):
            row = existing.get(key)
            if row is None:
                new.append(
                    NumberSeries(agency_id=key[0], year=key[1], key=key[2], last=self.series[key])
                )
            else:
                row.last = self.series[key]
                changed.append(row)
        NumberSeries.objects.bulk_create(new, batch_size=BATCH)
        NumberSeries.objects.bulk_update(changed, ["last"], batch_size=BATCH)

    def write_facts(self, docs: Iterable[Document]) -> None:
        """The rules of `figures.figures_compute`, on the rows in memory."""
        facts: dict[tuple[int, date], Counter[str]] = defaultdict(Counter)

        def month(at: datetime) -> date:
            return at.astimezone(VN_TZ).date().replace(day=1)

        for d in docs:
            if d.direction == Direction.OUTGOING and d.issued_at is not None:
                c = facts[(d.agency_id, month(d.issued_at))]
                c["sent_electronic" if d.channel == Channel.ELECTRONIC else "sent_paper"] += 1
                c["digitally_signed"] += int(d.digitally_signed)
            if d.direction == Direction.INCOMING and d.registered_at is not None:
                c = facts[(d.agency_id, month(d.registered_at))]
                key = "received_electronic" if d.channel == Channel.ELECTRONIC else "received_paper"
                c[key] += 1
            if d.direction == Direction.INCOMING and d.closed_at is not None:
                c = facts[(d.agency_id, month(d.closed_at))]
                c["incoming_on_time" if d.closed_on_time else "incoming_late"] += 1
        existing = {
            (f.agency_id, f.month): f
            for f in DocumentMonthlyFact.objects.filter(agency_id__in={k[0] for k in facts})
        }
        new, changed = [], []
        for (agency_id, m), values in facts.items():
            row = existing.get((agency_id, m))
            if row is None:
                new.append(DocumentMonthlyFact(agency_id=agency_id, month=m, **values))
            else:
                for name, value in values.items():
                    setattr(row, name, getattr(row, name) + value)
                changed.append(row)
        DocumentMonthlyFact.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            from egov.documents.figures import COUNTERS

            DocumentMonthlyFact.objects.bulk_update(changed, list(COUNTERS), batch_size=BATCH)


def _delivery_status(status: str) -> str:
    return {
        DocumentStatus.ARRIVED: DeliveryStatus.ARRIVED,
        DocumentStatus.REJECTED: DeliveryStatus.REJECTED,
        DocumentStatus.REGISTERED: DeliveryStatus.ACCEPTED,
        DocumentStatus.SUBMITTED: DeliveryStatus.ACCEPTED,
        DocumentStatus.ASSIGNED: DeliveryStatus.ASSIGNED,
        DocumentStatus.PROCESSING: DeliveryStatus.PROCESSING,
        DocumentStatus.DONE: DeliveryStatus.DONE,
        DocumentStatus.REVOKED: DeliveryStatus.RECALL_ACCEPTED,
    }.get(DocumentStatus(status), DeliveryStatus.ARRIVED)


def _search_text(doc: Document) -> str:
    """`services._common.search_text_for` (what the services write), on an unsaved row."""
    parts: Sequence[str] = [
        doc.number_notation,
        doc.code_notation,
        doc.subject,
        doc.organ_name,
        doc.signer_full_name,
        doc.signer_position,
        str(doc.arrival_number or ""),
        doc.description,
        doc.content_text,
    ]
    return fold(" ".join(p for p in parts if p))


def demo_loaded() -> bool:
    return AuditEntry.objects.filter(action=DEMO_ACTION).exists()


def load_demo_documents(*, stdout: TextIO | None = None, count: int = DEFAULT_COUNT) -> list[Any]:
    """Seed about `count` documents over the past year (idempotent: once per database)."""
    if demo_loaded():
        _write(stdout, "    văn bản demo: đã có, bỏ qua")
        return []
    started = timezone.now()
    with transaction.atomic():
        counts = _Loader(count=count, stdout=stdout).run()
        if not counts:
            _write(stdout, "    văn bản demo: chưa có cơ quan demo, bỏ qua")
            return []
        target = Agency.objects.filter(kind=AgencyKind.PEOPLES_COMMITTEE).first()
        audit_record(
            actor=None,
            action=DEMO_ACTION,
            target=target or Agency.objects.order_by("pk").first(),  # type: ignore[arg-type]
            summary=(
                f"Nạp dữ liệu demo văn bản: {counts.get('documents', 0)} văn bản, "
                f"{counts.get('platform_copies', 0)} bản nhận trên hệ thống, "
                f"{counts.get('signed_files', 0)} tệp PDF ký số mẫu"
            ),
            after={"counts": counts, "seed": SEED},
        )
    seconds = (timezone.now() - started).total_seconds()
    _write(stdout, f"    văn bản demo: {counts.get('documents', 0)} văn bản trong {seconds:.0f} s")
    return []
