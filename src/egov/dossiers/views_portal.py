"""Pages of the public portal: online submission, the applicant's dossiers, public tracking.

Mounted at /dich-vu-cong/ (`urls_portal`) and /tra-cuu/ (`urls_tracking`). Views read through
selectors, reach a dossier through the access helpers, write through services; an `AppError`
from a service becomes form errors (or a 404/403 page).

Submission is three pages: the form (agency, the procedure's fields, one input per paper), the
review, and the confirmation with the dossier code, the due information and the receipt PDF.
Uploads between them are kept in the session's stash (see `egov.dossiers.forms`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.decorators import verified_login_required
from egov.core.errors import AppError, NotFound, PermissionDenied, ValidationFailed
from egov.core.files import file_response
from egov.core.pages import answers_app_errors
from egov.dossiers import selectors, services, tracking
from egov.dossiers.forms import (
    FIELD_PREFIX,
    KeptFile,
    PhoneFactorForm,
    RatingForm,
    SubmissionForms,
    TrackingForm,
    UploadStash,
    paper_field_name,
)
from egov.dossiers.models import UNDECIDED_STATUSES, Dossier, DossierStatus
from egov.dossiers.policy import access_dossier_for_applicant, access_dossier_for_tracking
from egov.policy.engine import require
from egov.printing.responses import pdf_response

MY_PAGE_SIZE = 20


def _applicant_only(request: HttpRequest) -> None:
    if getattr(request.user, "kind", None) not in ("citizen", "business"):
        raise PermissionDenied(
            _("Chỉ công dân, tổ chức, doanh nghiệp nộp hồ sơ trực tuyến bằng tài khoản của mình.")
        )


def _procedure_or_404(code: str) -> Any:
    procedure = selectors.procedure_for_submission(code)
    if procedure is None:
        raise NotFound(_("Không tìm thấy thủ tục nộp trực tuyến này."))
    return procedure


# --- online submission ---------------------------------------------------------------------------


def _draft_data(draft: dict[str, Any]) -> QueryDict:
    """The draft as form data, to bind the forms again (edit, or errors from the service)."""
    data = QueryDict(mutable=True)
    data["agency"] = draft.get("agency_code", "")
    for name, value in (draft.get("raw") or {}).items():
        if isinstance(value, list):
            data.setlist(f"{FIELD_PREFIX}-{name}", [str(v) for v in value])
        elif value is not None:
            data[f"{FIELD_PREFIX}-{name}"] = str(value)
    return data


def _render_submit(
    request: HttpRequest,
    procedure: Any,
    forms: SubmissionForms,
    papers: list[Any],
    kept: dict[str, KeptFile],
    *,
    status: int = 200,
) -> HttpResponse:
    paper_rows = [
        {
            "paper": p,
            "field": forms.papers[paper_field_name(p.pk)],
            "kept": kept.get(paper_field_name(p.pk)),
        }
        for p in papers
    ]
    return render(
        request,
        "dossiers/portal/submit.html",
        {
            "procedure": procedure,
            "forms": forms,
            "paper_rows": paper_rows,
            "errors": forms.errors,
        },
        status=status,
    )


@verified_login_required
@answers_app_errors
def submit(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1: the form. POST checks everything and goes to the review page."""
    _applicant_only(request)
    procedure = _procedure_or_404(code)
    agencies = selectors.receiving_agencies(procedure)
    papers = selectors.required_papers(procedure)
    stash = UploadStash(request.session)
    kept = stash.kept(procedure.code)
    if request.method != "POST":
        draft = stash.draft() if request.GET.get("sua") else {}
        if draft.get("procedure") != procedure.code:
            draft, kept = {}, {}
        forms = SubmissionForms.build(
            procedure=procedure,
            agencies=agencies,
            papers=papers,
            kept=kept,
            data=_draft_data(draft) if draft else None,
        )
        if draft:
            forms.is_valid()  # show the draft as it was (it was valid when reviewed)
        return _render_submit(request, procedure, forms, papers, kept)

    forms = SubmissionForms.build(
        procedure=procedure,
        agencies=agencies,
        papers=papers,
        kept=kept,
        data=request.POST,
        files=request.FILES,
    )
    valid = forms.is_valid()
    # Keep every paper that passed its own check, so a mistake elsewhere does not cost the
    # applicant their uploads; a new file replaces the kept one.
    for name in forms.papers.fields:
        upload = request.FILES.get(name)
        if upload is not None and name not in forms.papers.errors:
            kept[name] = stash.keep(upload)
    raw = {
        spec["name"]: request.POST.get(f"{FIELD_PREFIX}-{spec['name']}")
        for spec in procedure.form_schema or []
    }
    stash.save_draft(
        procedure_code=procedure.code,
        agency_code=request.POST.get("agency", ""),
        fields=raw,
        papers=kept,
        ready=valid,
    )
    session_draft = stash.draft()
    session_draft["raw"] = raw
    request.session["dossier_draft"] = session_draft
    if not valid:
        # The kept papers are no longer required: show the form as the applicant will resubmit.
        shown = SubmissionForms.build(
            procedure=procedure,
            agencies=agencies,
            papers=papers,
            kept=kept,
            data=request.POST,
            files=request.FILES,
        )
        shown.is_valid()
        for name, messages_ in forms.papers.errors.items():
            if name not in shown.papers.errors:
                for message in messages_:
                    shown.papers.add_error(name, message)
        return _render_submit(request, procedure, shown, papers, kept, status=422)
    return HttpResponseRedirect(reverse("portal:dossiers:submit_review", args=[procedure.code]))


def _draft_or_back(request: HttpRequest, procedure: Any) -> dict[str, Any] | HttpResponse:
    draft = UploadStash(request.session).draft()
    if draft.get("procedure") != procedure.code or not draft.get("ready"):
        messages.info(request, _("Vui lòng điền tờ khai trước khi xem lại."))
        return HttpResponseRedirect(reverse("portal:dossiers:submit", args=[procedure.code]))
    return draft


@verified_login_required
@answers_app_errors
def submit_review(request: HttpRequest, code: str) -> HttpResponse:
    """Step 2: what will be submitted; POST submits it (the intake service decides)."""
    _applicant_only(request)
    procedure = _procedure_or_404(code)
    draft = _draft_or_back(request, procedure)
    if isinstance(draft, HttpResponse):
        return draft
    agencies = selectors.receiving_agencies(procedure)
    papers = selectors.required_papers(procedure)
    stash = UploadStash(request.session)
    kept = stash.kept(procedure.code)
    forms = SubmissionForms.build(
        procedure=procedure, agencies=agencies, papers=papers, kept=kept, data=_draft_data(draft)
    )
    if not forms.is_valid():  # the catalogue changed since: back to the form with the errors
        return _render_submit(request, procedure, forms, papers, kept, status=422)
    agency = next(a for a in agencies if a.code == forms.agency.cleaned_data["agency"])
    if request.method == "POST":
        opened = {name: stash.open(k) for name, k in kept.items()}
        try:
            dossier = services.dossier_submit_online(
                actor=request.user,
                procedure=procedure,
                agency=agency,
                form_data=draft.get("raw") or {},
                papers=[
                    (p.pk, opened[paper_field_name(p.pk)])
                    for p in papers
                    if paper_field_name(p.pk) in opened
                ],
            )
        except ValidationFailed as exc:
            forms.add_service_errors(exc.fields)
            if not exc.fields:
                forms.agency.add_error(None, exc.message)
            return _render_submit(request, procedure, forms, papers, kept, status=422)
        except AppError as exc:
            forms.agency.add_error(None, exc.message)
            return _render_submit(request, procedure, forms, papers, kept, status=exc.status)
        finally:
            for handle in opened.values():
                handle.close()
        stash.discard()
        return HttpResponseRedirect(reverse("portal:dossiers:submitted", args=[dossier.code]))
    fields = [
        (forms.fields[spec["name"]].label, forms.fields.cleaned_data.get(spec["name"]), spec)
        for spec in procedure.form_schema or []
    ]
    paper_rows = [(p, kept.get(paper_field_name(p.pk))) for p in papers]
    return render(
        request,
        "dossiers/portal/review.html",
        {
            "procedure": procedure,
            "agency": agency,
            "fields": fields,
            "paper_rows": paper_rows,
        },
    )


@verified_login_required
@answers_app_errors
def submitted(request: HttpRequest, code: str) -> HttpResponse:
    """Step 3: the dossier code at once, the due information and the receipt."""
    dossier = access_dossier_for_applicant(request.user, code)
    return render(
        request,
        "dossiers/portal/submitted.html",
        {"dossier": dossier, "tracking_url": tracking.public_url(dossier.code)},
    )


@verified_login_required
@answers_app_errors
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    dossier = access_dossier_for_applicant(request.user, code)
    from egov.dossiers import printouts  # ReportLab on the first PDF only (~30 MB)

    pdf = printouts.receipt_pdf(dossier)
    return pdf_response(pdf, f"giay-tiep-nhan-{dossier.code}.pdf")


# --- my dossiers ---------------------------------------------------------------------------------


@verified_login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    rows = selectors.dossiers_of_applicant(request.user)
    status = request.GET.get("trang-thai", "")
    if status in DossierStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, MY_PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "dossiers/portal/mine.html",
        {
            "page": page,
            "query": query.urlencode(),
            "status": status,
            "statuses": DossierStatus.choices,
            "S": DossierStatus,
        },
    )


def _applicant_actions(dossier: Dossier, rating: Any) -> dict[str, bool]:
    return {
        "supplement": dossier.status == DossierStatus.SUPPLEMENT_REQUESTED,
        "withdraw": dossier.status in UNDECIDED_STATUSES,
        "download": dossier.status == DossierStatus.RETURNED,
        "rate": dossier.status == DossierStatus.RETURNED and rating is None,
    }


@verified_login_required
@answers_app_errors
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    dossier = access_dossier_for_applicant(request.user, code)
    return render_my_dossier(request, dossier)


def render_my_dossier(
    request: HttpRequest, dossier: Dossier, *, payment_form: Any = None, status: int = 200
) -> HttpResponse:
    """The applicant's dossier page (also re-shown with the payment form's errors)."""
    from egov.dossiers.views_citizen_payments import payment_panel  # imports this module

    require(request.user, "dossier.view", dossier, hide=True)  # callers got it from access_*
    rating = selectors.dossier_rating(dossier)
    return render(
        request,
        "dossiers/portal/my_dossier.html",
        {
            "dossier": dossier,
            "timeline": selectors.tracking_timeline(dossier),
            "papers": selectors.dossier_papers(dossier),
            "supplement": selectors.open_supplement(dossier),
            "results": selectors.returned_results(dossier)
            if dossier.status == DossierStatus.RETURNED
            else [],
            "fees": selectors.dossier_fees(dossier),
            "payment": payment_panel(dossier, form=payment_form),
            "rating": rating,
            "rating_form": RatingForm(),
            "actions": _applicant_actions(dossier, rating),
        },
        status=status,
    )


@verified_login_required
@answers_app_errors
@require_POST
def my_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    dossier = access_dossier_for_applicant(request.user, code)
    try:
        services.dossier_withdraw(
            actor=request.user, dossier=dossier, reason=request.POST.get("reason", "")
        )
    except AppError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã rút hồ sơ %(code)s.") % {"code": dossier.code})
    return HttpResponseRedirect(reverse("portal:dossiers:my_dossier", args=[dossier.code]))


@verified_login_required
@answers_app_errors
def my_supplement(request: HttpRequest, code: str) -> HttpResponse:
    """Add the papers asked for; the service restarts the clock."""
    dossier = access_dossier_for_applicant(request.user, code)
    supplement = selectors.open_supplement(dossier)
    if supplement is None:
        raise NotFound(_("Hồ sơ không có yêu cầu bổ sung đang chờ."))
    error = ""
    if request.method == "POST":
        files = request.FILES.getlist("files")
        try:
            services.dossier_supplement(
                actor=request.user,
                dossier=dossier,
                papers=[(None, f) for f in files],
                note=request.POST.get("note", ""),
            )
        except AppError as exc:
            error = exc.message + "".join(
                f" {m}" for messages_ in exc.fields.values() for m in messages_
            )
        else:
            messages.success(request, _("Đã gửi hồ sơ bổ sung."))
            return HttpResponseRedirect(reverse("portal:dossiers:my_dossier", args=[dossier.code]))
    return render(
        request,
        "dossiers/portal/supplement.html",
        {"dossier": dossier, "supplement": supplement, "error": error},
        status=422 if error else 200,
    )


@verified_login_required
@answers_app_errors
@require_POST
def my_rate(request: HttpRequest, code: str) -> HttpResponse:
    dossier = access_dossier_for_applicant(request.user, code)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng chọn mức độ hài lòng."))
    else:
        try:
            services.dossier_rate(
                actor=request.user,
                dossier=dossier,
                value=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
            )
        except AppError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    return HttpResponseRedirect(reverse("portal:dossiers:my_dossier", args=[dossier.code]))


@verified_login_required
@answers_app_errors
def my_result(request: HttpRequest, code: str, result_id: str) -> HttpResponseBase:
    dossier = access_dossier_for_applicant(request.user, code)
    if dossier.status != DossierStatus.RETURNED:
        raise NotFound()
    result = selectors.dossier_result(dossier, result_id)
    if result is None:
        raise NotFound()
    return file_response(result.signed_file or result.file)


@verified_login_required
@answers_app_errors
def my_paper(request: HttpRequest, code: str, paper_id: str) -> HttpResponseBase:
    dossier = access_dossier_for_applicant(request.user, code)
    paper = selectors.dossier_paper(dossier, paper_id)
    if paper is None:
        raise NotFound()
    return file_response(paper.file)


# --- public tracking -----------------------------------------------------------------------------


def track_form(request: HttpRequest) -> HttpResponse:
    """/tra-cuu/?code=… : the form, or a redirect to the dossier's page."""
    form = TrackingForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["code"]
        # Public by design: the access helper answers "not found" for unknown codes.
        try:
            access_dossier_for_tracking(code)
        except NotFound:
            return _not_found_page(request, code)
        return HttpResponseRedirect(reverse("portal:tracking:dossier", args=[code]))
    return render(request, "dossiers/tracking/form.html", {"form": form})


def _not_found_page(request: HttpRequest, code: str) -> HttpResponse:
    return render(
        request,
        "dossiers/tracking/not_found.html",
        {"code": code, "form": TrackingForm()},
        status=404,
    )


def track(request: HttpRequest, code: str) -> HttpResponse:
    """/tra-cuu/<code>/: status, timeline, due; personal data for the applicant or after the
    second factor (POST of the phone's last 4 digits, rate-limited per code).

    The public part comes from `tracking.public_view` (cached); the dossier row itself (its
    applicant, phone) is read only for a signed-in visitor or a second-factor attempt."""
    public = tracking.public_view(code)
    if public is None:
        return _not_found_page(request, code)
    dossier = None
    personal = tracking.session_unlocked(request.session, public.code)
    if not personal and request.user.is_authenticated:
        dossier = selectors.tracking_dossier(public.code)
        personal = dossier is not None and tracking.is_applicant(request.user, dossier)
    factor_form = PhoneFactorForm(request.POST or None)
    status = 200
    if request.method == "POST" and not personal:
        if factor_form.is_valid():
            try:
                dossier = dossier or access_dossier_for_tracking(public.code)
                ok = tracking.phone_matches(dossier, factor_form.cleaned_data["phone_last4"])
            except NotFound:
                return _not_found_page(request, code)
            except tracking.TooManyAttempts:
                factor_form.add_error(
                    "phone_last4",
                    _("Bạn đã thử quá nhiều lần. Vui lòng thử lại sau một giờ."),
                )
                status = 429
            else:
                if ok:
                    tracking.session_unlock(request.session, public.code)
                    return HttpResponseRedirect(
                        reverse("portal:tracking:dossier", args=[public.code])
                    )
                factor_form.add_error("phone_last4", _("Số điện thoại không khớp với hồ sơ."))
                status = 403
        else:
            status = 422
    context: dict[str, Any] = {
        "track": public,
        "timeline": public.timeline,
        "personal": personal,
        "factor_form": factor_form,
        "attempts_left": tracking.attempts_left(public.code),
    }
    if personal:
        dossier = dossier or selectors.tracking_dossier(public.code)
        if dossier is None:
            return _not_found_page(request, code)
        context["applicant"] = dossier
        context["papers"] = selectors.tracking_papers(dossier)
    return render(request, "dossiers/tracking/dossier.html", context, status=status)


def tracking_base_url() -> str:
    return settings.SITE_URL.rstrip("/") + "/tra-cuu/"
