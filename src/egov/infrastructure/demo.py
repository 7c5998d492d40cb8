"""Demo IT inventory: every demo agency gets computers (about 0.7–1.2 per official), servers
(departments and the city committee), WAN and Internet links, the information systems it uses
and its officials' work email, each agency drawn at its own level so the ratios differ.

Idempotent (skipped when any computer exists), fast (bulk inserts, then one
`infrastructure_facts_recompute`), one audit entry per run (`infrastructure.demo_load`).
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from egov.audit.services import audit_record
from egov.infrastructure.facts import infrastructure_facts_recompute
from egov.infrastructure.models import (
    AssetStatus,
    Computer,
    ComputerKind,
    InformationSystem,
    LinkKind,
    NetworkLink,
    Server,
    StaffItProfile,
    SystemKind,
    SystemStatus,
)
from egov.organisations.models import Agency, AgencyKind, StaffMember

SEED = 2027
BIG_MBPS = (50, 100, 150, 300, 500)
SMALL_MBPS = (30, 50, 100)
PROVIDERS = ("VNPT Đà Nẵng", "Viettel Đà Nẵng", "FPT Telecom")
SYSTEMS = (
    (SystemKind.DOCUMENT_MANAGEMENT, "Hệ thống quản lý văn bản và điều hành", "VNPT", 0.95),
    (SystemKind.ONE_STOP_SHOP, "Hệ thống thông tin giải quyết thủ tục hành chính", "VNPT", 0.85),
    (SystemKind.WEBSITE, "Trang thông tin điện tử", "Trung tâm CNTT thành phố", 0.7),
    (SystemKind.EMAIL, "Thư điện tử công vụ", "Trung tâm CNTT thành phố", 0.9),
    (SystemKind.OTHER, "Phần mềm quản lý cán bộ, công chức", "Viettel", 0.35),
)


def _write(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def load_demo_infrastructure(*, stdout: TextIO | None = None) -> list[Any]:
    if Computer.objects.exists():
        _write(stdout, "    hạ tầng: đã có dữ liệu, bỏ qua")
        return []
    rng = random.Random(SEED)
    today = timezone.localdate()
    agencies = list(Agency.objects.filter(is_active=True).order_by("code"))
    staff_by_agency: dict[int, list[StaffMember]] = {}
    for person in StaffMember.objects.filter(is_active=True).order_by("pk"):
        staff_by_agency.setdefault(person.agency_id, []).append(person)
    if not agencies:
        return []
    computers: list[Computer] = []
    servers: list[Server] = []
    links: list[NetworkLink] = []
    systems: list[InformationSystem] = []
    profiles: list[StaffItProfile] = []
    with transaction.atomic():
        for agency in agencies:
            people = staff_by_agency.get(agency.pk, [])
            ratio = rng.uniform(0.7, 1.2)
            equipped = rng.uniform(0.55, 1.0)  # share of officials with a work mailbox
            count = max(1, round(len(people) * ratio))
            prefix = agency.abbreviation.upper().replace(" ", "")[:10] or str(agency.pk)
            for i in range(count):
                status = AssetStatus.IN_USE if rng.random() < 0.95 else AssetStatus.BROKEN
                computers.append(
                    Computer(
                        agency=agency,
                        asset_tag=f"{prefix}-MT-{i + 1:03d}",
                        kind=ComputerKind.LAPTOP if rng.random() < 0.25 else ComputerKind.DESKTOP,
                        year=rng.randrange(2014, today.year + 1),
                        serves=people[i] if i < len(people) else None,
                        status=status,
                    )
                )
            big = agency.kind in (AgencyKind.DEPARTMENT, AgencyKind.PEOPLES_COMMITTEE)
            for i in range(rng.randrange(2, 6) if big else rng.randrange(0, 2)):
                servers.append(
                    Server(
                        agency=agency,
                        name=f"{prefix}-SRV-{i + 1:02d}",
                        purpose=rng.choice(("Máy chủ ứng dụng", "Máy chủ tệp", "Máy chủ dự phòng")),
                        year=rng.randrange(2015, today.year + 1),
                    )
                )
            links.append(
                NetworkLink(
                    agency=agency,
                    kind=LinkKind.WAN,
                    provider="Mạng số liệu chuyên dùng",
                    bandwidth_mbps=rng.choice((100, 200, 500)),
                )
            )
            for provider in rng.sample(PROVIDERS, 2 if big else 1):
                links.append(
                    NetworkLink(
                        agency=agency,
                        kind=LinkKind.INTERNET,
                        provider=provider,
                        bandwidth_mbps=rng.choice(
                            (50, 100, 150, 300, 500) if big else (30, 50, 100)
                        ),
                    )
                )
            for kind, name, vendor, chance in SYSTEMS:
                roll = rng.random()
                if roll > chance + 0.1:
                    continue
                systems.append(
                    InformationSystem(
                        agency=agency,
                        kind=kind,
                        name=name,
                        vendor=vendor,
                        status=SystemStatus.IN_USE if roll < chance else SystemStatus.PILOTING,
                        since=today - timedelta(days=rng.randrange(60, 2500)),
                    )
                )
            for person in people:
                has = rng.random() < equipped
                profiles.append(
                    StaffItProfile(staff_id=person.pk, agency=agency, has_work_email=has)
                )
        Computer.objects.bulk_create(computers, batch_size=2000)
        Server.objects.bulk_create(servers, batch_size=1000)
        NetworkLink.objects.bulk_create(links, batch_size=1000)
        InformationSystem.objects.bulk_create(systems, batch_size=1000)
        StaffItProfile.objects.bulk_create(profiles, batch_size=2000, ignore_conflicts=True)
        infrastructure_facts_recompute()
        root = Agency.objects.filter(parent__isnull=True).order_by("id").first() or agencies[0]
        summary = {
            "computers": len(computers),
            "servers": len(servers),
            "links": len(links),
            "systems": len(systems),
            "profiles": len(profiles),
        }
        audit_record(
            actor=None,
            action="infrastructure.demo_load",
            target=root,
            summary=(
                f"Nạp dữ liệu mẫu hạ tầng CNTT: {len(computers)} máy tính, {len(servers)} máy chủ, "
                f"{len(systems)} hệ thống (dữ liệu mẫu, không phải thao tác của cán bộ)"
            ),
            after=summary,
        )
    _write(stdout, f"    hạ tầng: {len(computers)} máy tính, {len(systems)} hệ thống")
    return []
