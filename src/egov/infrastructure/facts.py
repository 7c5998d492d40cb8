"""Keeping `InfrastructureFact` current.

Incremental path: every inventory service computes what the row counted for before and after
the change (`contribution`) and applies the difference to the agency's fact row, locked, in
the same transaction (`fact_apply`). Fact rows are locked in agency-id order. `staff_total`
is recounted (one indexed COUNT) whenever a row is touched.

Full path (`infrastructure_facts_recompute`): rebuilds every row with aggregate queries over
the live tables; it also picks up staff moves and departures made in `organisations` (the
nightly job, `egov infrastructure recompute`). The tests hold that both give the same rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from django.db import models, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from egov.infrastructure.models import (
    AssetStatus,
    Computer,
    InformationSystem,
    InfrastructureFact,
    LinkKind,
    NetworkLink,
    Server,
    StaffItProfile,
    SystemStatus,
)
from egov.organisations.models import Agency, StaffMember

COUNTERS = (
    "computers_in_use",
    "servers_in_use",
    "internet_mbps",
    "work_email_staff",
    "systems_in_use",
)
KIND_PREFIX = "kind:"

Contribution = dict[str, int]


def contribution(obj: models.Model | None) -> Contribution:
    """What one row adds to its agency's fact row."""
    if obj is None:
        return {}
    if isinstance(obj, Computer):
        return {"computers_in_use": 1} if obj.status == AssetStatus.IN_USE else {}
    if isinstance(obj, Server):
        return {"servers_in_use": 1} if obj.status == AssetStatus.IN_USE else {}
    if isinstance(obj, NetworkLink):
        if obj.is_active and obj.kind == LinkKind.INTERNET:
            return {"internet_mbps": obj.bandwidth_mbps}
        return {}
    if isinstance(obj, InformationSystem):
        if obj.status == SystemStatus.IN_USE:
            return {"systems_in_use": 1, f"{KIND_PREFIX}{obj.kind}": 1}
        return {}
    if isinstance(obj, StaffItProfile):
        return {"work_email_staff": 1} if obj.has_work_email and obj.staff.is_active else {}
    raise TypeError(f"no contribution for {type(obj).__name__}")


def _lock(agency_ids: Iterable[int]) -> dict[int, InfrastructureFact]:
    ids = sorted(set(agency_ids))
    InfrastructureFact.objects.bulk_create(
        [InfrastructureFact(agency_id=a) for a in ids], ignore_conflicts=True
    )
    return {
        f.agency_id: f
        for f in InfrastructureFact.objects.select_for_update()
        .filter(agency_id__in=ids)
        .order_by("agency_id")
    }


def _add(fact: InfrastructureFact, delta: Mapping[str, int], sign: int) -> None:
    kinds = dict(fact.systems_by_kind)
    for key, n in delta.items():
        if key.startswith(KIND_PREFIX):
            kind = key.removeprefix(KIND_PREFIX)
            kinds[kind] = kinds.get(kind, 0) + sign * n
            if kinds[kind] == 0:
                del kinds[kind]
        else:
            setattr(fact, key, getattr(fact, key) + sign * n)
    fact.systems_by_kind = kinds


def fact_apply(
    *,
    before: tuple[int, Contribution] | None,
    after: tuple[int, Contribution] | None,
) -> None:
    """Move fact rows by a change: `(agency_id, contribution)` before and after it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("fact_apply runs inside the service's transaction")
    touched = {pair[0] for pair in (before, after) if pair is not None}
    facts = _lock(touched)
    if before is not None:
        _add(facts[before[0]], before[1], -1)
    if after is not None:
        _add(facts[after[0]], after[1], +1)
    for agency_id, fact in facts.items():
        fact.staff_total = StaffMember.objects.filter(agency_id=agency_id, is_active=True).count()
        fact.save()


def _grouped(queryset: models.QuerySet, value: models.Aggregate) -> dict[int, int]:  # type: ignore[type-arg]
    return {
        agency_id: n or 0
        for agency_id, n in queryset.values("agency_id")
        .annotate(n=value)
        .values_list("agency_id", "n")
    }


def infrastructure_facts_recompute(agency_ids: Iterable[int] | None = None) -> int:
    """Rebuild the fact rows from the live tables (all agencies by default)."""
    agencies = Agency.objects.all()
    if agency_ids is not None:
        agencies = agencies.filter(pk__in=list(agency_ids))
    ids = list(agencies.values_list("pk", flat=True))
    within = Q(agency_id__in=ids)
    with transaction.atomic():
        facts = _lock(ids)
        staff = _grouped(StaffMember.objects.filter(within, is_active=True), Count("pk"))
        computers = _grouped(
            Computer.objects.filter(within, status=AssetStatus.IN_USE), Count("pk")
        )
        servers = _grouped(Server.objects.filter(within, status=AssetStatus.IN_USE), Count("pk"))
        mbps = _grouped(
            NetworkLink.objects.filter(within, is_active=True, kind=LinkKind.INTERNET),
            Sum("bandwidth_mbps"),
        )
        emails = _grouped(
            StaffItProfile.objects.filter(within, has_work_email=True, staff__is_active=True),
            Count("pk"),
        )
        kinds: dict[int, Counter[str]] = defaultdict(Counter)
        for agency_id, kind, n in (
            InformationSystem.objects.filter(within, status=SystemStatus.IN_USE)
            .values("agency_id", "kind")
            .annotate(n=Count("pk"))
            .values_list("agency_id", "kind", "n")
        ):
            kinds[agency_id][kind] = n
        now = timezone.now()
        for agency_id, fact in facts.items():
            fact.staff_total = staff.get(agency_id, 0)
            fact.computers_in_use = computers.get(agency_id, 0)
            fact.servers_in_use = servers.get(agency_id, 0)
            fact.internet_mbps = mbps.get(agency_id, 0)
            fact.work_email_staff = emails.get(agency_id, 0)
            fact.systems_by_kind = dict(sorted(kinds[agency_id].items()))
            fact.systems_in_use = sum(kinds[agency_id].values())
            fact.updated_at = now
        InfrastructureFact.objects.bulk_update(
            list(facts.values()),
            ["staff_total", *COUNTERS, "systems_by_kind", "updated_at"],
            batch_size=1000,
        )
    return len(facts)
