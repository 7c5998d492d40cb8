"""Pieces of the workspace's chrome: the header with the signed-in official and the left nav."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from egov.policy.engine import can
from egov.workspace import navigation, selectors

register = template.Library()


def _request(context: template.Context) -> Any:
    return context.get("request")


@register.simple_tag(takes_context=True)
def workspace_chrome(context: template.Context) -> bool:
    """Whether a page extending plain ``base.html`` wears the workspace's chrome.

    True under ``/app/`` for an official allowed into the workspace, so pages of other apps
    mounted there look the part even before they extend ``workspace/base.html``.
    """
    request = _request(context)
    if request is None:
        return False
    try:
        root = reverse("workspace:home")
    except NoReverseMatch:
        return False
    if not request.path.startswith(root):
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and can(user, "workspace.enter"))


@register.inclusion_tag("workspace/_header.html", takes_context=True)
def workspace_header(context: template.Context) -> dict[str, Any]:
    request = _request(context)
    user = getattr(request, "user", None)
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "PROVINCE_NAME": context.get("PROVINCE_NAME"),
        "staff": selectors.staff_profile(user),
        "roles": selectors.role_labels(user) if user is not None else [],
    }


@register.inclusion_tag("workspace/_nav.html", takes_context=True)
def workspace_nav(context: template.Context) -> dict[str, Any]:
    request = _request(context)
    user = getattr(request, "user", None)
    path = request.path if request is not None else ""
    return {"items": navigation.items_for(user, current_path=path)}
