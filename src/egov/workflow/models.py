"""Declarative processes and their running instances. See docs/subsystems/workflow.md.

A `Process` is data: ordered `Step`s, each with who may act (roles, optionally a fixed agency
or unit: steps may cross agencies, một cửa liên thông) and the working time allotted to it;
`Transition`s say which action leads from which step to which. An `Instance` runs one process
for one subject (a dossier, a document, an assignment); every transition appends a
`HistoryEntry` — the processing-control sheet (phiếu kiểm soát quá trình giải quyết).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.models import TimeStampedModel


class Action(models.TextChoices):
    SUBMIT = "submit", _("Nộp")
    ACCEPT = "accept", _("Tiếp nhận")
    FORWARD = "forward", _("Chuyển xử lý")
    RETURN = "return", _("Trả lại bước trước")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung")
    SUPPLEMENT = "supplement", _("Bổ sung hồ sơ")
    REFUSE = "refuse", _("Từ chối")
    APPROVE = "approve", _("Phê duyệt")
    SIGN_RESULT = "sign_result", _("Ký kết quả")
    RETURN_RESULT = "return_result", _("Trả kết quả")
    WITHDRAW = "withdraw", _("Rút hồ sơ")
    SUSPEND = "suspend", _("Tạm dừng")
    RESUME = "resume", _("Tiếp tục")


class Process(TimeStampedModel):
    """A processing workflow, versioned by code + version; instances keep the version they began."""

    code = models.SlugField(_("Mã quy trình"), max_length=80)
    version = models.PositiveIntegerField(_("Phiên bản"), default=1)
    name = models.CharField(_("Tên quy trình"), max_length=255)
    # The legal time in working days the step allotments must fit in (null = no legal limit).
    legal_working_days = models.DecimalField(
        _("Thời hạn giải quyết (ngày làm việc)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("Đang áp dụng"), default=True)
    description = models.TextField(_("Mô tả"), blank=True)

    class Meta:
        verbose_name = _("Quy trình")
        verbose_name_plural = _("Quy trình")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="process_code_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class StepKind(models.TextChoices):
    INTAKE = "intake", _("Tiếp nhận")
    PROCESSING = "processing", _("Thẩm định, xử lý")
    APPROVAL = "approval", _("Phê duyệt")
    SIGNING = "signing", _("Ký, ban hành kết quả")
    RESULT = "result", _("Trả kết quả")
    DONE = "done", _("Kết thúc")


class Step(models.Model):
    process = models.ForeignKey(
        Process, verbose_name=_("Quy trình"), on_delete=models.CASCADE, related_name="steps"
    )
    code = models.SlugField(_("Mã bước"), max_length=60)
    name = models.CharField(_("Tên bước"), max_length=255)
    order = models.PositiveSmallIntegerField(_("Thứ tự"))
    kind = models.CharField(
        _("Loại bước"), max_length=20, choices=StepKind.choices, default=StepKind.PROCESSING
    )
    # Who may act: any of these role codes (organisations.RoleCode) …
    actor_roles = models.JSONField(_("Vai trò được xử lý"), default=list)
    # … in this agency (null = the instance's current agency) and optionally this unit.
    actor_agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("Cơ quan xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("Đơn vị xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Working time allotted to the step, in working hours (a working day is 7.5 h by default).
    allotted_hours = models.DecimalField(
        _("Thời gian xử lý (giờ làm việc)"), max_digits=7, decimal_places=2, default=0
    )
    is_final = models.BooleanField(_("Bước kết thúc"), default=False)

    class Meta:
        verbose_name = _("Bước xử lý")
        verbose_name_plural = _("Bước xử lý")
        ordering = ["process", "order"]
        constraints = [
            models.UniqueConstraint(fields=["process", "code"], name="step_code_unique_in_process"),
            models.UniqueConstraint(
                fields=["process", "order"], name="step_order_unique_in_process"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Transition(models.Model):
    """`action` at `source` leads to `target` (null target = the instance ends with that action)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="transitions")
    source = models.ForeignKey(
        Step, verbose_name=_("Từ bước"), on_delete=models.CASCADE, related_name="outgoing"
    )
    action = models.CharField(_("Hành động"), max_length=32, choices=Action.choices)
    target = models.ForeignKey(
        Step,
        verbose_name=_("Đến bước"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="incoming",
    )
    label = models.CharField(_("Nhãn"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("Chuyển bước")
        verbose_name_plural = _("Chuyển bước")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "action"], name="transition_unique_per_step_action"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} –{self.action}→ {self.target_id or '∅'}"


class InstanceStatus(models.TextChoices):
    ACTIVE = "active", _("Đang xử lý")
    WAITING = "waiting", _("Chờ bổ sung")  # the clock is stopped
    SUSPENDED = "suspended", _("Tạm dừng")  # the clock is stopped
    COMPLETED = "completed", _("Hoàn thành")
    REFUSED = "refused", _("Từ chối")
    WITHDRAWN = "withdrawn", _("Đã rút")


class Instance(TimeStampedModel):
    """One run of a process for one subject (`subject_type` = app_label.model, `subject_id`)."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="instances")
    subject_type = models.CharField(max_length=80)
    subject_id = models.BigIntegerField()
    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("Cơ quan đang xử lý"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    current_step = models.ForeignKey(
        Step, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        "organisations.StaffMember",
        verbose_name=_("Người đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("Trạng thái"),
        max_length=16,
        choices=InstanceStatus.choices,
        default=InstanceStatus.ACTIVE,
    )
    step_started_at = models.DateTimeField(null=True, blank=True)
    step_due_at = models.DateTimeField(null=True, blank=True)
    # Set while the clock is stopped (waiting for a supplement, suspended).
    paused_at = models.DateTimeField(null=True, blank=True)
    # The overall due (legal time), shifted like the step's due by every pause.
    due_at = models.DateTimeField(_("Hạn giải quyết"), null=True, blank=True)
    # Working time the clock was stopped, over all finished pauses.
    paused_working = models.DurationField(
        _("Thời gian tạm dừng (giờ làm việc)"), default=timedelta(0)
    )

    class Meta:
        verbose_name = _("Hồ sơ quy trình")
        verbose_name_plural = _("Hồ sơ quy trình")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"], name="one_instance_per_subject"
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "step_due_at"])]

    def __str__(self) -> str:
        return f"{self.subject_type}#{self.subject_id}"


class Outcome(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class HistoryEntry(models.Model):
    """One transition: a processing-control sheet row (who handed over to whom, when, on time?)."""

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="history")
    step = models.ForeignKey(
        Step, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("Hành động"), max_length=32, choices=Action.choices)
    to_step = models.ForeignKey(
        Step, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_agency = models.ForeignKey(
        "organisations.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        "organisations.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_assignee = models.ForeignKey(
        "organisations.StaffMember",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    step_started_at = models.DateTimeField(_("Nhận lúc"), null=True, blank=True)
    step_due_at = models.DateTimeField(_("Hạn bước"), null=True, blank=True)
    acted_at = models.DateTimeField(_("Chuyển lúc"))
    outcome = models.CharField(
        _("Kết quả bước"), max_length=10, choices=Outcome.choices, blank=True
    )
    # On the row that ends a pause (supplement, resume): the working time the clock stood still.
    paused_working = models.DurationField(_("Thời gian tạm dừng"), null=True, blank=True)
    note = models.TextField(_("Ghi chú"), blank=True)

    class Meta:
        verbose_name = _("Lịch sử xử lý")
        verbose_name_plural = _("Lịch sử xử lý")
        ordering = ["instance", "acted_at", "id"]
        indexes = [models.Index(fields=["instance", "acted_at"])]

    def __str__(self) -> str:
        return f"{self.action} @ {self.acted_at:%d/%m/%Y %H:%M}"
