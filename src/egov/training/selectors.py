"""Reads of training data for pages, the API and the indicators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Prefetch, QuerySet

from egov.organisations.models import Agency, StaffMember
from egov.policy.engine import scope
from egov.training.models import (
    Certificate,
    Course,
    ModuleResult,
    SkillModule,
    StaffTrainingStatus,
    TrainingFact,
)
from egov.training.standards import NOTHING, Standing, standings


@dataclass(frozen=True)
class Coverage:
    """An agency's officials and how many meet each standard, on a day or now."""

    staff_total: int
    basic_met: int
    advanced_met: int

    @property
    def basic_share(self) -> float | None:
        return self.basic_met / self.staff_total if self.staff_total else None

    @property
    def advanced_share(self) -> float | None:
        return self.advanced_met / self.staff_total if self.staff_total else None


def skill_modules() -> QuerySet[SkillModule]:
    return SkillModule.objects.order_by("rank")


def staff_standard(staff: StaffMember, *, at: date | None = None) -> Standing:
    """A person's standing from the live tables (evidence up to `at` when given)."""
    return standings(staff_ids=[staff.pk], at=at).get(staff.pk, NOTHING)


def agency_training_coverage(agency: Agency, *, at: date | None = None) -> Coverage:
    """Coverage computed from the live tables (active staff now; evidence up to `at`).

    For pages and dashboards read `training_facts` instead: this scans the agency's rows."""
    total = StaffMember.objects.filter(agency=agency, is_active=True).count()
    found = standings(agency_ids=[agency.pk], at=at).values()
    return Coverage(
        staff_total=total,
        basic_met=sum(1 for s in found if s.basic_met),
        advanced_met=sum(1 for s in found if s.advanced_met),
    )


def training_facts(user: Any) -> QuerySet[TrainingFact]:
    """The fact rows of the agencies the user may see, by agency code."""
    return scope(
        TrainingFact.objects.select_related("agency").order_by("agency__code"),
        user,
        "training.view",
    )


def visible_agencies(user: Any) -> QuerySet[Agency]:
    return scope(Agency.objects.filter(is_active=True), user, "training.view", field="pk")


def courses_for(user: Any) -> QuerySet[Course]:
    return scope(
        Course.objects.select_related("agency").prefetch_related(
            Prefetch("modules", queryset=SkillModule.objects.order_by("rank"))
        ),
        user,
        "training.view",
    )


def staff_statuses(agency: Agency) -> QuerySet[StaffMember]:
    """Active staff of an agency with their stored standing (None when no evidence)."""
    return (
        StaffMember.objects.filter(agency=agency, is_active=True)
        .select_related("user", "unit", "position", "training_status")
        .order_by("user__full_name", "pk")
    )


def status_of(staff: StaffMember) -> StaffTrainingStatus | None:
    return StaffTrainingStatus.objects.filter(staff=staff).first()


def results_of(staff: StaffMember) -> QuerySet[ModuleResult]:
    return ModuleResult.objects.filter(staff=staff).select_related("module", "course")


def certificates_of(staff: StaffMember) -> QuerySet[Certificate]:
    return Certificate.objects.filter(staff=staff)


def agency_results(agency: Agency) -> QuerySet[ModuleResult]:
    """The module results recorded for an agency's people, live ones first, by person."""
    return (
        ModuleResult.objects.filter(agency=agency)
        .select_related("staff__user", "module")
        .order_by(
            F("retired_at").asc(nulls_first=True),
            "staff__user__full_name",
            "staff_id",
            "module__rank",
            "-taken_on",
        )
    )
