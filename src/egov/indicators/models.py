"""Fact tables, the indicator registry and the monthly reports. See docs/subsystems/indicators.md.

Fact rows are keyed by the *reporting month* (`periods.reporting_month`): with the default
Decree 09/2019 cut-off, an event on 20/03 counts in April's row. They are written only by
`egov.indicators.facts` (incremental deltas from jobs, or a recomputation from live tables).
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.core.models import TimeStampedModel

# The counters of one agency, reporting month and service level (see facts.dossier_counts).
DOSSIER_FACT_FIELDS: tuple[str, ...] = (
    "submitted",
    "submitted_online",
    "received",
    "received_online",
    "received_digitised",
    "decided",
    "decided_on_time",
    "decided_late",
    "late_with_apology",
    "returned",
    "returned_online",
    "results_signed",
    "payments_confirmed",
    "payments_online",
    "rated",
    "rated_satisfied",
    "rated_acceptable",
    "rated_not_satisfied",
)

CATALOGUE_FACT_FIELDS: tuple[str, ...] = (
    "procedures",
    "published",
    "full_online",
    "partial_online",
    "with_fees",
)


class DossierMonthlyFact(models.Model):
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("Tháng báo cáo"))
    service_level = models.CharField(_("Mức độ dịch vụ"), max_length=40, blank=True)
    submitted = models.IntegerField(_("Hồ sơ nộp"), default=0)
    submitted_online = models.IntegerField(_("Hồ sơ nộp trực tuyến"), default=0)
    received = models.IntegerField(_("Hồ sơ tiếp nhận"), default=0)
    received_online = models.IntegerField(_("Tiếp nhận trực tuyến"), default=0)
    received_digitised = models.IntegerField(_("Tiếp nhận có thành phần số hóa"), default=0)
    decided = models.IntegerField(_("Hồ sơ đã giải quyết"), default=0)
    decided_on_time = models.IntegerField(_("Giải quyết đúng hạn"), default=0)
    decided_late = models.IntegerField(_("Giải quyết quá hạn"), default=0)
    late_with_apology = models.IntegerField(_("Quá hạn có phiếu xin lỗi đúng thời hạn"), default=0)
    returned = models.IntegerField(_("Đã trả kết quả"), default=0)
    returned_online = models.IntegerField(_("Trả kết quả trực tuyến"), default=0)
    results_signed = models.IntegerField(_("Kết quả có ký số"), default=0)
    payments_confirmed = models.IntegerField(_("Khoản thanh toán đã xác nhận"), default=0)
    payments_online = models.IntegerField(_("Thanh toán trực tuyến"), default=0)
    rated = models.IntegerField(_("Lượt đánh giá"), default=0)
    rated_satisfied = models.IntegerField(_("Hài lòng"), default=0)
    rated_acceptable = models.IntegerField(_("Chấp nhận được"), default=0)
    rated_not_satisfied = models.IntegerField(_("Không hài lòng"), default=0)

    class Meta:
        verbose_name = _("Số liệu hồ sơ theo tháng")
        verbose_name_plural = _("Số liệu hồ sơ theo tháng")
        ordering = ["agency_id", "month", "service_level"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "month", "service_level"], name="dossierfact_agency_month_level"
            ),
        ]
        indexes = [models.Index(fields=["month", "agency"], name="dossierfact_month")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%Y-%m} {self.service_level}"


class DossierContribution(models.Model):
    """What one dossier has added to the fact table so far: the job applies the difference
    between this and the dossier's counts now, so applying an event twice changes nothing."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="+", primary_key=True
    )
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    # {"YYYY-MM-DD|level": {"field": count}} — only non-zero counters.
    counts = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Phần đóng góp của hồ sơ vào số liệu")
        verbose_name_plural = _("Phần đóng góp của hồ sơ vào số liệu")

    def __str__(self) -> str:
        return f"{self.dossier_id}"


class CatalogueFact(models.Model):
    """The agency's catalogue of procedures as it stood at the last snapshot of the month."""

    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("Tháng báo cáo"))
    procedures = models.IntegerField(_("Thủ tục"), default=0)
    published = models.IntegerField(_("Thủ tục công khai"), default=0)
    full_online = models.IntegerField(_("DVC trực tuyến toàn trình"), default=0)
    partial_online = models.IntegerField(_("DVC trực tuyến một phần"), default=0)
    with_fees = models.IntegerField(_("Thủ tục có phí, lệ phí"), default=0)

    class Meta:
        verbose_name = _("Số liệu danh mục thủ tục theo tháng")
        verbose_name_plural = _("Số liệu danh mục thủ tục theo tháng")
        ordering = ["agency_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="cataloguefact_agency_month"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%Y-%m}"


class IndicatorGroup(models.TextChoices):
    PUBLICITY = "766_publicity", _("Công khai, minh bạch")
    PROGRESS = "766_progress", _("Tiến độ giải quyết")
    ONLINE = "766_online", _("Dịch vụ công trực tuyến")
    PAYMENT = "766_payment", _("Thanh toán trực tuyến")
    SATISFACTION = "766_satisfaction", _("Mức độ hài lòng")
    DIGITISATION = "766_digitisation", _("Số hóa hồ sơ")
    DOCUMENTS = "documents", _("Văn bản điện tử")
    ASSIGNMENTS = "assignments", _("Nhiệm vụ được giao")
    CAPACITY = "capacity", _("Năng lực ứng dụng CNTT")


class Unit(models.TextChoices):
    PERCENT = "percent", _("%")
    RATIO = "ratio", _("tỷ lệ")
    COUNT = "count", _("số lượng")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Càng cao càng tốt")
    LOWER = "lower", _("Càng thấp càng tốt")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Cộng dồn các tháng trong kỳ")
    LAST = "last", _("Số liệu tháng cuối kỳ")


class Indicator(TimeStampedModel):
    """One indicator, as data: its formula is an expression over the source's fact fields
    (`egov.indicators.formulas`), so a corrected formula is an edit, not a migration of code."""

    code = models.CharField(
        _("Mã chỉ số"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9.\-]*$", _("Mã gồm chữ, số, dấu chấm, gạch ngang.")
            )
        ],
    )
    name = models.CharField(_("Tên chỉ số"), max_length=300)
    group = models.CharField(_("Nhóm"), max_length=24, choices=IndicatorGroup.choices)
    source = models.CharField(_("Nguồn số liệu"), max_length=24)
    formula = models.CharField(_("Công thức"), max_length=500)
    aggregation = models.CharField(
        _("Cách gộp theo kỳ"), max_length=8, choices=Aggregation.choices, default=Aggregation.SUM
    )
    unit = models.CharField(_("Đơn vị"), max_length=8, choices=Unit.choices)
    direction = models.CharField(
        _("Chiều tốt"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    # Green when at least (higher better) / at most (lower better) `target_green`; amber up to
    # `target_amber`; red beyond.
    target_green = models.DecimalField(_("Ngưỡng đạt"), max_digits=12, decimal_places=2)
    target_amber = models.DecimalField(_("Ngưỡng cần cố gắng"), max_digits=12, decimal_places=2)
    period_kinds = models.JSONField(_("Kỳ tính"), default=list)
    # Points of the Decision 766 group this indicator carries (None outside Decision 766).
    max_points = models.DecimalField(
        _("Điểm tối đa"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("Ghi chú"), blank=True)
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=100)
    is_active = models.BooleanField(_("Đang dùng"), default=True)

    class Meta:
        verbose_name = _("Chỉ số")
        verbose_name_plural = _("Chỉ số")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__in=["percent", "ratio", "count"]), name="indicator_unit_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class MonthlyReport(TimeStampedModel):
    """The monthly report of one agency, generated and sent once (unique per agency, month)."""

    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("Tháng báo cáo"))
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    recipients = models.PositiveSmallIntegerField(_("Số người nhận"), default=0)

    class Meta:
        verbose_name = _("Báo cáo tháng")
        verbose_name_plural = _("Báo cáo tháng")
        ordering = ["-month", "agency_id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="monthlyreport_agency_month"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%Y-%m}"


# The counters per unit and person (see facts_people): what each source counts in them.
PEOPLE_FACT_FIELDS: tuple[str, ...] = ("assigned", "done", "on_time", "late", "overdue_open")


class PeopleSource(models.TextChoices):
    ASSIGNMENTS = "assignments", _("Nhiệm vụ")
    DOSSIERS = "dossiers", _("Hồ sơ một cửa")
    DOCUMENTS = "documents", _("Văn bản đến")


class PeopleMonthlyFact(models.Model):
    """Figures per unit and person inside one agency and month (the agency head's page).

    `unit_ref` / `staff_ref` hold the ids of the unit and staff member a row counts for, 0 for
    none (an assignment owned by the agency itself; a step by someone outside any unit), so the
    key has no NULL and one unique constraint holds on every database. A person's row carries
    their unit at the time it was counted. Months: `assignments` and `documents` calendar
    months (as the agency facts of those apps), `dossiers` reporting months.

    - assignments (main owner): `assigned`, `done`, `on_time` / `late` (of done), `overdue_open`;
    - dossiers (workflow steps finished with an outcome): `done`, `on_time` (early or on the
      day), `late`;
    - documents (incoming documents closed, main handler): `done`, `on_time`, `late`.
    """

    source = models.CharField(_("Nguồn"), max_length=16, choices=PeopleSource.choices)
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("Tháng"))
    unit_ref = models.IntegerField(_("Đơn vị (mã số)"), default=0)
    staff_ref = models.IntegerField(_("Cán bộ (mã số)"), default=0)
    assigned = models.IntegerField(_("Được giao"), default=0)
    done = models.IntegerField(_("Đã xử lý, hoàn thành"), default=0)
    on_time = models.IntegerField(_("Đúng hạn"), default=0)
    late = models.IntegerField(_("Quá hạn"), default=0)
    overdue_open = models.IntegerField(_("Quá hạn chưa hoàn thành"), default=0)

    class Meta:
        verbose_name = _("Số liệu theo đơn vị, cán bộ")
        verbose_name_plural = _("Số liệu theo đơn vị, cán bộ")
        ordering = ["agency_id", "month", "source", "unit_ref", "staff_ref"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "month", "source", "unit_ref", "staff_ref"],
                name="peoplefact_key",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.source} {self.agency_id} {self.month:%Y-%m} u{self.unit_ref} s{self.staff_ref}"
        )


class PeopleContribution(models.Model):
    """What one assignment, dossier or incoming document has added to `PeopleMonthlyFact` so
    far ({"agency|YYYY-MM-DD|unit|staff": {"field": n}}): the job applies the difference."""

    source = models.CharField(_("Nguồn"), max_length=16, choices=PeopleSource.choices)
    object_id = models.BigIntegerField()
    counts = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Phần đóng góp vào số liệu đơn vị, cán bộ")
        verbose_name_plural = _("Phần đóng góp vào số liệu đơn vị, cán bộ")
        constraints = [
            models.UniqueConstraint(fields=["source", "object_id"], name="peoplecontribution_key"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.object_id}"
