"""The demo loaders: differing figures per agency, idempotent, one audit entry per run."""

from __future__ import annotations

import pytest

from egov.audit.models import AuditEntry
from egov.infrastructure.demo import load_demo_infrastructure
from egov.infrastructure.models import Computer, InfrastructureFact
from egov.organisations.demo import load_demo_city
from egov.training.demo import load_demo_training
from egov.training.models import ModuleResult, TrainingFact

pytestmark = pytest.mark.django_db


def test_demo_training_and_infrastructure() -> None:
    load_demo_city()

    load_demo_training()
    load_demo_infrastructure()

    shares = [f.basic_share for f in TrainingFact.objects.all() if f.staff_total >= 3]
    assert max(shares) - min(shares) > 0.3  # some agencies ahead, some behind
    assert any(f.advanced_met for f in TrainingFact.objects.all())
    facts = InfrastructureFact.objects.all()
    ratios = [f.computers_per_official for f in facts if f.staff_total >= 8]
    assert min(ratios) >= 0.55 and max(ratios) <= 1.3  # 0.7–1.2 bought, a few broken
    assert len({f.systems_in_use for f in InfrastructureFact.objects.all()}) > 1
    results, computers = ModuleResult.objects.count(), Computer.objects.count()
    audits = AuditEntry.objects.filter(action__endswith=".demo_load").count()

    load_demo_training()
    load_demo_infrastructure()

    assert ModuleResult.objects.count() == results
    assert Computer.objects.count() == computers
    assert AuditEntry.objects.filter(action__endswith=".demo_load").count() == audits
