"""Imports: all or nothing, every bad row listed with its line, re-import updates in place."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from egov.accounts.models import User
from egov.audit.models import AuditEntry
from egov.organisations.models import Agency, StaffMember, Unit
from egov.organisations.testing import make_citizen

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[4] / "docs" / "samples"
AGENCY_HEADER = ["ma_dinh_danh", "ten", "ten_viet_tat", "loai", "ma_cap_tren", "dien_thoai"]
STAFF_HEADER = ["ten_dang_nhap", "ho_ten", "ma_co_quan", "don_vi", "chuc_vu", "vai_tro", "mat_khau"]


def write_csv(tmp_path: Path, name: str, rows: list[list[str]]) -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(tmp_path: Path, name: str, rows: list[list[str]]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def run_import(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> list[str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_data", *args, stdout=out, stderr=err)
    assert exc.value.returncode == 1
    return err.getvalue().splitlines()


def many_agencies(n: int = 60) -> list[list[str]]:
    rows = [AGENCY_HEADER, ["000.00.00.H15", "UBND thành phố", "UBND", "Ủy ban nhân dân", "", ""]]
    for i in range(1, n + 1):
        rows.append([f"000.00.{i:02d}.H15", f"Sở số {i}", f"S{i}", "so", "000.00.00.H15", ""])
    return rows


def test_sample_files_import_cleanly() -> None:
    out, _ = run_import("agencies", str(SAMPLES / "agencies.csv"))
    assert "thêm mới 18" in out
    run_import("units", str(SAMPLES / "units.csv"))
    out, _ = run_import("staff", str(SAMPLES / "staff.csv"))
    assert StaffMember.objects.count() == 10
    # generated passwords are printed, and they work
    line = next(line for line in out.splitlines() if line.strip().startswith("namtv.sxd"))
    password = line.split()[1]
    assert User.objects.get(username="namtv.sxd").check_password(password)
    # the XLSX twin changes nothing
    out, _ = run_import("agencies", str(SAMPLES / "agencies.xlsx"))
    assert "không đổi 18" in out


def test_agencies_csv_children_before_parents(tmp_path: Path) -> None:
    rows = many_agencies(5)
    rows.insert(1, ["000.01.01.H15", "Trung tâm", "TT", "khac", "000.00.01.H15", ""])
    run_import("agencies", str(write_csv(tmp_path, "a.csv", rows)))
    centre = Agency.objects.get(code="000.01.01.H15")
    assert centre.parent.code == "000.00.01.H15"
    assert centre.parent.parent.code == "000.00.00.H15"
    assert AuditEntry.objects.filter(action="agency.create").count() == 7


@pytest.mark.parametrize("writer", [write_csv, write_xlsx])
def test_one_bad_row_among_many_imports_nothing(tmp_path: Path, writer) -> None:  # type: ignore[no-untyped-def]
    rows = many_agencies(60)
    rows[30][0] = "000.0.30.H15"  # malformed, line 31
    rows[45][4] = "000.00.99.H15"  # unknown parent, line 46
    rows[50][0] = "000.00.02.H15"  # duplicate of line 4
    rows[55][2] = ""  # missing abbreviation, line 56
    path = writer(tmp_path, "a" + (".csv" if writer is write_csv else ".xlsx"), rows)
    errors = refused("agencies", str(path))
    assert errors == [
        "dòng 31: ma_dinh_danh: “000.0.30.H15” không đúng dạng LLL.KK.JJ.Xnn",
        "dòng 46: ma_cap_tren: không tìm thấy cơ quan cấp trên 000.00.99.H15 "
        "(trong tệp hay trong hệ thống)",
        "dòng 51: ma_dinh_danh: trùng mã với dòng 4",
        "dòng 56: ten_viet_tat: bắt buộc, đang để trống",
    ]
    assert Agency.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_other_province_code_refused(tmp_path: Path) -> None:
    rows = [*many_agencies(2), ["000.00.09.H41", "Sở ngoài", "SN", "so", "000.00.00.H15", ""]]
    assert refused("agencies", str(write_csv(tmp_path, "a.csv", rows))) == [
        "dòng 5: ma_dinh_danh: mã cấp 1 phải là H15, không phải H41"
    ]


def test_cycle_in_file_refused(tmp_path: Path) -> None:
    rows = [
        AGENCY_HEADER,
        ["000.00.01.H15", "A", "A", "so", "000.00.02.H15", ""],
        ["000.00.02.H15", "B", "B", "so", "000.00.01.H15", ""],
    ]
    errors = refused("agencies", str(write_csv(tmp_path, "a.csv", rows)))
    assert [e.split(":")[0] for e in errors] == ["dòng 2", "dòng 3"]
    assert Agency.objects.count() == 0


def test_missing_column_refused(tmp_path: Path) -> None:
    rows = [["ma_dinh_danh", "ten"], ["000.00.00.H15", "UBND"]]
    errors = refused("agencies", str(write_csv(tmp_path, "a.csv", rows)))
    assert "dòng 1: loai: thiếu cột bắt buộc" in errors
    assert "dòng 1: ten_viet_tat: thiếu cột bắt buộc" in errors


def test_reimport_updates_in_place(tmp_path: Path) -> None:
    rows = many_agencies(3)
    run_import("agencies", str(write_csv(tmp_path, "a.csv", rows)))
    first_ids = dict(Agency.objects.values_list("code", "pk"))
    rows[2][1] = "Sở Nội vụ"
    rows[2][5] = "0236 3822 102"
    out, _ = run_import("agencies", str(write_csv(tmp_path, "a.csv", rows)))
    assert "cập nhật 1, không đổi 3" in out
    assert dict(Agency.objects.values_list("code", "pk")) == first_ids
    agency = Agency.objects.get(code="000.00.01.H15")
    assert agency.name == "Sở Nội vụ" and agency.search_text.startswith("so noi vu")
    entry = AuditEntry.objects.get(action="agency.update")
    assert entry.after == {"name": "Sở Nội vụ", "phone": "0236 3822 102"}


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    out, _ = run_import(
        "agencies", "--dry-run", str(write_csv(tmp_path, "a.csv", many_agencies(3)))
    )
    assert "không ghi gì" in out
    assert Agency.objects.count() == 0 and AuditEntry.objects.count() == 0


# --- staff ---------------------------------------------------------------------------------


@pytest.fixture
def agencies(tmp_path: Path) -> None:
    run_import("agencies", str(write_csv(tmp_path, "a.csv", many_agencies(3))))
    units = [["ma_co_quan", "ten", "ten_viet_tat"], ["000.00.01.H15", "Văn phòng", "VP"]]
    run_import("units", str(write_csv(tmp_path, "u.csv", units)))


def staff_rows(n: int = 55) -> list[list[str]]:
    rows = [STAFF_HEADER]
    for i in range(n):
        rows.append(
            [f"canbo{i}", f"Nguyễn Văn {i}", "000.00.01.H15", "VP", "chuyen-vien", "specialist", ""]
        )
    return rows


def test_staff_import_with_passwords_and_roles(agencies: None, tmp_path: Path) -> None:
    rows = staff_rows(2)
    rows[1][5] = "Văn thư; Chuyên viên"
    rows[1][6] = "Mat-khau-ban-dau-1"
    out, _ = run_import("staff", str(write_csv(tmp_path, "s.csv", rows)))
    first = StaffMember.objects.get(user__username="canbo0")
    assert first.user.check_password("Mat-khau-ban-dau-1")
    assert sorted(r.code for r in first.roles.all()) == ["clerk", "specialist"]
    assert first.unit == Unit.objects.get(abbreviation="VP")
    assert first.position.code == "chuyen-vien"
    assert "canbo0" not in out and "canbo1\t" in out  # only generated passwords are printed
    assert AuditEntry.objects.filter(action="staff.create").count() == 2


def test_staff_bad_rows_all_listed_nothing_imported(agencies: None, tmp_path: Path) -> None:
    make_citizen(username="congdan1")
    rows = staff_rows(55)
    rows[10][0] = "canbo3"  # duplicate username of line 5
    rows[20][5] = "giam_doc"  # unknown role
    rows[30][3] = "PKT"  # unknown unit
    rows[40][2] = "000.00.77.H15"  # unknown agency
    rows[50][0] = "congdan1"  # a citizen's username
    rows[52][1] = ""  # missing name
    before = User.objects.count()
    errors = refused("staff", str(write_csv(tmp_path, "s.csv", rows)))
    assert [e.split(":")[0:2] for e in errors] == [
        ["dòng 11", " ten_dang_nhap"],
        ["dòng 21", " vai_tro"],
        ["dòng 31", " don_vi"],
        ["dòng 41", " ma_co_quan"],
        ["dòng 51", " ten_dang_nhap"],
        ["dòng 53", " ho_ten"],
    ]
    assert "trùng tên đăng nhập với dòng 5" in errors[0]
    assert User.objects.count() == before and StaffMember.objects.count() == 0


def test_staff_reimport_updates(agencies: None, tmp_path: Path) -> None:
    rows = staff_rows(3)
    run_import("staff", str(write_csv(tmp_path, "s.csv", rows)))
    hashes = dict(User.objects.values_list("username", "password"))
    rows[2][5] = "unit_head"
    rows[2][2] = "000.00.02.H15"
    rows[2][3] = ""
    out, _ = run_import("staff", str(write_csv(tmp_path, "s.csv", rows)))
    assert "thêm mới 0, cập nhật 1, không đổi 2" in out
    moved = StaffMember.objects.get(user__username="canbo1")
    assert moved.agency.code == "000.00.02.H15" and moved.unit is None
    assert [r.code for r in moved.roles.all()] == ["unit_head"]
    assert dict(User.objects.values_list("username", "password")) == hashes  # passwords kept


def test_staff_xlsx(agencies: None, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, "s.xlsx", staff_rows(3))
    run_import("staff", str(path), "--passwords-file", str(tmp_path / "pw.csv"))
    assert StaffMember.objects.count() == 3
    lines = (tmp_path / "pw.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "ten_dang_nhap,mat_khau" and len(lines) == 4
    assert (tmp_path / "pw.csv").stat().st_mode & 0o077 == 0


def test_unknown_file_type_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x")
    assert refused("agencies", str(path)) == ["dòng 0: tệp: chỉ nhận tệp .csv hoặc .xlsx"]
