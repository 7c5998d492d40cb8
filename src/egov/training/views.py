"""Pages under /app/dao-tao/: coverage per agency, courses, per-person standing, import.

Views ask the policy, read through selectors and write through services (the import goes
through `importing.import_results`, which calls them)."""

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
from egov.organisations.importing import ImportRefused, RowError, read_table
from egov.policy.engine import can
from egov.training import selectors
from egov.training.importing import import_results

UPLOAD_LIMIT = 5 * 1024 * 1024


@staff_required
def overview(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "training.view"):
        raise DjangoPermissionDenied
    return _overview(request, errors=[])


def _overview(request: HttpRequest, *, errors: list[str], status: int = 200) -> HttpResponse:
    return render(
        request,
        "training/overview.html",
        {
            "facts": selectors.training_facts(request.user),
            "courses": selectors.courses_for(request.user)[:20],
            "modules": selectors.skill_modules(),
            "may_record": can(request.user, "training.record"),
            "errors": errors,
        },
        status=status,
    )


@staff_required
def agency_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    agency = selectors.visible_agencies(request.user).filter(public_id=public_id).first()
    if agency is None:
        raise Http404(_("Không tìm thấy."))
    return render(
        request,
        "training/agency.html",
        {
            "agency": agency,
            "fact": selectors.training_facts(request.user).filter(agency=agency).first(),
            "people": selectors.staff_statuses(agency),
        },
    )


def _save_upload(request: HttpRequest) -> Path | RowError:
    """The uploaded file in a temporary path, or the reason it is refused."""
    upload = request.FILES.get("file")
    if upload is None:
        return RowError(0, "tệp", _("chọn tệp .xlsx hoặc .csv"))
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        return RowError(0, "tệp", _("chỉ nhận tệp .xlsx hoặc .csv"))
    if upload.size is not None and upload.size > UPLOAD_LIMIT:
        return RowError(0, "tệp", _("tệp lớn hơn 5 MB"))
    handle = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)  # noqa: SIM115
    with handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return Path(handle.name)


@staff_required
@require_POST
def import_file(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "training.record"):
        raise DjangoPermissionDenied
    saved = _save_upload(request)
    errors: list[str] = []
    if isinstance(saved, RowError):
        errors = [str(saved)]
    else:
        try:
            result = import_results(read_table(saved), actor=request.user)
            messages.success(request, _("Đã nhập %(n)d dòng.") % {"n": result.total})
        except ImportRefused as refused:
            errors = [str(e) for e in refused.errors]
        finally:
            saved.unlink(missing_ok=True)
    if errors:
        return _overview(request, errors=errors, status=422)
    return HttpResponseRedirect(reverse("workspace:training:overview"))
