"""The audit log page of the workspace (/app/nhat-ky/) and its chain check."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from egov.accounts.decorators import staff_required
from egov.audit import selectors, services
from egov.audit.forms import EntryFilterForm
from egov.policy.engine import can

PAGE_SIZE = 50


@staff_required
def entry_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "audit.view"):
        raise PermissionDenied
    form = EntryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = selectors.entries_for(
        request.user,
        action=filters.get("action") or "",
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "audit/entry_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_verify": can(request.user, "audit.verify"),
        },
    )


@staff_required
@require_POST
def chain_verify(request: HttpRequest) -> HttpResponse:
    """Walks the whole chain now, in the request. For a large chain this belongs in a job
    (egov.jobs); until then `egov audit verify` on the server is the way for big trails."""
    if not can(request.user, "audit.verify"):
        raise PermissionDenied
    result = services.audit_chain_check(actor=request.user)
    return render(request, "audit/verify_result.html", {"result": result}, status=200)
