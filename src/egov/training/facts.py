"""Keeping `StaffTrainingStatus` and `TrainingFact` current.

Incremental path (`staff_status_refresh`), run inside the transaction of every result or
certificate change: the person's standing is recomputed from their own rows (a handful), the
difference with their stored status is applied to their agency's fact row, locked. Fact rows
are locked in agency-id order (a person who moved agencies touches two rows).

`staff_total` is recounted (one indexed COUNT) whenever an agency's row is touched, and by the
full recomputation, which also picks up staff moves and departures made in `organisations`
since (the nightly job, `egov training recompute`).

Full path (`training_facts_recompute`): rebuilds statuses and facts from the live tables.
The tests hold that both paths give the same rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from egov.organisations.models import Agency, StaffMember
from egov.training.models import StaffTrainingStatus, TrainingFact
from egov.training.standards import NOTHING, standings


def _lock_facts(agency_ids: Iterable[int]) -> dict[int, TrainingFact]:
    ids = sorted(set(agency_ids))
    TrainingFact.objects.bulk_create(
        [TrainingFact(agency_id=a) for a in ids], ignore_conflicts=True
    )
    return {
        f.agency_id: f
        for f in TrainingFact.objects.select_for_update()
        .filter(agency_id__in=ids)
        .order_by("agency_id")
    }


def _active_staff_count(agency_id: int) -> int:
    return StaffMember.objects.filter(agency_id=agency_id, is_active=True).count()


def staff_status_refresh(staff: StaffMember) -> StaffTrainingStatus:
    """Recompute one person's standing and move their agency's counters by the difference."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("staff_status_refresh runs inside the service's transaction")
    standing = standings(staff_ids=[staff.pk]).get(staff.pk, NOTHING)
    status = StaffTrainingStatus.objects.filter(staff_id=staff.pk).first()
    old_agency = status.agency_id if status else staff.agency_id
    facts = _lock_facts({old_agency, staff.agency_id})
    # Re-read under the fact lock: the status row is only written while it is held.
    status = StaffTrainingStatus.objects.filter(staff_id=staff.pk).first()
    counted = staff.is_active
    if status is not None and counted:
        old = facts[status.agency_id]
        old.basic_met -= int(status.basic_met)
        old.advanced_met -= int(status.advanced_met)
    if status is None:
        status = StaffTrainingStatus(staff_id=staff.pk, agency_id=staff.agency_id)
    status.agency_id = staff.agency_id
    status.basic_passed = standing.basic_passed
    status.advanced_passed = standing.advanced_passed
    status.basic_certificate = standing.basic_certificate
    status.advanced_certificate = standing.advanced_certificate
    status.basic_met = standing.basic_met
    status.advanced_met = standing.advanced_met
    if standing == NOTHING:
        # No evidence, no row: the same rows as the full recomputation writes.
        if status.pk is not None:
            status.delete()
    else:
        status.save()
    if counted:
        new = facts[staff.agency_id]
        new.basic_met += int(standing.basic_met)
        new.advanced_met += int(standing.advanced_met)
    for agency_id, fact in facts.items():
        fact.staff_total = _active_staff_count(agency_id)
        fact.save()
    return status


def training_facts_recompute(agency_ids: Iterable[int] | None = None) -> int:
    """Rebuild statuses and fact rows from the live tables (all agencies by default).

    Returns the number of fact rows written."""
    agencies = Agency.objects.all()
    if agency_ids is not None:
        agencies = agencies.filter(pk__in=list(agency_ids))
    ids = list(agencies.values_list("pk", flat=True))
    with transaction.atomic():
        facts = _lock_facts(ids)
        staff_rows = list(
            StaffMember.objects.filter(agency_id__in=ids).values_list(
                "pk", "agency_id", "is_active"
            )
        )
        found = standings(staff_ids=[pk for pk, _a, _active in staff_rows])
        StaffTrainingStatus.objects.filter(
            Q(agency_id__in=ids) | Q(staff__agency_id__in=ids)
        ).delete()
        statuses = []
        basic: Counter[int] = Counter()
        advanced: Counter[int] = Counter()
        for pk, agency_id, active in staff_rows:
            standing = found.get(pk)
            if standing is None:
                continue
            statuses.append(
                StaffTrainingStatus(
                    staff_id=pk,
                    agency_id=agency_id,
                    basic_passed=standing.basic_passed,
                    advanced_passed=standing.advanced_passed,
                    basic_certificate=standing.basic_certificate,
                    advanced_certificate=standing.advanced_certificate,
                    basic_met=standing.basic_met,
                    advanced_met=standing.advanced_met,
                )
            )
            if active:
                basic[agency_id] += int(standing.basic_met)
                advanced[agency_id] += int(standing.advanced_met)
        StaffTrainingStatus.objects.bulk_create(statuses, batch_size=1000)
        totals = dict(
            StaffMember.objects.filter(agency_id__in=ids, is_active=True)
            .values("agency_id")
            .annotate(n=Count("pk"))
            .values_list("agency_id", "n")
        )
        now = timezone.now()
        for agency_id, fact in facts.items():
            fact.updated_at = now
            fact.staff_total = totals.get(agency_id, 0)
            fact.basic_met = basic[agency_id]
            fact.advanced_met = advanced[agency_id]
        TrainingFact.objects.bulk_update(
            list(facts.values()),
            ["staff_total", "basic_met", "advanced_met", "updated_at"],
            batch_size=1000,
        )
    return len(facts)
