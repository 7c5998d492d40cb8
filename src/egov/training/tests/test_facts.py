"""TrainingFact kept incrementally equals the full recomputation."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from egov.organisations.testing import make_agency, make_staff
from egov.training import services
from egov.training.facts import training_facts_recompute
from egov.training.models import SkillModule, StaffTrainingStatus, TrainingFact

pytestmark = pytest.mark.django_db


def _facts() -> dict[int, tuple[int, int, int]]:
    return {
        f.agency_id: (f.staff_total, f.basic_met, f.advanced_met)
        for f in TrainingFact.objects.all()
    }


def _statuses() -> set[tuple[object, ...]]:
    return set(
        StaffTrainingStatus.objects.values_list(
            "staff_id", "agency_id", "basic_passed", "advanced_passed", "basic_met", "advanced_met"
        )
    )


def test_incremental_facts_equal_recomputation() -> None:
    rng = random.Random(7)
    agencies = [make_agency() for _ in range(3)]
    people = [make_staff(agency=rng.choice(agencies)) for _ in range(12)]
    codes = list(SkillModule.objects.values_list("code", flat=True))
    day = date(2025, 1, 1)
    for i in range(150):
        person = rng.choice(people)
        services.result_record(
            actor=None,
            staff=person,
            module=rng.choice(codes),
            taken_on=day + timedelta(days=rng.randrange(5)),
            passed=rng.random() < 0.7,
        )
        if i % 40 == 0:
            services.certificate_record(
                actor=None,
                staff=person,
                kind=rng.choice(["basic", "advanced"]),
                number=f"S{i}",
                issuer="Trung tâm CNTT",
                issued_on=day,
            )
    incremental, statuses = _facts(), _statuses()
    assert any(b for _t, b, _a in incremental.values())

    training_facts_recompute()

    assert _facts() == incremental
    assert _statuses() == statuses


def test_a_correction_moves_the_counter_back() -> None:
    agency = make_agency()
    staff = make_staff(agency=agency)
    day = date(2025, 2, 1)
    for code in ["IU01", "IU02", "IU03", "IU04", "IU05", "IU06"]:
        services.result_record(actor=None, staff=staff, module=code, taken_on=day, passed=True)
    assert TrainingFact.objects.get(agency=agency).basic_met == 1

    services.result_record(actor=None, staff=staff, module="IU06", taken_on=day, passed=False)

    fact = TrainingFact.objects.get(agency=agency)
    assert (fact.staff_total, fact.basic_met) == (1, 0)
    assert not StaffTrainingStatus.objects.filter(staff=staff, basic_met=True).exists()
