"""The notification centre of the workspace (/app/thong-bao/)."""

from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from egov.core.errors import NotFound
from egov.notifications import selectors, services
from egov.notifications.models import Notification
from egov.notifications.policy import access_notification_for_user
from egov.workspace.views import workspace_required

PAGE_SIZE = 30


def _own(request: HttpRequest, public_id: uuid.UUID) -> Notification:
    try:
        return access_notification_for_user(request.user, public_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@workspace_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("chua-doc") == "1"
    rows = selectors.notifications_for(request.user, unread_only=unread_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread": selectors.unread_count(request.user),
        },
    )


@workspace_required
def notification_open(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Follow a notification: mark it read, then go to its link (or back to the list)."""
    notification = _own(request, public_id)
    services.notification_mark_read(actor=request.user, notification=notification)
    target = notification.link
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("workspace:notifications:list")


@workspace_required
@require_POST
def notification_read(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    notification = _own(request, public_id)
    services.notification_mark_read(actor=request.user, notification=notification)
    if request.headers.get("HX-Request") == "true":
        return render(request, "notifications/_item.html", {"item": notification})
    return redirect("workspace:notifications:list")


@workspace_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notification_mark_all_read(actor=request.user)
    return redirect("workspace:notifications:list")
