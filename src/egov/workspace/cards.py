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


def _dossier_queue_card(key: str, title: Any, description: Any, link: Any) -> CardProvider:
    """A "việc cần làm" card counting one dossier queue (capped count, one query)."""

    def provider(user: Any) -> Card | None:
        from egov.dossiers import selectors as dossiers

        queue = dossiers.QUEUES[key]
        if not can(user, queue.action):
            return None
        staff = selectors.staff_profile(user)
        rows = dossiers.queue(user=user, key=key, agency=staff.agency if staff else None)
        count, more = dossiers.capped_count(rows)
        if count == 0:
            return None
        return Card(
            key=f"dossiers_{key}",
            title=title,
            value=f"{count}+" if more else count,
            description=description,
            href=navigation.href_for("workspace:dossiers:queue", key),
            link_label=link,
        )

    return provider


TODO: tuple[CardProvider, ...] = (
    _dossier_queue_card(
        "to_receive", _("Hồ sơ chờ tiếp nhận"), _("Nộp trực tuyến, chờ kiểm tra"), _("Tiếp nhận")
    ),
    _dossier_queue_card("mine", _("Hồ sơ của tôi"), _("Đang giao cho tôi xử lý"), _("Mở hàng đợi")),
    _dossier_queue_card(
        "overdue", _("Hồ sơ quá hạn"), _("Đã quá hạn giải quyết"), _("Xem hồ sơ quá hạn")
    ),
)
FIGURES: tuple[CardProvider, ...] = (agency_staff_card,)


def cards(user: Any, providers: tuple[CardProvider, ...]) -> list[Card]:
    result = []
    for provider in providers:
        card = provider(user)
        if card is not None:
            result.append(card)
    return result
