"""The cards of the workspace home page, as data: each capability adds its provider here.

A provider takes the signed-in user and returns a ``Card`` built from real data, or ``None``
when it has nothing for this user (no right, nothing pending). The home page shows

- ``TODO``: the "Việc cần làm" cards (dossiers due, documents to handle, tasks late…), filled
  by the capabilities as they arrive; an honest empty state until then;
- ``FIGURES``: facts about the user's agency.

Providers read through selectors and ask the policy; they never write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.policy.engine import can
from egov.workspace import navigation, selectors

Label = str | Promise


@dataclass(frozen=True)
class Card:
    key: str
    title: Label
    value: int | str
    description: Label = ""
    href: str | None = None
    link_label: Label = ""


CardProvider = Callable[[Any], Card | None]


def agency_staff_card(user: Any) -> Card | None:
    staff = selectors.staff_profile(user)
    if staff is None or not can(user, "staff.view", staff.agency):
        return None
    return Card(
        key="agency_staff",
        title=_("Cán bộ trong cơ quan"),
        value=selectors.agency_staff_count(user=user, agency=staff.agency),
        description=_("Cán bộ, công chức đang công tác"),
        href=navigation.href_for("workspace:organisations:agency", staff.agency.code),
        link_label=_("Xem danh sách cán bộ"),
    )


TODO: tuple[CardProvider, ...] = ()
FIGURES: tuple[CardProvider, ...] = (agency_staff_card,)


def cards(user: Any, providers: tuple[CardProvider, ...]) -> list[Card]:
    result = []
    for provider in providers:
        card = provider(user)
        if card is not None:
            result.append(card)
    return result
