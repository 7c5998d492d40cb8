"""Reads for the staff workspace's shell: who is signed in, and the home page's figures."""

from __future__ import annotations

from typing import Any

from egov.organisations.models import StaffMember


def staff_profile(user: Any) -> StaffMember | None:
    """The user's active staff record with agency, unit, position and roles; cached on the user."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if hasattr(user, "_egov_staff_profile"):
        return user._egov_staff_profile  # type: ignore[no-any-return]
    staff = (
        StaffMember.objects.filter(user_id=user.pk, is_active=True)
        .select_related("agency", "unit", "position")
        .prefetch_related("roles")
        .first()
    )
    user._egov_staff_profile = staff
    return staff


def agency_staff_count(agency_id: int) -> int:
    """Active staff members of an agency."""
    return StaffMember.objects.filter(agency_id=agency_id, is_active=True).count()
