"""Reads for the public portal's shell."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from egov.organisations.models import Agency, AgencyKind

COMMITTEE_SECONDS = 60


@dataclass(frozen=True)
class CommitteeContact:
    name: str
    address: str
    phone: str
    email: str
    website: str


_committee: tuple[float, CommitteeContact | None] | None = None  # (until, contact)


def city_committee() -> CommitteeContact | None:
    """The city People's Committee's contact (the top People's Committee of the agency tree,
    if loaded), shown in the footer of every public page.

    Kept in this process for `COMMITTEE_SECONDS`: it was a query on every page, for data that
    changes a few times a year. A change saved in this process is seen at once
    (`forget_city_committee`, on every agency save); other processes see it within a minute.
    """
    global _committee
    now = time.monotonic()
    kept = _committee
    if kept is not None and kept[0] > now:
        return kept[1]
    row = (
        Agency.objects.filter(
            kind=AgencyKind.PEOPLES_COMMITTEE, parent__isnull=True, is_active=True
        )
        .order_by("code")
        .values_list("name", "address", "phone", "email", "website")
        .first()
    )
    contact = CommitteeContact(*row) if row is not None else None
    _committee = (now + COMMITTEE_SECONDS, contact)
    return contact


def forget_city_committee(**_: Any) -> None:
    """Read the contact anew on the next page (a signal receiver: any agency saved or deleted)."""
    global _committee
    _committee = None
