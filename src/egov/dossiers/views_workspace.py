"""Pages of the staff workspace: queues, counter intake, the dossier page and its actions.

Mounted at /app/ho-so/ (`urls_workspace`, namespace ``workspace:dossiers``). Every page is
behind `staff_required`, lists through `selectors.queue` (policy-scoped) and reaches one
dossier through `policy.access_dossier_for_staff` (the same "not found" for another agency's
dossier as for a missing one). Actions call the dossier services; a refusal (`AppError`) shows
its reason and leaves the dossier as it was. With htmx, an action answers the refreshed
"live" part of the page (status, actions, control sheet) instead of a redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.decorators import staff_required
from egov.assignments.services.exchange import comments_for
from egov.audit.selectors import history_for
from egov.core.errors import AppError, NotFound
from egov.core.files import file_response
from egov.core.pages import answers_app_errors
from egov.dossiers import actions as dossier_actions
from egov.dossiers import selectors, services
from egov.dossiers.forms import (
    FIELD_PREFIX,
    ApologyForm,
    ApplicantForm,
    ForwardForm,
    ListForm,
    NoteForm,
    QueueFilterForm,
    ResultForm,
    SubmissionForms,
    paper_field_name,
)
from egov.dossiers.models import Dossier, DossierStatus
from egov.dossiers.policy import access_dossier_for_staff, can_on_dossier
from egov.policy.engine import can, require, subject_for
from egov.printing.responses import pdf_response
from egov.workflow.selectors import control_sheet

PAGE_SIZES = (20, 50, 100)


def _own_agency(request: HttpRequest) -> Any:
    return selectors.staff_agency(subject_for(request.user).agency_id)


# --- queues --------------------------------------------------------------------------------------


def _page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("so-dong", PAGE_SIZES[0]))
    except ValueError:
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


class CappedPaginator(Paginator):
    """A paginator whose count stops at `selectors.COUNT_CAP` (one capped COUNT query)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.more = False

    @property
    def count(self) -> int:  # type: ignore[override]
        if not hasattr(self, "_capped"):
            self._capped, self.more = selectors.capped_count(self.object_list)  # type: ignore[arg-type]
        return self._capped


@staff_required
@answers_app_errors
def queue(request: HttpRequest, key: str = "mine") -> HttpResponse:
    definition = selectors.QUEUES.get(key)
    if definition is None:
        raise NotFound()
    require(request.user, definition.action)
    form = QueueFilterForm(
        request.GET or None, statuses=DossierStatus.choices, sorts=selectors.SORT_LABELS
    )
    filters = selectors.QueueFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.QueueFilters(
            q=data.get("q") or "",
            procedure=data.get("procedure") or "",
            status=data.get("status") or "",
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            sort=data.get("sort") or "due",
        )
    agency = _own_agency(request)
    rows = selectors.queue(user=request.user, key=key, filters=filters, agency=agency)
    paginator = CappedPaginator(rows, _page_size(request))
    page: Page = paginator.get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    tabs = [
        (q, reverse("workspace:dossiers:queue", args=[q.key]))
        for q in selectors.QUEUES.values()
        if q.action == "dossier.view" or can(request.user, q.action)
    ]
    return render(
        request,
        "dossiers/workspace/queue.html",
        {
            "current": definition,
            "tabs": tabs,
            "form": form,
            "page": page,
            "more": paginator.more,
            "query": query.urlencode(),
            "now": timezone.now(),
            "may_intake": can(request.user, "dossier.intake"),
        },
    )


# --- counter intake ------------------------------------------------------------------------------


@staff_required
@answers_app_errors
def intake(request: HttpRequest) -> HttpResponse:
    """The one-stop officer enters a dossier for an applicant and scans the papers."""
    require(request.user, "dossier.intake")
    code = (request.GET.get("thu-tuc") or request.POST.get("thu-tuc") or "").strip()
    procedure = selectors.procedure_for_counter(code) if code else None
    if procedure is None:
        return render(
            request,
            "dossiers/workspace/intake_choose.html",
            {"code": code, "procedures": selectors.procedures_for_counter(q=code)},
        )
    agency = _own_agency(request)
    papers = selectors.required_papers(procedure)
    applicant = ApplicantForm(request.POST or None)
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        data["agency"] = agency.code  # the officer's own agency receives
    forms = SubmissionForms.build(
        procedure=procedure,
        agencies=[agency],
        papers=papers,
        kept={},
        data=data,
        files=request.FILES or None,
        initial={"agency_code": agency.code},
    )
    if request.method == "POST":
        valid_applicant = applicant.is_valid()
        if forms.is_valid() and valid_applicant:
            raw = {
                spec["name"]: request.POST.get(f"{FIELD_PREFIX}-{spec['name']}")
                for spec in procedure.form_schema or []
            }
            try:
                dossier = services.dossier_receive_at_counter(
                    actor=request.user,
                    procedure=procedure,
                    agency=agency,
                    applicant=services.ApplicantInput(**applicant.cleaned_data),
                    form_data=raw,
                    papers=[
                        (p.pk, cast(Any, request.FILES[paper_field_name(p.pk)]))
                        for p in papers
                        if paper_field_name(p.pk) in request.FILES
                    ],
                )
            except AppError as exc:
                forms.add_service_errors(exc.fields)
                for name, msgs in exc.fields.items():
                    name = name.removeprefix("applicant_")
                    if name in applicant.fields:
                        for m in msgs:
                            applicant.add_error(name, m)
                messages.error(request, exc.message)
            else:
                messages.success(
                    request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code}
                )
                return HttpResponseRedirect(
                    reverse("workspace:dossiers:detail", args=[dossier.public_id])
                )
    errors = [
        (applicant[n].auto_id, str(applicant[n].label), str(m))
        for n, ms in applicant.errors.items()
        for m in ms
    ] + forms.errors
    paper_rows = [
        {"paper": p, "field": forms.papers[paper_field_name(p.pk)], "kept": None} for p in papers
    ]
    return render(
        request,
        "dossiers/workspace/intake.html",
        {
            "procedure": procedure,
            "agency": agency,
            "applicant": applicant,
            "forms": forms,
            "paper_rows": paper_rows,
            "errors": errors,
        },
        status=422 if request.method == "POST" else 200,
    )


# --- one dossier ---------------------------------------------------------------------------------


def _live_context(request: HttpRequest, dossier: Dossier) -> dict[str, Any]:
    instance = dossier.workflow_instance
    allowed = dossier_actions.allowed_for(request.user, dossier)
    return {
        "dossier": dossier,
        "actions": allowed,
        "sheet": control_sheet(instance) if instance is not None else [],
        "forward_form": ForwardForm(
            assignees=selectors.agency_staff_choices(
                getattr(instance, "agency_id", None) or dossier.agency_id
            )
        ),
        "note_form": NoteForm(),
        "list_form": ListForm(),
        "result_form": ResultForm(),
        "apology_form": ApologyForm(),
        "needs_apology": services.dossier_needs_apology(dossier)
        and can_on_dossier(request.user, "dossier.apologise", dossier),
        "fees": selectors.dossier_fees(dossier),
        "payments": selectors.dossier_payments(dossier),
        "may_confirm_payment": can_on_dossier(request.user, "payment.confirm", dossier),
        "results": selectors.returned_results(dossier),
        "supplements": selectors.dossier_supplements(dossier),
        "apologies": selectors.dossier_apologies(dossier),
    }


@staff_required
@answers_app_errors
def detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    found = access_dossier_for_staff(request.user, public_id)
    dossier = selectors.dossier_by_code(found.code) or found
    context = _live_context(request, dossier)
    context.update(
        {
            "papers": selectors.dossier_papers(dossier),
            "history": history_for(dossier),
            "form_fields": dossier_actions.form_rows(dossier),
            "exchange_comments": comments_for(dossier),
        }
    )
    return render(request, "dossiers/workspace/detail.html", context)


def _after_action(request: HttpRequest, dossier: Dossier, *, status: int = 200) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        fresh = selectors.dossier_by_code(dossier.code) or dossier
        return render(
            request, "dossiers/workspace/_live.html", _live_context(request, fresh), status=status
        )
    return HttpResponseRedirect(reverse("workspace:dossiers:detail", args=[dossier.public_id]))


@staff_required
@answers_app_errors
@require_POST
def act(request: HttpRequest, public_id: Any) -> HttpResponse:
    """One action of the action panel (`action` in the POST); the services decide."""
    dossier = access_dossier_for_staff(request.user, public_id)
    dossier = selectors.dossier_by_code(dossier.code) or dossier
    action = request.POST.get("action", "")
    try:
        done = dossier_actions.perform(
            user=request.user,
            dossier=dossier,
            action=action,
            data=request.POST,
            files=request.FILES,
        )
    except AppError as exc:
        detail_ = " ".join(m for ms in exc.fields.values() for m in ms)
        messages.error(request, f"{exc.message} {detail_}".strip())
        return _after_action(request, dossier, status=exc.status if request.htmx else 200)  # type: ignore[attr-defined]
    messages.success(request, done)
    return _after_action(request, dossier)


@staff_required
@answers_app_errors
@require_POST
def apologise(request: HttpRequest, public_id: Any) -> HttpResponse:
    dossier = access_dossier_for_staff(request.user, public_id)
    form = ApologyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng nhập ngày hẹn mới và lý do."))
        return _after_action(request, dossier)
    try:
        dossier_actions.apologise(user=request.user, dossier=dossier, data=form.cleaned_data)
    except AppError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã lập phiếu xin lỗi và hẹn lại ngày trả kết quả."))
    return _after_action(request, dossier)


@staff_required
@answers_app_errors
@require_POST
def payment_confirm(request: HttpRequest, public_id: Any, payment_id: Any) -> HttpResponse:
    dossier = access_dossier_for_staff(request.user, public_id)
    payment = selectors.dossier_payment(dossier, payment_id)
    if payment is None:
        raise NotFound()
    try:
        services.payment_confirm(actor=request.user, payment=payment)
    except AppError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xác nhận khoản thanh toán."))
    return _after_action(request, dossier)


# kind in the URL → (builder in `printouts` or `fee_receipts`, file name). The builders are
# imported on the first PDF: ReportLab and the fonts cost a web process ~30 MB.
PDFS: dict[str, tuple[str, str]] = {
    "giay-tiep-nhan": ("receipt_pdf", "giay-tiep-nhan"),
    "yeu-cau-bo-sung": ("supplement_pdf", "phieu-yeu-cau-bo-sung"),
    "tu-choi": ("refusal_pdf", "phieu-tu-choi"),
    "xin-loi": ("apology_pdf", "phieu-xin-loi"),
    "phieu-kiem-soat": ("control_sheet_pdf", "phieu-kiem-soat"),
    "bien-lai-phi": ("fee_receipt_pdf", "giay-xac-nhan-nop-phi"),
}


@staff_required
@answers_app_errors
def pdf(request: HttpRequest, public_id: Any, kind: str) -> HttpResponse:
    dossier = access_dossier_for_staff(request.user, public_id)
    dossier = selectors.dossier_by_code(dossier.code) or dossier
    found = PDFS.get(kind)
    if found is None:
        raise NotFound()
    from egov.dossiers import fee_receipts, printouts

    name, filename = found
    builder: Callable[[Dossier], bytes | None] = getattr(printouts, name, None) or getattr(
        fee_receipts, name
    )
    content = builder(dossier)
    if content is None:
        raise NotFound(_("Hồ sơ chưa có phiếu này."))
    return pdf_response(content, f"{filename}-{dossier.code}.pdf")


@staff_required
@answers_app_errors
def paper(request: HttpRequest, public_id: Any, paper_id: Any) -> HttpResponseBase:
    dossier = access_dossier_for_staff(request.user, public_id)
    found = selectors.dossier_paper(dossier, paper_id)
    if found is None:
        raise NotFound()
    return file_response(found.file)


@staff_required
@answers_app_errors
def result(request: HttpRequest, public_id: Any, result_id: Any) -> HttpResponseBase:
    dossier = access_dossier_for_staff(request.user, public_id)
    found = selectors.dossier_result(dossier, result_id)
    if found is None:
        raise NotFound()
    return file_response(found.signed_file or found.file)
