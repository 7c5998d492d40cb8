"""Importing the IT inventory from one XLSX workbook, one sheet per table, all or nothing.

Sheets (names with or without accents; any may be missing, an unknown one is refused):

- ``may_tinh``: ma_co_quan, ma_tai_san, loai (để bàn / xách tay), nam, nguoi_su_dung
  (tên đăng nhập), tinh_trang (đang sử dụng / dự phòng / hỏng / thanh lý);
- ``may_chu``: ma_co_quan, ten, chuc_nang, nam, tinh_trang;
- ``ket_noi``: ma_co_quan, loai (LAN / WAN / Internet), nha_cung_cap, bang_thong_mbps,
  dang_su_dung (có / không);
- ``he_thong``: ma_co_quan, ten, loai (quản lý văn bản / một cửa / website / thư điện tử /
  khác), don_vi_cung_cap, tinh_trang (đang sử dụng / thử nghiệm / ngừng), tu_ngay;
- ``thu_cong_vu``: ten_dang_nhap, co_thu_cong_vu (có / không), dia_chi_thu.

Every row of every sheet is checked first; errors read ``dòng N: <trang>.<cột>: <lý do>``
and nothing is written when there is any. Then every row goes through the services in one
transaction (audit and facts as by hand); a refusal there rolls the whole file back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from egov.core.errors import AppError
from egov.core.search import fold
from egov.infrastructure import services
from egov.infrastructure.models import (
    AssetStatus,
    ComputerKind,
    LinkKind,
    SystemKind,
    SystemStatus,
)
from egov.organisations.importing import (
    ImportRefused,
    ImportResult,
    Row,
    RowError,
    _parse_bool,
    normalise_header,
    read_table,
)
from egov.organisations.models import Agency, StaffMember

SHEETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # sheet -> (required columns, all columns)
    "may_tinh": (
        ("ma_co_quan", "ma_tai_san", "loai"),
        ("ma_co_quan", "ma_tai_san", "loai", "nam", "nguoi_su_dung", "tinh_trang"),
    ),
    "may_chu": (
        ("ma_co_quan", "ten"),
        ("ma_co_quan", "ten", "chuc_nang", "nam", "tinh_trang"),
    ),
    "ket_noi": (
        ("ma_co_quan", "loai", "bang_thong_mbps"),
        ("ma_co_quan", "loai", "nha_cung_cap", "bang_thong_mbps", "dang_su_dung"),
    ),
    "he_thong": (
        ("ma_co_quan", "ten", "loai"),
        ("ma_co_quan", "ten", "loai", "don_vi_cung_cap", "tinh_trang", "tu_ngay"),
    ),
    "thu_cong_vu": (
        ("ten_dang_nhap", "co_thu_cong_vu"),
        ("ten_dang_nhap", "ho_ten", "ma_co_quan", "co_thu_cong_vu", "dia_chi_thu"),
    ),
}


def parse_date(value: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    try:  # XLSX dates arrive as ISO datetimes
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


def _lookup(choices: Any, extra: dict[str, str]) -> dict[str, str]:
    table = {fold(v): v for v in choices.values}
    table.update({fold(str(label)): v for v, label in choices.choices})
    table.update(extra)
    return table


COMPUTER_KINDS = _lookup(ComputerKind, {"de ban": "desktop", "xach tay": "laptop", "pc": "desktop"})
ASSET_STATUSES = _lookup(
    AssetStatus,
    {"dang dung": "in_use", "du phong": "spare", "hong": "broken", "thanh ly": "retired"},
)
LINK_KINDS = _lookup(LinkKind, {"lan": "lan", "wan": "wan", "internet": "internet"})
SYSTEM_KINDS = _lookup(
    SystemKind,
    {
        "quan ly van ban": "document_management",
        "qlvb": "document_management",
        "mot cua": "one_stop_shop",
        "website": "website",
        "cong thong tin": "website",
        "thu dien tu": "email",
        "email": "email",
        "khac": "other",
    },
)
SYSTEM_STATUSES = _lookup(
    SystemStatus, {"dang dung": "in_use", "thu nghiem": "piloting", "ngung": "retired"}
)


@dataclass
class _Item:
    sheet: str
    row: Row
    call: Callable[..., Any]
    kwargs: dict[str, Any]


class _Checker:
    def __init__(self, sheet: str, row: Row, errors: list[RowError]) -> None:
        self.sheet, self.row, self.errors, self.ok = sheet, row, errors, True

    def bad(self, column: str, reason: str) -> None:
        self.ok = False
        self.errors.append(RowError(self.row.line, f"{self.sheet}.{column}", reason))

    def required(self, columns: tuple[str, ...]) -> None:
        for column in columns:
            if not self.row.get(column):
                self.bad(column, _("bắt buộc, đang để trống"))

    def choice(self, column: str, table: dict[str, str], default: str = "") -> str:
        raw = self.row.get(column)
        if not raw:
            return default
        value = table.get(fold(raw))
        if value is None:
            self.bad(column, _("“%(v)s” không hợp lệ") % {"v": raw})
            return default
        return value

    def integer(self, column: str) -> int | None:
        raw = self.row.get(column).replace(".", "").replace(",", "")
        if not raw:
            return None
        if not raw.isdigit():
            self.bad(column, _("“%(v)s” không phải số nguyên") % {"v": self.row.get(column)})
            return None
        return int(raw)

    def boolean(self, column: str) -> bool:
        value = _parse_bool(self.row.get(column))
        if value is None:
            self.bad(column, _("ghi “có” hoặc “không”"))
            return False
        return value


def read_workbook(path: str | Path) -> dict[str, list[Row]]:
    """The rows of each known sheet. Raises ImportRefused for an unreadable file or an
    unknown sheet."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise ImportRefused([RowError(0, "tệp", _("chỉ nhận tệp .xlsx (một trang mỗi bảng)"))])
    if not path.exists():
        raise ImportRefused([RowError(0, "tệp", _("không tìm thấy tệp %(p)s") % {"p": path})])
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True)
        names = list(workbook.sheetnames)
        workbook.close()
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportRefused(
            [RowError(0, "tệp", _("không đọc được tệp XLSX: %(e)s") % {"e": exc})]
        ) from exc
    sheets: dict[str, list[Row]] = {}
    errors = []
    for name in names:
        key = normalise_header(name)
        if key not in SHEETS:
            errors.append(
                RowError(
                    0,
                    name,
                    _("trang tính không được hỗ trợ; dùng: %(s)s") % {"s": ", ".join(SHEETS)},
                )
            )
            continue
        sheets[key] = read_table(path, sheet=name)
    if errors:
        raise ImportRefused(errors)
    return sheets


def import_inventory(
    sheets: dict[str, list[Row]], *, actor: Any = None, dry_run: bool = False
) -> ImportResult:
    """Record every row of every sheet; all or nothing. Raises ImportRefused."""
    errors: list[RowError] = []
    for sheet, rows in sheets.items():
        present = set().union(*(r.values for r in rows)) if rows else set()
        errors.extend(
            RowError(1, f"{sheet}.{c}", _("cột không được hỗ trợ"))
            for c in sorted(present - set(SHEETS[sheet][1]))
        )
    codes = {r.get("ma_co_quan").upper() for rows in sheets.values() for r in rows}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    usernames = {
        r.get(c)
        for rows in sheets.values()
        for r in rows
        for c in ("nguoi_su_dung", "ten_dang_nhap")
        if r.get(c)
    }
    staff = {
        s.user.username: s
        for s in StaffMember.objects.filter(user__username__in=usernames).select_related(
            "user", "agency"
        )
    }
    items: list[_Item] = []
    seen: dict[tuple[str, ...], int] = {}
    for sheet, rows in sheets.items():
        required = SHEETS[sheet][0]
        for row in rows:
            check = _Checker(sheet, row, errors)
            check.required(required)
            agency = None
            code = row.get("ma_co_quan").upper()
            if code:
                agency = agencies.get(code)
                if agency is None:
                    check.bad("ma_co_quan", _("không tìm thấy cơ quan %(c)s") % {"c": code})
            item = _parse(sheet, row, check, agency, staff)
            key = (sheet, code, *(fold(row.get(c)) for c in _key_columns(sheet)))
            if key in seen:
                check.bad("dong", _("trùng với dòng %(n)d") % {"n": seen[key]})
            else:
                seen[key] = row.line
            if check.ok and item is not None:
                items.append(item)
    if errors:
        raise ImportRefused(errors)
    return _write(items, actor=actor, dry_run=dry_run)


def _key_columns(sheet: str) -> tuple[str, ...]:
    return {
        "may_tinh": ("ma_tai_san",),
        "may_chu": ("ten",),
        "ket_noi": ("loai", "nha_cung_cap"),
        "he_thong": ("ten",),
        "thu_cong_vu": ("ten_dang_nhap",),
    }[sheet]


def _parse(
    sheet: str,
    row: Row,
    check: _Checker,
    agency: Agency | None,
    staff: dict[str, StaffMember],
) -> _Item | None:
    kwargs: dict[str, Any]
    if sheet == "may_tinh":
        serves = None
        username = row.get("nguoi_su_dung")
        if username:
            serves = staff.get(username)
            if serves is None:
                check.bad("nguoi_su_dung", _("không có cán bộ “%(u)s”") % {"u": username})
            elif agency is not None and serves.agency_id != agency.pk:
                check.bad("nguoi_su_dung", _("cán bộ không thuộc cơ quan này"))
        kwargs = {
            "agency": agency,
            "asset_tag": row.get("ma_tai_san"),
            "kind": check.choice("loai", COMPUTER_KINDS),
            "year": check.integer("nam"),
            "serves": serves,
            "status": check.choice("tinh_trang", ASSET_STATUSES, AssetStatus.IN_USE),
        }
        return _Item(sheet, row, services.computer_record, kwargs)
    if sheet == "may_chu":
        kwargs = {
            "agency": agency,
            "name": row.get("ten"),
            "purpose": row.get("chuc_nang"),
            "year": check.integer("nam"),
            "status": check.choice("tinh_trang", ASSET_STATUSES, AssetStatus.IN_USE),
        }
        return _Item(sheet, row, services.server_record, kwargs)
    if sheet == "ket_noi":
        bandwidth = check.integer("bang_thong_mbps")
        if bandwidth is not None and bandwidth <= 0:
            check.bad("bang_thong_mbps", _("phải lớn hơn 0"))
        kwargs = {
            "agency": agency,
            "kind": check.choice("loai", LINK_KINDS),
            "provider": row.get("nha_cung_cap"),
            "bandwidth_mbps": bandwidth,
            "is_active": check.boolean("dang_su_dung"),
        }
        return _Item(sheet, row, services.link_record, kwargs)
    if sheet == "he_thong":
        since = None
        if row.get("tu_ngay"):
            since = parse_date(row.get("tu_ngay"))
            if since is None:
                check.bad("tu_ngay", _("không phải ngày (dd/mm/yyyy)"))
        kwargs = {
            "agency": agency,
            "name": row.get("ten"),
            "kind": check.choice("loai", SYSTEM_KINDS),
            "vendor": row.get("don_vi_cung_cap"),
            "status": check.choice("tinh_trang", SYSTEM_STATUSES, SystemStatus.IN_USE),
            "since": since,
        }
        return _Item(sheet, row, services.system_record, kwargs)
    # thu_cong_vu
    username = row.get("ten_dang_nhap")
    person = staff.get(username)
    if username and person is None:
        check.bad("ten_dang_nhap", _("không có cán bộ “%(u)s”") % {"u": username})
    if person is not None and agency is not None and person.agency_id != agency.pk:
        check.bad("ma_co_quan", _("cán bộ không thuộc cơ quan này"))
    kwargs = {
        "staff": person,
        "has_work_email": check.boolean("co_thu_cong_vu"),
        "work_email": row.get("dia_chi_thu"),
    }
    return _Item(sheet, row, services.work_email_set, kwargs)


def _write(items: list[_Item], *, actor: Any, dry_run: bool) -> ImportResult:
    result = ImportResult()
    errors: list[RowError] = []
    with transaction.atomic():
        for item in items:
            try:
                with transaction.atomic():
                    item.call(actor=actor, **item.kwargs)
                result.created += 1
            except AppError as exc:
                if not exc.fields:
                    errors.append(RowError(item.row.line, item.sheet, exc.message))
                for name, messages in exc.fields.items():
                    errors.extend(
                        RowError(item.row.line, f"{item.sheet}.{name}", m) for m in messages
                    )
        if errors:
            raise ImportRefused(errors)
        if dry_run:
            transaction.set_rollback(True)
    return result
