"""Every state change of training: courses, sessions, enrolment, attendance, results and
certificates.

Two ways to write a module result: `result_record` (upsert per person × module × day, used by
the import) and the single-record trio behind the workspace forms, `result_create`,
`result_update` and `result_retire`, which refuse what an upsert would silently merge (a second
live result on the same day, a change to a retired result).

Keyword-only arguments and an explicit `actor` (a user, asked the policy; or None for the
system: the command-line import and the demo loader). One transaction each, the audit row
inside it; a result or certificate also moves the person's standing and their agency's
`TrainingFact` in the same transaction (`facts.staff_status_refresh`). Bad input raises
`ValidationFailed` naming the fields, before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.audit.services import audit_record, snapshot
from egov.core.errors import ValidationFailed
from egov.organisations.models import Agency, StaffMember
from egov.policy.engine import require
from egov.training.facts import staff_status_refresh
from egov.training.models import (
    Attendance,
    Certificate,
    CertificateKind,
    Course,
    Enrolment,
    ModuleResult,
    Session,
    SkillModule,
)

RESULT_FIELDS = ("staff_id", "module_id", "taken_on", "passed", "score", "course_id")
RESULT_FORM_FIELDS = (
    *RESULT_FIELDS,
    "certificate_number",
    "issuer",
    "retired_at",
    "retired_reason",
)
CERTIFICATE_FIELDS = ("staff_id", "kind", "number", "issuer", "issued_on")


class _Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.fields:
            name, messages = next(iter(self.fields.items()))
            raise ValidationFailed(
                _("Dữ liệu không hợp lệ: %(field)s: %(reason)s")
                % {"field": name, "reason": messages[0]},
                fields=self.fields,
            )


def _authorise(actor: Any, action: str, obj: Any = None) -> None:
    if actor is not None:
        require(actor, action, obj)


def _modules(values: Iterable[SkillModule | str]) -> list[SkillModule]:
    wanted = list(values)
    codes = [v.code if isinstance(v, SkillModule) else str(v).strip().upper() for v in wanted]
    found = {m.code: m for m in SkillModule.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationFailed(
            _("Không có mô-đun %(c)s.") % {"c": ", ".join(missing)},
            fields={"modules": [_("Không có mô-đun %(c)s.") % {"c": ", ".join(missing)}]},
        )
    return [found[c] for c in codes]


def course_create(
    *,
    actor: Any,
    agency: Agency,
    title: str,
    starts_on: date,
    ends_on: date,
    organiser: str = "",
    location: str = "",
    modules: Iterable[SkillModule | str] = (),
) -> Course:
    _authorise(actor, "training.record", agency)
    errors = _Errors()
    if not title.strip():
        errors.add("title", _("Tên khóa học không được để trống."))
    if ends_on < starts_on:
        errors.add("ends_on", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
    errors.raise_if_any()
    chosen = _modules(modules)
    with transaction.atomic():
        course = Course.objects.create(
            agency=agency,
            title=title.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            organiser=organiser.strip(),
            location=location.strip(),
        )
        course.modules.set(chosen)
        audit_record(
            actor=actor,
            action="training.course_create",
            target=course,
            summary=_("Tạo khóa đào tạo “%(t)s”") % {"t": course.title},
            after={**snapshot(course), "modules": [m.code for m in chosen]},
        )
    return course


def session_create(
    *, actor: Any, course: Course, starts_at: datetime, ends_at: datetime, topic: str = ""
) -> Session:
    _authorise(actor, "training.record", course)
    if ends_at <= starts_at:
        raise ValidationFailed(
            _("Giờ kết thúc phải sau giờ bắt đầu."),
            fields={"ends_at": [_("Giờ kết thúc phải sau giờ bắt đầu.")]},
        )
    with transaction.atomic():
        session = Session.objects.create(
            course=course, starts_at=starts_at, ends_at=ends_at, topic=topic.strip()
        )
        audit_record(
            actor=actor,
            action="training.session_create",
            target=session,
            after=snapshot(session),
            agency_id=course.agency_id,
        )
    return session


def enrolment_create(*, actor: Any, course: Course, staff: StaffMember) -> Enrolment:
    """Enrol an official (of any agency: city courses take officials from everywhere)."""
    _authorise(actor, "training.record", staff)
    if not staff.is_active:
        raise ValidationFailed(
            _("Cán bộ đã nghỉ công tác."), fields={"staff": [_("Cán bộ đã nghỉ công tác.")]}
        )
    with transaction.atomic():
        enrolment, created = Enrolment.objects.get_or_create(
            course=course, staff=staff, defaults={"agency_id": staff.agency_id}
        )
        if not created:
            raise ValidationFailed(
                _("Cán bộ đã có tên trong khóa học."),
                fields={"staff": [_("Cán bộ đã có tên trong khóa học.")]},
            )
        audit_record(
            actor=actor,
            action="training.enrol",
            target=enrolment,
            after=snapshot(enrolment),
        )
    return enrolment


def attendance_record(
    *, actor: Any, session: Session, enrolment: Enrolment, present: bool
) -> Attendance:
    _authorise(actor, "training.record", enrolment)
    if enrolment.course_id != session.course_id:
        raise ValidationFailed(
            _("Buổi học không thuộc khóa học của người này."),
            fields={"session": [_("Buổi học không thuộc khóa học của người này.")]},
        )
    with transaction.atomic():
        attendance, _created = Attendance.objects.update_or_create(
            session=session, enrolment=enrolment, defaults={"present": present}
        )
        audit_record(
            actor=actor,
            action="training.attendance",
            target=attendance,
            after={"present": present},
            agency_id=enrolment.agency_id,
        )
    return attendance


def _check_result(errors: _Errors, *, taken_on: date, score: Decimal | None) -> None:
    if taken_on > timezone.localdate():
        errors.add("taken_on", _("Ngày kiểm tra không được ở tương lai."))
    if score is not None and not (0 <= score <= 100):
        errors.add("score", _("Điểm phải từ 0 đến 100."))


def result_record(
    *,
    actor: Any,
    staff: StaffMember,
    module: SkillModule | str,
    taken_on: date,
    passed: bool,
    score: Decimal | float | None = None,
    course: Course | None = None,
    certificate_number: str = "",
    issuer: str = "",
) -> ModuleResult:
    """Record (or correct) one person's result in one module on one day."""
    _authorise(actor, "training.record", staff)
    (skill,) = _modules([module])
    score_value = Decimal(str(score)) if score is not None else None
    errors = _Errors()
    _check_result(errors, taken_on=taken_on, score=score_value)
    errors.raise_if_any()
    with transaction.atomic():
        before_obj = (
            ModuleResult.objects.select_for_update()
            .filter(staff=staff, module=skill, taken_on=taken_on, retired_at__isnull=True)
            .first()
        )
        before = snapshot(before_obj, RESULT_FIELDS) if before_obj else None
        result, _created = ModuleResult.objects.update_or_create(
            staff=staff,
            module=skill,
            taken_on=taken_on,
            retired_at=None,
            defaults={
                "agency_id": staff.agency_id,
                "passed": passed,
                "score": score_value,
                "course": course,
                "certificate_number": certificate_number.strip(),
                "issuer": issuer.strip(),
            },
        )
        staff_status_refresh(staff)
        audit_record(
            actor=actor,
            action="training.result_record",
            target=result,
            summary=_("%(m)s: %(r)s")
            % {"m": skill.code, "r": _("đạt") if passed else _("không đạt")},
            before=before,
            after=snapshot(result, RESULT_FIELDS),
        )
    return result


def certificate_record(
    *,
    actor: Any,
    staff: StaffMember,
    kind: str,
    number: str,
    issuer: str,
    issued_on: date,
) -> Certificate:
    """Record a certificate; the same number from the same issuer is updated in place."""
    _authorise(actor, "training.record", staff)
    errors = _Errors()
    if kind not in CertificateKind.values:
        errors.add("kind", _("Loại chứng chỉ phải là cơ bản hoặc nâng cao."))
    if not number.strip():
        errors.add("number", _("Số hiệu chứng chỉ không được để trống."))
    if not issuer.strip():
        errors.add("issuer", _("Nơi cấp không được để trống."))
    if issued_on > timezone.localdate():
        errors.add("issued_on", _("Ngày cấp không được ở tương lai."))
    errors.raise_if_any()
    with transaction.atomic():
        existing = (
            Certificate.objects.select_for_update()
            .filter(issuer=issuer.strip(), number=number.strip())
            .first()
        )
        if existing is not None and existing.staff_id != staff.pk:
            raise ValidationFailed(
                _("Số chứng chỉ %(n)s của %(i)s đã ghi cho người khác.")
                % {"n": number, "i": issuer},
                fields={"number": [_("Số chứng chỉ đã ghi cho người khác.")]},
            )
        before = snapshot(existing, CERTIFICATE_FIELDS) if existing else None
        certificate, _created = Certificate.objects.update_or_create(
            issuer=issuer.strip(),
            number=number.strip(),
            defaults={
                "staff": staff,
                "agency_id": staff.agency_id,
                "kind": kind,
                "issued_on": issued_on,
            },
        )
        staff_status_refresh(staff)
        audit_record(
            actor=actor,
            action="training.certificate_record",
            target=certificate,
            before=before,
            after=snapshot(certificate, CERTIFICATE_FIELDS),
        )
    return certificate


# --- one result at a time (the workspace forms) ----------------------------------------------


def _result_errors(
    *,
    staff: StaffMember,
    taken_on: date | None,
    score: Decimal | None,
    certificate_number: str,
    issuer: str,
) -> _Errors:
    errors = _Errors()
    if not staff.is_active:
        errors.add("staff", _("Cán bộ đã nghỉ công tác."))
    if taken_on is None:
        errors.add("taken_on", _("Nhập ngày kiểm tra."))
    elif taken_on > timezone.localdate():
        errors.add("taken_on", _("Ngày kiểm tra không được ở tương lai."))
    if score is not None and not (0 <= score <= 100):
        errors.add("score", _("Điểm phải từ 0 đến 100."))
    elif score is not None and score != score.quantize(Decimal("0.01")):
        errors.add("score", _("Điểm ghi tối đa hai chữ số thập phân."))
    if certificate_number.strip() and not issuer.strip():
        errors.add("issuer", _("Có số chứng chỉ thì phải ghi nơi cấp."))
    return errors


def _same_day_taken(
    *, staff: StaffMember, module: SkillModule, taken_on: date, exclude: int | None = None
) -> bool:
    live = ModuleResult.objects.filter(
        staff=staff, module=module, taken_on=taken_on, retired_at__isnull=True
    )
    if exclude is not None:
        live = live.exclude(pk=exclude)
    return live.exists()


def _same_day_message(module: SkillModule, taken_on: date) -> str:
    return _(
        "Cán bộ đã có kết quả %(m)s ngày %(d)s; hãy sửa kết quả đó thay vì thêm kết quả mới."
    ) % {"m": module.code, "d": taken_on.strftime("%d/%m/%Y")}


def _score(value: Decimal | float | None) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None


def result_create(
    *,
    actor: Any,
    staff: StaffMember,
    module: SkillModule | str,
    taken_on: date | None,
    passed: bool,
    score: Decimal | float | None = None,
    certificate_number: str = "",
    issuer: str = "",
) -> ModuleResult:
    """Add one module result for one person (the workspace form).

    Refused, nothing written: a person who left, an unknown module, a future date, a score
    outside 0–100, a certificate number without its issuer, or a live result of the same
    person in the same module on the same day (correct that one instead)."""
    _authorise(actor, "training.result_create", staff)
    (skill,) = _modules([module])
    score_value = _score(score)
    errors = _result_errors(
        staff=staff,
        taken_on=taken_on,
        score=score_value,
        certificate_number=certificate_number,
        issuer=issuer,
    )
    errors.raise_if_any()
    assert taken_on is not None
    refused = ValidationFailed(
        _same_day_message(skill, taken_on),
        fields={"taken_on": [_same_day_message(skill, taken_on)]},
    )
    try:
        return _result_insert(
            actor=actor,
            staff=staff,
            skill=skill,
            taken_on=taken_on,
            passed=passed,
            score=score_value,
            certificate_number=certificate_number,
            issuer=issuer,
            refused=refused,
        )
    except IntegrityError as exc:
        # Two forms posted at once both passed the check: the partial unique index decides.
        raise refused from exc


def _result_insert(
    *,
    actor: Any,
    staff: StaffMember,
    skill: SkillModule,
    taken_on: date,
    passed: bool,
    score: Decimal | None,
    certificate_number: str,
    issuer: str,
    refused: ValidationFailed,
) -> ModuleResult:
    with transaction.atomic():
        if _same_day_taken(staff=staff, module=skill, taken_on=taken_on):
            raise refused
        result = ModuleResult.objects.create(
            staff=staff,
            agency_id=staff.agency_id,
            module=skill,
            taken_on=taken_on,
            passed=passed,
            score=score,
            certificate_number=certificate_number.strip(),
            issuer=issuer.strip(),
        )
        staff_status_refresh(staff)
        audit_record(
            actor=actor,
            action="training.result_create",
            target=result,
            summary=_("Thêm kết quả %(m)s: %(r)s")
            % {"m": skill.code, "r": _("đạt") if passed else _("không đạt")},
            after=snapshot(result, RESULT_FORM_FIELDS),
        )
    return result


def result_update(
    *,
    actor: Any,
    result: ModuleResult,
    module: SkillModule | str,
    taken_on: date | None,
    passed: bool,
    score: Decimal | float | None = None,
    certificate_number: str = "",
    issuer: str = "",
) -> ModuleResult:
    """Correct one module result (module, day, outcome, score, certificate). The person stays:
    a result of someone else is a new result. A retired result is not edited."""
    _authorise(actor, "training.result_update", result)
    (skill,) = _modules([module])
    score_value = _score(score)
    staff = result.staff
    errors = _result_errors(
        staff=staff,
        taken_on=taken_on,
        score=score_value,
        certificate_number=certificate_number,
        issuer=issuer,
    )
    errors.raise_if_any()
    assert taken_on is not None
    try:
        return _result_change(
            actor=actor,
            result=result,
            skill=skill,
            taken_on=taken_on,
            passed=passed,
            score=score_value,
            certificate_number=certificate_number,
            issuer=issuer,
        )
    except IntegrityError as exc:
        message = _same_day_message(skill, taken_on)
        raise ValidationFailed(message, fields={"taken_on": [message]}) from exc


def _result_change(
    *,
    actor: Any,
    result: ModuleResult,
    skill: SkillModule,
    taken_on: date,
    passed: bool,
    score: Decimal | None,
    certificate_number: str,
    issuer: str,
) -> ModuleResult:
    staff = result.staff
    with transaction.atomic():
        current = ModuleResult.objects.select_for_update().get(pk=result.pk)
        if current.retired_at is not None:
            raise ValidationFailed(
                _("Kết quả này đã ngừng sử dụng; không sửa được."),
                fields={"__all__": [_("Kết quả này đã ngừng sử dụng; không sửa được.")]},
            )
        if _same_day_taken(staff=staff, module=skill, taken_on=taken_on, exclude=current.pk):
            raise ValidationFailed(
                _same_day_message(skill, taken_on),
                fields={"taken_on": [_same_day_message(skill, taken_on)]},
            )
        before = snapshot(current, RESULT_FORM_FIELDS)
        current.module = skill
        current.taken_on = taken_on
        current.passed = passed
        current.score = score
        current.certificate_number = certificate_number.strip()
        current.issuer = issuer.strip()
        current.save()
        staff_status_refresh(staff)
        audit_record(
            actor=actor,
            action="training.result_update",
            target=current,
            summary=_("Sửa kết quả %(m)s: %(r)s")
            % {"m": skill.code, "r": _("đạt") if passed else _("không đạt")},
            before=before,
            after=snapshot(current, RESULT_FORM_FIELDS),
        )
    return current


def result_retire(*, actor: Any, result: ModuleResult, reason: str) -> ModuleResult:
    """Stop counting one module result (entered in error, withdrawn). The row stays, with the
    reason; the person's standing and the agency's coverage move back in the same transaction."""
    _authorise(actor, "training.result_retire", result)
    if not reason.strip():
        raise ValidationFailed(
            _("Nhập lý do ngừng sử dụng kết quả."),
            fields={"reason": [_("Nhập lý do ngừng sử dụng kết quả.")]},
        )
    with transaction.atomic():
        current = ModuleResult.objects.select_for_update().get(pk=result.pk)
        if current.retired_at is not None:
            raise ValidationFailed(
                _("Kết quả này đã ngừng sử dụng từ trước."),
                fields={"__all__": [_("Kết quả này đã ngừng sử dụng từ trước.")]},
            )
        before = snapshot(current, RESULT_FORM_FIELDS)
        current.retired_at = timezone.now()
        current.retired_reason = reason.strip()[:500]
        current.save(update_fields=["retired_at", "retired_reason", "updated_at"])
        staff_status_refresh(current.staff)
        audit_record(
            actor=actor,
            action="training.result_retire",
            target=current,
            summary=_("Ngừng sử dụng kết quả %(m)s: %(why)s")
            % {"m": current.module.code, "why": current.retired_reason},
            before=before,
            after=snapshot(current, RESULT_FORM_FIELDS),
        )
    return current
