"""Pages under /app/dao-tao/: coverage per agency, courses, per-person standing, import, and
the forms adding, correcting and retiring a single module result.

Views ask the policy, read through selectors and write through services (the import goes
through `importing.import_results`, which calls them)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.decorators import staff_required
from egov.core.errors import AppError, NotFound
from egov.core.pages import show_refusal
from egov.organisations.importing import ImportRefused, RowError, read_table
from egov.organisations.models import Agency
from egov.policy.engine import can
from egov.training import selectors, services
from egov.training.forms import ResultForm, RetireForm
from egov.training.importing import import_results
from egov.training.models import ModuleResult
from egov.training.policy import access_result_for_staff

UPLOAD_LIMIT = 5 * 1024 * 1024
RESULTS_PAGE = 50


def _own_agency(request: HttpRequest) -> Agency | None:
    """The user's own agency, for the link to its results (it may have no fact row yet)."""
    staff = getattr(request.user, "staff", None)
    if staff is None or not staff.is_active:
        return None
    return staff.agency  # type: ignore[no-any-return]


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
            "own_agency": _own_agency(request),
            "errors": errors,
        },
        status=status,
    )


def _visible_agency(request: HttpRequest, public_id: UUID) -> Agency:
    agency = selectors.visible_agencies(request.user).filter(public_id=public_id).first()
    if agency is None:
        raise Http404(_("Không tìm thấy."))
    return agency  # type: ignore[no-any-return]


@staff_required
def agency_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    agency = _visible_agency(request, public_id)
    return render(
        request,
        "training/agency.html",
        {
            "agency": agency,
            "fact": selectors.training_facts(request.user).filter(agency=agency).first(),
            "people": selectors.staff_statuses(agency),
        },
    )


# --- one module result at a time -------------------------------------------------------------


def _results_url(agency: Agency) -> str:
    return reverse("workspace:training:results", args=[agency.public_id])


@staff_required
def results(request: HttpRequest, public_id: UUID) -> HttpResponse:
    agency = _visible_agency(request, public_id)
    page = Paginator(selectors.agency_results(agency), RESULTS_PAGE).get_page(
        request.GET.get("trang")
    )
    return render(
        request,
        "training/results.html",
        {
            "agency": agency,
            "page": page,
            "fact": selectors.training_facts(request.user).filter(agency=agency).first(),
            # One answer per page: every row belongs to this agency.
            "may_create": can(request.user, "training.result_create", agency),
            "may_update": can(request.user, "training.result_update", agency),
            "may_retire": can(request.user, "training.result_retire", agency),
        },
    )


@staff_required
def result_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    agency = _visible_agency(request, public_id)
    if not can(request.user, "training.result_create", agency):
        raise DjangoPermissionDenied
    form = ResultForm(request.POST if request.method == "POST" else None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.result_create(actor=request.user, **data)
        except AppError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                _("Đã thêm kết quả %(m)s của %(p)s.")
                % {"m": result.module.code, "p": result.staff.user.full_name},
            )
            return HttpResponseRedirect(_results_url(agency))
    return render(
        request,
        "training/result_form.html",
        {"agency": agency, "form": form, "result": None, "title": _("Thêm kết quả mô-đun")},
        status=422 if form.errors else 200,
    )


def _result(request: HttpRequest, public_id: UUID, action: str) -> ModuleResult:
    try:
        return access_result_for_staff(request.user, public_id, action)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@staff_required
def result_update(request: HttpRequest, public_id: UUID) -> HttpResponse:
    result = _result(request, public_id, "training.result_update")
    form = ResultForm(
        request.POST if request.method == "POST" else None, initial=ResultForm.initial_for(result)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.result_update(actor=request.user, result=result, **form.cleaned_data)
        except AppError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Đã lưu kết quả."))
            return HttpResponseRedirect(_results_url(result.agency))
    return render(
        request,
        "training/result_form.html",
        {
            "agency": result.agency,
            "form": form,
            "result": result,
            "title": _("Sửa kết quả mô-đun"),
        },
        status=422 if form.errors else 200,
    )


@staff_required
def result_retire(request: HttpRequest, public_id: UUID) -> HttpResponse:
    result = _result(request, public_id, "training.result_retire")
    form = RetireForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.result_retire(
                actor=request.user, result=result, reason=form.cleaned_data["reason"]
            )
        except AppError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("Đã ngừng sử dụng kết quả."))
            return HttpResponseRedirect(_results_url(result.agency))
    return render(
        request,
        "training/result_retire.html",
        {"agency": result.agency, "form": form, "result": result},
        status=422 if form.errors else 200,
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
