"""Read queries for agencies, staff and delegations; joins chosen here, not in views."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from egov.core.errors import NotFound
from egov.organisations.models import Agency, Delegation, Role, StaffMember, Unit
from egov.organisations.search import search_filter
from egov.policy.engine import require, scope


@dataclass
class AgencyNode:
    """One agency in the tree, with its children in code order."""

    agency: Agency
    depth: int
    children: list[AgencyNode] = field(default_factory=list)

    def walk(self) -> list[AgencyNode]:
        """This node and every node below it, depth first."""
        nodes = [self]
        for child in self.children:
            nodes.extend(child.walk())
        return nodes


def agency_tree(*, include_inactive: bool = False, root: Agency | None = None) -> list[AgencyNode]:
    """The agency tree of any depth, built from one query.

    Returns the top-level nodes (agencies without a parent, or `root` alone when given).
    """
    agencies = Agency.objects.order_by("code")
    if not include_inactive:
        agencies = agencies.filter(is_active=True)
    rows = list(agencies)
    by_parent: dict[int | None, list[Agency]] = {}
    ids = {a.pk for a in rows}
    for agency in rows:
        parent_id = agency.parent_id if agency.parent_id in ids else None
        by_parent.setdefault(parent_id, []).append(agency)

    def build(agency: Agency, depth: int, seen: set[int]) -> AgencyNode:
        seen.add(agency.pk)
        node = AgencyNode(agency=agency, depth=depth)
        for child in by_parent.get(agency.pk, []):
            if child.pk not in seen:
                node.children.append(build(child, depth + 1, seen))
        return node

    seen: set[int] = set()
    if root is not None:
        match = next((a for a in rows if a.pk == root.pk), None)
        return [build(match, 0, seen)] if match is not None else []
    return [build(agency, 0, seen) for agency in by_parent.get(None, [])]


def agency_tree_flat(*, include_inactive: bool = False) -> list[AgencyNode]:
    """The tree as a depth-first list (for indented rendering)."""
    nodes: list[AgencyNode] = []
    for top in agency_tree(include_inactive=include_inactive):
        nodes.extend(top.walk())
    return nodes


def agency_get(*, code: str, include_inactive: bool = True) -> Agency:
    """One agency by identifier code, with its parent and children; NotFound otherwise."""
    qs = Agency.objects.select_related("parent").prefetch_related(
        Prefetch("children", queryset=Agency.objects.filter(is_active=True).order_by("code"))
    )
    if not include_inactive:
        qs = qs.filter(is_active=True)
    agency = qs.filter(code=(code or "").strip().upper()).first()
    if agency is None:
        raise NotFound()
    return agency


def agency_detail(*, user: Any, code: str) -> Agency:
    """The internal view of an agency (units prefetched); forbidden looks like missing."""
    agency = agency_get(code=code)
    require(user, "agency.view", agency, hide=True)
    return agency


def agency_units(*, agency: Agency) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(agency=agency, is_active=True).select_related("parent").order_by("name")
    )


def agency_directory(*, q: str = "") -> QuerySet[Agency]:
    """The public directory: active agencies, searched without accents (`q` may be empty)."""
    qs = Agency.objects.filter(is_active=True).select_related("parent").order_by("code")
    return qs.filter(search_filter("search_text", q))


def _staff_queryset() -> QuerySet[StaffMember]:
    return StaffMember.objects.select_related(
        "user", "agency", "unit", "position"
    ).prefetch_related(Prefetch("roles", queryset=Role.objects.order_by("code")))


def staff_of_agency(
    *, user: Any, agency: Agency, q: str = "", include_inactive: bool = False
) -> QuerySet[StaffMember]:
    """Staff of an agency that the user may see (policy-scoped), leaders first."""
    qs = scope(_staff_queryset().filter(agency=agency), user, "staff.view")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    for word in (q or "").split():
        qs = qs.filter(Q(user__username__icontains=word) | Q(user__full_name__icontains=word))
    return qs.order_by("position__rank", "unit__name", "user__full_name", "pk")


def staff_detail(*, user: Any, public_id: Any) -> StaffMember:
    """One staff member by public id, if the user may see them; NotFound otherwise."""
    staff = scope(_staff_queryset(), user, "staff.view").filter(public_id=public_id).first()
    if staff is None:
        raise NotFound()
    require(user, "staff.view", staff, hide=True)
    return staff


def staff_for_user(*, user: Any) -> StaffMember | None:
    """The active staff record of a user (None for citizens and inactive staff)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return _staff_queryset().filter(user_id=user.pk, is_active=True).first()


def active_delegations(
    *,
    agency: Agency | None = None,
    staff: StaffMember | None = None,
    at: datetime | None = None,
) -> QuerySet[Delegation]:
    """Delegations in force at `at` (default now), optionally of one agency or one person."""
    when = at or timezone.now()
    qs = Delegation.objects.filter(
        revoked_at__isnull=True, starts_at__lte=when, ends_at__gt=when
    ).select_related("delegator__user", "delegate__user", "role", "delegator__agency")
    if agency is not None:
        qs = qs.filter(delegator__agency=agency)
    if staff is not None:
        qs = qs.filter(Q(delegator=staff) | Q(delegate=staff))
    return qs.order_by("ends_at", "pk")


def delegations_of(*, staff: StaffMember) -> QuerySet[Delegation]:
    """Every delegation given or received by a staff member, newest first."""
    return (
        Delegation.objects.filter(Q(delegator=staff) | Q(delegate=staff))
        .select_related("delegator__user", "delegate__user", "role")
        .order_by("-starts_at", "-pk")
    )


def delegation_get(*, public_id: Any) -> Delegation:
    delegation = (
        Delegation.objects.select_related(
            "delegator__user", "delegate__user", "role", "delegator__agency"
        )
        .filter(public_id=public_id)
        .first()
    )
    if delegation is None:
        raise NotFound()
    return delegation


def delegation_candidates(*, delegator: StaffMember) -> QuerySet[StaffMember]:
    """Who a leader may delegate to: active colleagues of the same agency."""
    return (
        StaffMember.objects.filter(agency_id=delegator.agency_id, is_active=True)
        .exclude(pk=delegator.pk)
        .select_related("user", "unit", "position")
        .order_by("position__rank", "user__full_name")
    )
