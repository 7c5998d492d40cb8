"""Workspace pages of official documents, mounted at /app/van-ban/ (namespace
``workspace:documents``).

Every page is behind `staff_required`; lists come from `selectors` (policy-scoped, secret
documents only for those named on them); one document is reached only through
`policy.access_document_for_staff` (another agency's document is "not found", like a missing
one), and every opening of a secret document is logged with `document_view_log`. Actions call
the documents' services; a refusal (`AppError`) shows its reason and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.decorators import staff_required
from egov.assignments.services.exchange import comments_for
from egov.audit.selectors import history_for
from egov.core.errors import AppError, NotFound, PermissionDenied
from egov.core.files import file_response
from egov.core.pages import answers_app_errors
from egov.documents import registers, search, selectors, services
from egov.documents.forms import (
    AddToCaseFileForm,
    CaseFileForm,
    DirectForm,
    DraftForm,
    IncomingPaperForm,
    NoteForm,
    OptionalNoteForm,
    ReplyForm,
    SearchForm,
    SignForm,
    SubmitToLeaderForm,
)
from egov.documents.models import Direction, Document, DocumentStatus, FileKindChoice
from egov.documents.policy import access_document_for_staff
from egov.policy.engine import can, require, subject_for
from egov.printing.responses import pdf_response

PAGE_SIZE = 30


def _agency_id(request: HttpRequest) -> int:
    agency_id = subject_for(request.user).agency_id
    if agency_id is None:
        raise NotFound()
    return agency_id


def _page(request: HttpRequest, rows: Any) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("trang", None)
    return query.urlencode()


def _form_errors(form: Any, exc: AppError) -> None:
    """Put a service's field errors on the form fields it knows, the rest on the form."""
    placed = False
    for name, errors in exc.fields.items():
        field = name.split(".")[-1].split("[")[0]
        field = {"type": "doc_type", "files": "main_file"}.get(field, field)
        if field in form.fields:
            for error in errors:
                form.add_error(field, error)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _detail_url(document: Document) -> str:
    return reverse("workspace:documents:detail", args=[document.public_id])


# --- lists -------------------------------------------------------------------------------------


@staff_required
@answers_app_errors
def drafts(request: HttpRequest) -> HttpResponse:
    require(request.user, "document.view")
    return render(
        request,
        "documents/list.html",
        {
            "title": _("Văn bản đi đang soạn thảo, trình duyệt"),
            "tab": "drafts",
            "page": _page(request, selectors.drafts(request.user)),
            "may_draft": can(request.user, "document.draft"),
        },
    )


@staff_required
@answers_app_errors
def outgoing(request: HttpRequest) -> HttpResponse:
    require(request.user, "document.view")
    return render(
        request,
        "documents/list.html",
        {
            "title": _("Văn bản đi đã phát hành"),
            "tab": "outgoing",
            "page": _page(request, selectors.outgoing(request.user)),
            "may_draft": can(request.user, "document.draft"),
        },
    )


@staff_required
@answers_app_errors
def incoming(request: HttpRequest) -> HttpResponse:
    require(request.user, "document.view")
    return render(
        request,
        "documents/list.html",
        {
            "title": _("Văn bản đến"),
            "tab": "incoming",
            "page": _page(request, selectors.incoming_queue(request.user)),
            "may_register": can(request.user, "document.register"),
        },
    )


@staff_required
@answers_app_errors
def my_work(request: HttpRequest) -> HttpResponse:
    require(request.user, "document.handle")
    return render(
        request,
        "documents/my_work.html",
        {"tab": "mine", "handlings": selectors.my_handlings(request.user)[:200]},
    )


# --- drafting ------------------------------------------------------------------------------------


def _draft_kwargs(form: DraftForm) -> dict[str, Any]:
    data = form.cleaned_data
    recipients: list[Any] = [
        services.RecipientInput(agency=a) for a in data.get("recipient_agencies") or []
    ]
    recipients += [
        services.RecipientInput(organ_id=organ_id, organ_name=name)
        for organ_id, name in data.get("external_recipients") or []
    ]
    files: list[Any] = []
    if data.get("main_file"):
        files.append(services.FileInput(data["main_file"], FileKindChoice.MAIN))
    if data.get("attachment"):
        files.append(services.FileInput(data["attachment"], FileKindChoice.ATTACHMENT))
    return {
        "doc_type": data["doc_type"],
        "subject": data["subject"],
        "urgency": data.get("urgency"),
        "secrecy": data.get("secrecy"),
        "channel": data["channel"],
        "recipients": recipients,
        "files": files,
        "due_date": data.get("due_date"),
        "issued_amount": data.get("issued_amount"),
        "description": data.get("description") or "",
        "is_public": bool(data.get("is_public")),
    }


@staff_required
@answers_app_errors
def draft_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "document.draft")
    agency_id = _agency_id(request)
    form = DraftForm(request.POST or None, request.FILES or None, agency_id=agency_id)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.draft_create(
                actor=request.user,
                agency=selectors.agency(agency_id),
                **_draft_kwargs(form),
            )
        except AppError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo dự thảo."))
            return HttpResponseRedirect(_detail_url(document))
    return render(request, "documents/draft_form.html", {"form": form, "document": None})


@staff_required
@answers_app_errors
def draft_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    document = access_document_for_staff(request.user, public_id)
    require(request.user, "document.draft", document)
    initial = {
        "doc_type": document.type,
        "subject": document.subject,
        "urgency": document.priority,
        "secrecy": document.secrecy,
        "channel": document.channel,
        "due_date": document.due_date,
        "issued_amount": document.issued_amount,
        "description": document.description,
        "is_public": document.is_public,
    }
    form = DraftForm(
        request.POST or None, request.FILES or None, agency_id=document.agency_id, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        kwargs = _draft_kwargs(form)
        files = kwargs.pop("files") or None
        try:
            services.draft_update(
                actor=request.user,
                document=document,
                files=files,
                doc_type=kwargs.pop("doc_type"),
                urgency=kwargs.pop("urgency") or document.priority,
                secrecy=kwargs.pop("secrecy") or document.secrecy,
                **kwargs,
            )
        except AppError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return HttpResponseRedirect(_detail_url(document))
    return render(request, "documents/draft_form.html", {"form": form, "document": document})


# --- one document --------------------------------------------------------------------------------


def _actions(request: HttpRequest, document: Document) -> dict[str, bool]:
    """The buttons shown: what this user may do now (the services check again)."""
    user, status = request.user, document.status
    subject = subject_for(user)
    outgoing = document.direction == Direction.OUTGOING
    step = document.review.current_step if document.review is not None else None
    at_my_step = bool(
        step is not None and subject.roles_in(document.agency_id) & set(step.actor_roles)
    )
    editable = status in (DocumentStatus.DRAFT, DocumentStatus.RETURNED)
    return {
        "edit": outgoing and editable and can(user, "document.draft", document),
        "submit": outgoing and editable and can(user, "document.draft", document),
        "review": outgoing
        and status == DocumentStatus.IN_REVIEW
        and at_my_step
        and can(user, "document.review", document),
        "sign": outgoing
        and status == DocumentStatus.APPROVED
        and can(user, "document.sign", document),
        "issue": outgoing
        and status == DocumentStatus.SIGNED
        and can(user, "document.issue", document),
        "recall": outgoing
        and status == DocumentStatus.ISSUED
        and can(user, "document.recall", document),
        "accept": not outgoing
        and status == DocumentStatus.ARRIVED
        and can(user, "document.register", document),
        "to_leader": not outgoing
        and status == DocumentStatus.REGISTERED
        and can(user, "document.register", document),
        "direct": not outgoing
        and status in (DocumentStatus.REGISTERED, DocumentStatus.SUBMITTED)
        and can(user, "document.direct", document),
        "file": can(user, "casefile.manage", document),
    }


def _mine(request: HttpRequest, handlings: list[Any]) -> list[Any]:
    subject = subject_for(request.user)
    return [
        h
        for h in handlings
        if h.status != "done"
        and (
            h.staff_id == subject.staff_id
            or (h.staff_id is None and h.unit_id and h.unit_id == subject.unit_id)
        )
    ]


@staff_required
@answers_app_errors
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    document = access_document_for_staff(request.user, public_id)
    if document.is_secret:
        services.document_view_log(actor=request.user, document=document)
    handlings = selectors.document_handlings(document)
    actions = _actions(request, document)
    context = {
        "document": document,
        "files": selectors.document_files(document),
        "comments": selectors.document_comments(document),
        "recipients": selectors.document_recipients(document),
        "handlings": handlings,
        "my_handlings": _mine(request, handlings),
        "case_files": selectors.case_files_of_document(document),
        "history": history_for(document),
        "exchange_comments": comments_for(document),
        "actions": actions,
        "note_form": NoteForm(),
        "sign_form": SignForm(),
        "leader_form": SubmitToLeaderForm(agency_id=document.agency_id)
        if actions["to_leader"]
        else None,
        "file_form": AddToCaseFileForm(agency_id=document.agency_id) if actions["file"] else None,
    }
    return render(request, "documents/detail.html", context)


@staff_required
@answers_app_errors
def file_download(request: HttpRequest, public_id: str, file_id: int) -> HttpResponseBase:
    document = access_document_for_staff(request.user, public_id)
    row = selectors.document_file(document, file_id)
    if row is None:
        raise NotFound()
    if document.is_secret:
        services.document_view_log(actor=request.user, document=document)
    return file_response(row.stored_file, as_attachment=request.GET.get("xem") is None)


ACTIONS: dict[str, Callable[[HttpRequest, Document], Any]] = {
    "trinh": lambda r, d: services.draft_submit(
        actor=r.user, document=d, note=r.POST.get("body", "")
    ),
    "gop-y": lambda r, d: services.draft_comment(
        actor=r.user, document=d, body=r.POST.get("body", "")
    ),
    "tra-lai": lambda r, d: services.draft_return(
        actor=r.user, document=d, reason=r.POST.get("body", "")
    ),
    "duyet": lambda r, d: services.draft_approve(
        actor=r.user, document=d, note=r.POST.get("body", "")
    ),
    "phat-hanh": lambda r, d: services.document_issue(actor=r.user, document=d),
    "thu-hoi": lambda r, d: services.document_recall(
        actor=r.user, document=d, reason=r.POST.get("body", "")
    ),
    "tiep-nhan": lambda r, d: services.incoming_register(
        actor=r.user, agency=d.agency, source=d.source, document=d
    ),
}
DONE_MESSAGES = {
    "trinh": _("Đã trình dự thảo."),
    "gop-y": _("Đã ghi ý kiến."),
    "tra-lai": _("Đã trả lại dự thảo."),
    "duyet": _("Đã duyệt dự thảo."),
    "ky": _("Đã ký văn bản."),
    "phat-hanh": _("Đã phát hành văn bản."),
    "thu-hoi": _("Đã thu hồi văn bản."),
    "tiep-nhan": _("Đã tiếp nhận, vào sổ văn bản đến."),
    "trinh-lanh-dao": _("Đã trình lãnh đạo."),
    "vao-ho-so": _("Đã đưa văn bản vào hồ sơ."),
}


def _sign(request: HttpRequest, document: Document) -> Any:
    form = SignForm(request.POST)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    return services.document_sign(
        actor=request.user,
        document=document,
        competence=data.get("competence"),
        position=data.get("position") or "",
    )


def _to_leader(request: HttpRequest, document: Document) -> Any:
    form = SubmitToLeaderForm(request.POST, agency_id=document.agency_id)
    leader = form.cleaned_data.get("leader") if form.is_valid() else None
    return services.incoming_submit_to_leader(
        actor=request.user, document=document, leader=leader, note=request.POST.get("note", "")
    )


def _file_into(request: HttpRequest, document: Document) -> Any:
    form = AddToCaseFileForm(request.POST, agency_id=document.agency_id)
    if not form.is_valid():
        raise AppError("documents_casefile_required", _("Chọn hồ sơ."), status=400)
    return services.casefile_add_document(
        actor=request.user, case_file=form.cleaned_data["case_file"], document=document
    )


ACTIONS.update({"ky": _sign, "trinh-lanh-dao": _to_leader, "vao-ho-so": _file_into})


@staff_required
@require_POST
@answers_app_errors
def act(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    document = access_document_for_staff(request.user, public_id)
    run = ACTIONS.get(action)
    if run is None:
        raise NotFound()
    try:
        run(request, document)
    except (NotFound, PermissionDenied):
        raise
    except AppError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, DONE_MESSAGES[action])
    return HttpResponseRedirect(_detail_url(document))


# --- incoming ------------------------------------------------------------------------------------


@staff_required
@answers_app_errors
def incoming_new(request: HttpRequest) -> HttpResponse:
    """Register a paper document: scan + metadata; a possible duplicate is shown first and
    the clerk confirms before it is registered."""
    require(request.user, "document.register")
    agency = selectors.agency(_agency_id(request))
    form = IncomingPaperForm(request.POST or None, request.FILES or None)
    duplicates: list[Document] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = services.incoming_duplicates(
            agency=agency,
            code_number=data.get("code_number") or "",
            code_notation=data.get("code_notation") or "",
            organ_id=data.get("organ_id") or "",
        ) or _same_by_name(request, data)
        if duplicates and not data.get("confirm_duplicate"):
            form.add_error(
                "confirm_duplicate",
                _("Văn bản có thể đã được vào sổ. Kiểm tra danh sách dưới đây rồi xác nhận."),
            )
        else:
            try:
                document = services.incoming_register(
                    actor=request.user,
                    agency=agency,
                    source="paper",
                    metadata=form.metadata(),
                    files=[data["scan"]] if data.get("scan") else [],
                    sender_organ_id=data.get("organ_id") or "",
                    sender_organ_name=data["organ_name"],
                    allow_duplicate=bool(data.get("confirm_duplicate")),
                )
            except AppError as exc:
                _form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã vào sổ văn bản đến số %(n)s.") % {"n": document.arrival_number},
                )
                return HttpResponseRedirect(_detail_url(document))
    return render(request, "documents/incoming_form.html", {"form": form, "duplicates": duplicates})


def _same_by_name(request: HttpRequest, data: dict[str, Any]) -> list[Document]:
    """Paper from a body without an identifier: same number, notation and issuer name."""
    if not data.get("code_number") or data.get("organ_id"):
        return []
    return list(
        selectors.incoming_queue(request.user, open_only=False).filter(
            code_number=data["code_number"],
            code_notation=data.get("code_notation") or "",
            organ_name__iexact=data["organ_name"],
        )[:10]
    )


@staff_required
@answers_app_errors
def direct(request: HttpRequest, public_id: str) -> HttpResponse:
    document = access_document_for_staff(request.user, public_id)
    require(request.user, "document.direct", document)
    form = DirectForm(request.POST or None, agency_id=document.agency_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.incoming_direct(
                actor=request.user,
                document=document,
                instruction=data["instruction"],
                main_handler=data["main_handler"],
                co_handlers=list(data.get("co_handlers") or []),
                for_information=list(data.get("for_information") or []),
                working_days=data.get("working_days"),
            )
        except AppError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã phân công xử lý."))
            return HttpResponseRedirect(_detail_url(document))
    return render(request, "documents/direct_form.html", {"form": form, "document": document})


@staff_required
@answers_app_errors
def handling(request: HttpRequest, public_id: str, handling_id: int) -> HttpResponse:
    """The handler's page: progress, the reply (an outgoing document), closing."""
    document = access_document_for_staff(request.user, public_id)
    part = selectors.handling_for(document, handling_id)
    if part is None:
        raise NotFound()
    require(request.user, "document.handle", document)
    progress_form = NoteForm(prefix="tien-do")
    reply_form = ReplyForm(user=request.user, agency_id=document.agency_id, prefix="tra-loi")
    close_form = OptionalNoteForm(prefix="xong")
    if request.method == "POST":
        step = request.POST.get("buoc")
        try:
            if step == "tien-do":
                progress_form = NoteForm(request.POST, prefix="tien-do")
                if progress_form.is_valid():
                    services.handling_progress(
                        actor=request.user, handling=part, note=progress_form.cleaned_data["body"]
                    )
                    messages.success(request, _("Đã ghi tiến độ."))
                    return HttpResponseRedirect(request.path)
            elif step == "tra-loi":
                reply_form = ReplyForm(
                    request.POST, user=request.user, agency_id=document.agency_id, prefix="tra-loi"
                )
                if reply_form.is_valid():
                    services.handling_reply(
                        actor=request.user,
                        handling=part,
                        outgoing_document=reply_form.cleaned_data["outgoing_document"],
                    )
                    messages.success(request, _("Đã gắn văn bản trả lời."))
                    return HttpResponseRedirect(request.path)
            elif step == "xong":
                close_form = OptionalNoteForm(request.POST, prefix="xong")
                if close_form.is_valid():
                    services.handling_close(
                        actor=request.user, handling=part, note=close_form.cleaned_data["body"]
                    )
                    messages.success(request, _("Đã hoàn thành xử lý."))
                    return HttpResponseRedirect(_detail_url(document))
        except (NotFound, PermissionDenied):
            raise
        except AppError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "documents/handling.html",
        {
            "document": document,
            "part": part,
            "progress": list(part.progress.all()),
            "progress_form": progress_form,
            "reply_form": reply_form,
            "close_form": close_form,
        },
    )


# --- search --------------------------------------------------------------------------------------


@staff_required
@answers_app_errors
def search_page(request: HttpRequest) -> HttpResponse:
    require(request.user, "document.view")
    form = SearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        params = search.SearchParams(
            q=data.get("q") or "",
            type_id=data["doc_type"].pk if data.get("doc_type") else None,
            direction=data.get("direction") or "",
            status=data.get("status") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            sort=data.get("sort") or "moi-nhat",
        )
        page = search.results_page(
            selectors.visible_documents(request.user), params, request.GET.get("trang"), PAGE_SIZE
        )
    return render(
        request,
        "documents/search.html",
        {"tab": "search", "form": form, "page": page, "query": _query(request)},
    )


# --- registers -----------------------------------------------------------------------------------


@staff_required
@answers_app_errors
def register_index(request: HttpRequest) -> HttpResponse:
    require(request.user, "document.view")
    year = timezone.localdate().year
    return render(
        request,
        "documents/registers.html",
        {
            "tab": "registers",
            "registers": registers.REGISTERS.values(),
            "years": range(year, year - 5, -1),
        },
    )


@staff_required
@answers_app_errors
def register_export(request: HttpRequest, kind: str, year: int, fmt: str) -> HttpResponseBase:
    require(request.user, "document.view")
    register = registers.register_for(kind)
    agency = selectors.agency(_agency_id(request))
    if register is None or not 2000 <= year <= date.today().year + 1:
        raise NotFound()
    filename = f"so-van-ban-{kind}-{agency.code}-{year}"
    if fmt == "pdf":
        data = registers.render_pdf(
            register, agency_id=agency.pk, agency_name=agency.name, year=year
        )
        return pdf_response(data, f"{filename}.pdf")
    handle = registers.xlsx_tempfile(
        register, agency_id=agency.pk, agency_name=agency.name, year=year
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# --- yearly files (hồ sơ) ------------------------------------------------------------------------


@staff_required
@answers_app_errors
def case_files(request: HttpRequest) -> HttpResponse:
    require(request.user, "document.view")
    agency_id = _agency_id(request)
    may_manage = can(request.user, "casefile.manage")
    form = CaseFileForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        require(request.user, "casefile.manage")
        if form.is_valid():
            try:
                services.casefile_create(
                    actor=request.user, agency=selectors.agency(agency_id), **form.cleaned_data
                )
            except AppError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Đã lập hồ sơ."))
                return HttpResponseRedirect(request.path)
    return render(
        request,
        "documents/case_files.html",
        {
            "tab": "files",
            "case_files": selectors.case_files(agency_id),
            "form": form if may_manage else None,
        },
    )


@staff_required
@answers_app_errors
def case_file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "document.view")
    found = selectors.case_file(_agency_id(request), pk)
    if found is None:
        raise NotFound()
    return render(
        request,
        "documents/case_file.html",
        {
            "tab": "files",
            "case_file": found,
            "entries": selectors.case_file_entries(request.user, found),
        },
    )
