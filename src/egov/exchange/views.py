"""The exchange's workspace pages (/app/lien-thong/): outbox, inbox, partner systems.

Clerks see their agency's messages with each one's status (queued, retrying, delivered,
rejected, failed with its error) and send a failed one again; administrators see every
agency's and manage the partner systems (register, edit, issue a new token, revoke). Reads go
through the selectors (scoped by the policy), writes through the services.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.decorators import staff_required
from egov.core.errors import AppError, NotFound, PermissionDenied
from egov.core.pages import answers_app_errors, paginate, show_refusal
from egov.exchange import selectors, services
from egov.exchange.edxml.types import STATUS_LABELS
from egov.exchange.forms import InboxFilterForm, OutboxFilterForm, PartnerEditForm, PartnerForm
from egov.exchange.models import OutboundStatus, Partner
from egov.policy.engine import can, require

PAGE_SIZE = 50
RETRYABLE = (OutboundStatus.FAILED, OutboundStatus.REJECTED)


def _tabs(request: HttpRequest) -> dict[str, Any]:
    return {"may_manage_partners": can(request.user, "exchange.partner_manage")}


# --- outbox and inbox -----------------------------------------------------------------------


@staff_required
@answers_app_errors
def outbox(request: HttpRequest) -> HttpResponse:
    require(request.user, "exchange.outbox_view")
    form = OutboxFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    page, query = paginate(request, selectors.outbox_for(request.user, status=status), PAGE_SIZE)
    may_retry = {
        m.pk
        for m in page.object_list
        if m.status in RETRYABLE and can(request.user, "exchange.outbox_retry", m.document)
    }
    return render(
        request,
        "exchange/outbox.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "may_retry": may_retry,
            "resent": selectors.last_manual_retries(list(page.object_list)),
            "status_labels": STATUS_LABELS,
            "S": OutboundStatus,
            **_tabs(request),
        },
    )


@staff_required
@answers_app_errors
@require_POST
def outbox_retry(request: HttpRequest, public_id: UUID) -> HttpResponse:
    outbound = selectors.outbound_for(request.user, public_id)
    if outbound is None:
        raise NotFound()
    try:
        services.outbox_retry(actor=request.user, outbound=outbound)
    except AppError as exc:
        if isinstance(exc, NotFound | PermissionDenied):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã đưa gói tin %(id)s gửi đến %(to)s vào hàng đợi gửi lại.")
            % {"id": outbound.document_identifier, "to": outbound.recipient_organ_id},
        )
    back = reverse("workspace:exchange:outbox")
    kept = request.POST.get("next", "")
    return HttpResponseRedirect(kept if kept.startswith(back) else back)


@staff_required
@answers_app_errors
def inbox(request: HttpRequest) -> HttpResponse:
    require(request.user, "exchange.outbox_view")
    form = InboxFilterForm(request.GET or None)
    result = form.cleaned_data.get("result", "") if form.is_valid() else ""
    page, query = paginate(request, selectors.inbox_for(request.user, result=result), PAGE_SIZE)
    return render(
        request,
        "exchange/inbox.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "status_labels": STATUS_LABELS,
            **_tabs(request),
        },
    )


# --- partner systems -------------------------------------------------------------------------


def _partner_or_404(public_id: UUID) -> Partner:
    partner = selectors.partner_get(public_id)
    if partner is None:
        raise NotFound()
    return partner


@staff_required
@answers_app_errors
def partner_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "exchange.partner_manage")
    return render(
        request,
        "exchange/partners.html",
        {"partners": selectors.partners(), **_tabs(request)},
    )


@staff_required
@answers_app_errors
def partner_add(request: HttpRequest) -> HttpResponse:
    require(request.user, "exchange.partner_manage")
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner, token = services.partner_add(actor=request.user, **form.cleaned_data)
        except AppError as exc:
            show_refusal(form, exc)
        else:
            # The token is shown on this answer only: no redirect, nothing kept to show it again.
            response = render(
                request,
                "exchange/partner_token.html",
                {"partner": partner, "token": token, "created": True, **_tabs(request)},
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "exchange/partner_form.html",
        {"form": form, "partner": None, **_tabs(request)},
        status=422 if request.method == "POST" else 200,
    )


@staff_required
@answers_app_errors
def partner_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    require(request.user, "exchange.partner_manage")
    partner = _partner_or_404(public_id)
    if request.method == "POST":
        form = PartnerEditForm(request.POST)
        if form.is_valid():
            try:
                services.partner_update(
                    actor=request.user,
                    partner=partner,
                    name=form.cleaned_data["name"],
                    url=form.cleaned_data["url"],
                    token_out=form.token_out_change(),
                )
            except AppError as exc:
                show_refusal(form, exc)
            else:
                messages.success(
                    request, _("Đã cập nhật hệ thống đối tác %(name)s.") % {"name": partner.name}
                )
                return HttpResponseRedirect(reverse("workspace:exchange:partners"))
    else:
        form = PartnerEditForm(initial={"name": partner.name, "url": partner.url})
    return render(
        request,
        "exchange/partner_form.html",
        {"form": form, "partner": partner, **_tabs(request)},
        status=422 if request.method == "POST" else 200,
    )


@staff_required
@answers_app_errors
@require_POST
def partner_revoke(request: HttpRequest, public_id: UUID) -> HttpResponse:
    require(request.user, "exchange.partner_manage")
    partner = _partner_or_404(public_id)
    try:
        services.partner_revoke(actor=request.user, partner=partner)
    except AppError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Đã thu hồi hệ thống đối tác %(name)s.") % {"name": partner.name}
        )
    return HttpResponseRedirect(reverse("workspace:exchange:partners"))


@staff_required
@answers_app_errors
@require_POST
def partner_token(request: HttpRequest, public_id: UUID) -> HttpResponse:
    require(request.user, "exchange.partner_manage")
    partner = _partner_or_404(public_id)
    try:
        partner, token = services.partner_issue_token(actor=request.user, partner=partner)
    except AppError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("workspace:exchange:partners"))
    response = render(
        request,
        "exchange/partner_token.html",
        {"partner": partner, "token": token, "created": False, **_tabs(request)},
    )
    response["Cache-Control"] = "no-store"
    return response
