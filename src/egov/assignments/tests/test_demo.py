"""The demo assignments: every status, meetings and documents as sources, extensions both ways,
facts equal to the recomputation, idempotent, one audit entry. A small variant (`count=150`);
the speed of the full load is measured in benchmarks/direction/, not here."""

from __future__ import annotations

import io

import pytest

from egov.assignments.demo import DEMO_ACTION, load_demo_assignments
from egov.assignments.facts import FIELDS, facts_compute
from egov.assignments.models import (
    Assignment,
    AssignmentMonthlyFact,
    AssignmentOwner,
    AssignmentStatus,
    ExtensionDecision,
    ExtensionRequest,
    MeetingConclusion,
    ProgressReport,
    SourceKind,
)
from egov.audit.models import AuditEntry
from egov.organisations.demo import load_demo_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> str:
    load_demo_city()
    out = io.StringIO()
    load_demo_assignments(stdout=out, count=150)
    return out.getvalue()


def test_every_status_and_source(loaded: str) -> None:
    rows = Assignment.objects.filter(is_series=False)
    assert rows.count() >= 150
    assert set(rows.values_list("status", flat=True)) == set(AssignmentStatus.values)
    assert rows.filter(status="done", on_time=True).exists()
    assert rows.filter(status="done", on_time=False).exists()
    assert rows.filter(overdue_since__isnull=False, status__in=["open", "in_progress"]).exists()
    assert {SourceKind.MEETING, SourceKind.OWN} <= set(rows.values_list("source_kind", flat=True))
    assert MeetingConclusion.objects.filter(title__contains="Giao ban").exists()
    decisions = set(ExtensionRequest.objects.values_list("decision", flat=True))
    assert decisions == set(ExtensionDecision.values)
    assert ProgressReport.objects.exists()
    assert Assignment.objects.filter(is_series=True, instances__isnull=False).exists()
    # owners across agencies, units and people; exactly one main owner each
    owners = AssignmentOwner.objects.filter(assignment__is_series=False)
    assert owners.filter(kind="main").count() == rows.count()
    assert owners.filter(unit__isnull=False).exists()
    assert owners.filter(staff__isnull=False).exists()
    assert owners.filter(unit__isnull=True, staff__isnull=True).exists()
    assert len(set(rows.values_list("owner_agency_id", flat=True))) > 3
    assert "nhiệm vụ" in loaded


def test_facts_equal_recomputation_and_differ_between_agencies(loaded: str) -> None:
    facts = list(AssignmentMonthlyFact.objects.all())
    assert facts
    for fact in facts:
        stored = {f: getattr(fact, f) for f in FIELDS}
        assert stored == facts_compute(agency_id=fact.agency_id, month=fact.month), fact
    # every (agency, month) with assignments has its row
    keys = {(f.agency_id, f.month) for f in facts}
    for a in Assignment.objects.filter(is_series=False).only("owner_agency_id", "assigned_at"):
        from egov.assignments.facts import month_of

        assert (a.owner_agency_id, month_of(a.assigned_at)) in keys
    assert len({f.done_on_time for f in facts}) > 1


def test_idempotent_and_one_audit_entry(loaded: str) -> None:
    before = Assignment.objects.count()
    out = io.StringIO()
    load_demo_assignments(stdout=out, count=150)
    assert Assignment.objects.count() == before
    assert "bỏ qua" in out.getvalue()
    assert AuditEntry.objects.filter(action=DEMO_ACTION).count() == 1
    assert not AuditEntry.objects.filter(action__startswith="assignment.").exists()
