"""Official documents (văn bản): reference data, documents, recipients, files, drafts, handling,
yearly files (hồ sơ), number series and the paperless fact table.

Field names follow Decree 30/2020 Appendix VI (the edXML element names): `organ_id` (OrganId),
`code_number` (CodeNumber), `code_notation` (CodeNotation), `issued_date` (IssuedDate)…

One `Document` table holds both directions (decision in docs/subsystems/documents.md): the
Appendix VI fields of outgoing and incoming documents are the same 1–11 plus a handful, the
search index, the secrecy rule and the exchange read one shape, and the incoming copy of a
document issued on the platform is a second row (`direction=incoming`, the receiver's `agency`)
pointing to the first through `source_document`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.core.models import TimeStampedModel

# --- reference data ------------------------------------------------------------------------


class TypeCategory(models.TextChoices):
    NAMED = "named", _("Văn bản có tên loại")
    OFFICIAL_LETTER = "official_letter", _("Công văn")
    PUBLIC_LETTER = "public_letter", _("Thư công")
    COPY = "copy", _("Bản sao")


class DocumentType(models.Model):
    """A document type (Decree 30 Art. 7, Appendix III). `abbreviation` keeps its mixed case
    (QyĐ, CTr, TTr, TrS) and is stored NFC-normalised."""

    code = models.SlugField(_("Mã loại"), max_length=40, unique=True)
    name = models.CharField(_("Tên loại văn bản"), max_length=100)
    abbreviation = models.CharField(_("Chữ viết tắt"), max_length=10, blank=True)
    category = models.CharField(
        _("Nhóm"), max_length=20, choices=TypeCategory.choices, default=TypeCategory.NAMED
    )
    # A fixed series key shared whatever the agency's numbering policy (copies: one counter for
    # SY, TrS and SL). Empty: the agency's policy decides (shared series or one per type).
    series = models.SlugField(_("Sổ đánh số cố định"), max_length=40, blank=True)
    rank = models.PositiveSmallIntegerField(_("Thứ tự"), default=100)
    is_active = models.BooleanField(_("Đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("Loại văn bản")
        verbose_name_plural = _("Loại văn bản")
        ordering = ["rank", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(category="named") | ~Q(abbreviation=""),
                name="documenttype_named_has_abbreviation",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_named(self) -> bool:
        """Named types put their abbreviation first in the notation (`QĐ-UBND`)."""
        return self.category in (TypeCategory.NAMED, TypeCategory.COPY)


class Urgency(models.Model):
    """Độ khẩn; `edxml_code` is the edXML Priority (0 thường … 3 hỏa tốc; 4 is read as 3)."""

    code = models.SlugField(_("Mã"), max_length=20, unique=True)
    name = models.CharField(_("Độ khẩn"), max_length=40)
    edxml_code = models.PositiveSmallIntegerField(_("Mã edXML (Priority)"), unique=True)

    class Meta:
        verbose_name = _("Độ khẩn")
        verbose_name_plural = _("Độ khẩn")
        ordering = ["edxml_code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_urgent(self) -> bool:
        return self.edxml_code > 0


class SecrecyLevel(models.Model):
    """Độ mật; level 0 is ordinary, 1 mật, 2 tối mật, 3 tuyệt mật."""

    code = models.SlugField(_("Mã"), max_length=20, unique=True)
    name = models.CharField(_("Độ mật"), max_length=40)
    level = models.PositiveSmallIntegerField(_("Cấp độ"), unique=True)

    class Meta:
        verbose_name = _("Độ mật")
        verbose_name_plural = _("Độ mật")
        ordering = ["level"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_secret(self) -> bool:
        return self.level > 0


class SigningAuthority(models.Model):
    """Thẩm quyền ký: TM., KT., TL., TUQ., Q. (upper case, with the dot)."""

    code = models.SlugField(_("Mã"), max_length=10, unique=True)
    abbreviation = models.CharField(_("Chữ viết tắt"), max_length=10, unique=True)
    name = models.CharField(_("Tên"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("Thứ tự"), default=100)

    class Meta:
        verbose_name = _("Thẩm quyền ký")
        verbose_name_plural = _("Thẩm quyền ký")
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.abbreviation


class FieldAbbreviation(models.Model):
    """An abbreviation of a field of work an agency uses in công văn notations (`UBND-VX`)."""

    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("Cơ quan"),
        on_delete=models.PROTECT,
        related_name="document_fields",
    )
    abbreviation = models.CharField(_("Chữ viết tắt"), max_length=20)
    name = models.CharField(_("Lĩnh vực"), max_length=200)
    is_active = models.BooleanField(_("Đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("Chữ viết tắt lĩnh vực")
        verbose_name_plural = _("Chữ viết tắt lĩnh vực")
        ordering = ["agency_id", "abbreviation"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "abbreviation"], name="fieldabbreviation_unique_in_agency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.abbreviation} – {self.name}"


class NumberingMode(models.TextChoices):
    SHARED = "shared", _("Một sổ chung cho các văn bản hành chính")
    PER_TYPE = "per_type", _("Mỗi loại văn bản một sổ")


class NumberingPolicy(models.Model):
    """How an agency numbers its administrative documents (Decree 30 Art. 15.1.c)."""

    agency = models.OneToOneField(
        "organisations.Agency",
        verbose_name=_("Cơ quan"),
        on_delete=models.PROTECT,
        related_name="numbering_policy",
    )
    mode = models.CharField(
        _("Cách đánh số"),
        max_length=10,
        choices=NumberingMode.choices,
        default=NumberingMode.SHARED,
    )

    class Meta:
        verbose_name = _("Quy định đánh số văn bản")
        verbose_name_plural = _("Quy định đánh số văn bản")

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.mode}"


class NumberSeries(models.Model):
    """The last number handed out per agency, calendar year and series (`key`).

    Changed only by `egov.documents.numbering.allocate_number`, atomically in the database, in
    the issuing (or registering) transaction: a rollback hands the number back (no gap).
    """

    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("Năm"))
    key = models.CharField(_("Sổ"), max_length=60)
    last = models.PositiveIntegerField(_("Số cuối"), default=0)

    class Meta:
        verbose_name = _("Sổ đánh số")
        verbose_name_plural = _("Sổ đánh số")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "key"], name="numberseries_agency_year_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} {self.key}: {self.last}"


# --- documents ------------------------------------------------------------------------------


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("Văn bản đi")
    INCOMING = "incoming", _("Văn bản đến")


class Channel(models.TextChoices):
    ELECTRONIC = "electronic", _("Điện tử")
    PAPER = "paper", _("Giấy")


class Source(models.TextChoices):
    DRAFTED = "drafted", _("Soạn thảo tại cơ quan")
    PAPER = "paper", _("Văn bản giấy")
    PLATFORM = "platform", _("Nhận trên hệ thống")
    EXCHANGE = "exchange", _("Nhận qua liên thông (edXML)")


class DocumentStatus(models.TextChoices):
    # outgoing
    DRAFT = "draft", pgettext_lazy("status", "Đang soạn thảo")
    IN_REVIEW = "in_review", pgettext_lazy("status", "Đang trình duyệt")
    RETURNED = "returned", pgettext_lazy("status", "Bị trả lại")
    APPROVED = "approved", pgettext_lazy("status", "Đã duyệt")
    SIGNED = "signed", pgettext_lazy("status", "Đã ký")
    ISSUED = "issued", pgettext_lazy("status", "Đã ban hành")
    RECALLED = "recalled", pgettext_lazy("status", "Đã thu hồi")
    # incoming (edXML status in brackets)
    ARRIVED = "arrived", pgettext_lazy("status", "Đã đến")  # 01
    REJECTED = "rejected", pgettext_lazy("status", "Từ chối tiếp nhận")  # 02
    REGISTERED = "registered", pgettext_lazy("status", "Đã tiếp nhận")  # 03
    SUBMITTED = "submitted", pgettext_lazy("status", "Đã trình lãnh đạo")
    ASSIGNED = "assigned", pgettext_lazy("status", "Đã phân công")  # 04
    PROCESSING = "processing", pgettext_lazy("status", "Đang xử lý")  # 05
    DONE = "done", pgettext_lazy("status", "Đã xử lý xong")  # 06
    REVOKED = "revoked", pgettext_lazy("status", "Đã bị thu hồi")


class SignatureStatus(models.TextChoices):
    NOT_CHECKED = "not_checked", _("Chưa kiểm tra")
    UNSIGNED = "unsigned", _("Không có chữ ký số")
    VALID = "valid", _("Chữ ký hợp lệ")
    INVALID = "invalid", _("Chữ ký không hợp lệ")
    UNKNOWN_SIGNER = "unknown_signer", _("Không xác định được người ký")


class Document(TimeStampedModel):
    """One official document of one agency (the tenant), outgoing or incoming."""

    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("Cơ quan"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    direction = models.CharField(_("Chiều"), max_length=10, choices=Direction.choices)
    channel = models.CharField(
        _("Hình thức"), max_length=12, choices=Channel.choices, default=Channel.ELECTRONIC
    )
    source = models.CharField(
        _("Nguồn"), max_length=12, choices=Source.choices, default=Source.DRAFTED
    )
    status = models.CharField(
        _("Trạng thái"), max_length=12, choices=DocumentStatus.choices, db_index=True
    )

    # Appendix VI fields
    organ_id = models.CharField(_("Mã định danh cơ quan ban hành"), max_length=13, blank=True)
    organ_name = models.CharField(_("Cơ quan ban hành"), max_length=200, blank=True)
    type = models.ForeignKey(
        DocumentType, verbose_name=_("Loại văn bản"), on_delete=models.PROTECT, related_name="+"
    )
    code_number = models.CharField(_("Số"), max_length=11, blank=True)
    code_notation = models.CharField(_("Ký hiệu"), max_length=30, blank=True)
    issued_date = models.DateField(_("Ngày ban hành"), null=True, blank=True)
    subject = models.CharField(_("Trích yếu"), max_length=500)
    language = models.CharField(_("Ngôn ngữ"), max_length=30, default="Tiếng Việt")
    page_amount = models.PositiveSmallIntegerField(_("Số trang"), null=True, blank=True)
    description = models.CharField(_("Ghi chú"), max_length=500, blank=True)
    signer_position = models.CharField(_("Chức vụ người ký"), max_length=100, blank=True)
    signer_full_name = models.CharField(_("Họ tên người ký"), max_length=50, blank=True)
    signer_competence = models.ForeignKey(
        SigningAuthority,
        verbose_name=_("Thẩm quyền ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    priority = models.ForeignKey(
        Urgency, verbose_name=_("Độ khẩn"), on_delete=models.PROTECT, related_name="+"
    )
    secrecy = models.ForeignKey(
        SecrecyLevel, verbose_name=_("Độ mật"), on_delete=models.PROTECT, related_name="+"
    )
    issued_amount = models.PositiveSmallIntegerField(_("Số lượng bản"), null=True, blank=True)
    due_date = models.DateField(_("Hạn trả lời"), null=True, blank=True)
    arrival_date = models.DateField(_("Ngày đến"), null=True, blank=True)
    arrival_number = models.PositiveIntegerField(_("Số đến"), null=True, blank=True)
    to_places = models.CharField(_("Nơi nhận (đơn vị, cá nhân)"), max_length=1000, blank=True)
    trace_header_list = models.JSONField(_("Vết xử lý"), default=list, blank=True)
    # mã định danh văn bản: <OrganId>,<yyyy/MM/dd>,<số>/<ký hiệu> (edXML DocumentId)
    document_id = models.CharField(
        _("Mã định danh văn bản"), max_length=100, blank=True, db_index=True
    )

    # Outgoing: who drafted, in which unit, with which field abbreviation (công văn)
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("Đơn vị soạn thảo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    field_abbreviation = models.ForeignKey(
        FieldAbbreviation,
        verbose_name=_("Lĩnh vực (công văn)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafter = models.ForeignKey(
        "organisations.StaffMember",
        verbose_name=_("Người soạn thảo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer = models.ForeignKey(
        "organisations.StaffMember",
        verbose_name=_("Người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review = models.OneToOneField(
        "workflow.Instance",
        verbose_name=_("Quy trình trình duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveSmallIntegerField(_("Phiên bản dự thảo"), default=1)
    # The series the number (outgoing) or the arrival number (incoming) was taken from.
    series_key = models.CharField(_("Sổ đánh số"), max_length=60, blank=True)
    series_year = models.PositiveSmallIntegerField(_("Năm của sổ"), null=True, blank=True)
    series_number = models.PositiveIntegerField(_("Số trong sổ"), null=True, blank=True)
    signed_at = models.DateTimeField(_("Ký lúc"), null=True, blank=True)
    issued_at = models.DateTimeField(_("Ban hành lúc"), null=True, blank=True)
    digitally_signed = models.BooleanField(_("Đã ký số"), default=False)

    # Incoming: arrival, registration, direction, deadline, closure
    source_document = models.ForeignKey(
        "self",
        verbose_name=_("Văn bản gốc (trên hệ thống)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
    )
    arrived_at = models.DateTimeField(_("Đến lúc"), null=True, blank=True)
    registered_at = models.DateTimeField(_("Vào sổ lúc"), null=True, blank=True)
    instruction = models.TextField(_("Ý kiến chỉ đạo"), blank=True)
    directed_by = models.ForeignKey(
        "organisations.StaffMember",
        verbose_name=_("Lãnh đạo chỉ đạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    directed_at = models.DateTimeField(_("Chỉ đạo lúc"), null=True, blank=True)
    handling_due_at = models.DateTimeField(_("Hạn giải quyết"), null=True, blank=True)
    closed_at = models.DateTimeField(_("Hoàn thành lúc"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("Đúng hạn"), null=True, blank=True)

    # Signatures found on received files (the worst of the files); invalid needs a clerk's
    # explicit acknowledgement before anything else happens to the document.
    signature_status = models.CharField(
        _("Chữ ký số"),
        max_length=16,
        choices=SignatureStatus.choices,
        default=SignatureStatus.NOT_CHECKED,
    )
    signature_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Xác nhận chữ ký không hợp lệ bởi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signature_acknowledged_at = models.DateTimeField(null=True, blank=True)
    signature_note = models.CharField(_("Ghi chú về chữ ký"), max_length=500, blank=True)
    duplicate_of = models.JSONField(_("Có thể trùng với"), default=list, blank=True)

    # Recall (sender freezes) and revoke (receiver keeps the metadata and logs)
    frozen_at = models.DateTimeField(_("Đóng băng lúc"), null=True, blank=True)
    revoke_reason = models.CharField(_("Lý do thu hồi"), max_length=500, blank=True)

    is_public = models.BooleanField(_("Công khai trên cổng"), default=False)
    # Filled by the search engineer's text extraction of the attached files.
    content_text = models.TextField(_("Nội dung trích xuất"), blank=True, editable=False)
    # fold() of number/notation/subject/issuer/signer (+ content_text): what search reads.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("Văn bản")
        verbose_name_plural = _("Văn bản")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["agency", "direction", "status"], name="document_queue"),
            models.Index(fields=["agency", "direction", "-issued_date"], name="document_register"),
            models.Index(fields=["agency", "-arrival_date"], name="document_incoming_reg"),
        ]
        constraints = [
            # Issued outgoing documents: one number+notation per agency, year and series is
            # guaranteed by the series; one identifier per agency and series here (a secret
            # document has its own series, so its "01/QĐ-UBND" may share the ordinary one's).
            models.UniqueConstraint(
                fields=["agency", "series_key", "document_id"],
                condition=Q(direction="outgoing") & ~Q(document_id=""),
                name="document_outgoing_id_unique",
            ),
            # Incoming copies from the platform or the exchange: one per identifier and agency
            # (the same DocumentId twice is the same document). Paper may repeat (warned).
            models.UniqueConstraint(
                fields=["agency", "document_id"],
                condition=Q(direction="incoming")
                & ~Q(document_id="")
                & Q(source__in=["platform", "exchange"]),
                name="document_incoming_id_unique",
            ),
            # The number taken from a series (outgoing number or arrival number) is the
            # series' alone: the allocator guarantees it, the database checks it.
            models.UniqueConstraint(
                fields=["agency", "series_key", "series_year", "series_number"],
                condition=Q(series_number__isnull=False),
                name="document_series_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=["outgoing", "incoming"]),
                name="document_direction_known",
            ),
        ]

    def __str__(self) -> str:
        label = self.number_notation or self.subject[:60]
        return f"{label}"

    @property
    def number_notation(self) -> str:
        if not self.code_number:
            return ""
        if not self.code_notation:
            return self.code_number
        return f"{self.code_number}/{self.code_notation}"

    @property
    def is_secret(self) -> bool:
        return bool(self.secrecy.level)


class RecipientKind(models.TextChoices):
    MAIN = "main", _("Nơi nhận chính (Kính gửi)")
    FOR_INFORMATION = "for_information", _("Để biết, để báo cáo")


class RecipientChannel(models.TextChoices):
    PLATFORM = "platform", _("Trên hệ thống")
    EXCHANGE = "exchange", _("Liên thông edXML")
    PAPER = "paper", _("Bưu chính, giấy")


class DeliveryStatus(models.TextChoices):
    """edXML status codes, as seen by the sender."""

    PENDING = "", _("Chưa gửi")
    SENT = "00", _("Đã gửi")
    ARRIVED = "01", _("Đã đến")
    REJECTED = "02", _("Từ chối tiếp nhận")
    ACCEPTED = "03", _("Đã tiếp nhận")
    ASSIGNED = "04", _("Đã phân công")
    PROCESSING = "05", _("Đang xử lý")
    DONE = "06", _("Đã xử lý xong")
    RECALL_REQUESTED = "13", _("Yêu cầu thu hồi")
    RECALL_ACCEPTED = "15", _("Đồng ý thu hồi")
    RECALL_REFUSED = "16", _("Từ chối thu hồi")


class Recipient(TimeStampedModel):
    """One addressee of an outgoing document and what the sender knows of its status."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("Cơ quan nhận trên hệ thống"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organ_id = models.CharField(_("Mã định danh cơ quan nhận"), max_length=13, blank=True)
    organ_name = models.CharField(_("Tên cơ quan nhận"), max_length=200)
    kind = models.CharField(
        _("Loại nơi nhận"), max_length=20, choices=RecipientKind.choices, default="main"
    )
    channel = models.CharField(_("Cách gửi"), max_length=10, choices=RecipientChannel.choices)
    status = models.CharField(
        _("Trạng thái"), max_length=2, choices=DeliveryStatus.choices, blank=True, default=""
    )
    status_description = models.CharField(_("Mô tả trạng thái"), max_length=500, blank=True)
    status_at = models.DateTimeField(_("Cập nhật trạng thái lúc"), null=True, blank=True)
    status_history = models.JSONField(_("Lịch sử trạng thái"), default=list, blank=True)
    sent_at = models.DateTimeField(_("Gửi lúc"), null=True, blank=True)
    incoming_document = models.ForeignKey(
        Document,
        verbose_name=_("Văn bản đến tương ứng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Nơi nhận")
        verbose_name_plural = _("Nơi nhận")
        ordering = ["document_id", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "organ_id"],
                condition=~Q(organ_id=""),
                name="recipient_unique_organ",
            ),
            models.UniqueConstraint(
                fields=["document", "agency"],
                condition=Q(agency__isnull=False),
                name="recipient_unique_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.organ_name

    @property
    def policy_agency_id(self) -> int:
        return self.document.agency_id


class FileKindChoice(models.TextChoices):
    MAIN = "main", _("Văn bản chính")
    ATTACHMENT = "attachment", _("Phụ lục, tài liệu kèm theo")
    DRAFT = "draft", _("Dự thảo")


class DocumentFile(TimeStampedModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    stored_file = models.ForeignKey(
        "core.StoredFile", verbose_name=_("Tệp"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("Loại tệp"), max_length=12, choices=FileKindChoice.choices)
    version = models.PositiveSmallIntegerField(_("Phiên bản"), default=1)
    signed = models.BooleanField(_("Đã ký số"), default=False)
    signature_status = models.CharField(
        _("Kiểm tra chữ ký"),
        max_length=16,
        choices=SignatureStatus.choices,
        default=SignatureStatus.NOT_CHECKED,
    )
    signature_detail = models.JSONField(_("Chi tiết chữ ký"), default=dict, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("Tệp văn bản")
        verbose_name_plural = _("Tệp văn bản")
        ordering = ["document_id", "version", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.version} {self.kind}"


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Góp ý")
    RETURN = "return", pgettext_lazy("status", "Trả lại")
    APPROVE = "approve", pgettext_lazy("status", "Đồng ý")
    SUBMIT = "submit", pgettext_lazy("status", "Trình")


class DraftComment(models.Model):
    """A comment on a draft version; returns and approvals are comments too (the trail)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="comments")
    version = models.PositiveSmallIntegerField(_("Phiên bản dự thảo"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        _("Loại"), max_length=10, choices=CommentKind.choices, default=CommentKind.COMMENT
    )
    step_code = models.CharField(_("Bước"), max_length=80, blank=True)
    body = models.TextField(_("Nội dung"), blank=True)
    created_at = models.DateTimeField(_("Lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("Ý kiến về dự thảo")
        verbose_name_plural = _("Ý kiến về dự thảo")
        ordering = ["document_id", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.version}: {self.kind}"


class HandlingRole(models.TextChoices):
    MAIN = "main", _("Xử lý chính")
    CO = "co", _("Phối hợp")
    FOR_INFORMATION = "for_information", _("Nhận để biết")


class HandlingStatus(models.TextChoices):
    ASSIGNED = "assigned", pgettext_lazy("status", "Đã giao")
    PROCESSING = "processing", pgettext_lazy("status", "Đang xử lý")
    DONE = "done", pgettext_lazy("status", "Hoàn thành")


class Handling(TimeStampedModel):
    """One handler (person or unit) of an incoming document, from the leader's direction."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="handlings")
    agency = models.ForeignKey(
        "organisations.Agency", on_delete=models.PROTECT, related_name="+", editable=False
    )
    staff = models.ForeignKey(
        "organisations.StaffMember",
        verbose_name=_("Cán bộ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="document_handlings",
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("Đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="document_handlings",
    )
    role = models.CharField(_("Vai trò"), max_length=20, choices=HandlingRole.choices)
    due_at = models.DateTimeField(_("Hạn xử lý"), null=True, blank=True)
    status = models.CharField(
        _("Trạng thái"),
        max_length=12,
        choices=HandlingStatus.choices,
        default=HandlingStatus.ASSIGNED,
    )
    assigned_by = models.ForeignKey(
        "organisations.StaffMember", on_delete=models.PROTECT, related_name="+"
    )
    reply_document = models.ForeignKey(
        Document,
        verbose_name=_("Văn bản trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies_to",
    )
    closed_at = models.DateTimeField(_("Hoàn thành lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Phân công xử lý")
        verbose_name_plural = _("Phân công xử lý")
        ordering = ["document_id", "role", "pk"]
        indexes = [models.Index(fields=["staff", "status"], name="handling_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(staff__isnull=False) | Q(unit__isnull=False),
                name="handling_has_staff_or_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.role}"


class HandlingProgress(models.Model):
    handling = models.ForeignKey(Handling, on_delete=models.CASCADE, related_name="progress")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("Tiến độ"))
    at = models.DateTimeField(_("Lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("Tiến độ xử lý")
        verbose_name_plural = _("Tiến độ xử lý")
        ordering = ["handling_id", "at", "pk"]

    def __str__(self) -> str:
        return self.note[:60]


class DocumentGrant(models.Model):
    """A staff member named on a secret document beyond its drafter, signer and handlers."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="grants")
    staff = models.ForeignKey(
        "organisations.StaffMember", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("Lý do"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Người được xem văn bản mật")
        verbose_name_plural = _("Người được xem văn bản mật")
        constraints = [
            models.UniqueConstraint(fields=["document", "staff"], name="documentgrant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.staff_id}"


class CaseFileStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("status", "Đang mở")
    CLOSED = "closed", pgettext_lazy("status", "Đã đóng")


class CaseFile(TimeStampedModel):
    """A file (hồ sơ) of the agency's yearly list; documents belong without being copied."""

    agency = models.ForeignKey(
        "organisations.Agency", verbose_name=_("Cơ quan"), on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(_("Năm hình thành (FileCatalog)"))
    notation = models.CharField(_("Số và ký hiệu hồ sơ (FileNotation)"), max_length=20)
    title = models.CharField(_("Tiêu đề hồ sơ"), max_length=500)
    retention = models.CharField(_("Thời hạn bảo quản"), max_length=30)
    rights = models.CharField(_("Chế độ sử dụng"), max_length=30, blank=True)
    creator = models.CharField(_("Người lập hồ sơ"), max_length=30, blank=True)
    language = models.CharField(_("Ngôn ngữ"), max_length=50, default="Tiếng Việt")
    start_date = models.DateField(_("Ngày bắt đầu"), null=True, blank=True)
    end_date = models.DateField(_("Ngày kết thúc"), null=True, blank=True)
    description = models.CharField(_("Ghi chú"), max_length=500, blank=True)
    status = models.CharField(
        _("Trạng thái"), max_length=8, choices=CaseFileStatus.choices, default="open"
    )
    documents: models.ManyToManyField[Document, CaseFileDocument] = models.ManyToManyField(
        Document, through="CaseFileDocument", related_name="case_files"
    )

    class Meta:
        verbose_name = _("Hồ sơ công việc")
        verbose_name_plural = _("Hồ sơ công việc")
        ordering = ["agency_id", "-year", "notation"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "notation"], name="casefile_unique_notation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notation} – {self.title[:60]}"


class CaseFileDocument(models.Model):
    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="entries")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    ordinal = models.PositiveSmallIntegerField(_("Thứ tự trong hồ sơ (DocOrdinal)"))
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Văn bản trong hồ sơ")
        verbose_name_plural = _("Văn bản trong hồ sơ")
        ordering = ["case_file_id", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["case_file", "document"], name="casefile_doc_once"),
            models.UniqueConstraint(fields=["case_file", "ordinal"], name="casefile_ordinal"),
        ]

    def __str__(self) -> str:
        return f"{self.case_file_id}#{self.ordinal}"


# --- paperless figures ------------------------------------------------------------------------


class DocumentMonthlyFact(models.Model):
    """Per agency and month (first day, Vietnam time): kept current by the services with an
    incrementing upsert in their transactions (`figures.fact_add`);
    `figures.figures_recompute` rebuilds a row to check it."""

    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("Tháng"))
    sent_electronic = models.PositiveIntegerField(_("Gửi điện tử"), default=0)
    sent_paper = models.PositiveIntegerField(_("Gửi giấy"), default=0)
    received_electronic = models.PositiveIntegerField(_("Nhận điện tử"), default=0)
    received_paper = models.PositiveIntegerField(_("Nhận giấy"), default=0)
    digitally_signed = models.PositiveIntegerField(_("Văn bản đi ký số"), default=0)
    incoming_on_time = models.PositiveIntegerField(_("Văn bản đến xử lý đúng hạn"), default=0)
    incoming_late = models.PositiveIntegerField(_("Văn bản đến xử lý quá hạn"), default=0)

    class Meta:
        verbose_name = _("Số liệu văn bản theo tháng")
        verbose_name_plural = _("Số liệu văn bản theo tháng")
        ordering = ["agency_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="documentfact_agency_month"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%Y-%m}"
