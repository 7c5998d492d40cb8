"""Demo training: courses organised by city departments and results for every demo official.

Each agency draws its own level (share of officials trained to the basic standard between
about 30 % and 95 %, and a share of those going on to advanced modules), so the dashboards show
agencies ahead and behind. Some officials hold a certificate instead of module results; some
have failed a module. Idempotent (skipped when demo courses exist), fast (bulk inserts, then
one `training_facts_recompute`), and one audit entry per run (`training.demo_load`, on the
root agency, saying it is demo data) instead of one per row.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from egov.audit.services import audit_record
from egov.organisations.models import Agency, StaffMember
from egov.training.facts import training_facts_recompute
from egov.training.models import (
    Certificate,
    CertificateKind,
    Course,
    Enrolment,
    ModuleLevel,
    ModuleResult,
    SkillModule,
)

SEED = 2026
DEMO_MARK = "[mẫu]"
ISSUERS = ("Trường Đại học Bách khoa – Đại học Đà Nẵng", "Trung tâm Tin học – Ngoại ngữ Đà Nẵng")
COURSES = (
    # (organising agency name, title, modules, months ago)
    ("Sở Khoa học và Công nghệ", "Ứng dụng CNTT cơ bản cho cán bộ, công chức", "basic", 10),
    ("Sở Khoa học và Công nghệ", "Bảng tính và trình chiếu nâng cao", ("IU07", "IU08", "IU09"), 6),
    ("Sở Nội vụ", "Kỹ năng số cho công chức cấp xã", "basic", 8),
    ("Sở Khoa học và Công nghệ", "An toàn, bảo mật thông tin trong cơ quan nhà nước", ("IU14",), 3),
)


def _write(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def load_demo_training(*, stdout: TextIO | None = None) -> list[Any]:
    if Course.objects.filter(title__startswith=DEMO_MARK).exists():
        _write(stdout, "    đào tạo: đã có dữ liệu mẫu, bỏ qua")
        return []
    rng = random.Random(SEED)
    today = timezone.localdate()
    modules = list(SkillModule.objects.order_by("rank"))
    basic = [m for m in modules if m.level == ModuleLevel.BASIC]
    advanced = [m for m in modules if m.level == ModuleLevel.ADVANCED]
    agencies = list(Agency.objects.filter(is_active=True).order_by("code"))
    by_name = {a.name: a for a in agencies}
    staff = list(StaffMember.objects.filter(is_active=True).order_by("agency_id", "pk"))
    if not agencies or not staff:
        return []
    with transaction.atomic():
        courses: list[tuple[Course, list[SkillModule]]] = []
        for organiser, title, covered, months in COURSES:
            agency = by_name.get(organiser, agencies[0])
            starts = today - timedelta(days=30 * months)
            chosen = basic if covered == "basic" else [m for m in modules if m.code in covered]
            course = Course.objects.create(
                agency=agency,
                organiser=ISSUERS[0] if "nâng cao" in title else ISSUERS[1],
                title=f"{DEMO_MARK} {title}",
                starts_on=starts,
                ends_on=starts + timedelta(days=rng.choice((5, 10, 14))),
                location="Trung tâm Hành chính thành phố",
            )
            course.modules.set(chosen)
            courses.append((course, chosen))
        level = {a.pk: (rng.uniform(0.3, 0.95), rng.uniform(0.1, 0.55)) for a in agencies}
        results: list[ModuleResult] = []
        certificates: list[Certificate] = []
        enrolments: list[Enrolment] = []
        for n, person in enumerate(staff):
            p_basic, p_advanced = level[person.agency_id]
            day = today - timedelta(days=rng.randrange(30, 700))
            basic_course, _m = courses[0] if rng.random() < 0.6 else courses[2]

            def result(
                module: SkillModule,
                passed: bool,
                when: date,
                course: Course | None,
                who: StaffMember = person,
            ) -> None:
                score = rng.uniform(70, 98) if passed else rng.uniform(30, 49)
                results.append(
                    ModuleResult(
                        staff=who,
                        agency_id=who.agency_id,
                        module=module,
                        taken_on=when,
                        passed=passed,
                        score=round(score, 1),
                        course=course,
                    )
                )

            if rng.random() < p_basic:
                if rng.random() < 0.2:
                    certificates.append(
                        Certificate(
                            staff=person,
                            agency_id=person.agency_id,
                            kind=CertificateKind.BASIC,
                            number=f"CB{SEED}-{n:05d}",
                            issuer=rng.choice(ISSUERS),
                            issued_on=day,
                        )
                    )
                else:
                    enrolments.append(
                        Enrolment(course=basic_course, staff=person, agency_id=person.agency_id)
                    )
                    for module in basic:
                        result(module, True, day, basic_course)
                if rng.random() < p_advanced:
                    later = min(today, day + timedelta(days=rng.randrange(20, 200)))
                    for module in rng.sample(advanced, rng.choice((3, 3, 4, 5))):
                        result(module, True, later, None)
            else:
                # partly trained: some basic modules passed, one failed
                done = rng.sample(basic, rng.randrange(0, 6))
                for module in done:
                    result(module, True, day, None)
                missing = [m for m in basic if m not in done]
                if missing and rng.random() < 0.5:
                    result(rng.choice(missing), False, day, None)
        Enrolment.objects.bulk_create(enrolments, batch_size=1000)
        ModuleResult.objects.bulk_create(results, batch_size=2000)
        Certificate.objects.bulk_create(certificates, batch_size=1000)
        training_facts_recompute()
        root = Agency.objects.filter(parent__isnull=True).order_by("id").first() or agencies[0]
        summary = {
            "courses": len(courses),
            "results": len(results),
            "certificates": len(certificates),
            "staff": len(staff),
        }
        audit_record(
            actor=None,
            action="training.demo_load",
            target=root,
            summary=(
                f"Nạp dữ liệu mẫu đào tạo: {len(results)} kết quả mô-đun, "
                f"{len(certificates)} chứng chỉ (dữ liệu mẫu, không phải thao tác của cán bộ)"
            ),
            after=summary,
        )
    _write(stdout, f"    đào tạo: {len(results)} kết quả, {len(certificates)} chứng chỉ")
    return []
