"""Leaders' assignments, their progress, extensions and completion; the work exchange
(comments, notices, digest) and the leaders' work calendar. See docs/subsystems/assignments.md."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.core.models import TimeStampedModel


class MeetingConclusion(TimeStampedModel):
    """A meeting's conclusion (kết luận cuộc họp, giao ban): the source of many assignments."""

    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("Cơ quan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("Tên cuộc họp"), max_length=300)
    date = models.DateField(_("Ngày họp"))
    text = models.TextField(_("Nội dung kết luận"), blank=True)
    created_by = models.ForeignKey(
        "organisations.StaffMember",
        verbose_name=_("Người tạo"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Kết luận cuộc họp")
        verbose_name_plural = _("Kết luận cuộc họp")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"


class SourceKind(models.TextChoices):
    DOCUMENT = "document", _("Văn bản đến")
    MEETING = "meeting", _("Kết luận cuộc họp")
    OWN = "own", _("Lãnh đạo giao trực tiếp")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Bình thường")
    HIGH = "high", _("Quan trọng")
    URGENT = "urgent", _("Khẩn")


class AssignmentStatus(models.TextChoices):
    OPEN = "open", _("Mới giao")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    EXTENSION_REQUESTED = "extension_requested", _("Đề nghị gia hạn")
    COMPLETION_REPORTED = "completion_reported", _("Đã báo cáo hoàn thành")
    DONE = "done", _("Hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


OPEN_STATUSES = (
    AssignmentStatus.OPEN,
    AssignmentStatus.IN_PROGRESS,
    AssignmentStatus.EXTENSION_REQUESTED,
    AssignmentStatus.COMPLETION_REPORTED,
)


class Recurrence(models.TextChoices):
    NONE = "", _("Không lặp lại")
    WEEKLY = "weekly", _("Hằng tuần")
    MONTHLY = "monthly", _("Hằng tháng")


class Assignment(TimeStampedModel):
    """A task a leader gives (nhiệm vụ được giao). `agency` is the assigner's agency (the
    tenant); `owner_agency` is the main owner's agency, the one the figures count it for.

    A recurring assignment is a *series* (`recurrence` set, `is_series`): it is never worked on
    itself; `recurring_spawn` creates one instance (`parent` = the series, `period_start`) per
    period."""

    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("Cơ quan giao"),
        on_delete=models.PROTECT,
        related_name="assignments_given",
    )
    owner_agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("Cơ quan chủ trì"),
        on_delete=models.PROTECT,
        related_name="assignments_owned",
    )
    title = models.CharField(_("Tên nhiệm vụ"), max_length=500)
    description = models.TextField(_("Nội dung"), blank=True)
    source_kind = models.CharField(
        _("Nguồn giao"), max_length=16, choices=SourceKind.choices, default=SourceKind.OWN
    )
    source_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("Văn bản nguồn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    meeting = models.ForeignKey(
        MeetingConclusion,
        verbose_name=_("Kết luận cuộc họp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    assigner = models.ForeignKey(
        "organisations.StaffMember",
        verbose_name=_("Người giao"),
        on_delete=models.PROTECT,
        related_name="assignments_given",
    )
    priority = models.CharField(
        _("Mức độ"), max_length=16, choices=Priority.choices, default=Priority.NORMAL
    )
    assigned_at = models.DateTimeField(_("Giao lúc"))
    due_at = models.DateTimeField(_("Hạn xử lý"))
    original_due_at = models.DateTimeField(_("Hạn ban đầu"))
    status = models.CharField(
        _("Trạng thái"),
        max_length=24,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.OPEN,
    )
    percent = models.PositiveSmallIntegerField(_("Tiến độ (%)"), default=0)
    completed_at = models.DateTimeField(_("Hoàn thành lúc"), null=True, blank=True)
    on_time = models.BooleanField(_("Đúng hạn"), null=True, blank=True)
    # Reminder and escalation: each sent once; `overdue_since` also marks the row as counted in
    # the `overdue_open` figure of its due month (cleared when done or extended past now).
    reminded_at = models.DateTimeField(_("Đã nhắc lúc"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("Đã báo quá hạn lúc"), null=True, blank=True)
    overdue_since = models.DateTimeField(_("Quá hạn từ"), null=True, blank=True)
    # Recurrence
    recurrence = models.CharField(
        _("Lặp lại"), max_length=16, choices=Recurrence.choices, default=Recurrence.NONE, blank=True
    )
    recurrence_day = models.PositiveSmallIntegerField(
        _("Ngày lặp"),
        null=True,
        blank=True,
        help_text=_("Hằng tháng: ngày 1–31; hằng tuần: 0 = thứ Hai … 6 = Chủ nhật"),
    )
    recurrence_until = models.DateField(_("Lặp đến ngày"), null=True, blank=True)
    is_series = models.BooleanField(_("Là mẫu lặp lại"), default=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Nhiệm vụ gốc (lặp lại)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instances",
    )
    period_start = models.DateField(_("Kỳ"), null=True, blank=True)

    class Meta:
        verbose_name = _("Nhiệm vụ")
        verbose_name_plural = _("Nhiệm vụ")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["agency", "status"], name="asg_agency_status"),
            models.Index(fields=["owner_agency", "status"], name="asg_owner_agency_status"),
            models.Index(fields=["status", "due_at"], name="asg_status_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "period_start"],
                condition=Q(parent__isnull=False),
                name="asg_one_instance_per_period",
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="asg_percent_max_100"),
            models.CheckConstraint(
                condition=Q(source_kind="document", source_document__isnull=False)
                | Q(source_kind="meeting", meeting__isnull=False)
                | Q(source_kind="own"),
                name="asg_source_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(status="done", completed_at__isnull=False) | ~Q(status="done"),
                name="asg_done_has_completed_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class OwnerKind(models.TextChoices):
    MAIN = "main", _("Chủ trì")
    CO = "co", _("Phối hợp")


class AssignmentOwner(models.Model):
    """Who carries an assignment: exactly one of agency, unit or staff member. `agency` is
    always filled (the target's agency) so that scoping needs no join."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("Nhiệm vụ"), on_delete=models.CASCADE, related_name="owners"
    )
    kind = models.CharField(_("Vai trò"), max_length=8, choices=OwnerKind.choices)
    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("Cơ quan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("Đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    staff = models.ForeignKey(
        "organisations.StaffMember",
        verbose_name=_("Cán bộ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignment_ownerships",
    )

    class Meta:
        verbose_name = _("Đơn vị, cá nhân thực hiện")
        verbose_name_plural = _("Đơn vị, cá nhân thực hiện")
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(kind="main"), name="asg_one_main_owner"
            ),
            models.CheckConstraint(
                condition=~(Q(unit__isnull=False) & Q(staff__isnull=False)),
                name="asg_owner_unit_or_staff",
            ),
        ]

    def __str__(self) -> str:
        return str(self.staff or self.unit or self.agency)

    @property
    def target_label(self) -> str:
        if self.staff is not None:
            return str(self.staff.user.get_full_name() or self.staff.user)
        if self.unit is not None:
            return str(self.unit.name)
        return str(self.agency.name)


class AssignmentEventKind(models.TextChoices):
    CREATED = "created", _("Giao nhiệm vụ")
    PROGRESS = "progress", _("Báo cáo tiến độ")
    EXTENSION_REQUESTED = "extension_requested", _("Đề nghị gia hạn")
    EXTENSION_APPROVED = "extension_approved", _("Đồng ý gia hạn")
    EXTENSION_REFUSED = "extension_refused", _("Không đồng ý gia hạn")
    COMPLETION_REPORTED = "completion_reported", _("Báo cáo hoàn thành")
    ACCEPTED = "accepted", _("Công nhận hoàn thành")
    SENT_BACK = "sent_back", _("Trả lại, yêu cầu tiếp tục")
    REMINDED = "reminded", _("Nhắc hạn")
    ESCALATED = "escalated", _("Báo quá hạn")


class AssignmentEvent(models.Model):
    """The assignment's history, one row per thing that happened to it."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("Nhiệm vụ"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("Sự kiện"), max_length=24, choices=AssignmentEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("Ghi chú"), blank=True)
    at = models.DateTimeField(_("Lúc"))

    class Meta:
        verbose_name = _("Lịch sử nhiệm vụ")
        verbose_name_plural = _("Lịch sử nhiệm vụ")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.kind}"


class ProgressReport(TimeStampedModel):
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("Nhiệm vụ"), on_delete=models.CASCADE, related_name="progress"
    )
    author = models.ForeignKey(
        "organisations.StaffMember",
        verbose_name=_("Người báo cáo"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("Nội dung"))
    percent = models.PositiveSmallIntegerField(_("Tiến độ (%)"))
    attachments = models.ManyToManyField(
        "core.StoredFile", verbose_name=_("Tệp đính kèm"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Báo cáo tiến độ")
        verbose_name_plural = _("Báo cáo tiến độ")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="asg_progress_percent_max"),
        ]


class ExtensionDecision(models.TextChoices):
    PENDING = "", _("Chờ quyết định")
    APPROVED = "approved", _("Đồng ý")
    REFUSED = "refused", _("Không đồng ý")


class ExtensionRequest(TimeStampedModel):
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("Nhiệm vụ"), on_delete=models.CASCADE, related_name="extensions"
    )
    requested_by = models.ForeignKey(
        "organisations.StaffMember",
        verbose_name=_("Người đề nghị"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    previous_due_at = models.DateTimeField(_("Hạn cũ"))
    requested_due_at = models.DateTimeField(_("Hạn đề nghị"))
    reason = models.TextField(_("Lý do"))
    decision = models.CharField(
        _("Quyết định"),
        max_length=16,
        choices=ExtensionDecision.choices,
        default=ExtensionDecision.PENDING,
        blank=True,
    )
    decided_by = models.ForeignKey(
        "organisations.StaffMember",
        verbose_name=_("Người quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("Quyết định lúc"), null=True, blank=True)
    note = models.TextField(_("Ý kiến"), blank=True)

    class Meta:
        verbose_name = _("Đề nghị gia hạn")
        verbose_name_plural = _("Đề nghị gia hạn")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(decision=""), name="asg_one_pending_extension"
            ),
        ]


class AssignmentMonthlyFact(models.Model):
    """Assignment figures per agency (the MAIN OWNER's agency) and month (first day, Vietnam
    time). Kept current by the services with F() increments in their own transactions;
    `facts.facts_recompute` rebuilds a row from the live tables to check it.

    - `assigned`: assignments given in the month (`assigned_at`), series templates excluded;
    - `done`: assignments accepted as completed in the month (`completed_at`);
    - `done_on_time` / `done_late`: split of `done` against the due date current at acceptance;
    - `overdue_open`: assignments whose (current) due date falls in the month, still not done
      and flagged overdue by the escalation job (`overdue_since`); leaves the figure when
      accepted or extended past the present.
    """

    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("Tháng"))
    assigned = models.PositiveIntegerField(_("Được giao"), default=0)
    done = models.PositiveIntegerField(_("Hoàn thành"), default=0)
    done_on_time = models.PositiveIntegerField(_("Hoàn thành đúng hạn"), default=0)
    done_late = models.PositiveIntegerField(_("Hoàn thành quá hạn"), default=0)
    overdue_open = models.PositiveIntegerField(_("Quá hạn chưa hoàn thành"), default=0)

    class Meta:
        verbose_name = _("Số liệu nhiệm vụ theo tháng")
        verbose_name_plural = _("Số liệu nhiệm vụ theo tháng")
        ordering = ["agency_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="assignmentfact_agency_month"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%Y-%m}"


# --- work exchange -----------------------------------------------------------------------------


class Comment(TimeStampedModel):
    """A comment on any dossier, document or assignment (generic target), threaded by
    `parent`. `agency` is the target's agency (the tenant)."""

    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("Cơ quan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người viết"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("Nội dung"))
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("Nhắc tên"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Trao đổi")
        verbose_name_plural = _("Trao đổi")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="comment_target")]


class Notice(TimeStampedModel):
    """An internal notice (thông báo nội bộ) from an agency to its staff or to other agencies."""

    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("Cơ quan gửi"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("Tiêu đề"), max_length=300)
    body = models.TextField(_("Nội dung"))
    to_own_staff = models.BooleanField(_("Gửi cán bộ trong cơ quan"), default=True)
    to_agencies = models.ManyToManyField(
        "organisations.Agency", verbose_name=_("Gửi cơ quan khác"), blank=True, related_name="+"
    )
    author = models.ForeignKey(
        "organisations.StaffMember",
        verbose_name=_("Người tạo"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("Đăng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Thông báo nội bộ")
        verbose_name_plural = _("Thông báo nội bộ")
        ordering = ["-published_at", "-id"]


class NoticeRecipient(models.Model):
    """One recipient of a published notice; read receipt = its notification's `read_at`."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notification = models.ForeignKey(
        "notifications.Notification", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="notice_recipient_once"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.user_id}"


class DigestSent(models.Model):
    """The daily e-mail digest sent to one user for one day (idempotence)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


# --- leaders' work calendar ----------------------------------------------------------------------


class WorkEventStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Đã duyệt")
    PUBLISHED = "published", _("Đã công bố")


class WorkEvent(TimeStampedModel):
    """One entry of an agency's leaders' weekly schedule (lịch công tác). `week` is the Monday."""

    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("Cơ quan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    week = models.DateField(_("Tuần (thứ Hai)"))
    starts_at = models.DateTimeField(_("Bắt đầu"))
    ends_at = models.DateTimeField(_("Kết thúc"))
    title = models.CharField(_("Nội dung"), max_length=500)
    location = models.CharField(_("Địa điểm"), max_length=300, blank=True)
    participants = models.TextField(_("Thành phần"), blank=True)
    leader = models.ForeignKey(
        "organisations.StaffMember",
        verbose_name=_("Lãnh đạo chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_public = models.BooleanField(_("Công khai trên cổng"), default=False)
    status = models.CharField(
        _("Trạng thái"),
        max_length=16,
        choices=WorkEventStatus.choices,
        default=WorkEventStatus.DRAFT,
    )
    approved_by = models.ForeignKey(
        "organisations.StaffMember",
        verbose_name=_("Người duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("Công bố lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Lịch công tác")
        verbose_name_plural = _("Lịch công tác")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["agency", "week"], name="workevent_agency_week")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="workevent_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title
