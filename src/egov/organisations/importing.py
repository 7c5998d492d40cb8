"""Importing agencies and staff from CSV and XLSX files.

The rule: every bad row is reported with its line and reason, and nothing is imported when
any row is bad. Rows are checked in two passes before anything is committed:

1. the file itself: required columns and fields, code format, duplicates inside the file,
   parents that exist neither in the file nor in the database, cycles;
2. every row through the services (the same rules as the pages and the API), in one
   transaction, parents before children; any refusal rolls the whole transaction back.

An existing agency code (or staff username) is updated in place. Columns are documented in
docs/guides/administrator.md.
"""

from __future__ import annotations

import csv
import io
import secrets
import string
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from egov.accounts.models import User
from egov.core.errors import AppError
from egov.organisations import services
from egov.organisations.codes import AGENCY_CODE_RE
from egov.organisations.models import Agency, AgencyKind, Position, RoleCode, StaffMember, Unit
from egov.organisations.search import fold

# --- result and error types ---------------------------------------------------------------


@dataclass(frozen=True, order=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"dòng {self.line}: {self.column}: {self.reason}"


class ImportRefused(Exception):
    """The file has bad rows; nothing was written. `errors` lists them all, by line."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # (username, password) for new accounts whose password was generated
    generated_passwords: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()


Progress = Callable[[Iterable[Any], int], Iterable[Any]]


def _no_progress(items: Iterable[Any], total: int) -> Iterable[Any]:
    return items


# --- reading files -------------------------------------------------------------------------


def normalise_header(name: str) -> str:
    """'Mã định danh' → 'ma_dinh_danh': headers may be typed with or without accents."""
    folded = fold(str(name or ""))
    for ch in " -./()":
        folded = folded.replace(ch, "_")
    while "__" in folded:
        folded = folded.replace("__", "_")
    return folded.strip("_")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%H:%M") if value.date().year <= 1900 else value.isoformat()
    if isinstance(value, dtime):
        return value.strftime("%H:%M")
    return str(value).strip()


def read_table(path: str | Path, *, sheet: str | None = None) -> list[Row]:
    """Rows of a CSV (UTF-8, comma/semicolon/tab) or XLSX file; header on line 1.

    Line numbers are those a spreadsheet shows: the header is line 1. Empty rows are skipped.
    Raises ImportRefused for an unreadable file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise ImportRefused([RowError(0, "tệp", _("không tìm thấy tệp %(p)s") % {"p": path})])
    if suffix == ".csv":
        records = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        records = _read_xlsx(path, sheet=sheet)
    else:
        raise ImportRefused([RowError(0, "tệp", _("chỉ nhận tệp .csv hoặc .xlsx"))])
    header: list[str] | None = None
    rows: list[Row] = []
    for line, cells in records:
        if header is None:
            header = [normalise_header(c) for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue
        values = {header[i]: cells[i] for i in range(min(len(header), len(cells))) if header[i]}
        rows.append(Row(line=line, values=values))
    if header is None:
        raise ImportRefused([RowError(1, "tệp", _("tệp trống, thiếu dòng tiêu đề"))])
    return rows


def _read_csv(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused([RowError(0, "tệp", _("tệp CSV phải mã hóa UTF-8"))]) from exc
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    next_line = 1
    for cells in reader:
        yield next_line, [c.strip() for c in cells]
        next_line = reader.line_num + 1


def _read_xlsx(path: Path, *, sheet: str | None) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportRefused(
            [RowError(0, "tệp", _("không đọc được tệp XLSX: %(e)s") % {"e": exc})]
        ) from exc
    try:
        if sheet:
            if sheet not in workbook.sheetnames:
                raise ImportRefused(
                    [RowError(0, "tệp", _("không có trang tính “%(s)s”") % {"s": sheet})]
                )
            ws = workbook[sheet]
        else:
            ws = workbook.worksheets[0]
        for index, values in enumerate(ws.iter_rows(values_only=True), start=1):
            yield index, [_cell_text(v) for v in values]
    finally:
        workbook.close()


def _require_columns(
    rows: list[Row], required: Iterable[str], known: Iterable[str]
) -> list[RowError]:
    present: set[str] = set()
    for row in rows:
        present.update(row.values)
    if not rows:
        return [RowError(1, "tệp", _("tệp không có dòng dữ liệu nào"))]
    errors = [
        RowError(1, column, _("thiếu cột bắt buộc")) for column in required if column not in present
    ]
    unknown = sorted(present - set(known))
    errors.extend(RowError(1, column, _("cột không được hỗ trợ")) for column in unknown)
    return errors


def _parse_bool(value: str) -> bool | None:
    folded = fold(value)
    if folded in ("", "1", "co", "x", "yes", "true", "dang hoat dong", "dang cong tac"):
        return True
    if folded in ("0", "khong", "no", "false", "ngung", "nghi"):
        return False
    return None


def _errors_from(exc: AppError, line: int, columns: dict[str, str]) -> list[RowError]:
    if not exc.fields:
        return [RowError(line, "dòng", exc.message)]
    return [
        RowError(line, columns.get(name, name), message)
        for name, messages in exc.fields.items()
        for message in messages
    ]


# --- agencies ------------------------------------------------------------------------------

AGENCY_COLUMNS = {
    # service field -> column in the file
    "code": "ma_dinh_danh",
    "name": "ten",
    "abbreviation": "ten_viet_tat",
    "kind": "loai",
    "parent": "ma_cap_tren",
    "address": "dia_chi",
    "phone": "dien_thoai",
    "email": "email",
    "website": "website",
    "cutoff_time": "gio_tiep_nhan_cuoi_ngay",
    "is_active": "hoat_dong",
}
AGENCY_REQUIRED = ("ma_dinh_danh", "ten", "ten_viet_tat", "loai")


def _kind_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for value, label in AgencyKind.choices:
        lookup[fold(value)] = value
        lookup[fold(str(label))] = value
    lookup.update(
        {
            "ubnd": AgencyKind.PEOPLES_COMMITTEE,
            "so": AgencyKind.DEPARTMENT,
            "ban": AgencyKind.DEPARTMENT,
            "so ban nganh": AgencyKind.DEPARTMENT,
            "khac": AgencyKind.OTHER,
        }
    )
    return lookup


def _parse_time(value: str) -> dtime | None:
    for fmt in ("%H:%M", "%H:%M:%S", "%Hh%M", "%Hh"):
        try:
            return datetime.strptime(value, fmt).time()
        except ValueError:
            continue
    return None


@dataclass
class _AgencyRow:
    row: Row
    code: str
    parent_code: str
    data: dict[str, Any]


def import_agencies(
    rows: list[Row], *, actor: Any = None, dry_run: bool = False, progress: Progress = _no_progress
) -> ImportResult:
    """Create or update agencies from rows; all or nothing. Raises ImportRefused."""
    errors = _require_columns(rows, AGENCY_REQUIRED, AGENCY_COLUMNS.values())
    if errors:
        raise ImportRefused(errors)
    kinds = _kind_lookup()
    province = settings.EGOV_PROVINCE_CODE
    parsed: dict[str, _AgencyRow] = {}
    first_line: dict[str, int] = {}
    parent_refs: list[tuple[int, str]] = []
    for row in rows:
        row_errors: list[RowError] = []
        for column in AGENCY_REQUIRED:
            if not row.get(column):
                row_errors.append(RowError(row.line, column, _("bắt buộc, đang để trống")))
        code = row.get("ma_dinh_danh").upper()
        match = AGENCY_CODE_RE.match(code)
        if code and not match:
            row_errors.append(
                RowError(
                    row.line,
                    "ma_dinh_danh",
                    _("“%(c)s” không đúng dạng LLL.KK.JJ.Xnn") % {"c": code},
                )
            )
        elif match and match.group("l1") != province:
            row_errors.append(
                RowError(
                    row.line,
                    "ma_dinh_danh",
                    _("mã cấp 1 phải là %(p)s, không phải %(l1)s")
                    % {"p": province, "l1": match.group("l1")},
                )
            )
        if code and code in first_line:
            row_errors.append(
                RowError(
                    row.line, "ma_dinh_danh", _("trùng mã với dòng %(n)d") % {"n": first_line[code]}
                )
            )
        kind_raw = row.get("loai")
        kind = kinds.get(fold(kind_raw), "")
        if kind_raw and not kind:
            row_errors.append(
                RowError(
                    row.line,
                    "loai",
                    _("“%(k)s” không phải loại cơ quan; dùng: %(c)s")
                    % {"k": kind_raw, "c": ", ".join(AgencyKind.values)},
                )
            )
        parent_code = row.get("ma_cap_tren").upper()
        if parent_code and parent_code == code:
            row_errors.append(
                RowError(row.line, "ma_cap_tren", _("cơ quan không thể là cấp trên của chính nó"))
            )
        cutoff_raw = row.get("gio_tiep_nhan_cuoi_ngay")
        cutoff = _parse_time(cutoff_raw) if cutoff_raw else None
        if cutoff_raw and cutoff is None:
            row_errors.append(
                RowError(row.line, "gio_tiep_nhan_cuoi_ngay", _("giờ phải có dạng HH:MM"))
            )
        active = _parse_bool(row.get("hoat_dong"))
        if active is None:
            row_errors.append(RowError(row.line, "hoat_dong", _("ghi “có” hoặc “không”")))
        errors.extend(row_errors)
        if code and code not in first_line:
            first_line[code] = row.line
        if parent_code and parent_code != code:
            parent_refs.append((row.line, parent_code))
        if row_errors:
            continue
        parsed[code] = _AgencyRow(
            row=row,
            code=code,
            parent_code=parent_code,
            data={
                "name": row.get("ten"),
                "abbreviation": row.get("ten_viet_tat"),
                "kind": kind,
                "address": row.get("dia_chi"),
                "phone": row.get("dien_thoai"),
                "email": row.get("email"),
                "website": row.get("website"),
                "cutoff_time": cutoff,
                "is_active": bool(active),
            },
        )

    # Parents: in the file, or already in the database.
    wanted_parents = {parent for _line, parent in parent_refs}
    in_db = set(Agency.objects.filter(code__in=wanted_parents).values_list("code", flat=True))
    for line, parent_code in parent_refs:
        if parent_code not in in_db and parent_code not in first_line:
            errors.append(
                RowError(
                    line,
                    "ma_cap_tren",
                    _("không tìm thấy cơ quan cấp trên %(c)s (trong tệp hay trong hệ thống)")
                    % {"c": parent_code},
                )
            )
    order, cycle_lines = _topological(parsed)
    errors.extend(
        RowError(line, "ma_cap_tren", _("vòng lặp cấp trên – cấp dưới trong tệp"))
        for line in cycle_lines
    )
    if errors:
        raise ImportRefused(errors)
    return _write_agencies(order, parsed, actor=actor, dry_run=dry_run, progress=progress)


def _topological(parsed: dict[str, _AgencyRow]) -> tuple[list[str], list[int]]:
    """Codes ordered parents first (file order otherwise); lines stuck in a cycle."""
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = visiting, 2 = done
    cycle: set[int] = set()
    for start in parsed:
        if state.get(start) == 2:
            continue
        # iterative walk up the parent chain inside the file
        chain: list[str] = []
        code: str | None = start
        while code is not None and code in parsed and state.get(code) != 2:
            if state.get(code) == 1:
                loop = chain[chain.index(code) :]
                cycle.update(parsed[c].row.line for c in loop)
                break
            state[code] = 1
            chain.append(code)
            parent = parsed[code].parent_code
            code = parent if parent in parsed else None
        for item in reversed(chain):
            state[item] = 2
            if parsed[item].row.line not in cycle:
                order.append(item)
    return order, sorted(cycle)


def _write_agencies(
    order: list[str],
    parsed: dict[str, _AgencyRow],
    *,
    actor: Any,
    dry_run: bool,
    progress: Progress,
) -> ImportResult:
    result = ImportResult()
    errors: list[RowError] = []
    columns = AGENCY_COLUMNS
    with transaction.atomic():
        existing = {a.code: a for a in Agency.objects.filter(code__in=list(parsed))}
        parents_db = {
            a.code: a
            for a in Agency.objects.filter(
                code__in={p.parent_code for p in parsed.values() if p.parent_code}
            )
        }
        done: dict[str, Agency] = {}
        failed: set[str] = set()
        for code in progress(order, len(order)):
            item = parsed[code]
            parent: Agency | None = None
            if item.parent_code:
                if item.parent_code in failed:
                    errors.append(
                        RowError(
                            item.row.line, "ma_cap_tren", _("cơ quan cấp trên có lỗi ở dòng khác")
                        )
                    )
                    failed.add(code)
                    continue
                parent = done.get(item.parent_code) or parents_db.get(item.parent_code)
            try:
                with transaction.atomic():
                    current = existing.get(code)
                    if current is None:
                        done[code] = services.agency_create(
                            actor=actor, code=code, parent=parent, **item.data
                        )
                        result.created += 1
                    else:
                        before = current.updated_at
                        done[code] = services.agency_update(
                            actor=actor, agency=current, parent=parent, **item.data
                        )
                        if done[code].updated_at != before:
                            result.updated += 1
                        else:
                            result.unchanged += 1
            except AppError as exc:
                failed.add(code)
                errors.extend(_errors_from(exc, item.row.line, columns))
        if errors:
            raise ImportRefused(errors)
        if dry_run:
            transaction.set_rollback(True)
    return result


# --- units ---------------------------------------------------------------------------------

UNIT_COLUMNS = {
    "agency": "ma_co_quan",
    "name": "ten",
    "abbreviation": "ten_viet_tat",
    "is_active": "hoat_dong",
}
UNIT_REQUIRED = ("ma_co_quan", "ten", "ten_viet_tat")


def import_units(
    rows: list[Row], *, actor: Any = None, dry_run: bool = False, progress: Progress = _no_progress
) -> ImportResult:
    """Create or update units (phòng, ban) of existing agencies; all or nothing.

    A unit is known by its agency and abbreviation: an existing pair is updated in place.
    """
    errors = _require_columns(rows, UNIT_REQUIRED, UNIT_COLUMNS.values())
    if errors:
        raise ImportRefused(errors)
    agencies = {
        a.code: a
        for a in Agency.objects.filter(code__in={r.get("ma_co_quan").upper() for r in rows})
    }
    first_line: dict[tuple[str, str], int] = {}
    parsed: list[tuple[Row, Agency, dict[str, Any]]] = []
    for row in rows:
        row_errors = [
            RowError(row.line, column, _("bắt buộc, đang để trống"))
            for column in UNIT_REQUIRED
            if not row.get(column)
        ]
        code = row.get("ma_co_quan").upper()
        agency = agencies.get(code)
        if code and agency is None:
            row_errors.append(
                RowError(row.line, "ma_co_quan", _("không tìm thấy cơ quan %(c)s") % {"c": code})
            )
        key = (code, row.get("ten_viet_tat"))
        if key[1] and key in first_line:
            row_errors.append(
                RowError(
                    row.line,
                    "ten_viet_tat",
                    _("trùng đơn vị với dòng %(n)d") % {"n": first_line[key]},
                )
            )
        active = _parse_bool(row.get("hoat_dong"))
        if active is None:
            row_errors.append(RowError(row.line, "hoat_dong", _("ghi “có” hoặc “không”")))
        first_line.setdefault(key, row.line)
        errors.extend(row_errors)
        if not row_errors and agency is not None:
            data = {"name": row.get("ten"), "abbreviation": row.get("ten_viet_tat")}
            parsed.append((row, agency, {**data, "is_active": bool(active)}))
    if errors:
        raise ImportRefused(errors)
    result = ImportResult()
    with transaction.atomic():
        existing = {
            (u.agency_id, u.abbreviation): u
            for u in Unit.objects.filter(agency__in=[a for _r, a, _d in parsed])
        }
        for row, agency, data in progress(parsed, len(parsed)):
            try:
                with transaction.atomic():
                    unit = existing.get((agency.pk, data["abbreviation"]))
                    if unit is None:
                        unit = services.unit_create(
                            actor=actor,
                            agency=agency,
                            name=data["name"],
                            abbreviation=data["abbreviation"],
                        )
                        if not data["is_active"]:
                            services.unit_update(actor=actor, unit=unit, is_active=False)
                        existing[(agency.pk, unit.abbreviation)] = unit
                        result.created += 1
                    else:
                        before = unit.updated_at
                        unit = services.unit_update(actor=actor, unit=unit, **data)
                        if unit.updated_at != before:
                            result.updated += 1
                        else:
                            result.unchanged += 1
            except AppError as exc:
                errors.extend(_errors_from(exc, row.line, UNIT_COLUMNS))
        if errors:
            raise ImportRefused(errors)
        if dry_run:
            transaction.set_rollback(True)
    return result


# --- staff ---------------------------------------------------------------------------------

STAFF_COLUMNS = {
    "username": "ten_dang_nhap",
    "full_name": "ho_ten",
    "agency": "ma_co_quan",
    "unit": "don_vi",
    "position": "chuc_vu",
    "roles": "vai_tro",
    "email": "email",
    "phone": "dien_thoai",
    "password": "mat_khau",
    "is_active": "dang_cong_tac",
}
STAFF_REQUIRED = ("ten_dang_nhap", "ho_ten", "ma_co_quan")


def _role_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for value, label in RoleCode.choices:
        lookup[fold(value)] = value
        lookup[fold(str(label))] = value
    lookup.update({"mot cua": RoleCode.ONE_STOP_OFFICER, "quan tri": RoleCode.ADMINISTRATOR})
    return lookup


def generate_password(length: int = 14) -> str:
    """A random password with lower, upper case letters, digits and a symbol."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(length - 1))
        candidate = body[: length // 2] + secrets.choice("@#%+=") + body[length // 2 :]
        if (
            any(c.islower() for c in candidate)
            and any(c.isupper() for c in candidate)
            and any(c.isdigit() for c in candidate)
        ):
            return candidate


@dataclass
class _StaffRow:
    row: Row
    username: str
    agency: Agency
    unit: Unit | None
    position: Position | None
    roles: list[str] | None  # None: column absent or empty, keep roles on update
    data: dict[str, Any]
    password: str


def import_staff(
    rows: list[Row],
    *,
    actor: Any = None,
    dry_run: bool = False,
    progress: Progress = _no_progress,
) -> ImportResult:
    """Create or update staff accounts from rows; all or nothing. Raises ImportRefused.

    New accounts get the password in `mat_khau`, or a generated one (returned in
    `generated_passwords`); existing accounts keep theirs unless `mat_khau` is filled.
    """
    errors = _require_columns(rows, STAFF_REQUIRED, STAFF_COLUMNS.values())
    if errors:
        raise ImportRefused(errors)
    roles_by_name = _role_lookup()
    agency_codes = {r.get("ma_co_quan").upper() for r in rows}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=agency_codes)}
    units: dict[tuple[int, str], Unit] = {}
    for unit in Unit.objects.filter(agency__in=agencies.values(), is_active=True):
        units[(unit.agency_id, fold(unit.abbreviation))] = unit
        units.setdefault((unit.agency_id, fold(unit.name)), unit)
    positions: dict[str, Position | None] = {}
    for position in Position.objects.all():
        positions[fold(position.code)] = position
        positions.setdefault(fold(position.name), position)
    for spec in services.STANDARD_POSITIONS:
        positions.setdefault(fold(spec.code), None)
        positions.setdefault(fold(spec.name), None)
    # Exact matches here; a name differing only in case is refused by staff_create.
    users = {
        u.username.lower(): u
        for u in User.objects.filter(username__in={r.get("ten_dang_nhap") for r in rows})
    }
    staff_of_user = {
        s.user_id: s for s in StaffMember.objects.filter(user__in=list(users.values()))
    }

    parsed: list[_StaffRow] = []
    first_line: dict[str, int] = {}
    for row in rows:
        row_errors: list[RowError] = []
        for column in STAFF_REQUIRED:
            if not row.get(column):
                row_errors.append(RowError(row.line, column, _("bắt buộc, đang để trống")))
        username = row.get("ten_dang_nhap")
        key = username.lower()
        if username and key in first_line:
            row_errors.append(
                RowError(
                    row.line,
                    "ten_dang_nhap",
                    _("trùng tên đăng nhập với dòng %(n)d") % {"n": first_line[key]},
                )
            )
        existing_user = users.get(key)
        if existing_user is not None and existing_user.pk not in staff_of_user:
            row_errors.append(
                RowError(
                    row.line,
                    "ten_dang_nhap",
                    _("“%(u)s” đã là tài khoản %(k)s, không phải cán bộ")
                    % {"u": username, "k": existing_user.get_kind_display()},
                )
            )
        agency_code = row.get("ma_co_quan").upper()
        agency = agencies.get(agency_code)
        if agency_code and agency is None:
            row_errors.append(
                RowError(
                    row.line, "ma_co_quan", _("không tìm thấy cơ quan %(c)s") % {"c": agency_code}
                )
            )
        row_unit: Unit | None = None
        unit_raw = row.get("don_vi")
        if unit_raw and agency is not None:
            row_unit = units.get((agency.pk, fold(unit_raw)))
            if row_unit is None:
                row_errors.append(
                    RowError(
                        row.line,
                        "don_vi",
                        _("%(a)s không có đơn vị “%(u)s”")
                        % {"a": agency.abbreviation, "u": unit_raw},
                    )
                )
        position_raw = row.get("chuc_vu")
        if position_raw and fold(position_raw) not in positions:
            row_errors.append(
                RowError(row.line, "chuc_vu", _("không có chức vụ “%(p)s”") % {"p": position_raw})
            )
        roles: list[str] | None = None
        roles_raw = row.get("vai_tro")
        if roles_raw:
            roles = []
            for part in roles_raw.replace(";", ",").replace("|", ",").split(","):
                if not part.strip():
                    continue
                code = roles_by_name.get(fold(part))
                if code is None:
                    row_errors.append(
                        RowError(
                            row.line,
                            "vai_tro",
                            _("“%(r)s” không phải vai trò; dùng: %(c)s")
                            % {"r": part.strip(), "c": ", ".join(RoleCode.values)},
                        )
                    )
                elif code not in roles:
                    roles.append(code)
        active = _parse_bool(row.get("dang_cong_tac"))
        if active is None:
            row_errors.append(RowError(row.line, "dang_cong_tac", _("ghi “có” hoặc “không”")))
        errors.extend(row_errors)
        if username and key not in first_line:
            first_line[key] = row.line
        if row_errors or agency is None:
            continue
        parsed.append(
            _StaffRow(
                row=row,
                username=username,
                agency=agency,
                unit=row_unit,
                position=None,
                roles=roles,
                data={
                    "full_name": row.get("ho_ten"),
                    "email": row.get("email"),
                    "phone": row.get("dien_thoai"),
                    "is_active": bool(active),
                    "position_key": fold(position_raw) if position_raw else "",
                },
                password=row.get("mat_khau"),
            )
        )
    if errors:
        raise ImportRefused(errors)
    return _write_staff(
        parsed, users, staff_of_user, positions, actor=actor, dry_run=dry_run, progress=progress
    )


def _write_staff(
    parsed: list[_StaffRow],
    users: dict[str, User],
    staff_of_user: dict[int, StaffMember],
    positions: dict[str, Position | None],
    *,
    actor: Any,
    dry_run: bool,
    progress: Progress,
) -> ImportResult:
    result = ImportResult()
    errors: list[RowError] = []
    columns = STAFF_COLUMNS
    with transaction.atomic():
        used = {item.data["position_key"] for item in parsed if item.data["position_key"]}
        if any(positions.get(key) is None for key in used):
            for standard in services.positions_ensure_standard(actor=actor):
                positions[fold(standard.code)] = standard
                positions[fold(standard.name)] = standard
        for item in progress(parsed, len(parsed)):
            data = dict(item.data)
            position_key = data.pop("position_key")
            position: Position | None = positions.get(position_key) if position_key else None
            try:
                with transaction.atomic():
                    user = users.get(item.username.lower())
                    if user is None:
                        password = item.password or generate_password()
                        services.staff_create(
                            actor=actor,
                            agency=item.agency,
                            username=item.username,
                            unit=item.unit,
                            position=position,
                            roles=item.roles or [],
                            password=password,
                            **data,
                        )
                        if not item.password:
                            result.generated_passwords.append((item.username, password))
                        result.created += 1
                    else:
                        staff = staff_of_user[user.pk]
                        before = staff.updated_at
                        update: dict[str, Any] = {
                            "agency": item.agency,
                            "unit": item.unit,
                            **data,
                        }
                        if position_key:
                            update["position"] = position
                        if item.password:
                            update["password"] = item.password
                        staff = services.staff_update(actor=actor, staff=staff, **update)
                        roles_changed = False
                        if item.roles is not None:
                            old = sorted(r.code for r in staff.roles.all())
                            services.staff_set_roles(actor=actor, staff=staff, roles=item.roles)
                            roles_changed = old != sorted(item.roles)
                        staff.refresh_from_db(fields=["updated_at"])
                        if staff.updated_at != before or roles_changed or item.password:
                            result.updated += 1
                        else:
                            result.unchanged += 1
            except AppError as exc:
                errors.extend(_errors_from(exc, item.row.line, columns))
        if errors:
            raise ImportRefused(errors)
        if dry_run:
            transaction.set_rollback(True)
            result.generated_passwords = []
    return result
