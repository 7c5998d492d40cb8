"""Dossiers of the one-stop shop (hồ sơ thủ tục hành chính). See docs/subsystems/dossiers.md.

A `Dossier` is one applicant's application for one procedure, received by one agency (its
tenant). Its processing runs on a `workflow.Instance` (the processing-control sheet is that
instance's history); the dossier keeps a denormalised copy of what the officer queues sort and
filter on (status, due, current step, assignee, handling agency), written only by
`egov.dossiers.services`.

Records are kept: foreign keys to records are `PROTECT`. References into the catalogue
(required paper, fee) are `SET_NULL` because the dossier keeps its own snapshot (name, amount)
and the catalogue may be edited later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.core.models import TimeStampedModel


class DossierStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Chờ tiếp nhận")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Chờ bổ sung")
    PROCESSING = "processing", _("Đang giải quyết")
    SUSPENDED = "suspended", _("Tạm dừng")
    RESULT_READY = "result_ready", _("Chờ trả kết quả")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối giải quyết")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")


# Statuses in which the dossier is closed (no more action but rating the service).
CLOSED_STATUSES = frozenset(
    {DossierStatus.RETURNED, DossierStatus.REFUSED, DossierStatus.WITHDRAWN}
)
# Statuses before a decision (result ready or refusal): the applicant may still withdraw.
UNDECIDED_STATUSES = frozenset(
    {
        DossierStatus.SUBMITTED,
        DossierStatus.SUPPLEMENT_REQUESTED,
        DossierStatus.PROCESSING,
        DossierStatus.SUSPENDED,
    }
)


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Trực tiếp tại bộ phận một cửa")


class ResultChannel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Tại bộ phận một cửa")
    POST = "post", _("Qua dịch vụ bưu chính công ích")


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Tổ chức, doanh nghiệp")


class Dossier(TimeStampedModel):
    code = models.CharField(_("Mã hồ sơ"), max_length=60, unique=True)
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name=_("Thủ tục"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # The receiving agency: the tenant of the dossier.
    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("Cơ quan tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # The agency holding the dossier now (differs from `agency` in một cửa liên thông).
    handling_agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("Cơ quan đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Tài khoản người nộp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # Snapshot of the applicant at submission (a counter applicant may have no account).
    applicant_kind = models.CharField(
        _("Loại người nộp"),
        max_length=16,
        choices=ApplicantKind.choices,
        default=ApplicantKind.CITIZEN,
    )
    applicant_name = models.CharField(_("Họ tên người nộp / tên tổ chức"), max_length=255)
    applicant_id_number = models.CharField(
        _("Số định danh cá nhân / mã số thuế"), max_length=20, blank=True
    )
    applicant_phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("Thư điện tử"), blank=True)
    applicant_address = models.CharField(_("Địa chỉ"), max_length=500, blank=True)
    channel = models.CharField(_("Hình thức nộp"), max_length=16, choices=Channel.choices)
    form_data = models.JSONField(_("Nội dung tờ khai"), default=dict, blank=True)
    status = models.CharField(
        _("Trạng thái"),
        max_length=24,
        choices=DossierStatus.choices,
        default=DossierStatus.SUBMITTED,
    )
    submitted_at = models.DateTimeField(_("Nộp lúc"))
    received_at = models.DateTimeField(_("Tiếp nhận lúc"), null=True, blank=True)
    received_by = models.ForeignKey(
        "organisations.StaffMember",
        verbose_name=_("Người tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The current overall due (the appointment), after pauses and apologies.
    due_at = models.DateTimeField(_("Hẹn trả kết quả"), null=True, blank=True)
    # The due computed at receipt, before any pause or apology.
    original_due_at = models.DateTimeField(_("Hạn giải quyết ban đầu"), null=True, blank=True)
    # The due by law: `original_due_at` shifted by every pause, never by an apology. On time
    # (`finished_on_time`) is judged against it.
    legal_due_at = models.DateTimeField(_("Hạn giải quyết theo quy định"), null=True, blank=True)
    # The decision: the result is ready, or the dossier was refused.
    decided_at = models.DateTimeField(_("Có kết quả lúc"), null=True, blank=True)
    # Decided not after `legal_due_at` (None until decided).
    finished_on_time = models.BooleanField(_("Giải quyết đúng hạn"), null=True, blank=True)
    returned_at = models.DateTimeField(_("Trả kết quả lúc"), null=True, blank=True)
    result_channel = models.CharField(
        _("Hình thức trả kết quả"), max_length=16, choices=ResultChannel.choices, blank=True
    )
    closed_at = models.DateTimeField(_("Kết thúc lúc"), null=True, blank=True)
    # The workflow instance and what the queues need of it, copied on every transition.
    workflow_instance = models.OneToOneField(
        "workflow.Instance",
        verbose_name=_("Quy trình xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    current_step_name = models.CharField(_("Bước hiện tại"), max_length=255, blank=True)
    # The public timeline as of the instance's last change, written with every workflow move
    # (`selectors.timeline_snapshot`): a first tracking lookup reads it from this row instead
    # of joining the history. Trusted only while the instance's `updated_at` still matches.
    tracking_snapshot = models.JSONField(null=True, blank=True, editable=False)
    assignee = models.ForeignKey(
        "organisations.StaffMember",
        verbose_name=_("Người đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The last reason given for a stop (suspension, withdrawal).
    status_note = models.TextField(_("Ghi chú trạng thái"), blank=True)
    search_text = models.TextField(_("Nội dung tìm kiếm"), default="", editable=False)

    class Meta:
        verbose_name = _("Hồ sơ")
        verbose_name_plural = _("Hồ sơ")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="online") | Q(applicant__isnull=False),
                name="dossier_online_has_applicant",
            ),
            models.CheckConstraint(
                condition=Q(received_at__isnull=True) | Q(due_at__isnull=False),
                name="dossier_received_has_due",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="dossier_agency_queue"),
            models.Index(
                fields=["handling_agency", "status", "due_at"], name="dossier_handling_queue"
            ),
            models.Index(fields=["assignee", "status", "due_at"], name="dossier_assignee_queue"),
            # Queues over every status, read in due order per branch (`selectors.queue`).
            models.Index(fields=["agency", "due_at", "id"], name="dossier_agency_due"),
            models.Index(fields=["handling_agency", "due_at", "id"], name="dossier_handling_due"),
            models.Index(fields=["applicant", "-submitted_at"], name="dossier_applicant"),
            models.Index(fields=["agency", "submitted_at"], name="dossier_agency_submitted"),
            models.Index(fields=["procedure", "submitted_at"], name="dossier_procedure_submitted"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_late(self) -> bool:
        """Decided after the due (False while undecided; see `finished_on_time`)."""
        return self.finished_on_time is False


class SupplementStage(models.TextChoices):
    INTAKE = "intake", _("Khi tiếp nhận")
    PROCESSING = "processing", _("Trong quá trình giải quyết")


class SupplementRequest(TimeStampedModel):
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: the complete list of what is missing, once."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("Hồ sơ"), on_delete=models.PROTECT, related_name="supplements"
    )
    stage = models.CharField(_("Giai đoạn"), max_length=16, choices=SupplementStage.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người yêu cầu"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("Yêu cầu lúc"))
    # The complete list of missing papers and corrections (list of strings).
    items = models.JSONField(_("Nội dung cần bổ sung"), default=list)
    note = models.TextField(_("Ghi chú"), blank=True)
    fulfilled_at = models.DateTimeField(_("Bổ sung lúc"), null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người bổ sung"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Working time the clock stood still (processing stage only).
    paused_working = models.DurationField(_("Thời gian dừng tính"), null=True, blank=True)

    class Meta:
        verbose_name = _("Yêu cầu bổ sung hồ sơ")
        verbose_name_plural = _("Yêu cầu bổ sung hồ sơ")
        ordering = ["dossier", "requested_at", "id"]
        constraints = [
            # At most one supplement request open at a time.
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(fulfilled_at__isnull=True),
                name="supplement_one_open_per_dossier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} @ {self.requested_at:%d/%m/%Y}"


class DossierPaper(TimeStampedModel):
    """One paper of the dossier (thành phần hồ sơ) as submitted or supplied later."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("Hồ sơ"), on_delete=models.PROTECT, related_name="papers"
    )
    required_paper = models.ForeignKey(
        "procedures.RequiredPaper",
        verbose_name=_("Thành phần hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("Tên giấy tờ"), max_length=500)
    file = models.ForeignKey(
        "core.StoredFile", verbose_name=_("Tệp"), on_delete=models.PROTECT, related_name="+"
    )
    is_original = models.BooleanField(_("Bản chính"), default=False)
    copies = models.PositiveSmallIntegerField(_("Số bản"), default=1)
    uploaded_at = models.DateTimeField(_("Tải lên lúc"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người tải lên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supplied_in_supplement = models.ForeignKey(
        SupplementRequest,
        verbose_name=_("Bổ sung theo yêu cầu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="papers",
    )

    class Meta:
        verbose_name = _("Giấy tờ trong hồ sơ")
        verbose_name_plural = _("Giấy tờ trong hồ sơ")
        ordering = ["dossier", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Refusal(TimeStampedModel):
    """Phiếu từ chối tiếp nhận, giải quyết hồ sơ: the reasons, at intake or during processing."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("Hồ sơ"), on_delete=models.PROTECT, related_name="refusal"
    )
    stage = models.CharField(_("Giai đoạn"), max_length=16, choices=SupplementStage.choices)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người từ chối"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    refused_at = models.DateTimeField(_("Từ chối lúc"))
    reasons = models.JSONField(_("Lý do"), default=list)

    class Meta:
        verbose_name = _("Từ chối giải quyết")
        verbose_name_plural = _("Từ chối giải quyết")

    def __str__(self) -> str:
        return f"{self.dossier_id}"


class ApologyLetter(TimeStampedModel):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("Hồ sơ"), on_delete=models.PROTECT, related_name="apologies"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người lập"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("Lập lúc"))
    reason = models.TextField(_("Lý do chậm"))
    previous_due_at = models.DateTimeField(_("Hạn trước đó"))
    new_due_at = models.DateTimeField(_("Hẹn lại ngày trả kết quả"))
    # Issued no later than the working day before the due it replaces (Decree 61/2018, 118/2025).
    in_time = models.BooleanField(_("Gửi đúng thời hạn"), default=True)

    class Meta:
        verbose_name = _("Phiếu xin lỗi và hẹn lại")
        verbose_name_plural = _("Phiếu xin lỗi và hẹn lại")
        ordering = ["dossier", "issued_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_due_at__gt=models.F("previous_due_at")),
                name="apology_new_due_later",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.new_due_at:%d/%m/%Y}"


class ResultKind(models.TextChoices):
    UPLOADED = "uploaded", _("Tải lên")
    GENERATED = "generated", _("Tạo từ hệ thống")


class DossierResult(TimeStampedModel):
    """The result (licence, certificate, decision) that ends the dossier."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("Hồ sơ"), on_delete=models.PROTECT, related_name="results"
    )
    name = models.CharField(_("Tên kết quả"), max_length=500)
    kind = models.CharField(_("Nguồn"), max_length=16, choices=ResultKind.choices)
    file = models.ForeignKey(
        "core.StoredFile", verbose_name=_("Tệp"), on_delete=models.PROTECT, related_name="+"
    )
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người đính kèm"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed = models.BooleanField(_("Đã ký số"), default=False)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("Ký lúc"), null=True, blank=True)
    # The signed copy (a PDF signed by egov.signing), when signing produced a new file.
    signed_file = models.ForeignKey(
        "core.StoredFile",
        verbose_name=_("Tệp đã ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Kết quả giải quyết")
        verbose_name_plural = _("Kết quả giải quyết")
        ordering = ["dossier", "created_at", "id"]

    def __str__(self) -> str:
        return self.name


class FeeDue(TimeStampedModel):
    """A fee or charge due for the dossier, snapshot from the procedure at submission."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("Hồ sơ"), on_delete=models.PROTECT, related_name="fees"
    )
    fee = models.ForeignKey(
        "procedures.Fee",
        verbose_name=_("Khoản thu trong danh mục"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("Tên khoản thu"), max_length=300)
    kind = models.CharField(_("Loại"), max_length=10, blank=True)
    # The amount for the dossier's channel (online amounts are often reduced), in đồng.
    amount = models.PositiveBigIntegerField(_("Số tiền (đồng)"))

    class Meta:
        verbose_name = _("Phí, lệ phí phải nộp")
        verbose_name_plural = _("Phí, lệ phí phải nộp")
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ xác nhận")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    REJECTED = "rejected", _("Không xác nhận")


class Payment(TimeStampedModel):
    """A payment towards a dossier's fees, through a provider (egov.dossiers.payments)."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("Hồ sơ"), on_delete=models.PROTECT, related_name="payments"
    )
    provider = models.CharField(_("Hình thức thanh toán"), max_length=40)
    reference = models.CharField(_("Mã giao dịch"), max_length=100)
    amount = models.PositiveBigIntegerField(_("Số tiền (đồng)"))
    status = models.CharField(
        _("Trạng thái"),
        max_length=16,
        choices=PaymentStatus.choices,
        default=PaymentStatus.PENDING,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người xác nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("Xác nhận lúc"), null=True, blank=True)
    note = models.CharField(_("Ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Thanh toán")
        verbose_name_plural = _("Thanh toán")
        ordering = ["dossier", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "reference"], name="payment_reference_unique_per_provider"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="payment_status")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.reference}"


class RatingValue(models.TextChoices):
    SATISFIED = "satisfied", _("Hài lòng")
    ACCEPTABLE = "acceptable", _("Chấp nhận được")
    NOT_SATISFIED = "not_satisfied", _("Không hài lòng")


class Rating(TimeStampedModel):
    """Đánh giá mức độ hài lòng: once per dossier, after the result is returned."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("Hồ sơ"), on_delete=models.PROTECT, related_name="rating"
    )
    value = models.CharField(_("Mức độ hài lòng"), max_length=16, choices=RatingValue.choices)
    comment = models.TextField(_("Ý kiến"), blank=True)
    rated_at = models.DateTimeField(_("Đánh giá lúc"))
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người đánh giá"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Đánh giá mức độ hài lòng")
        verbose_name_plural = _("Đánh giá mức độ hài lòng")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.value}"


class DossierCounter(models.Model):
    """The last sequence number handed out per receiving agency and (Vietnam) day.

    Changed only by `egov.dossiers.codes.allocate_code`, atomically in the database.
    """

    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("Ngày"))
    last_value = models.PositiveIntegerField(_("Số cuối"), default=0)

    class Meta:
        verbose_name = _("Bộ đếm mã hồ sơ")
        verbose_name_plural = _("Bộ đếm mã hồ sơ")
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="dossier_counter_agency_day"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last_value}"


class IdempotencyKey(models.Model):
    """A submission's `Idempotency-Key`: a retry with the same key gets the same dossier."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("Khóa"), max_length=255)
    fingerprint = models.CharField(_("Dấu vân tay yêu cầu"), max_length=64)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("Khóa chống gửi trùng")
        verbose_name_plural = _("Khóa chống gửi trùng")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key"),
        ]

    def __str__(self) -> str:
        return self.key
