"""IT-skill training of officials (directive point 1.b; Circular 03/2014/TT-BTTTT).

The module catalogue (IU01–IU15) is seeded by a data migration. Results and certificates are
the facts; a person's standing ("đạt chuẩn cơ bản / nâng cao") is derived from them and kept in
`StaffTrainingStatus`, and each agency's totals in `TrainingFact`, both updated in the same
transaction as the change that moves them (see docs/subsystems/training.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.models import TimeStampedModel
from egov.organisations.models import Agency, StaffMember

BASIC_REQUIRED = 6  # IU01–IU06, all of them
ADVANCED_REQUIRED = 3  # at least 3 of IU07–IU15, on top of the basic standard


class ModuleLevel(models.TextChoices):
    BASIC = "basic", _("Cơ bản")
    ADVANCED = "advanced", _("Nâng cao")


class SkillModule(models.Model):
    """One module of the national IT-skill standard (IU01…IU15)."""

    code = models.CharField(_("Mã mô-đun"), max_length=8, unique=True)
    name = models.CharField(_("Tên mô-đun"), max_length=200)
    level = models.CharField(_("Mức"), max_length=10, choices=ModuleLevel.choices)
    rank = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)

    class Meta:
        verbose_name = _("Mô-đun kỹ năng CNTT")
        verbose_name_plural = _("Mô-đun kỹ năng CNTT")
        ordering = ["rank", "code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Course(TimeStampedModel):
    """A training course. `agency` is the organising agency (the tenant of the record);
    `organiser` names who teaches it (a training centre, a school)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan tổ chức"), on_delete=models.PROTECT, related_name="+"
    )
    organiser = models.CharField(_("Đơn vị giảng dạy"), max_length=255, blank=True)
    title = models.CharField(_("Tên khóa học"), max_length=255)
    starts_on = models.DateField(_("Từ ngày"))
    ends_on = models.DateField(_("Đến ngày"))
    location = models.CharField(_("Địa điểm"), max_length=255, blank=True)
    modules = models.ManyToManyField(
        SkillModule, verbose_name=_("Mô-đun"), related_name="courses", blank=True
    )

    class Meta:
        verbose_name = _("Khóa đào tạo")
        verbose_name_plural = _("Khóa đào tạo")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="training_course_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Session(TimeStampedModel):
    """One class meeting of a course (buổi học)."""

    course = models.ForeignKey(
        Course, verbose_name=_("Khóa học"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("Bắt đầu"))
    ends_at = models.DateTimeField(_("Kết thúc"))
    topic = models.CharField(_("Nội dung"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("Buổi học")
        verbose_name_plural = _("Buổi học")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="training_session_ends_after_start",
            ),
        ]

    @property
    def policy_agency_id(self) -> int:
        return self.course.agency_id

    def __str__(self) -> str:
        return f"{self.course} – {self.starts_at:%d/%m/%Y %H:%M}"


class Enrolment(TimeStampedModel):
    """A person on a course. `agency` is the person's agency when enrolled (their tenant)."""

    course = models.ForeignKey(
        Course, verbose_name=_("Khóa học"), on_delete=models.PROTECT, related_name="enrolments"
    )
    staff = models.ForeignKey(
        StaffMember, verbose_name=_("Cán bộ"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("Ghi danh")
        verbose_name_plural = _("Ghi danh")
        constraints = [
            models.UniqueConstraint(fields=["course", "staff"], name="training_enrolment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} – {self.course}"


class Attendance(models.Model):
    session = models.ForeignKey(
        Session, verbose_name=_("Buổi học"), on_delete=models.PROTECT, related_name="attendance"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("Ghi danh"), on_delete=models.PROTECT, related_name="attendance"
    )
    present = models.BooleanField(_("Có mặt"), default=True)
    recorded_at = models.DateTimeField(_("Ghi lúc"), auto_now=True)

    class Meta:
        verbose_name = _("Điểm danh")
        verbose_name_plural = _("Điểm danh")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="training_attendance_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}@{self.session_id}: {self.present}"

    @property
    def policy_agency_id(self) -> int:
        return self.enrolment.agency_id


class ModuleResult(TimeStampedModel):
    """One examination of one person in one module. Several attempts may be recorded (one per
    day); a module counts as passed when any attempt passed.

    A result entered in error or withdrawn is retired (`retired_at` set, with the reason), not
    deleted: it stays in the records and the audit trail but no longer counts for the standard,
    and the same person, module and day may be recorded again."""

    staff = models.ForeignKey(
        StaffMember, verbose_name=_("Cán bộ"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    module = models.ForeignKey(
        SkillModule, verbose_name=_("Mô-đun"), on_delete=models.PROTECT, related_name="results"
    )
    taken_on = models.DateField(_("Ngày kiểm tra"))
    passed = models.BooleanField(_("Đạt"))
    score = models.DecimalField(_("Điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    course = models.ForeignKey(
        Course,
        verbose_name=_("Khóa học"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="results",
    )
    certificate_number = models.CharField(_("Số chứng chỉ"), max_length=60, blank=True)
    issuer = models.CharField(_("Nơi cấp"), max_length=255, blank=True)
    retired_at = models.DateTimeField(_("Ngừng sử dụng lúc"), null=True, blank=True)
    retired_reason = models.CharField(_("Lý do ngừng sử dụng"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Kết quả mô-đun")
        verbose_name_plural = _("Kết quả mô-đun")
        ordering = ["staff_id", "module__rank", "-taken_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "module", "taken_on"],
                condition=models.Q(retired_at__isnull=True),
                name="training_result_once_a_day",
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                name="training_result_score_range",
            ),
        ]
        indexes = [models.Index(fields=["agency", "module"])]

    def __str__(self) -> str:
        return f"{self.staff} – {self.module.code} ({self.taken_on})"

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class CertificateKind(models.TextChoices):
    BASIC = "basic", _("Chứng chỉ ứng dụng CNTT cơ bản")
    ADVANCED = "advanced", _("Chứng chỉ ứng dụng CNTT nâng cao")


class Certificate(TimeStampedModel):
    staff = models.ForeignKey(
        StaffMember, verbose_name=_("Cán bộ"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("Loại chứng chỉ"), max_length=10, choices=CertificateKind.choices)
    number = models.CharField(_("Số hiệu"), max_length=60)
    issuer = models.CharField(_("Nơi cấp"), max_length=255)
    issued_on = models.DateField(_("Ngày cấp"))

    class Meta:
        verbose_name = _("Chứng chỉ")
        verbose_name_plural = _("Chứng chỉ")
        ordering = ["-issued_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number"], name="training_certificate_number_per_issuer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class StaffTrainingStatus(models.Model):
    """A person's derived standing, rewritten on every change of their results or certificates.

    `agency` follows the person's agency at the last change (the fact rows count by it)."""

    staff = models.OneToOneField(
        StaffMember,
        verbose_name=_("Cán bộ"),
        on_delete=models.CASCADE,
        related_name="training_status",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.CASCADE, related_name="+"
    )
    basic_passed = models.PositiveSmallIntegerField(_("Số mô-đun cơ bản đạt"), default=0)
    advanced_passed = models.PositiveSmallIntegerField(_("Số mô-đun nâng cao đạt"), default=0)
    basic_certificate = models.BooleanField(_("Có chứng chỉ cơ bản"), default=False)
    advanced_certificate = models.BooleanField(_("Có chứng chỉ nâng cao"), default=False)
    basic_met = models.BooleanField(_("Đạt chuẩn cơ bản"), default=False)
    advanced_met = models.BooleanField(_("Đạt chuẩn nâng cao"), default=False)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("Chuẩn kỹ năng của cán bộ")
        verbose_name_plural = _("Chuẩn kỹ năng của cán bộ")
        indexes = [models.Index(fields=["agency", "basic_met", "advanced_met"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(advanced_met=False) | models.Q(basic_met=True),
                name="training_status_advanced_implies_basic",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id}: {self.basic_met}/{self.advanced_met}"


class TrainingFact(models.Model):
    """Per agency, now: active officials and how many meet each standard.

    Kept current incrementally (one locked row per agency, changed in the transaction of every
    result or certificate); `egov.training.facts.training_facts_recompute` rebuilds it from the
    live tables and must give the same numbers. Read by the indicators (training coverage).
    """

    agency = models.OneToOneField(
        Agency, verbose_name=_("Cơ quan"), on_delete=models.CASCADE, related_name="training_fact"
    )
    staff_total = models.PositiveIntegerField(_("Số cán bộ đang công tác"), default=0)
    basic_met = models.PositiveIntegerField(_("Số cán bộ đạt chuẩn cơ bản"), default=0)
    advanced_met = models.PositiveIntegerField(_("Số cán bộ đạt chuẩn nâng cao"), default=0)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("Số liệu đào tạo theo cơ quan")
        verbose_name_plural = _("Số liệu đào tạo theo cơ quan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(advanced_met__lte=models.F("basic_met")),
                name="training_fact_advanced_within_basic",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.basic_met}/{self.advanced_met}/{self.staff_total}"

    @property
    def basic_share(self) -> float | None:
        return self.basic_met / self.staff_total if self.staff_total else None

    @property
    def advanced_share(self) -> float | None:
        return self.advanced_met / self.staff_total if self.staff_total else None
