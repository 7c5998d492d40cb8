"""Reads of the IT inventory for pages, the API and the indicators."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from egov.infrastructure.models import (
    Computer,
    InformationSystem,
    InfrastructureFact,
    NetworkLink,
    Server,
)
from egov.organisations.models import Agency
from egov.policy.engine import scope


@dataclass(frozen=True)
class Inventory:
    computers: QuerySet[Computer]
    servers: QuerySet[Server]
    links: QuerySet[NetworkLink]
    systems: QuerySet[InformationSystem]


def infrastructure_facts(user: Any) -> QuerySet[InfrastructureFact]:
    """Fact rows (counts and ratios) of the agencies the user may see, by agency code."""
    return scope(
        InfrastructureFact.objects.select_related("agency").order_by("agency__code"),
        user,
        "infrastructure.view",
    )


def agency_fact(agency: Agency) -> InfrastructureFact | None:
    return InfrastructureFact.objects.filter(agency=agency).first()


def agency_inventory(agency: Agency) -> Inventory:
    return Inventory(
        computers=Computer.objects.filter(agency=agency)
        .select_related("serves__user")
        .order_by("asset_tag"),
        servers=Server.objects.filter(agency=agency).order_by("name"),
        links=NetworkLink.objects.filter(agency=agency).order_by("kind", "provider"),
        systems=InformationSystem.objects.filter(agency=agency).order_by("kind", "name"),
    )


def visible_agencies(user: Any) -> QuerySet[Agency]:
    return scope(Agency.objects.filter(is_active=True), user, "infrastructure.view", field="pk")
