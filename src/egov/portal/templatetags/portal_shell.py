"""Pieces of the portal's chrome, rendered by ``base.html`` on every public page."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import template
from django.conf import settings

from egov.policy.engine import can
from egov.portal import navigation, selectors

register = template.Library()


def _path(context: template.Context) -> str:
    request = context.get("request")
    return request.path if request is not None else ""


@register.inclusion_tag("portal/_nav.html", takes_context=True)
def portal_nav(context: template.Context) -> dict[str, Any]:
    return {"links": navigation.shown(navigation.MAIN_MENU, current_path=_path(context))}


@register.inclusion_tag("portal/_account_links.html", takes_context=True)
def portal_account_links(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    workspace_href = None
    if user is not None and user.is_authenticated and can(user, "workspace.enter"):
        workspace_href = navigation.href_for("workspace:home")
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "links": navigation.shown(navigation.ACCOUNT_LINKS, current_path=_path(context)),
        "workspace_href": workspace_href,
    }


@register.inclusion_tag("portal/_footer.html", takes_context=True)
def portal_footer(context: template.Context) -> dict[str, Any]:
    user = getattr(context.get("request"), "user", None)
    signed_in = user is not None and user.is_authenticated
    links = navigation.MAIN_MENU if signed_in else navigation.MAIN_MENU + navigation.ACCOUNT_LINKS
    return {
        "committee": selectors.city_committee(),
        "province_name": settings.EGOV_PROVINCE_NAME,
        "links": navigation.shown(links),
    }


@register.simple_tag
def province_name() -> str:
    """For pages rendered without context processors (the 500 page)."""
    return str(settings.EGOV_PROVINCE_NAME)


@register.filter
def nfc(value: object) -> str:
    """Compose Vietnamese letters (Django's own language names come decomposed)."""
    return unicodedata.normalize("NFC", str(value))
