"""Importing results: one bad row means nothing is written, and every error is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from egov.organisations.importing import ImportRefused, read_table
from egov.organisations.models import RoleCode as R
from egov.organisations.testing import make_agency, make_staff
from egov.training.importing import import_results
from egov.training.models import Certificate, ModuleResult, TrainingFact

pytestmark = pytest.mark.django_db
HEADER = [
    "Tên đăng nhập",
    "Mã cơ quan",
    "Mã mô-đun",
    "Ngày",
    "Kết quả",
    "Điểm",
    "Số chứng chỉ",
    "Nơi cấp",
    "Loại chứng chỉ",
]


def _xlsx(tmp_path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    path = tmp_path / "ket-qua.xlsx"
    wb.save(path)
    return path


def test_good_file_records_results_and_certificates(tmp_path: Path) -> None:
    agency = make_agency()
    staff = make_staff(agency=agency, username="lan.nt")
    rows = [
        ["lan.nt", agency.code, f"IU0{i}", "01/03/2025", "đạt", 80, "", "", ""] for i in range(1, 7)
    ]
    rows.append(["lan.nt", "", "", "2025-04-01", "", "", "NC-9", "ĐH Đà Nẵng", "nâng cao"])

    result = import_results(read_table(_xlsx(tmp_path, rows)))

    assert result.total == 7
    assert ModuleResult.objects.filter(staff=staff, passed=True).count() == 6
    assert Certificate.objects.get(number="NC-9").kind == "advanced"
    fact = TrainingFact.objects.get(agency=agency)
    assert (fact.basic_met, fact.advanced_met) == (1, 1)


def test_unknown_module_or_agency_refuses_the_whole_file(tmp_path: Path) -> None:
    agency = make_agency()
    make_staff(agency=agency, username="lan.nt")
    rows = [
        ["lan.nt", agency.code, "IU01", "01/03/2025", "đạt", 80, "", "", ""],
        ["lan.nt", agency.code, "IU99", "01/03/2025", "đạt", 80, "", "", ""],
        ["lan.nt", "000.99.99.H99", "IU02", "01/03/2025", "đạt", 80, "", "", ""],
        ["ai.do", agency.code, "IU03", "32/01/2025", "có lẽ", 120, "", "", ""],
    ]

    with pytest.raises(ImportRefused) as refused:
        import_results(read_table(_xlsx(tmp_path, rows)))

    messages = [str(e) for e in refused.value.errors]
    assert any(m.startswith("dòng 3: ma_mo_dun:") for m in messages)
    assert any(m.startswith("dòng 4: ma_co_quan:") for m in messages)
    assert {m.split(":")[1].strip() for m in messages if m.startswith("dòng 5")} == {
        "ten_dang_nhap",
        "ngay",
        "ket_qua",
        "diem",
    }
    assert ModuleResult.objects.count() == 0
    assert not TrainingFact.objects.exists()


def test_import_page_shows_every_error_and_writes_nothing(client, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    agency = make_agency()
    clerk = make_staff(agency=agency, roles=[R.CLERK], username="vanthu")
    client.force_login(clerk.user)
    path = _xlsx(tmp_path, [["vanthu", agency.code, "IU77", "01/03/2025", "đạt", "", "", "", ""]])

    with path.open("rb") as handle:
        response = client.post("/app/dao-tao/nhap/", {"file": handle})

    assert response.status_code == 422
    assert "dòng 2: ma_mo_dun" in response.content.decode()
    assert ModuleResult.objects.count() == 0


def test_pages_follow_the_policy(client) -> None:  # type: ignore[no-untyped-def]
    own, other = make_agency(), make_agency()
    specialist = make_staff(agency=own, roles=[R.SPECIALIST])
    leader = make_staff(agency=other, roles=[R.CITY_LEADER])
    make_staff(agency=other)
    from egov.training.facts import training_facts_recompute

    training_facts_recompute()
    client.force_login(specialist.user)
    page = client.get("/app/dao-tao/").content.decode()
    assert own.name in page and other.name not in page and "training-file" not in page
    assert client.get(f"/app/dao-tao/co-quan/{other.public_id}/").status_code == 404
    assert client.get(f"/app/dao-tao/co-quan/{own.public_id}/").status_code == 200
    assert client.post("/app/dao-tao/nhap/").status_code == 403

    client.force_login(leader.user)
    page = client.get("/app/dao-tao/").content.decode()
    assert own.name in page and other.name in page
