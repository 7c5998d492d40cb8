"""The rule of Circular 03/2014/TT-BTTTT, and a person's standing computed from live tables.

- basic standard: all six basic modules (IU01–IU06) passed, or a basic certificate;
- advanced standard: the basic standard plus at least three advanced modules (IU07–IU15)
  passed, or an advanced certificate (which is only issued to holders of the basic one).

A module counts once however many attempts passed; retired results (entered in error,
withdrawn) do not count. `at` limits the evidence to results taken and certificates issued on
or before that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from egov.training.models import (
    ADVANCED_REQUIRED,
    BASIC_REQUIRED,
    Certificate,
    CertificateKind,
    ModuleLevel,
    ModuleResult,
)


@dataclass(frozen=True)
class Standing:
    basic_passed: int = 0
    advanced_passed: int = 0
    basic_certificate: bool = False
    advanced_certificate: bool = False

    @property
    def basic_met(self) -> bool:
        return (
            self.basic_passed >= BASIC_REQUIRED
            or self.basic_certificate
            or self.advanced_certificate
        )

    @property
    def advanced_met(self) -> bool:
        return self.advanced_certificate or (
            self.basic_met and self.advanced_passed >= ADVANCED_REQUIRED
        )


NOTHING = Standing()


def standings(
    *,
    staff_ids: Iterable[int] | None = None,
    agency_ids: Iterable[int] | None = None,
    at: date | None = None,
) -> dict[int, Standing]:
    """Standing per staff id (only people with some evidence appear; others have NOTHING).

    Filter by people (`staff_ids`) or by their current agency (`agency_ids`, active staff)."""
    results = ModuleResult.objects.filter(passed=True, retired_at__isnull=True)
    certificates = Certificate.objects.all()
    if staff_ids is not None:
        ids = list(staff_ids)
        results = results.filter(staff_id__in=ids)
        certificates = certificates.filter(staff_id__in=ids)
    if agency_ids is not None:
        agencies = list(agency_ids)
        scope = Q(staff__agency_id__in=agencies, staff__is_active=True)
        results = results.filter(scope)
        certificates = certificates.filter(scope)
    if at is not None:
        results = results.filter(taken_on__lte=at)
        certificates = certificates.filter(issued_on__lte=at)
    passed: dict[int, dict[str, int]] = defaultdict(dict)
    for staff_id, level, n in results.values_list("staff_id", "module__level").annotate(
        n=Count("module_id", distinct=True)
    ):
        passed[staff_id][level] = n
    held: dict[int, set[str]] = defaultdict(set)
    for staff_id, kind in certificates.values_list("staff_id", "kind").distinct():
        held[staff_id].add(kind)
    return {
        staff_id: Standing(
            basic_passed=passed[staff_id].get(ModuleLevel.BASIC, 0),
            advanced_passed=passed[staff_id].get(ModuleLevel.ADVANCED, 0),
            basic_certificate=CertificateKind.BASIC in held[staff_id],
            advanced_certificate=CertificateKind.ADVANCED in held[staff_id],
        )
        for staff_id in set(passed) | set(held)
    }
