"""Reads about accounts: devices, the two-factor requirement, the signed-in profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.models import User, UserKind


def user_by_login(username: str) -> User | None:
    """The account a login form names (usernames compare case-insensitively)."""
    return User.objects.filter(username__iexact=username.strip()).first()


def confirmed_totp_device(user: Any) -> TOTPDevice | None:
    if not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def unconfirmed_totp_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("-pk").first()


def two_factor_required(user: Any) -> bool:
    """True when one of the user's roles (as active staff) is marked `requires_two_factor`."""
    if not getattr(user, "pk", None) or user.kind != UserKind.STAFF:
        return False
    from egov.organisations.models import Role

    return Role.objects.filter(
        staff__user_id=user.pk, staff__is_active=True, requires_two_factor=True
    ).exists()


def identity_taken(*, email: str, citizen_id: str, tax_code: str) -> dict[str, bool]:
    """Which of the identifying values registration wants are already used by an account."""
    taken = {"email": False, "citizen_id": False, "tax_code": False}
    condition = Q(email__iexact=email) | Q(username__iexact=email)
    if citizen_id:
        condition |= Q(citizen_id=citizen_id)
    if tax_code:
        condition |= Q(tax_code=tax_code)
    for row in User.objects.filter(condition).values("email", "username", "citizen_id", "tax_code"):
        if email and email.lower() in (row["email"].lower(), row["username"].lower()):
            taken["email"] = True
        if citizen_id and row["citizen_id"] == citizen_id:
            taken["citizen_id"] = True
        if tax_code and row["tax_code"] == tax_code:
            taken["tax_code"] = True
    return taken


@dataclass(frozen=True)
class Profile:
    public_id: str
    username: str
    kind: str
    kind_label: str
    full_name: str
    email: str
    email_verified: bool
    two_factor_enabled: bool
    two_factor_required: bool
    agency_code: str | None = None
    agency_name: str | None = None
    roles: list[str] = field(default_factory=list)


def profile_of(user: User) -> Profile:
    """What the profile page and `GET /api/v1/accounts/me` show."""
    agency_code = agency_name = None
    roles: list[str] = []
    if user.kind == UserKind.STAFF:
        from egov.organisations.models import StaffMember

        staff = (
            StaffMember.objects.filter(user_id=user.pk, is_active=True)
            .select_related("agency")
            .prefetch_related("roles")
            .first()
        )
        if staff is not None:
            agency_code, agency_name = staff.agency.code, staff.agency.name
            roles = sorted(r.code for r in staff.roles.all())
    return Profile(
        public_id=str(user.public_id),
        username=user.username,
        kind=user.kind,
        kind_label=str(UserKind(user.kind).label),
        full_name=user.full_name,
        email=user.email,
        email_verified=user.email_verified_at is not None,
        two_factor_enabled=confirmed_totp_device(user) is not None,
        two_factor_required=two_factor_required(user),
        agency_code=agency_code,
        agency_name=agency_name,
        roles=roles,
    )
