"""Pages under /app/ha-tang/: ratios per agency, an agency's inventory, import.

Views ask the policy, read through selectors and write through services (the import goes
through `importing.import_inventory`, which calls them)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.decorators import staff_required
from egov.infrastructure import selectors
from egov.infrastructure.importing import import_inventory, read_workbook
from egov.infrastructure.models import SystemKind
from egov.organisations.importing import ImportRefused
from egov.policy.engine import can

UPLOAD_LIMIT = 5 * 1024 * 1024


def _overview(request: HttpRequest, *, errors: list[str], status: int = 200) -> HttpResponse:
    return render(
        request,
        "infrastructure/overview.html",
        {
            "facts": selectors.infrastructure_facts(request.user),
            "kinds": SystemKind.choices,
            "may_record": can(request.user, "infrastructure.record"),
            "errors": errors,
        },
        status=status,
    )


@staff_required
def overview(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "infrastructure.view"):
        raise DjangoPermissionDenied
    return _overview(request, errors=[])


@staff_required
def agency_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    agency = selectors.visible_agencies(request.user).filter(public_id=public_id).first()
    if agency is None:
        raise Http404(_("Không tìm thấy."))
    return render(
        request,
        "infrastructure/agency.html",
        {
            "agency": agency,
            "fact": selectors.agency_fact(agency),
            "inventory": selectors.agency_inventory(agency),
        },
    )


@staff_required
@require_POST
def import_file(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "infrastructure.record"):
        raise DjangoPermissionDenied
    upload = request.FILES.get("file")
    if upload is None or Path(upload.name or "").suffix.lower() != ".xlsx":
        return _overview(request, errors=[_("dòng 0: tệp: chỉ nhận tệp .xlsx")], status=422)
    if upload.size is not None and upload.size > UPLOAD_LIMIT:
        return _overview(request, errors=[_("dòng 0: tệp: tệp lớn hơn 5 MB")], status=422)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    with handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    path = Path(handle.name)
    try:
        result = import_inventory(read_workbook(path), actor=request.user)
    except ImportRefused as refused:
        return _overview(request, errors=[str(e) for e in refused.errors], status=422)
    finally:
        path.unlink(missing_ok=True)
    messages.success(request, _("Đã nhập %(n)d dòng.") % {"n": result.total})
    return HttpResponseRedirect(reverse("workspace:infrastructure:overview"))
