"""The catalogue's file formats, JSON and XLSX (docs/catalogue-format.md): reading a file into
`ImportRow`s for `services.catalogue_import`, and writing procedures out.

Both formats carry the same data; one procedure as a dict (`procedure_as_data`) is the JSON
item, and the XLSX workbook spreads the same keys over one sheet per table, keyed by the
procedure code. Reading never writes: it resolves codes (fields, service levels, agencies) and
reports what it cannot read, each problem with its place in the file and its field.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from egov.organisations.models import Agency
from egov.procedures.inputs import FeeInput, PaperInput, ProcedureInput
from egov.procedures.models import Field, Procedure, ServiceLevel
from egov.workflow.services import process_as_data

FORMAT = "egov-procedures"
VERSION = 1

PROCEDURE_KEYS = (
    "code",
    "name",
    "field",
    "level",
    "receiving_scope",
    "agencies",
    "legal_working_days",
    "time_note",
    "cutoff_time",
    "applicant_types",
    "result_type",
    "service_level",
    "is_published",
    "legal_basis",
    "description",
    "conditions",
)
PAPER_KEYS = ("name", "copies", "form", "required", "template_name", "allowed_kinds", "note")
FEE_KEYS = ("name", "kind", "counter_amount", "online_amount", "note")
FORM_KEYS = ("name", "label", "type", "required", "choices", "min", "max", "pattern", "help")
# The process format is the workflow engine's (`egov.workflow.services.process_define`).
PROCESS_KEYS = ("code", "name", "description", "steps", "transitions")
STEP_KEYS = (
    "code",
    "name",
    "order",
    "kind",
    "actor_roles",
    "actor_agency",
    "actor_unit",
    "allotted_hours",
    "is_final",
)
TRANSITION_KEYS = ("source", "action", "target", "label")


# --- rows ----------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class RowError:
    """One problem of an imported file: where (sheet and row, or JSON item) and which field."""

    where: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.reason}"


@dataclass(frozen=True)
class ImportRow:
    """One procedure of a file: where it was read, its input (None when unreadable), the
    problems found while reading it, and where its papers, fees… were read (for messages)."""

    where: str
    data: ProcedureInput | None
    errors: tuple[RowError, ...] = ()
    locations: Mapping[str, str] = field(default_factory=dict)


@dataclass
class ParsedFile:
    rows: list[ImportRow]
    fields: list[tuple[str, str, int]]  # (code, name, order) of fields the file defines
    errors: list[RowError]


# --- writing -------------------------------------------------------------------------------


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _time(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def process_code_for(procedure_code: str) -> str:
    """The default process code of a procedure: ``1.001193`` → ``tthc-1-001193``."""
    return "tthc-" + procedure_code.lower().replace(".", "-")


def stored_process_data(process: Any) -> dict[str, Any]:
    """A process in the catalogue format (the engine's, without version and legal time: the
    procedure carries the legal time)."""
    data = process_as_data(process)
    return {key: data[key] for key in PROCESS_KEYS}


def _plain_number(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        return value
    return _number(number) if number.is_finite() else value


def normalise_process(raw: Mapping[str, Any], *, procedure_code: str) -> dict[str, Any]:
    """A process definition with the engine's defaults filled in, so that it compares equal to
    `stored_process_data` of the process it defines. Bad values are left for the engine to
    refuse, with its messages."""
    steps = []
    for index, step in enumerate(raw.get("steps") or []):
        if not isinstance(step, Mapping):
            steps.append(step)
            continue
        item = dict(step)
        item.setdefault("order", index + 1)
        item.setdefault("kind", "processing")
        item.setdefault("actor_roles", [])
        item.setdefault("actor_agency", None)
        item.setdefault("actor_unit", None)
        item["allotted_hours"] = _plain_number(item.get("allotted_hours", 0))
        item.setdefault("is_final", False)
        steps.append(item)
    transitions = []
    for tr in raw.get("transitions") or []:
        if not isinstance(tr, Mapping):
            transitions.append(tr)
            continue
        item = dict(tr)
        item.setdefault("target", None)
        item["label"] = item.get("label") or ""
        transitions.append(item)
    return {
        "code": str(raw.get("code") or process_code_for(procedure_code)),
        "name": str(raw.get("name") or "").strip(),
        "description": str(raw.get("description") or "").strip(),
        "steps": steps,
        "transitions": transitions,
    }


def procedure_as_data(procedure: Procedure) -> dict[str, Any]:
    """One procedure in the file format (JSON-safe). Prefetch with
    `selectors.procedures_for_export` to keep the query count flat."""
    data: dict[str, Any] = {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field.code,
        "level": procedure.level,
        "receiving_scope": procedure.receiving_scope,
        "agencies": sorted(a.code for a in procedure.agencies.all()),
        "legal_working_days": _number(procedure.legal_working_days),
        "time_note": procedure.time_note,
        "cutoff_time": _time(procedure.cutoff_time),
        "applicant_types": procedure.applicant_types,
        "result_type": procedure.result_type,
        "service_level": procedure.service_level.code,
        "is_published": procedure.is_published,
        "legal_basis": procedure.legal_basis,
        "description": procedure.description,
        "conditions": procedure.conditions,
        "papers": [
            {
                "name": p.name,
                "copies": p.copies,
                "form": p.form,
                "required": p.required,
                "template_name": p.template_name,
                "allowed_kinds": list(p.allowed_kinds),
                "note": p.note,
            }
            for p in sorted(procedure.papers.all(), key=lambda p: p.order)
        ],
        "fees": [
            {
                "name": f.name,
                "kind": f.kind,
                "counter_amount": f.counter_amount,
                "online_amount": f.online_amount,
                "note": f.note,
            }
            for f in sorted(procedure.fees.all(), key=lambda f: f.order)
        ],
        "form_schema": list(procedure.form_schema or []),
        "process": stored_process_data(procedure.process) if procedure.process_id else None,
    }
    return data


def procedure_input_as_data(data: ProcedureInput) -> dict[str, Any]:
    """A `ProcedureInput` in the file format; equal to `procedure_as_data` of the procedure it
    would write (the services use this to skip unchanged rows on re-import)."""
    from egov.procedures.forms_schema import normalise_schema

    assert data.field is not None and data.service_level is not None
    process = data.process
    return {
        "code": data.code,
        "name": data.name.strip(),
        "field": data.field.code,
        "level": data.level,
        "receiving_scope": data.receiving_scope,
        "agencies": sorted(a.code for a in data.agencies),
        "legal_working_days": _number(Decimal(data.legal_working_days)),
        "time_note": data.time_note.strip(),
        "cutoff_time": _time(data.cutoff_time),
        "applicant_types": data.applicant_types,
        "result_type": data.result_type.strip(),
        "service_level": data.service_level.code,
        "is_published": data.is_published,
        "legal_basis": data.legal_basis.strip(),
        "description": data.description.strip(),
        "conditions": data.conditions.strip(),
        "papers": [
            {
                "name": p.name.strip(),
                "copies": p.copies,
                "form": p.form,
                "required": p.required,
                "template_name": p.template_name.strip(),
                "allowed_kinds": list(p.allowed_kinds),
                "note": p.note.strip(),
            }
            for p in data.papers
        ],
        "fees": [
            {
                "name": f.name.strip(),
                "kind": f.kind,
                "counter_amount": f.counter_amount,
                "online_amount": f.online_amount,
                "note": f.note.strip(),
            }
            for f in data.fees
        ],
        "form_schema": normalise_schema(data.form_schema),
        "process": None
        if process is None
        else normalise_process(process, procedure_code=data.code),
    }


def catalogue_as_data(procedures: Iterable[Procedure]) -> dict[str, Any]:
    items = list(procedures)
    fields = {p.field.code: p.field for p in items}
    return {
        "format": FORMAT,
        "version": VERSION,
        "fields": [
            {"code": f.code, "name": f.name, "order": f.order}
            for f in sorted(fields.values(), key=lambda f: (f.order, f.code))
        ],
        "procedures": [procedure_as_data(p) for p in items],
    }


def write_json(procedures: Iterable[Procedure]) -> bytes:
    return (json.dumps(catalogue_as_data(procedures), ensure_ascii=False, indent=2) + "\n").encode()


def _cell(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def _choices_cell(choices: Sequence[Mapping[str, str]] | None) -> str:
    return "; ".join(
        c["value"] if c["value"] == c["label"] else f"{c['value']}={c['label']}"
        for c in choices or []
    )


def write_xlsx(procedures: Iterable[Procedure]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data = catalogue_as_data(procedures)
    book = Workbook()
    sheets: dict[str, Any] = {}

    def sheet(name: str, header: Sequence[str]) -> Any:
        ws = book.create_sheet(name)
        ws.append(list(header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        sheets[name] = ws
        return ws

    book.remove(book.active)
    fields_ws = sheet("fields", ("code", "name", "order"))
    for f in data["fields"]:
        fields_ws.append([f["code"], f["name"], f["order"]])
    proc_ws = sheet(
        "procedures",
        (*PROCEDURE_KEYS, "process_code", "process_name", "process_description"),
    )
    papers_ws = sheet("papers", ("procedure", *PAPER_KEYS))
    fees_ws = sheet("fees", ("procedure", *FEE_KEYS))
    form_ws = sheet("form_fields", ("procedure", *FORM_KEYS))
    steps_ws = sheet("steps", ("procedure", *STEP_KEYS))
    trans_ws = sheet("transitions", ("procedure", *TRANSITION_KEYS))
    for item in data["procedures"]:
        code = item["code"]
        process = item["process"]
        proc_ws.append(
            [_cell(item[k]) for k in PROCEDURE_KEYS]
            + (
                [process["code"], process["name"], process["description"]]
                if process
                else [None, None, None]
            )
        )
        for p in item["papers"]:
            papers_ws.append([code, *(_cell(p[k]) for k in PAPER_KEYS)])
        for f in item["fees"]:
            fees_ws.append([code, *(_cell(f[k]) for k in FEE_KEYS)])
        for spec in item["form_schema"]:
            form_ws.append(
                [
                    code,
                    *(
                        _choices_cell(spec.get("choices")) if k == "choices" else _cell(spec.get(k))
                        for k in FORM_KEYS
                    ),
                ]
            )
        if process:
            for step in process["steps"]:
                steps_ws.append([code, *(_cell(step.get(k)) for k in STEP_KEYS)])
            for tr in process["transitions"]:
                trans_ws.append([code, *(_cell(tr.get(k)) for k in TRANSITION_KEYS)])
    for ws in sheets.values():
        for column in ws.columns:
            width = max(len(str(c.value or "")) for c in column[:50])
            ws.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading -------------------------------------------------------------------------------------


class _Refs:
    """Codes the file may name, read once: fields, service levels, agencies."""

    def __init__(self, file_fields: Sequence[tuple[str, str, int]]) -> None:
        self.fields = {f.code: f for f in Field.objects.all()}
        for code, name, order in file_fields:
            if code not in self.fields:
                self.fields[code] = Field(code=code, name=name, order=order)  # saved by the import
        self.levels = {lv.code: lv for lv in ServiceLevel.objects.all()}
        self.agencies = {a.code: a for a in Agency.objects.all()}


class _Reader:
    """Reads one procedure's values, collecting problems instead of stopping at the first."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.errors: list[RowError] = []

    def bad(self, name: str, reason: str, where: str | None = None) -> None:
        self.errors.append(RowError(where or self.where, name, reason))

    def text(self, row: Mapping[str, Any], key: str, *, where: str | None = None) -> str:
        value = row.get(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, str | int | float):
            self.bad(key, _("phải là chữ."), where)
            return ""
        return str(value).strip()

    def boolean(
        self, row: Mapping[str, Any], key: str, default: bool, *, where: str | None = None
    ) -> bool:
        value = row.get(key)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"true", "1", "x", "co", "có", "yes"}:
            return True
        if text in {"false", "0", "khong", "không", "no"}:
            return False
        self.bad(key, _("phải là true hoặc false."), where)
        return default

    def integer(
        self, row: Mapping[str, Any], key: str, default: int, *, where: str | None = None
    ) -> int:
        value = row.get(key)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            self.bad(key, _("phải là số nguyên."), where)
            return default
        try:
            number = Decimal(str(value).replace(" ", "").replace(".", "").replace(",", ""))
            if isinstance(value, int | float):
                number = Decimal(str(value))
        except InvalidOperation:
            self.bad(key, _("phải là số nguyên."), where)
            return default
        if number != number.to_integral_value():
            self.bad(key, _("phải là số nguyên."), where)
            return default
        return int(number)

    def decimal(self, row: Mapping[str, Any], key: str, *, where: str | None = None) -> Any:
        value = row.get(key)
        if value is None or value == "":
            self.bad(key, _("là bắt buộc."), where)
            return None
        if isinstance(value, bool):
            self.bad(key, _("phải là một số."), where)
            return None
        try:
            return Decimal(str(value).replace(",", "."))
        except InvalidOperation:
            self.bad(key, _("phải là một số."), where)
            return None

    def words(self, row: Mapping[str, Any], key: str, *, where: str | None = None) -> list[str]:
        value = row.get(key)
        if value is None or value == "":
            return []
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()]
        if isinstance(value, str):
            return [v.strip() for v in re.split(r"[,;\n]", value) if v.strip()]
        self.bad(key, _("phải là một danh sách."), where)
        return []

    def clock(self, row: Mapping[str, Any], key: str) -> time | None:
        value = row.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, time):
            return value
        match = re.fullmatch(r"(\d{1,2})[:hg](\d{2})", str(value).strip())
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            self.bad(key, _("phải có dạng HH:MM, ví dụ 15:00."))
            return None
        return time(int(match[1]), int(match[2]))


def input_from_data(
    item: Mapping[str, Any],
    where: str,
    refs: _Refs | None = None,
    *,
    locations: Mapping[str, str] | None = None,
) -> ImportRow:
    """One procedure from its file-format dict (JSON item, rows gathered from the sheets, or
    the workspace's edit form)."""
    refs = refs or _Refs(())
    r = _Reader(where)
    if not isinstance(item, Mapping):
        return ImportRow(where, None, (RowError(where, "-", _("phải là một đối tượng.")),))
    locs = dict(locations or {})
    code = r.text(item, "code")
    if code:
        r.where = where = f"{where} ({code})"
    field_code = r.text(item, "field")
    field_obj = refs.fields.get(field_code)
    if field_code and field_obj is None:
        r.bad("field", _("lĩnh vực “%(c)s” không có.") % {"c": field_code})
    level_code = r.text(item, "service_level")
    level = refs.levels.get(level_code)
    if level_code and level is None:
        r.bad(
            "service_level",
            _("mức độ “%(c)s” không có; các mức: %(v)s.")
            % {"c": level_code, "v": ", ".join(refs.levels)},
        )
    agencies = []
    for agency_code in r.words(item, "agencies"):
        agency = refs.agencies.get(agency_code)
        if agency is None:
            r.bad("agencies", _("cơ quan mã “%(c)s” không có.") % {"c": agency_code})
        else:
            agencies.append(agency)

    papers = []
    raw_papers = item.get("papers") or []
    if not isinstance(raw_papers, list):
        r.bad("papers", _("phải là một danh sách."))
        raw_papers = []
    for index, paper in enumerate(raw_papers, start=1):
        at = locs.get(f"papers[{index}]")
        if not isinstance(paper, Mapping):
            r.bad(f"papers[{index}]", _("phải là một đối tượng."), at)
            continue
        papers.append(
            PaperInput(
                name=r.text(paper, "name", where=at),
                copies=r.integer(paper, "copies", 1, where=at),
                form=r.text(paper, "form", where=at) or "original",
                required=r.boolean(paper, "required", True, where=at),
                template_name=r.text(paper, "template_name", where=at),
                allowed_kinds=tuple(r.words(paper, "allowed_kinds", where=at))
                or ("pdf", "jpeg", "png"),
                note=r.text(paper, "note", where=at),
            )
        )
    fees = []
    raw_fees = item.get("fees") or []
    if not isinstance(raw_fees, list):
        r.bad("fees", _("phải là một danh sách."))
        raw_fees = []
    for index, fee in enumerate(raw_fees, start=1):
        at = locs.get(f"fees[{index}]")
        if not isinstance(fee, Mapping):
            r.bad(f"fees[{index}]", _("phải là một đối tượng."), at)
            continue
        counter = r.integer(fee, "counter_amount", 0, where=at)
        fees.append(
            FeeInput(
                name=r.text(fee, "name", where=at),
                kind=r.text(fee, "kind", where=at) or "charge",
                counter_amount=counter,
                online_amount=r.integer(fee, "online_amount", counter, where=at),
                note=r.text(fee, "note", where=at),
            )
        )
    process = item.get("process") or None
    if process is not None and not isinstance(process, Mapping):
        r.bad("process", _("phải là một đối tượng."))
        process = None

    data = ProcedureInput(
        code=code,
        name=r.text(item, "name"),
        field=field_obj,
        level=r.text(item, "level"),
        legal_working_days=r.decimal(item, "legal_working_days"),
        result_type=r.text(item, "result_type"),
        service_level=level,
        agencies=tuple(agencies),
        receiving_scope=r.text(item, "receiving_scope") or "listed",
        time_note=r.text(item, "time_note"),
        cutoff_time=r.clock(item, "cutoff_time"),
        applicant_types=r.text(item, "applicant_types") or "citizen",
        legal_basis=r.text(item, "legal_basis"),
        description=r.text(item, "description"),
        conditions=r.text(item, "conditions"),
        form_schema=item.get("form_schema") or [],
        papers=tuple(papers),
        fees=tuple(fees),
        process=process,
        is_published=r.boolean(item, "is_published", False),
    )
    return ImportRow(where, data, tuple(r.errors), locs)


def _file_fields(raw: Any, errors: list[RowError], label: str) -> list[tuple[str, str, int]]:
    result = []
    for index, item in enumerate(raw or [], start=1):
        where = f"{label} #{index}" if label == "fields" else f"{label} {index}"
        if not isinstance(item, Mapping) or not item.get("code") or not item.get("name"):
            errors.append(RowError(where, "code, name", _("cần mã và tên lĩnh vực.")))
            continue
        try:
            order = int(item.get("order") or 100)
        except (TypeError, ValueError):
            errors.append(RowError(where, "order", _("phải là số nguyên.")))
            continue
        result.append((str(item["code"]).strip(), str(item["name"]).strip(), order))
    return result


def read_json(content: bytes) -> ParsedFile:
    """Read a JSON catalogue (``{"format", "version", "fields", "procedures"}``, or a bare list
    of procedures)."""
    errors: list[RowError] = []
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", 0)
        return ParsedFile(
            [],
            [],
            [
                RowError(
                    _("dòng %(n)d") % {"n": line}, "-", _("không đọc được JSON: %(e)s") % {"e": exc}
                )
            ],
        )
    if isinstance(document, list):
        document = {"procedures": document}
    if not isinstance(document, dict) or not isinstance(document.get("procedures"), list):
        return ParsedFile(
            [], [], [RowError("-", "procedures", _("tệp phải có danh sách procedures."))]
        )
    if document.get("format", FORMAT) != FORMAT or document.get("version", VERSION) != VERSION:
        errors.append(
            RowError(
                "-",
                "format",
                _("chỉ đọc được %(f)s phiên bản %(v)d.") % {"f": FORMAT, "v": VERSION},
            )
        )
    fields = _file_fields(document.get("fields"), errors, "fields")
    refs = _Refs(fields)
    rows = [
        input_from_data(item, _("thủ tục #%(n)d") % {"n": index}, refs)
        for index, item in enumerate(document["procedures"], start=1)
    ]
    return ParsedFile(rows, fields, errors)


def _sheet_rows(book: Any, name: str, errors: list[RowError]) -> list[tuple[int, dict[str, Any]]]:
    if name not in book.sheetnames:
        return []
    ws = book[name]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        return []
    keys = [str(h).strip() if h is not None else "" for h in header]
    result = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        row = {k: v for k, v in zip(keys, values, strict=False) if k}
        result.append((number, row))
    return result


def _parse_choices(value: Any) -> list[dict[str, str]] | None:
    if value is None or str(value).strip() == "":
        return None
    choices = []
    for part in str(value).split(";"):
        part = part.strip()
        if not part:
            continue
        choice_value, _sep, label = part.partition("=")
        choices.append({"value": choice_value.strip(), "label": (label or choice_value).strip()})
    return choices


def _form_spec(row: Mapping[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    for key in FORM_KEYS:
        value = row.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key == "choices":
            spec[key] = _parse_choices(value)
        elif key == "required":
            spec[key] = (
                value
                if isinstance(value, bool)
                else str(value).strip().lower()
                in {
                    "true",
                    "1",
                    "x",
                    "có",
                    "co",
                }
            )
        elif (key in {"min", "max"} and isinstance(value, float) and value.is_integer()) or (
            key in {"min", "max"} and isinstance(value, str) and re.fullmatch(r"-?\d+", value)
        ):
            spec[key] = int(value)
        elif hasattr(value, "isoformat"):
            spec[key] = value.date().isoformat() if hasattr(value, "date") else value.isoformat()
        else:
            spec[key] = value
    return spec


def _plain_cells(row: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key in keys:
        value = row.get(key)
        if isinstance(value, str):
            value = value.strip()
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value is None or value == "":
            continue
        result[key] = value
    return result


def _step_from_sheet(row: Mapping[str, Any]) -> dict[str, Any]:
    step = _plain_cells(row, STEP_KEYS)
    roles = step.get("actor_roles")
    if isinstance(roles, str):
        step["actor_roles"] = [r.strip() for r in re.split(r"[,;]", roles) if r.strip()]
    final = step.get("is_final")
    if isinstance(final, str):
        step["is_final"] = final.lower() in {"true", "1", "x", "có", "co"}
    if isinstance(step.get("actor_agency"), int | float):
        step["actor_agency"] = str(step["actor_agency"])
    return step


def read_xlsx(content: bytes) -> ParsedFile:
    """Read a workbook: sheets fields, procedures, papers, fees, form_fields, steps and
    transitions; child rows name their procedure in the column ``procedure``."""
    from openpyxl import load_workbook

    errors: list[RowError] = []
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        return ParsedFile(
            [], [], [RowError("-", "-", _("không đọc được tệp XLSX: %(e)s") % {"e": exc})]
        )
    if "procedures" not in book.sheetnames:
        return ParsedFile([], [], [RowError("-", "procedures", _("thiếu trang tính procedures."))])
    fields = _file_fields(
        [row for _n, row in _sheet_rows(book, "fields", errors)], errors, "fields"
    )
    procedures = _sheet_rows(book, "procedures", errors)
    codes = {str(row.get("code") or "").strip() for _n, row in procedures}
    children: dict[str, dict[str, list[tuple[int, dict[str, Any]]]]] = {}
    for sheet in ("papers", "fees", "form_fields", "steps", "transitions"):
        for number, row in _sheet_rows(book, sheet, errors):
            owner = str(row.get("procedure") or "").strip()
            if owner not in codes:
                errors.append(
                    RowError(
                        f"{sheet} dòng {number}",
                        "procedure",
                        _("không có thủ tục mã “%(c)s” trong trang procedures.") % {"c": owner},
                    )
                )
                continue
            children.setdefault(owner, {}).setdefault(sheet, []).append((number, row))
    refs = _Refs(fields)
    rows = []
    for number, row in procedures:
        code = str(row.get("code") or "").strip()
        mine = children.get(code, {})
        locations: dict[str, str] = {}
        item: dict[str, Any] = dict(row)
        for key, sheet in (("papers", "papers"), ("fees", "fees")):
            item[key] = []
            for index, (n, child) in enumerate(mine.get(sheet, []), start=1):
                item[key].append(child)
                locations[f"{key}[{index}]"] = f"{sheet} dòng {n}"
        item["form_schema"] = [_form_spec(child) for _n, child in mine.get("form_fields", [])]
        if mine.get("steps") or row.get("process_name"):
            for index, (n, _child) in enumerate(mine.get("steps", []), start=1):
                locations[f"process.steps[{index}]"] = f"steps dòng {n}"
            for index, (n, _child) in enumerate(mine.get("transitions", []), start=1):
                locations[f"process.transitions[{index}]"] = f"transitions dòng {n}"
            item["process"] = {
                "code": row.get("process_code") or "",
                "name": row.get("process_name") or "",
                "description": row.get("process_description") or "",
                "steps": [_step_from_sheet(child) for _n, child in mine.get("steps", [])],
                "transitions": [
                    _plain_cells(child, TRANSITION_KEYS)
                    for _n, child in mine.get("transitions", [])
                ],
            }
        rows.append(input_from_data(item, f"procedures dòng {number}", refs, locations=locations))
    return ParsedFile(rows, fields, errors)


def read_file(name: str, content: bytes) -> ParsedFile:
    if name.lower().endswith(".xlsx"):
        return read_xlsx(content)
    return read_json(content)
