"""Every state change of the procedure catalogue.

Keyword-only arguments, an explicit `actor` (a user, or None for the system: the command line
and the demo loader), one transaction, the policy asked when the actor is a user (action
`procedure.manage`), the audit row written inside the transaction. Bad input raises
`ValidationFailed` naming every bad field before anything is written.

A procedure is written as a whole (`ProcedureInput`: its attributes, papers, fees, online form
and process definition), by `procedure_create`, `procedure_update` and `catalogue_import`;
the same checks (`procedure_input_errors`) answer for all three.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from egov.audit.services import audit_record, snapshot
from egov.core.errors import ValidationFailed
from egov.core.files import KINDS, file_store
from egov.core.search import fold
from egov.policy.engine import require
from egov.procedures import forms_schema
from egov.procedures.catalogue import (
    ImportRow,
    RowError,
    normalise_process,
    procedure_as_data,
    procedure_input_as_data,
    stored_process_data,
)
from egov.procedures.inputs import (
    FeeInput,
    PaperInput,
    ProcedureInput,
)
from egov.procedures.models import (
    CODE_MESSAGE,
    PROCEDURE_CODE_RE,
    ApplicantType,
    Fee,
    FeeKind,
    Field,
    GovernmentLevel,
    PaperForm,
    Procedure,
    ReceivingScope,
    RequiredPaper,
    ServiceLevel,
)
from egov.workflow.models import Process
from egov.workflow.services import process_define

# A working day is 7 h 30 of working time by default (calendar.arithmetic.DEFAULT_DAY).
HOURS_PER_WORKING_DAY = Decimal("7.5")
FIELD_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
STEP_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
TEMPLATE_KINDS = frozenset({"pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "txt"})

PROCEDURE_FIELDS = (
    "code",
    "name",
    "field_id",
    "level",
    "receiving_scope",
    "legal_working_days",
    "time_note",
    "cutoff_time",
    "applicant_types",
    "result_type",
    "legal_basis",
    "description",
    "conditions",
    "service_level_id",
    "form_schema",
    "process_id",
    "is_published",
)


@dataclass(frozen=True)
class StandardLevel:
    code: str
    name: str
    description: str
    allows_online_submission: bool
    order: int


# Decree 42/2022/NĐ-CP, Art. 11; kept as rows so a later scheme needs no code.
STANDARD_SERVICE_LEVELS: tuple[StandardLevel, ...] = (
    StandardLevel(
        "full_online",
        "Dịch vụ công trực tuyến toàn trình",
        "Toàn bộ quá trình cung cấp thông tin, nộp hồ sơ, xử lý và trả kết quả thực hiện trên "
        "môi trường mạng; kết quả trả trực tuyến hoặc qua dịch vụ bưu chính công ích.",
        True,
        10,
    ),
    StandardLevel(
        "partial_online",
        "Dịch vụ công trực tuyến một phần",
        "Một phần quá trình thực hiện trên môi trường mạng; người dân, doanh nghiệp đến cơ quan "
        "để xuất trình giấy tờ, nộp phí hoặc nhận kết quả.",
        True,
        20,
    ),
    StandardLevel(
        "information",
        "Cung cấp thông tin trực tuyến",
        "Chỉ cung cấp thông tin về thủ tục và mẫu đơn, tờ khai; hồ sơ nộp trực tiếp hoặc qua "
        "bưu chính.",
        False,
        30,
    ),
)


# --- checks ----------------------------------------------------------------------------------


class _Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.fields:
            first, messages = next(iter(self.fields.items()))
            raise ValidationFailed(
                _("Dữ liệu không hợp lệ: %(field)s: %(reason)s")
                % {"field": first, "reason": messages[0]},
                fields=self.fields,
            )


def _authorise(actor: Any, obj: Any = None) -> None:
    if actor is not None:
        require(actor, "procedure.manage", obj)


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _length(errors: _Errors, name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.add(name, _("Tối đa %(n)d ký tự.") % {"n": limit})


def procedure_input_errors(data: ProcedureInput) -> dict[str, list[str]]:
    """Every problem of a procedure's input, by field (empty when it may be written)."""
    errors = _Errors()
    if not PROCEDURE_CODE_RE.match(data.code or ""):
        errors.add(
            "code",
            str(CODE_MESSAGE),
        )
    if not data.name.strip():
        errors.add("name", _("Tên thủ tục là bắt buộc."))
    _length(errors, "name", data.name, 500)
    if data.field is None:
        errors.add("field", _("Lĩnh vực là bắt buộc."))
    if data.level not in GovernmentLevel.values:
        errors.add(
            "level", _("Cấp thực hiện phải là: %(v)s.") % {"v": ", ".join(GovernmentLevel.values)}
        )
    if data.receiving_scope not in ReceivingScope.values:
        errors.add(
            "receiving_scope",
            _("Nơi tiếp nhận phải là: %(v)s.") % {"v": ", ".join(ReceivingScope.values)},
        )
    elif data.receiving_scope == ReceivingScope.LISTED and not data.agencies:
        errors.add("agencies", _("Cần ít nhất một cơ quan thực hiện."))
    days = _decimal(data.legal_working_days)
    if days is None or days <= 0 or days > 9999 or days != days.quantize(Decimal("0.01")):
        errors.add(
            "legal_working_days",
            _("Thời hạn giải quyết phải là số ngày làm việc lớn hơn 0 (ví dụ 0.5, 3, 15)."),
        )
        days = None
    if data.cutoff_time is not None and not isinstance(data.cutoff_time, time):
        errors.add("cutoff_time", _("Giờ tiếp nhận cuối ngày phải có dạng HH:MM."))
    if data.applicant_types not in ApplicantType.values:
        errors.add(
            "applicant_types",
            _("Đối tượng thực hiện phải là: %(v)s.") % {"v": ", ".join(ApplicantType.values)},
        )
    if not data.result_type.strip():
        errors.add("result_type", _("Kết quả thực hiện là bắt buộc."))
    _length(errors, "result_type", data.result_type, 500)
    _length(errors, "time_note", data.time_note, 500)
    if data.service_level is None:
        errors.add("service_level", _("Mức độ dịch vụ công trực tuyến là bắt buộc."))
    for problem in forms_schema.schema_errors(data.form_schema):
        errors.add("form_schema", problem)
    for index, paper in enumerate(data.papers, start=1):
        where = f"papers[{index}]"
        if not paper.name.strip():
            errors.add(where, _("Tên giấy tờ là bắt buộc."))
        _length(errors, where, paper.name, 500)
        if not isinstance(paper.copies, int) or isinstance(paper.copies, bool) or paper.copies < 1:
            errors.add(where, _("Số lượng phải là số nguyên từ 1."))
        if paper.form not in PaperForm.values:
            errors.add(where, _("Loại bản phải là: %(v)s.") % {"v": ", ".join(PaperForm.values)})
        unknown = sorted(set(paper.allowed_kinds) - KINDS.keys())
        if unknown or not paper.allowed_kinds:
            errors.add(
                where,
                _("Định dạng tệp phải thuộc: %(v)s.") % {"v": ", ".join(sorted(KINDS))},
            )
    for index, fee in enumerate(data.fees, start=1):
        where = f"fees[{index}]"
        if not fee.name.strip():
            errors.add(where, _("Tên khoản thu là bắt buộc."))
        if fee.kind not in FeeKind.values:
            errors.add(
                where, _("Loại khoản thu phải là: %(v)s.") % {"v": ", ".join(FeeKind.values)}
            )
        for amount in (fee.counter_amount, fee.online_amount):
            if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
                errors.add(where, _("Mức thu phải là số đồng nguyên không âm."))
                break
    if data.process is not None:
        process = data.process
        if not isinstance(process, Mapping):
            errors.add("process", _("Quy trình phải là một đối tượng (name, steps, transitions)."))
        elif not str(process.get("name") or "").strip():
            errors.add("process.name", _("Tên quy trình là bắt buộc."))
        elif not process.get("steps"):
            errors.add("process.steps", _("Quy trình phải có ít nhất một bước."))
    return errors.fields


def _check(data: ProcedureInput) -> ProcedureInput:
    problems = procedure_input_errors(data)
    if problems:
        errors = _Errors()
        errors.fields = problems
        errors.raise_if_any()
    process = data.process
    if process is not None:
        process = normalise_process(process, procedure_code=data.code)
    return replace(
        data,
        process=process,
        name=data.name.strip(),
        legal_working_days=_decimal(data.legal_working_days),
        form_schema=forms_schema.normalise_schema(data.form_schema),
    )


# --- processes ---------------------------------------------------------------------------------


def _process_write(
    *, actor: Any, definition: Mapping[str, Any], legal_working_days: Decimal
) -> Process:
    """The active version of the process when it already says this; else a new version
    through the workflow engine (which checks the steps, the transitions and that the
    allotments of the longest path fit in the legal time)."""
    code = definition["code"]
    current = Process.objects.filter(code=code, is_active=True).order_by("-version").first()
    if (
        current is not None
        and current.legal_working_days == legal_working_days
        and stored_process_data(current) == definition
    ):
        return current
    return process_define(
        actor=actor,
        code=code,
        name=definition["name"],
        description=definition.get("description", ""),
        legal_working_days=legal_working_days,
        steps=definition["steps"],
        transitions=definition["transitions"],
    )


# --- writing one procedure -----------------------------------------------------------------------


def search_text_for(
    *, code: str, name: str, field_name: str, result_type: str = "", agencies: Iterable[str] = ()
) -> str:
    return fold(" ".join([code, name, field_name, result_type, *agencies]))


def _sync_rows(existing: list[Any], incoming: Sequence[Any], *, build: Any, apply: Any) -> None:
    """Keep rows matched by name (so their identity and uploaded templates survive), create the
    others, delete the rest. Orders are moved out of the way first (unique per procedure)."""
    by_name: dict[str, list[Any]] = {}
    for row in existing:
        by_name.setdefault(row.name, []).append(row)
    for offset, row in enumerate(existing, start=1):
        row.order = 1000 + offset
        row.save(update_fields=["order"])
    kept: set[int] = set()
    for order, item in enumerate(incoming, start=1):
        matches = by_name.get(item.name.strip())
        if matches:
            row = matches.pop(0)
            apply(row, item, order)
            row.save()
            kept.add(row.pk)
        else:
            build(item, order).save()
    for row in existing:
        if row.pk not in kept:
            row.delete()


def _write(*, actor: Any, procedure: Procedure | None, data: ProcedureInput) -> Procedure:
    created = procedure is None
    before = None if procedure is None else _procedure_snapshot(procedure)
    target = procedure or Procedure(code=data.code)
    process = target.process
    if data.process is not None:
        process = _process_write(
            actor=actor,
            definition=data.process,
            legal_working_days=Decimal(data.legal_working_days),
        )
    assert data.field is not None and data.service_level is not None
    target.code = data.code
    target.name = data.name
    target.field = data.field
    target.level = data.level
    target.receiving_scope = data.receiving_scope
    target.legal_working_days = Decimal(data.legal_working_days)
    target.time_note = data.time_note.strip()
    target.cutoff_time = data.cutoff_time
    target.applicant_types = data.applicant_types
    target.result_type = data.result_type.strip()
    target.legal_basis = data.legal_basis.strip()
    target.description = data.description.strip()
    target.conditions = data.conditions.strip()
    target.service_level = data.service_level
    target.form_schema = data.form_schema
    target.process = process
    target.is_published = data.is_published
    target.search_text = search_text_for(
        code=data.code,
        name=data.name,
        field_name=data.field.name,
        result_type=data.result_type,
        agencies=[a.name for a in data.agencies],
    )
    target.save()
    target.agencies.set(data.agencies)

    def build_paper(item: PaperInput, order: int) -> RequiredPaper:
        row = RequiredPaper(procedure=target)
        apply_paper(row, item, order)
        return row

    def apply_paper(row: RequiredPaper, item: PaperInput, order: int) -> None:
        row.order = order
        row.name = item.name.strip()
        row.copies = item.copies
        row.form = item.form
        row.required = item.required
        row.template_name = item.template_name.strip()
        row.allowed_kinds = list(item.allowed_kinds)
        row.note = item.note.strip()

    def build_fee(item: FeeInput, order: int) -> Fee:
        row = Fee(procedure=target)
        apply_fee(row, item, order)
        return row

    def apply_fee(row: Fee, item: FeeInput, order: int) -> None:
        row.order = order
        row.name = item.name.strip()
        row.kind = item.kind
        row.counter_amount = item.counter_amount
        row.online_amount = item.online_amount
        row.note = item.note.strip()

    old_papers = [] if created else list(target.papers.all())
    old_fees = [] if created else list(target.fees.all())
    _sync_rows(old_papers, data.papers, build=build_paper, apply=apply_paper)
    _sync_rows(old_fees, data.fees, build=build_fee, apply=apply_fee)

    after = _procedure_snapshot(target)
    audit_record(
        actor=actor,
        action="procedure.create" if created else "procedure.update",
        target=target,
        summary=(_("Thêm thủ tục %(c)s") if created else _("Cập nhật thủ tục %(c)s"))
        % {"c": target.code},
        before=before,
        after=after,
    )
    return target


def _procedure_snapshot(procedure: Procedure) -> dict[str, Any]:
    data = snapshot(procedure, PROCEDURE_FIELDS)
    data["agencies"] = sorted(procedure.agencies.values_list("code", flat=True))
    data["papers"] = list(
        procedure.papers.order_by("order").values_list("name", "copies", "form", "required")
    )
    data["fees"] = list(
        procedure.fees.order_by("order").values_list(
            "name", "kind", "counter_amount", "online_amount"
        )
    )
    return data


def procedure_create(*, actor: Any, data: ProcedureInput) -> Procedure:
    _authorise(actor)
    data = _check(data)
    with transaction.atomic():
        if Procedure.objects.filter(code=data.code).exists():
            raise ValidationFailed(
                _("Mã thủ tục %(c)s đã có trong danh mục.") % {"c": data.code},
                fields={"code": [_("Mã thủ tục đã có.")]},
            )
        return _write(actor=actor, procedure=None, data=data)


def procedure_update(*, actor: Any, procedure: Procedure, data: ProcedureInput) -> Procedure:
    """Replace a procedure's attributes, papers, fees and form; a changed process definition
    becomes a new process version (`data.process` None keeps the current process)."""
    _authorise(actor, procedure)
    data = _check(data)
    with transaction.atomic():
        locked = Procedure.objects.select_for_update(of=("self",)).get(pk=procedure.pk)
        if data.code != locked.code and Procedure.objects.filter(code=data.code).exists():
            raise ValidationFailed(
                _("Mã thủ tục %(c)s đã có trong danh mục.") % {"c": data.code},
                fields={"code": [_("Mã thủ tục đã có.")]},
            )
        return _write(actor=actor, procedure=locked, data=data)


def procedure_publish(*, actor: Any, procedure: Procedure, published: bool = True) -> Procedure:
    """Show (or hide) a procedure on the portal and the public API."""
    _authorise(actor, procedure)
    with transaction.atomic():
        locked = Procedure.objects.select_for_update(of=("self",)).get(pk=procedure.pk)
        if locked.is_published == published:
            return locked
        locked.is_published = published
        locked.save(update_fields=["is_published", "updated_at"])
        audit_record(
            actor=actor,
            action="procedure.publish" if published else "procedure.unpublish",
            target=locked,
            summary=(
                _("Công khai thủ tục %(c)s") if published else _("Ngừng công khai thủ tục %(c)s")
            )
            % {"c": locked.code},
            before={"is_published": not published},
            after={"is_published": published},
        )
        return locked


def paper_template_set(
    *, actor: Any, paper: RequiredPaper, upload: File | IO[bytes] | None
) -> RequiredPaper:
    """Attach (or, with None, remove) the downloadable template of a paper."""
    _authorise(actor, paper.procedure)
    with transaction.atomic():
        stored = (
            None
            if upload is None
            else file_store(upload=upload, field="template", allowed=TEMPLATE_KINDS, actor=actor)
        )
        before = {"template_id": paper.template_id}
        paper.template = stored
        if stored is not None and not paper.template_name:
            paper.template_name = stored.original_name
        paper.save(update_fields=["template", "template_name"])
        audit_record(
            actor=actor,
            action="procedure.paper_template",
            target=paper.procedure,
            summary=_("Cập nhật mẫu “%(p)s” của thủ tục %(c)s")
            % {"p": paper.name, "c": paper.procedure.code},
            before=before,
            after={"template_id": paper.template_id, "sha256": stored.sha256 if stored else None},
        )
        return paper


# --- reference data ----------------------------------------------------------------------------


def service_levels_ensure_standard(*, actor: Any) -> list[ServiceLevel]:
    """The Decree 42/2022 levels, created when missing (names kept when an administrator
    changed them)."""
    _authorise(actor)
    result = []
    with transaction.atomic():
        for spec in STANDARD_SERVICE_LEVELS:
            level = ServiceLevel.objects.filter(code=spec.code).first()
            if level is None:
                level = ServiceLevel.objects.create(
                    code=spec.code,
                    name=spec.name,
                    description=spec.description,
                    allows_online_submission=spec.allows_online_submission,
                    order=spec.order,
                )
                audit_record(
                    actor=actor,
                    action="service_level.create",
                    target=level,
                    summary=_("Thêm mức độ dịch vụ %(c)s") % {"c": level.code},
                    after=snapshot(level, ("code", "name", "allows_online_submission")),
                )
            result.append(level)
    return result


def field_ensure(*, actor: Any, code: str, name: str, order: int = 100) -> Field:
    """The field with this code, created or renamed to `name`."""
    _authorise(actor)
    errors = _Errors()
    code = (code or "").strip()
    name = (name or "").strip()
    if not FIELD_CODE_RE.match(code):
        errors.add("code", _("Mã lĩnh vực chỉ gồm chữ thường không dấu, số, gạch ngang."))
    if not name:
        errors.add("name", _("Tên lĩnh vực là bắt buộc."))
    _length(errors, "name", name, 255)
    errors.raise_if_any()
    with transaction.atomic():
        item = Field.objects.filter(code=code).first()
        if item is not None and (item.name, item.order) == (name, order):
            return item
        before = None if item is None else snapshot(item, ("code", "name", "order"))
        if item is None:
            item = Field(code=code)
        item.name = name
        item.order = order
        item.save()
        audit_record(
            actor=actor,
            action="procedure_field.create" if before is None else "procedure_field.update",
            target=item,
            summary=_("Lĩnh vực %(c)s: %(n)s") % {"c": code, "n": name},
            before=before,
            after=snapshot(item, ("code", "name", "order")),
        )
        return item


# --- import ----------------------------------------------------------------------------------


class CatalogueImportRefused(ValidationFailed):
    """The file has bad rows; nothing was written. `errors` lists every one."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = sorted(set(errors))
        fields: dict[str, list[str]] = {}
        for e in self.errors:
            fields.setdefault(e.where, []).append(f"{e.field}: {e.reason}")
        super().__init__(
            _("Tệp có %(n)d lỗi; chưa nhập gì.") % {"n": len(self.errors)}, fields=fields
        )


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)


def catalogue_import(
    *,
    actor: Any,
    rows: Sequence[ImportRow],
    fields: Sequence[tuple[str, str, int]] = (),
    errors: Sequence[RowError] = (),
) -> ImportReport:
    """Create or update (by code) every procedure of a file, or nothing.

    Every row is checked first (reading errors carried by the rows, then `procedure_input_errors`
    and codes repeated in the file); any error raises `CatalogueImportRefused` listing all of
    them, with the row and the field. Then all rows are written in one transaction.
    """
    _authorise(actor)
    problems: list[RowError] = list(errors)
    seen: dict[str, str] = {}
    for row in rows:
        problems.extend(row.errors)
        if row.data is None:
            continue
        for name, messages in procedure_input_errors(row.data).items():
            where = row.locations.get(name, row.where)
            problems.extend(RowError(where, name, m) for m in messages)
        if row.data.code in seen:
            problems.append(
                RowError(
                    row.where,
                    "code",
                    _("Mã %(c)s lặp lại (đã có ở %(w)s).")
                    % {"c": row.data.code, "w": seen[row.data.code]},
                )
            )
        seen.setdefault(row.data.code, row.where)
    if problems:
        raise CatalogueImportRefused(problems)
    report = ImportReport()
    with transaction.atomic():
        saved_fields = {
            code: field_ensure(actor=actor, code=code, name=name, order=order)
            for code, name, order in fields
        }
        existing = {
            p.code: p
            for p in Procedure.objects.select_for_update(of=("self",)).filter(code__in=list(seen))
        }
        for row in rows:
            assert row.data is not None
            data = row.data
            field_obj = data.field
            assert field_obj is not None
            if field_obj.pk is None:  # a field the file defines
                data = replace(data, field=saved_fields[field_obj.code])
            data = _check(data)
            current = existing.get(data.code)
            try:
                # A savepoint per row: a refusal from the workflow engine (steps, allotments)
                # is collected, the other rows still checked; any refusal undoes everything.
                with transaction.atomic():
                    if current is None:
                        _write(actor=actor, procedure=None, data=data)
                        report.created.append(data.code)
                    elif procedure_as_data(current) == procedure_input_as_data(data):
                        report.unchanged.append(data.code)
                    else:
                        _write(actor=actor, procedure=current, data=data)
                        report.updated.append(data.code)
            except ValidationFailed as exc:
                problems.extend(_row_errors(row, exc))
        if problems:
            raise CatalogueImportRefused(problems)  # leaving the block rolls everything back
    return report


_ENGINE_STEP = re.compile(r"^(steps|transitions)\[(\d+)\]")


def _row_errors(row: ImportRow, exc: ValidationFailed) -> list[RowError]:
    """The engine's field errors (``steps[0] (intake).allotted_hours``) placed in the file."""
    found: list[RowError] = []
    for name, messages in (exc.fields or {"-": [exc.message]}).items():
        where = row.where
        match = _ENGINE_STEP.match(name)
        if match:
            where = row.locations.get(f"process.{match[1]}[{int(match[2]) + 1}]", row.where)
        label = name if name.startswith("process") or name == "-" else f"process.{name}"
        found.extend(RowError(where, label, m) for m in messages)
    return found
