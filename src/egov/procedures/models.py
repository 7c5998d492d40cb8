"""The catalogue of administrative procedures (thủ tục hành chính).

See docs/subsystems/procedures.md.

A `Procedure` is data: its papers, fees, online form (`form_schema`, see `forms_schema`) and
processing workflow (`workflow.Process`) are configuration, so a new procedure needs no code.
The catalogue is city-wide (no agency tenant): procedures name the agencies that implement and
receive them.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.models import TimeStampedModel

# National code d.dddddd, optionally with a province suffix (1.012753.H19).
PROCEDURE_CODE_RE = re.compile(r"^\d\.\d{6}(\.[A-Z]\d{2})?$")


CODE_MESSAGE = _(
    "Mã thủ tục phải có dạng d.dddddd, có thể kèm hậu tố tỉnh (ví dụ 1.001193, 1.012753.H19)."
)


def validate_procedure_code(value: str) -> None:
    if not PROCEDURE_CODE_RE.match(value or ""):
        raise ValidationError(
            CODE_MESSAGE,
            code="invalid_procedure_code",
        )


class Field(TimeStampedModel):
    """A procedure field (lĩnh vực): Hộ tịch, Chứng thực, Đất đai…"""

    code = models.SlugField(_("Mã lĩnh vực"), max_length=60, unique=True)
    name = models.CharField(_("Tên lĩnh vực"), max_length=255)
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=100)

    class Meta:
        verbose_name = _("Lĩnh vực")
        verbose_name_plural = _("Lĩnh vực")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ServiceLevel(TimeStampedModel):
    """An online-service level, as data: Decree 42/2022 has full online, partial online and
    information only; a later scheme is a new set of rows, not new code."""

    code = models.SlugField(_("Mã mức độ"), max_length=40, unique=True)
    name = models.CharField(_("Tên mức độ"), max_length=255)
    description = models.TextField(_("Mô tả"), blank=True)
    allows_online_submission = models.BooleanField(_("Cho phép nộp trực tuyến"), default=False)
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=100)

    class Meta:
        verbose_name = _("Mức độ dịch vụ công trực tuyến")
        verbose_name_plural = _("Mức độ dịch vụ công trực tuyến")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class GovernmentLevel(models.TextChoices):
    CITY = "city", _("Cấp tỉnh, thành phố")
    COMMUNE = "commune", _("Cấp xã")


class ReceivingScope(models.TextChoices):
    LISTED = "listed", _("Các cơ quan thực hiện được liệt kê")
    ALL_LOCAL = "all_local", _("Mọi Ủy ban nhân dân phường, xã, đặc khu")


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Tổ chức, doanh nghiệp")
    BOTH = "both", _("Công dân, tổ chức, doanh nghiệp")


class Procedure(TimeStampedModel):
    code = models.CharField(
        _("Mã thủ tục"), max_length=20, unique=True, validators=[validate_procedure_code]
    )
    name = models.CharField(_("Tên thủ tục"), max_length=500)
    field = models.ForeignKey(
        Field, verbose_name=_("Lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    level = models.CharField(_("Cấp thực hiện"), max_length=16, choices=GovernmentLevel.choices)
    agencies = models.ManyToManyField(
        "organisations.Agency",
        verbose_name=_("Cơ quan thực hiện"),
        related_name="procedures",
        blank=True,
    )
    # Who receives dossiers: the listed agencies, or every ward/commune/special zone committee.
    receiving_scope = models.CharField(
        _("Nơi tiếp nhận"),
        max_length=16,
        choices=ReceivingScope.choices,
        default=ReceivingScope.LISTED,
    )
    # Below 1 (0.5) reads "within the working day" (trong ngày làm việc).
    legal_working_days = models.DecimalField(
        _("Thời hạn giải quyết (ngày làm việc)"), max_digits=6, decimal_places=2
    )
    time_note = models.CharField(_("Ghi chú thời hạn"), max_length=500, blank=True)
    # Receipts after this hour count as received the next working day (null: the agency's).
    cutoff_time = models.TimeField(_("Giờ tiếp nhận cuối ngày"), null=True, blank=True)
    applicant_types = models.CharField(
        _("Đối tượng thực hiện"),
        max_length=16,
        choices=ApplicantType.choices,
        default=ApplicantType.CITIZEN,
    )
    result_type = models.CharField(_("Kết quả thực hiện"), max_length=500)
    legal_basis = models.TextField(_("Căn cứ pháp lý"), blank=True)
    description = models.TextField(_("Trình tự thực hiện"), blank=True)
    conditions = models.TextField(_("Yêu cầu, điều kiện"), blank=True)
    service_level = models.ForeignKey(
        ServiceLevel,
        verbose_name=_("Mức độ dịch vụ công trực tuyến"),
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    form_schema = models.JSONField(_("Biểu mẫu trực tuyến"), default=list, blank=True)
    process = models.ForeignKey(
        "workflow.Process",
        verbose_name=_("Quy trình xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    is_published = models.BooleanField(_("Công khai"), default=False)
    search_text = models.TextField(_("Nội dung tìm kiếm"), default="", editable=False)

    class Meta:
        verbose_name = _("Thủ tục hành chính")
        verbose_name_plural = _("Thủ tục hành chính")
        ordering = ["field__order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(legal_working_days__gt=0),
                name="procedure_legal_time_positive",
            ),
        ]
        indexes = [models.Index(fields=["is_published", "field"])]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def is_same_day(self) -> bool:
        return self.legal_working_days < Decimal(1)

    @property
    def allows_online_submission(self) -> bool:
        return self.service_level.allows_online_submission


class PaperForm(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    COPY = "copy", _("Bản sao")
    CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực hoặc bản chính để đối chiếu")
    ORIGINAL_OR_COPY = "original_or_copy", _("Bản chính hoặc bản sao")


DEFAULT_PAPER_KINDS = ["pdf", "jpeg", "png"]


def _default_paper_kinds() -> list[str]:
    return list(DEFAULT_PAPER_KINDS)


class RequiredPaper(models.Model):
    """One paper of the dossier (thành phần hồ sơ)."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("Thủ tục"), on_delete=models.CASCADE, related_name="papers"
    )
    order = models.PositiveSmallIntegerField(_("Thứ tự"))
    name = models.CharField(_("Tên giấy tờ"), max_length=500)
    copies = models.PositiveSmallIntegerField(_("Số lượng"), default=1)
    form = models.CharField(
        _("Loại bản"), max_length=20, choices=PaperForm.choices, default=PaperForm.ORIGINAL
    )
    required = models.BooleanField(_("Bắt buộc"), default=True)
    template = models.ForeignKey(
        "core.StoredFile",
        verbose_name=_("Mẫu đơn, tờ khai"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    template_name = models.CharField(_("Tên mẫu"), max_length=200, blank=True)
    allowed_kinds = models.JSONField(_("Định dạng tệp được nộp"), default=_default_paper_kinds)
    note = models.CharField(_("Ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Thành phần hồ sơ")
        verbose_name_plural = _("Thành phần hồ sơ")
        ordering = ["procedure", "order"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "order"], name="paper_order_unique"),
            models.CheckConstraint(condition=models.Q(copies__gte=1), name="paper_copies_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class FeeKind(models.TextChoices):
    FEE = "fee", _("Phí")
    CHARGE = "charge", _("Lệ phí")


class Fee(models.Model):
    """A fee or charge, in whole đồng, at the counter and online (often reduced online)."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("Thủ tục"), on_delete=models.CASCADE, related_name="fees"
    )
    order = models.PositiveSmallIntegerField(_("Thứ tự"))
    name = models.CharField(_("Tên khoản thu"), max_length=300)
    kind = models.CharField(
        _("Loại"), max_length=10, choices=FeeKind.choices, default=FeeKind.CHARGE
    )
    counter_amount = models.PositiveBigIntegerField(
        _("Mức thu khi nộp trực tiếp (đồng)"), default=0
    )
    online_amount = models.PositiveBigIntegerField(
        _("Mức thu khi nộp trực tuyến (đồng)"), default=0
    )
    note = models.CharField(_("Ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Phí, lệ phí")
        verbose_name_plural = _("Phí, lệ phí")
        ordering = ["procedure", "order"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "order"], name="fee_order_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def amount(self) -> int:
        """The amount at the counter (the reference amount in the legal text)."""
        return self.counter_amount
