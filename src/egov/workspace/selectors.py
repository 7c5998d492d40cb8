"""Reads for the staff workspace's shell: who is signed in, and the home page's figures."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from egov.organisations import selectors as organisations
from egov.organisations.models import Agency, RoleCode, StaffMember
from egov.policy.engine import subject_for


def staff_profile(user: Any) -> StaffMember | None:
    """The user's active staff record (agency, unit, position, roles), once per request.

    The header and the page both need it; the result is kept on the user object, which lives
    as long as the request.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_egov_staff_profile"):
        user._egov_staff_profile = organisations.staff_for_user(user=user)
    return user._egov_staff_profile  # type: ignore[no-any-return]


def agency_staff_count(*, user: Any, agency: Agency) -> int:
    """Active staff of the agency, as far as the user may see them."""
    return organisations.staff_of_agency(user=user, agency=agency).count()


_ROLE_ORDER = {code: i for i, code in enumerate(RoleCode.values)}


def role_labels(user: Any) -> list[str]:
    """The user's roles in their own agency, in the glossary's order, delegated ones marked."""
    subject = subject_for(user)
    labels = []
    for code in sorted(subject.own_roles, key=lambda c: _ROLE_ORDER.get(c, len(_ROLE_ORDER))):
        label = str(RoleCode(code).label) if code in _ROLE_ORDER else code
        if code not in subject.direct_roles:
            label = gettext("%(role)s (được ủy quyền)") % {"role": label}
        labels.append(label)
    return labels
