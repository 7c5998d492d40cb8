"""The workspace's left navigation, as data, in one place.

Each entry names its page (by URL name such as ``"workspace:home"``, or by path such as
``"/app/co-quan/"``) and the policy action a user needs to see it. An entry is shown only when
``egov.policy.engine.can(user, action)`` says yes *and* its page exists (the URL name reverses
or the path resolves), so the menu never offers a page that refuses the user or is not built
yet.

A capability adds its section with one line in ``ENTRIES``; ``order`` sets the place
(gaps of ten leave room)::

    NavEntry("dossiers", _("Hồ sơ một cửa"), "workspace:dossiers:inbox", "dossier.view", 20),
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, Resolver404, get_script_prefix, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.policy.engine import can

Label = str | Promise


@dataclass(frozen=True)
class NavEntry:
    key: str  # stable identifier, also the icon name in workspace/_icons.html
    label: Label
    target: str  # URL name, or an absolute path starting with "/"
    action: str  # policy action the user must be allowed
    order: int = 100


@dataclass(frozen=True)
class NavItem:
    """An entry as one user sees it on one page."""

    key: str
    label: Label
    href: str
    current: bool


ENTRIES: tuple[NavEntry, ...] = (
    NavEntry("home", _("Trang chủ"), "workspace:home", "workspace.enter", 0),
    NavEntry("notifications", _("Thông báo"), "workspace:notifications:list", "workspace.enter", 5),
    NavEntry("dossiers", _("Hồ sơ một cửa"), "workspace:dossiers:inbox", "dossier.view", 20),
    NavEntry("documents", _("Văn bản"), "workspace:documents:drafts", "document.view", 30),
    NavEntry(
        "exchange", _("Liên thông văn bản"), "workspace:exchange:outbox", "exchange.outbox_view", 35
    ),
    NavEntry("assignments", _("Nhiệm vụ"), "workspace:assignments:mine", "assignment.view", 40),
    NavEntry(
        "workcalendar", _("Lịch công tác"), "workspace:workcalendar:week", "workspace.enter", 45
    ),
    NavEntry("training", _("Đào tạo CNTT"), "workspace:training:overview", "training.view", 60),
    NavEntry(
        "infrastructure",
        _("Hạ tầng CNTT"),
        "workspace:infrastructure:overview",
        "infrastructure.view",
        65,
    ),
    NavEntry("indicators", _("Chỉ số"), "workspace:indicators:home", "indicator.view_agency", 70),
    NavEntry(
        "organisations", _("Cơ quan & cán bộ"), "workspace:organisations:tree", "agency.view", 80
    ),
    NavEntry(
        "procedures", _("Thủ tục hành chính"), "workspace:procedures:list", "procedure.manage", 85
    ),
    NavEntry("calendar", _("Lịch làm việc"), "workspace:calendar:year", "calendar.manage", 90),
    NavEntry("audit", _("Nhật ký"), "workspace:audit:entries", "audit.view", 100),
)


def href_for(target: str, *args: object) -> str | None:
    """The URL of an existing page, or None while the page is not there."""
    if target.startswith("/"):
        try:
            resolve(target)
        except Resolver404:
            return None
        return get_script_prefix() + target[1:]
    try:
        return reverse(target, args=args or None)
    except NoReverseMatch:
        return None


def _is_current(href: str, path: str, home: str | None) -> bool:
    if href == path:
        return True
    # A section stays highlighted on its sub-pages; the home entry only on itself.
    return href != home and path.startswith(href)


def items_for(
    user: Any, *, current_path: str = "", entries: tuple[NavEntry, ...] = ENTRIES
) -> list[NavItem]:
    """The entries this user may use, in order, with the current section marked."""
    home = href_for("workspace:home")
    items: list[NavItem] = []
    for entry in sorted(entries, key=lambda e: e.order):
        if not can(user, entry.action):
            continue
        href = href_for(entry.target)
        if href is None:
            continue
        items.append(NavItem(entry.key, entry.label, href, _is_current(href, current_path, home)))
    return items
