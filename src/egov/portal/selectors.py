"""Reads for the public portal's shell."""

from __future__ import annotations

from egov.organisations.models import Agency, AgencyKind


def city_committee() -> Agency | None:
    """The city People's Committee: the top People's Committee of the agency tree, if loaded."""
    return (
        Agency.objects.filter(
            kind=AgencyKind.PEOPLES_COMMITTEE, parent__isnull=True, is_active=True
        )
        .only("name", "address", "phone", "email", "website")
        .order_by("code")
        .first()
    )
