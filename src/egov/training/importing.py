"""Importing module results and certificates from XLSX (or CSV), all or nothing.

Same rule as the organisations import (`egov.organisations.importing`, whose reader and error
types this reuses): every row is checked first and every bad row reported as
`dòng N: <cột>: <lý do>`; when any row is bad nothing is written. Then every row goes through
the services (`result_record`, `certificate_record`) in one transaction, so the audit trail,
the per-person standing and the agency's `TrainingFact` move exactly as when recorded by hand;
a refusal there rolls the whole file back.

Columns (headers with or without accents; docs/subsystems/training.md):

- ``ten_dang_nhap`` or ``ma_can_bo`` (the official's public id): who — one of them required;
- ``ma_co_quan``: optional; when given, the official must belong to that agency;
- ``ma_mo_dun`` (IU01…IU15) with ``ket_qua`` (đạt / không đạt) and optional ``diem`` (0–100):
  a module result; or ``loai_chung_chi`` (cơ bản / nâng cao) with ``so_chung_chi`` and
  ``noi_cap``: a certificate;
- ``ngay``: the exam day, or the issue day of a certificate (dd/mm/yyyy or yyyy-mm-dd);
- ``so_chung_chi``, ``noi_cap`` may also accompany a module result (kept with it).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.errors import AppError
from egov.core.search import fold
from egov.organisations.importing import (
    ImportRefused,
    ImportResult,
    Progress,
    Row,
    RowError,
    _no_progress,
    _require_columns,
)
from egov.organisations.models import Agency, StaffMember
from egov.training import services
from egov.training.models import CertificateKind, SkillModule

COLUMNS = (
    "ten_dang_nhap",
    "ma_can_bo",
    "ho_ten",
    "ma_co_quan",
    "ma_mo_dun",
    "ngay",
    "ket_qua",
    "diem",
    "so_chung_chi",
    "noi_cap",
    "loai_chung_chi",
)
SERVICE_COLUMNS = {
    "taken_on": "ngay",
    "issued_on": "ngay",
    "score": "diem",
    "number": "so_chung_chi",
    "issuer": "noi_cap",
    "kind": "loai_chung_chi",
    "module": "ma_mo_dun",
    "staff": "ten_dang_nhap",
}
PASSED = {"dat", "d", "1", "x", "co", "pass", "passed", "true"}
FAILED = {"khong dat", "kd", "0", "khong", "fail", "failed", "false"}
KINDS = {
    "co ban": CertificateKind.BASIC,
    "basic": CertificateKind.BASIC,
    "nang cao": CertificateKind.ADVANCED,
    "advanced": CertificateKind.ADVANCED,
}


def parse_date(value: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    try:  # XLSX dates arrive as ISO datetimes
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


@dataclass
class _Parsed:
    row: Row
    staff: StaffMember
    when: date
    module: SkillModule | None = None
    passed: bool = False
    score: Decimal | None = None
    kind: str = ""
    number: str = ""
    issuer: str = ""


def _find_staff(rows: list[Row]) -> tuple[dict[str, StaffMember], dict[str, StaffMember]]:
    usernames = {r.get("ten_dang_nhap") for r in rows if r.get("ten_dang_nhap")}
    ids: set[uuid.UUID] = set()
    for r in rows:
        try:
            ids.add(uuid.UUID(r.get("ma_can_bo")))
        except ValueError:
            continue
    by_username = {
        s.user.username.lower(): s
        for s in StaffMember.objects.filter(user__username__in=usernames).select_related("user")
    }
    by_id = {str(s.public_id): s for s in StaffMember.objects.filter(public_id__in=ids)}
    return by_username, by_id


def import_results(
    rows: list[Row], *, actor: Any = None, dry_run: bool = False, progress: Progress = _no_progress
) -> ImportResult:
    """Record results and certificates from rows; all or nothing. Raises ImportRefused."""
    errors = _require_columns(rows, ("ngay",), COLUMNS)
    if errors:
        raise ImportRefused(errors)
    modules = {m.code: m for m in SkillModule.objects.all()}
    by_username, by_id = _find_staff(rows)
    agency_codes = {r.get("ma_co_quan").upper() for r in rows if r.get("ma_co_quan")}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=agency_codes)}
    today = timezone.localdate()
    parsed: list[_Parsed] = []
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        row_errors: list[RowError] = []

        def bad(
            column: str, reason: str, line: int = row.line, errs: list[RowError] = row_errors
        ) -> None:
            errs.append(RowError(line, column, reason))

        username, staff_code = row.get("ten_dang_nhap"), row.get("ma_can_bo")
        staff: StaffMember | None = None
        if username:
            staff = by_username.get(username.lower())
            if staff is None:
                bad("ten_dang_nhap", _("không có cán bộ “%(u)s”") % {"u": username})
        elif staff_code:
            staff = by_id.get(staff_code.lower())
            if staff is None:
                bad("ma_can_bo", _("không có cán bộ mã “%(c)s”") % {"c": staff_code})
        else:
            bad("ten_dang_nhap", _("ghi tên đăng nhập hoặc mã cán bộ"))
        agency_code = row.get("ma_co_quan").upper()
        if agency_code:
            agency = agencies.get(agency_code)
            if agency is None:
                bad("ma_co_quan", _("không tìm thấy cơ quan %(c)s") % {"c": agency_code})
            elif staff is not None and staff.agency_id != agency.pk:
                bad(
                    "ma_co_quan",
                    _("cán bộ không thuộc cơ quan %(c)s") % {"c": agency_code},
                )
        when_raw = row.get("ngay")
        when = parse_date(when_raw) if when_raw else None
        if not when_raw:
            bad("ngay", _("bắt buộc, đang để trống"))
        elif when is None:
            bad("ngay", _("“%(d)s” không phải ngày (dd/mm/yyyy)") % {"d": when_raw})
        elif when > today:
            bad("ngay", _("ngày ở tương lai"))
        module_raw = row.get("ma_mo_dun").upper()
        kind_raw = row.get("loai_chung_chi")
        item = _Parsed(row=row, staff=staff, when=when or today)  # type: ignore[arg-type]
        if module_raw:
            item.module = modules.get(module_raw)
            if item.module is None:
                bad(
                    "ma_mo_dun",
                    _("không có mô-đun “%(m)s”; dùng IU01…IU15") % {"m": module_raw},
                )
            result_raw = fold(row.get("ket_qua"))
            if result_raw in PASSED:
                item.passed = True
            elif result_raw in FAILED:
                item.passed = False
            else:
                bad("ket_qua", _("ghi “đạt” hoặc “không đạt”"))
            score_raw = row.get("diem").replace(",", ".")
            if score_raw:
                try:
                    item.score = Decimal(score_raw)
                except InvalidOperation:
                    bad("diem", _("“%(s)s” không phải số") % {"s": score_raw})
                else:
                    if not (0 <= item.score <= 100):
                        bad("diem", _("điểm phải từ 0 đến 100"))
            key: tuple[Any, ...] = ("result", getattr(staff, "pk", None), module_raw, when)
        elif kind_raw:
            item.kind = KINDS.get(fold(kind_raw), "")
            if not item.kind:
                bad("loai_chung_chi", _("ghi “cơ bản” hoặc “nâng cao”"))
            for column in ("so_chung_chi", "noi_cap"):
                if not row.get(column):
                    bad(column, _("bắt buộc với chứng chỉ, đang để trống"))
            key = ("certificate", fold(row.get("noi_cap")), row.get("so_chung_chi"))
        else:
            bad("ma_mo_dun", _("ghi mã mô-đun (kết quả) hoặc loại chứng chỉ"))
            key = ("none", row.line)
        item.number = row.get("so_chung_chi")
        item.issuer = row.get("noi_cap")
        if key in seen:
            bad("dong", _("trùng với dòng %(n)d") % {"n": seen[key]})
        else:
            seen[key] = row.line
        errors.extend(row_errors)
        if not row_errors:
            parsed.append(item)
    if errors:
        raise ImportRefused(errors)
    return _write(parsed, actor=actor, dry_run=dry_run, progress=progress)


def _write(parsed: list[_Parsed], *, actor: Any, dry_run: bool, progress: Progress) -> ImportResult:
    result = ImportResult()
    errors: list[RowError] = []
    with transaction.atomic():
        for item in progress(parsed, len(parsed)):
            try:
                with transaction.atomic():
                    if item.module is not None:
                        services.result_record(
                            actor=actor,
                            staff=item.staff,
                            module=item.module,
                            taken_on=item.when,
                            passed=item.passed,
                            score=item.score,
                            certificate_number=item.number,
                            issuer=item.issuer,
                        )
                    else:
                        services.certificate_record(
                            actor=actor,
                            staff=item.staff,
                            kind=item.kind,
                            number=item.number,
                            issuer=item.issuer,
                            issued_on=item.when,
                        )
                result.created += 1
            except AppError as exc:
                if not exc.fields:
                    errors.append(RowError(item.row.line, "dòng", exc.message))
                for name, messages in exc.fields.items():
                    column = SERVICE_COLUMNS.get(name, name)
                    errors.extend(RowError(item.row.line, column, m) for m in messages)
        if errors:
            raise ImportRefused(errors)
        if dry_run:
            transaction.set_rollback(True)
    return result
