"""Workspace pages: /app/nhiem-vu/ (assignments, comments, notices) and /app/lich-cong-tac/
(the work calendar); the portal's public work calendar. Thin over services and selectors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.decorators import staff_required
from egov.assignments import exports, forms, selectors, services
from egov.assignments.models import (
    AssignmentStatus,
    Comment,
    ExtensionDecision,
    ExtensionRequest,
    SourceKind,
    WorkEventStatus,
)
from egov.assignments.policy import (
    access_assignment_for_staff,
    access_work_event_for_staff,
    is_assigner,
    is_owner,
    staff_of,
)
from egov.assignments.services.exchange import comment_target_check, comments_for
from egov.core.errors import AppError, NotFound, PermissionDenied
from egov.core.pages import answers_app_errors as app_errors
from egov.organisations.models import Agency
from egov.policy.engine import can, require

View = Callable[..., HttpResponse]


def _form_errors(form: Any, exc: AppError) -> None:
    placed = False
    for name, errors in exc.fields.items():
        if name in form.fields:
            for error in errors:
                form.add_error(name, error)
            placed = True
    form.add_error(None, exc.message) if not placed else None


# --- assignments ----------------------------------------------------------------------------------


@staff_required
@app_errors
def mine(request: HttpRequest) -> HttpResponse:
    require(request.user, "assignment.view")
    return render(
        request,
        "assignments/list.html",
        {
            "tab": "mine",
            "title": _("Nhiệm vụ của tôi"),
            "assignments": selectors.assignments_mine(user=request.user),
            "now": timezone.now(),
            "may_create": can(request.user, "assignment.create"),
        },
    )


@staff_required
@app_errors
def given(request: HttpRequest) -> HttpResponse:
    require(request.user, "assignment.create")
    return render(
        request,
        "assignments/list.html",
        {
            "tab": "given",
            "title": _("Nhiệm vụ tôi đã giao"),
            "assignments": selectors.assignments_given(user=request.user),
            "now": timezone.now(),
            "may_create": True,
        },
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@staff_required
@app_errors
def board(request: HttpRequest) -> HttpResponse:
    require(request.user, "assignment.board")
    meeting_id = _int(request.GET.get("ket_luan"))
    meeting = selectors.meeting_for(user=request.user, pk=meeting_id) if meeting_id else None
    if meeting_id and meeting is None:
        raise Http404
    status = request.GET.get("trang_thai", "")
    if status not in AssignmentStatus.values:
        status = ""
    rows = selectors.assignments_board(
        user=request.user,
        agency_id=_int(request.GET.get("co_quan")),
        status=status,
        late_only=request.GET.get("qua_han") == "1",
        meeting_id=meeting_id,
        source_kind=request.GET.get("nguon", "")
        if request.GET.get("nguon") in SourceKind.values
        else "",
    )
    return render(
        request,
        "assignments/board.html",
        {
            "tab": "board",
            "assignments": rows,
            "meeting": meeting,
            "meetings": selectors.meeting_conclusions(user=request.user)[:50],
            "statuses": AssignmentStatus.choices,
            "sources": SourceKind.choices,
            "agencies": Agency.objects.filter(is_active=True).only("pk", "name"),
            "filters": request.GET,
            "now": timezone.now(),
        },
    )


@staff_required
@app_errors
def create(request: HttpRequest) -> HttpResponse:
    require(request.user, "assignment.create")
    staff = staff_of(request.user)
    assert staff is not None
    form = forms.AssignmentForm(request.POST or None, staff=staff, initial={"working_days": 10})
    meeting_id = _int(request.GET.get("ket_luan") or request.POST.get("ket_luan"))
    meeting = selectors.meeting_for(user=request.user, pk=meeting_id) if meeting_id else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.assignment_create(
                actor=request.user,
                title=data["title"],
                description=data["description"],
                owners=form.owners(),  # type: ignore[arg-type]
                due_at=data["due_at"],
                working_days=None if data["due_at"] else data["working_days"],
                priority=data["priority"],
                source_kind=SourceKind.MEETING if meeting else SourceKind.OWN,
                meeting=meeting,
                recurrence=data.get("recurrence") or "",
                recurrence_day=data.get("recurrence_day"),
            )
        except AppError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã giao nhiệm vụ."))
            if meeting:
                return HttpResponseRedirect(f"{request.path}?ket_luan={meeting.pk}")
            return HttpResponseRedirect(
                f"/app/nhiem-vu/{assignment.public_id}/"
                if not assignment.is_series
                else "/app/nhiem-vu/da-giao/"
            )
    return render(
        request,
        "assignments/form.html",
        {"tab": "given", "form": form, "meeting": meeting, "title": _("Giao nhiệm vụ")},
    )


@staff_required
@app_errors
def conclusion_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "assignment.create")
    form = forms.ConclusionForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            conclusion = services.meeting_conclusion_create(actor=request.user, **form.cleaned_data)
        except AppError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu kết luận; giao các nhiệm vụ của kết luận."))
            return HttpResponseRedirect(f"/app/nhiem-vu/moi/?ket_luan={conclusion.pk}")
    return render(
        request,
        "assignments/form.html",
        {"tab": "board", "form": form, "title": _("Kết luận cuộc họp")},
    )


@staff_required
@app_errors
def detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    assignment = access_assignment_for_staff(request.user, public_id)
    owner = is_owner(request.user, assignment)
    assigner = is_assigner(request.user, assignment)
    pending = assignment.extensions.filter(decision=ExtensionDecision.PENDING).first()
    return render(
        request,
        "assignments/detail.html",
        {
            "tab": "mine",
            "a": assignment,
            **selectors.assignment_detail_related(assignment),
            "is_owner": owner,
            "is_assigner": assigner,
            "pending_extension": pending,
            # One page, several forms with a `text` field: distinct ids keep each label on its box.
            "progress_form": forms.ProgressForm(auto_id="progress_%s"),
            "extension_form": forms.ExtensionForm(auto_id="extension_%s"),
            "completion_form": forms.CompletionForm(auto_id="completion_%s"),
            "decision_form": forms.DecisionForm(auto_id="decision_%s"),
            "late": assignment.is_open and assignment.due_at < timezone.now(),
            "comments": comments_for(assignment),
            "comment_target": assignment,
            "comment_kind": "assignment",
        },
    )


ACTIONS = ("tien-do", "gia-han", "duyet-gia-han", "hoan-thanh", "duyet-hoan-thanh")


@staff_required
@require_POST
@app_errors
def act(request: HttpRequest, public_id: Any, action: str) -> HttpResponse:
    assignment = access_assignment_for_staff(request.user, public_id)
    if action not in ACTIONS:
        raise Http404
    back = HttpResponseRedirect(f"/app/nhiem-vu/{assignment.public_id}/")
    try:
        if action == "tien-do":
            form: Any = forms.ProgressForm(request.POST, request.FILES)
            if form.is_valid():
                files = []
                if form.cleaned_data.get("attachment"):
                    from egov.core.files import DOCUMENTS, IMAGES, SPREADSHEETS, file_store

                    files = [
                        file_store(
                            upload=form.cleaned_data["attachment"],
                            field="attachment",
                            allowed=DOCUMENTS | SPREADSHEETS | IMAGES,
                            actor=request.user,
                        )
                    ]
                services.progress_report(
                    actor=request.user,
                    assignment=assignment,
                    text=form.cleaned_data["text"],
                    percent=form.cleaned_data["percent"],
                    files=files,
                )
        elif action == "gia-han":
            form = forms.ExtensionForm(request.POST)
            if form.is_valid():
                services.extension_request(
                    actor=request.user,
                    assignment=assignment,
                    new_due_at=form.cleaned_data["new_due_at"],
                    reason=form.cleaned_data["reason"],
                )
        elif action == "duyet-gia-han":
            form = forms.DecisionForm(request.POST)
            form.is_valid()
            extension = get_object_or_404(
                ExtensionRequest, assignment=assignment, decision=ExtensionDecision.PENDING
            )
            services.extension_decide(
                actor=request.user,
                request=extension,
                approve=request.POST.get("approve") == "1",
                note=form.cleaned_data.get("note", ""),
            )
        elif action == "hoan-thanh":
            form = forms.CompletionForm(request.POST)
            if form.is_valid():
                services.completion_report(
                    actor=request.user, assignment=assignment, text=form.cleaned_data["text"]
                )
        else:
            form = forms.DecisionForm(request.POST)
            form.is_valid()
            services.completion_decide(
                actor=request.user,
                assignment=assignment,
                accept=request.POST.get("accept") == "1",
                note=form.cleaned_data.get("note", ""),
            )
        if form.errors:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return back
    except (NotFound, PermissionDenied):
        raise
    except AppError as exc:
        messages.error(request, exc.message)
        return back
    messages.success(request, _("Đã ghi nhận."))
    return back


# --- comments (reusable partial) -----------------------------------------------------------------

COMMENT_TARGETS = {
    "assignment": "assignments.assignment",
    "document": "documents.document",
    "dossier": "dossiers.dossier",
}


@staff_required
@require_POST
@app_errors
def comment_post(request: HttpRequest, kind: str, public_id: Any) -> HttpResponse:
    label = COMMENT_TARGETS.get(kind)
    if label is None:
        raise Http404
    model = ContentType.objects.get_by_natural_key(*label.split(".")).model_class()
    assert model is not None
    target = model._default_manager.filter(public_id=public_id).first()
    if target is None:
        raise Http404
    comment_target_check(request.user, target)
    parent = None
    parent_id = _int(request.POST.get("parent"))
    if parent_id:
        parent = Comment.objects.filter(pk=parent_id).first()
    error = ""
    try:
        services.comment_add(
            actor=request.user, target=target, body=request.POST.get("body", ""), parent=parent
        )
    except (NotFound, PermissionDenied):
        raise
    except AppError as exc:
        error = exc.message
    context = {
        "comments": comments_for(target),
        "comment_target": target,
        "comment_kind": kind,
        "comment_error": error,
    }
    if request.headers.get("HX-Request"):
        return render(request, "assignments/_comments.html", context, status=422 if error else 200)
    if error:
        messages.error(request, error)
    return HttpResponseRedirect(request.headers.get("Referer") or "/app/")


# --- notices --------------------------------------------------------------------------------------


@staff_required
@app_errors
def notices(request: HttpRequest) -> HttpResponse:
    may_publish = can(request.user, "notice.publish")
    form = forms.NoticeForm(request.POST or None, initial={"to_own_staff": True})
    if request.method == "POST":
        require(request.user, "notice.publish")
        if form.is_valid():
            try:
                services.notice_publish(actor=request.user, **form.cleaned_data)
            except AppError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Đã đăng thông báo."))
                return HttpResponseRedirect(request.path)
    return render(
        request,
        "assignments/notices.html",
        {
            "tab": "notices",
            "notices": selectors.notices_for(user=request.user)[:100],
            "form": form if may_publish else None,
        },
    )


@staff_required
@app_errors
def notice_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    notice = selectors.notices_for(user=request.user).filter(public_id=public_id).first()
    if notice is None:
        raise Http404
    from egov.notifications.services import notification_mark_read

    # Opening the notice is the read receipt.
    for receipt in notice.recipients.filter(user_id=request.user.pk or 0).select_related(
        "notification"
    ):
        notification_mark_read(actor=request.user, notification=receipt.notification)
    receipts = None
    staff = staff_of(request.user)
    if staff is not None and staff.pk == notice.author_id:
        receipts = notice.recipients.select_related("user", "notification")
    return render(
        request,
        "assignments/notice_detail.html",
        {"tab": "notices", "notice": notice, "receipts": receipts},
    )


# --- work calendar ----------------------------------------------------------------------------


def _week(request: HttpRequest) -> date:
    raw = request.GET.get("tuan") or request.POST.get("tuan") or ""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


@staff_required
@app_errors
def calendar_week(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    if staff is None:
        raise Http404
    week = _week(request)
    may_edit = can(request.user, "workcalendar.edit")
    may_approve = can(request.user, "workcalendar.approve")
    may_publish = can(request.user, "workcalendar.publish")
    events = selectors.week_events(
        agency_id=staff.agency_id,
        week=week,
        published_only=not (may_edit or may_approve or may_publish),
    )
    days = [
        (d, [e for e in events if timezone.localtime(e.starts_at).date() == d])
        for d in selectors.week_days(week)
    ]
    return render(
        request,
        "assignments/calendar_week.html",
        {
            "tab": "calendar",
            "week": week,
            "prev": week - timedelta(days=7),
            "next": week + timedelta(days=7),
            "days": days,
            "may_edit": may_edit,
            "may_approve": may_approve,
            "may_publish": may_publish,
            "has_draft": any(e.status == WorkEventStatus.DRAFT for e in events),
            "agency": staff.agency,
        },
    )


@staff_required
@app_errors
def calendar_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request.user, "workcalendar.edit")
    staff = staff_of(request.user)
    assert staff is not None
    event = access_work_event_for_staff(request.user, pk) if pk else None
    initial = {}
    if event is not None:
        initial = {
            "title": event.title,
            "starts_at": timezone.localtime(event.starts_at),
            "ends_at": timezone.localtime(event.ends_at),
            "location": event.location,
            "participants": event.participants,
            "leader": event.leader,
            "is_public": event.is_public,
        }
    form = forms.WorkEventForm(request.POST or None, agency_id=staff.agency_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.work_event_save(actor=request.user, event=event, **form.cleaned_data)
        except AppError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu lịch."))
            return HttpResponseRedirect(f"/app/lich-cong-tac/?tuan={saved.week.isoformat()}")
    return render(
        request,
        "assignments/form.html",
        {"tab": "calendar", "form": form, "title": _("Lịch công tác")},
    )


@staff_required
@require_POST
@app_errors
def calendar_transition(request: HttpRequest, step: str) -> HttpResponse:
    week = _week(request)
    try:
        if step == "duyet":
            count = services.work_week_approve(actor=request.user, week=week)
        else:
            count = services.work_week_publish(actor=request.user, week=week)
    except (NotFound, PermissionDenied):
        raise
    except AppError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã cập nhật %(n)d mục.") % {"n": count})
    return HttpResponseRedirect(f"/app/lich-cong-tac/?tuan={week.isoformat()}")


def _export(agency: Agency, week: date, events: Any, fmt: str) -> HttpResponse:
    if fmt == "ics":
        body = exports.work_events_ics(events, name=f"Lịch công tác {agency.name}")
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    else:
        pdf = exports.work_week_pdf(events, agency_name=agency.name, week=week)
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="lich-cong-tac-{week:%Y-%m-%d}.{fmt}"'
    return response


@staff_required
@app_errors
def calendar_export(request: HttpRequest, fmt: str) -> HttpResponse:
    staff = staff_of(request.user)
    if staff is None or fmt not in ("ics", "pdf"):
        raise Http404
    week = _week(request)
    events = selectors.week_events(agency_id=staff.agency_id, week=week, published_only=True)
    return _export(staff.agency, week, events, fmt)


def portal_calendar(request: HttpRequest, code: str, fmt: str = "") -> HttpResponse:
    require(request.user, "workcalendar.view_public")
    agency = get_object_or_404(Agency, code=code, is_active=True)
    week = _week(request)
    events = selectors.week_events(agency_id=agency.pk, week=week, public_only=True)
    if fmt:
        if fmt not in ("ics", "pdf"):
            raise Http404
        return _export(agency, week, events, fmt)
    days = [
        (d, [e for e in events if timezone.localtime(e.starts_at).date() == d])
        for d in selectors.week_days(week)
    ]
    return render(
        request,
        "assignments/portal_calendar.html",
        {
            "agency": agency,
            "week": week,
            "days": days,
            "prev": week - timedelta(days=7),
            "next": week + timedelta(days=7),
        },
    )
