"""Inventory services, facts (incremental == recompute), ratios, import, pages."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from openpyxl import Workbook

from egov.core.errors import ValidationFailed
from egov.infrastructure import services
from egov.infrastructure.facts import infrastructure_facts_recompute
from egov.infrastructure.importing import import_inventory, read_workbook
from egov.infrastructure.models import Computer, InfrastructureFact
from egov.organisations.importing import ImportRefused
from egov.organisations.models import RoleCode as R
from egov.organisations.testing import make_agency, make_staff

pytestmark = pytest.mark.django_db

FIELDS = (
    "staff_total",
    "computers_in_use",
    "servers_in_use",
    "internet_mbps",
    "work_email_staff",
    "systems_in_use",
    "systems_by_kind",
)


def _facts() -> dict[int, tuple[object, ...]]:
    return {
        f.agency_id: tuple(getattr(f, n) for n in FIELDS) for f in InfrastructureFact.objects.all()
    }


def test_ratios_of_an_agency() -> None:
    agency = make_agency()
    people = [make_staff(agency=agency) for _ in range(4)]
    for i in range(3):
        services.computer_record(actor=None, agency=agency, asset_tag=f"MT{i}", kind="desktop")
    services.computer_record(
        actor=None, agency=agency, asset_tag="MT9", kind="laptop", status="broken"
    )
    services.link_record(
        actor=None, agency=agency, kind="internet", provider="VNPT", bandwidth_mbps=200
    )
    services.link_record(
        actor=None, agency=agency, kind="wan", provider="CPNet", bandwidth_mbps=100
    )
    services.system_record(actor=None, agency=agency, name="QLVB", kind="document_management")
    services.system_record(actor=None, agency=agency, name="Web", kind="website", status="piloting")
    for p in people[:3]:
        services.work_email_set(actor=None, staff=p, has_work_email=True)

    fact = InfrastructureFact.objects.get(agency=agency)

    assert fact.computers_per_official == 0.75
    assert fact.work_email_share == 0.75
    assert fact.internet_mbps_per_official == 50
    assert (fact.systems_in_use, fact.system_kinds) == (1, ["document_management"])


def test_incremental_facts_equal_recomputation() -> None:
    rng = random.Random(3)
    agencies = [make_agency() for _ in range(3)]
    people = [make_staff(agency=rng.choice(agencies)) for _ in range(10)]
    for _i in range(60):
        agency = rng.choice(agencies)
        kind = rng.randrange(4)
        if kind == 0:
            services.computer_record(
                actor=None,
                agency=agency,
                asset_tag=f"T{rng.randrange(15)}",
                kind="desktop",
                status=rng.choice(["in_use", "broken"]),
            )
        elif kind == 1:
            services.link_record(
                actor=None,
                agency=agency,
                kind=rng.choice(["internet", "wan"]),
                provider=rng.choice(["A", "B"]),
                bandwidth_mbps=rng.choice([50, 100]),
                is_active=rng.random() < 0.8,
            )
        elif kind == 2:
            services.system_record(
                actor=None,
                agency=agency,
                name=f"S{rng.randrange(6)}",
                kind=rng.choice(["website", "email", "other"]),
                status=rng.choice(["in_use", "retired"]),
            )
        else:
            services.work_email_set(
                actor=None, staff=rng.choice(people), has_work_email=rng.random() < 0.6
            )
    incremental = _facts()

    infrastructure_facts_recompute()

    assert _facts() == incremental


def test_bad_input_is_refused() -> None:
    agency = make_agency()
    with pytest.raises(ValidationFailed) as refused:
        services.link_record(actor=None, agency=agency, kind="satellite", bandwidth_mbps=0)
    assert set(refused.value.fields) == {"kind", "bandwidth_mbps"}
    assert not InfrastructureFact.objects.exists()


def _workbook(tmp_path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    path = tmp_path / "ha-tang.xlsx"
    wb.save(path)
    return path


def test_import_one_bad_row_writes_nothing(tmp_path: Path) -> None:
    agency = make_agency()
    make_staff(agency=agency, username="an.nv")
    sheets = {
        "Máy tính": [
            ["ma_co_quan", "ma_tai_san", "loai", "nam", "nguoi_su_dung"],
            [agency.code, "MT-1", "để bàn", 2020, "an.nv"],
            ["000.00.99.H99", "MT-2", "máy bay", 1900, "ai.do"],
        ],
        "Kết nối": [
            ["ma_co_quan", "loai", "nha_cung_cap", "bang_thong_mbps"],
            [agency.code, "Internet", "VNPT", 200],
        ],
    }

    with pytest.raises(ImportRefused) as refused:
        import_inventory(read_workbook(_workbook(tmp_path, sheets)))

    messages = [str(e) for e in refused.value.errors]
    assert {m.split(":")[1].strip() for m in messages} == {
        "may_tinh.ma_co_quan",
        "may_tinh.loai",
        "may_tinh.nguoi_su_dung",
    }
    assert all(m.startswith("dòng 3:") for m in messages)
    assert Computer.objects.count() == 0 and not InfrastructureFact.objects.exists()

    sheets["Máy tính"].pop()
    result = import_inventory(read_workbook(_workbook(tmp_path, sheets)))

    assert result.total == 2
    fact = InfrastructureFact.objects.get(agency=agency)
    assert (fact.computers_in_use, fact.internet_mbps) == (1, 200)


def test_pages_follow_the_policy(client) -> None:  # type: ignore[no-untyped-def]
    own, other = make_agency(), make_agency()
    specialist = make_staff(agency=own, roles=[R.SPECIALIST])
    admin = make_staff(agency=other, roles=[R.ADMINISTRATOR])
    infrastructure_facts_recompute()
    client.force_login(specialist.user)
    page = client.get("/app/ha-tang/").content.decode()
    assert own.name in page and other.name not in page
    assert client.get(f"/app/ha-tang/co-quan/{other.public_id}/").status_code == 404
    assert client.get(f"/app/ha-tang/co-quan/{own.public_id}/").status_code == 200
    assert client.post("/app/ha-tang/nhap/").status_code == 403
    client.force_login(admin.user)
    page = client.get("/app/ha-tang/").content.decode()
    assert own.name in page and other.name in page and "infra-file" in page
