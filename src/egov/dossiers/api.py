"""REST operations of the one-stop shop, mounted at /api/v1/dossiers and /api/v1/tracking.

Thin over the same services, selectors and access helpers as the pages (the action panel's
`egov.dossiers.actions` for officer actions). Errors are problem documents; a dossier the
caller may not see answers 404 like a missing one.

* ``POST /dossiers`` — multipart submission by a signed-in citizen or business. Fields:
  ``procedure`` (code), ``agency`` (receiving agency code), ``data`` (the form's fields as a
  JSON object); one file per required paper in the part named ``paper_<order>`` (the paper's
  order in the procedure, 1, 2…). The ``Idempotency-Key`` header makes a retry safe: the same
  key with the same request answers the same dossier (200; 201 the first time), the same key
  with a different request answers 409.
* ``GET /dossiers/mine``, ``GET /dossiers/{code}``, ``POST /dossiers/{code}/actions``.
* ``GET /tracking/{code}`` — public. Personal data only for the signed-in applicant (bearer
  token or session) or with the ``X-Phone-Last4`` header (rate-limited per code and hour).
  An anonymous call without a session cookie touches no session.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from egov.api.auth import BearerTokenAuth, api_auth
from egov.api.responses import rendered
from egov.api.schemas import ProblemOut
from egov.core.errors import AppError, NotFound, PermissionDenied, ValidationFailed
from egov.dossiers import actions as dossier_actions
from egov.dossiers import selectors, services, tracking
from egov.dossiers.models import Dossier, DossierStatus
from egov.dossiers.policy import access_dossier_for_applicant, access_dossier_for_staff
from egov.policy.engine import subject_for
from egov.workflow.models import Action, Outcome

router = Router(auth=api_auth)
tracking_router = Router()

PAGE_SIZE = 20
CODE_EXAMPLE = "000.00.05.H15-270303-0001"


# --- schemas -------------------------------------------------------------------------------------


class DossierProcedureOut(Schema):
    code: str = Field(..., examples=["1.001193"])
    name: str = Field(..., examples=["Đăng ký khai sinh"])


class DossierAgencyOut(Schema):
    code: str = Field(..., description="Mã định danh điện tử", examples=["000.00.05.H15"])
    name: str = Field(..., examples=["Ủy ban nhân dân phường Hải Châu"])


class DossierOut(Schema):
    code: str = Field(..., description="Mã hồ sơ", examples=[CODE_EXAMPLE])
    procedure: DossierProcedureOut
    agency: DossierAgencyOut
    status: str = Field(..., description="Trạng thái (mã)", examples=["processing"])
    status_label: str = Field(..., examples=["Đang giải quyết"])
    channel: str = Field(..., examples=["online"])
    submitted_at: datetime
    received_at: datetime | None = None
    due_at: datetime | None = Field(None, description="Hẹn trả kết quả")
    returned_at: datetime | None = None
    current_step: str = Field("", examples=["Thẩm định hồ sơ"])
    tracking_url: str = Field(
        ..., examples=[f"https://dichvucong.example.vn/tra-cuu/{CODE_EXAMPLE}/"]
    )

    @staticmethod
    def resolve_status_label(obj: Dossier) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_current_step(obj: Dossier) -> str:
        return obj.current_step_name

    @staticmethod
    def resolve_tracking_url(obj: Dossier) -> str:
        return tracking.public_url(obj.code)


class DossierPaperOut(Schema):
    name: str = Field(..., examples=["Giấy chứng sinh"])
    file_name: str = Field(..., examples=["giay-chung-sinh.pdf"])
    size: int = Field(..., examples=[48213])


class DossierDetailOut(DossierOut):
    applicant_name: str = Field(..., examples=["Nguyễn Thị Ánh Tuyết"])
    applicant_address: str = Field("", examples=["12 Nguyễn Văn Linh, Đà Nẵng"])
    form_data: dict[str, Any] = Field(
        default_factory=dict,
        examples=[{"ho_ten_tre": "Trần Minh Khang", "ngay_sinh": "2027-03-01"}],
    )
    papers: list[DossierPaperOut] = Field(default_factory=list)
    actions: list[str] = Field(
        default_factory=list,
        description="Hành động người gọi được thực hiện lúc này",
        examples=[["forward", "request_supplement"]],
    )

    @staticmethod
    def resolve_papers(obj: Any) -> list[dict[str, Any]]:
        return list(getattr(obj, "detail_papers", []))

    @staticmethod
    def resolve_actions(obj: Any) -> list[str]:
        return list(getattr(obj, "detail_actions", []))

    @staticmethod
    def resolve_form_data(obj: Any) -> dict[str, Any]:
        return dict(obj.form_data or {})


class ActionIn(Schema):
    action: str = Field(
        ...,
        description=(
            "accept, forward, return, request_supplement, refuse, approve, sign_result, "
            "return_result, suspend, resume"
        ),
        examples=["forward"],
    )
    note: str = Field("", examples=["Hồ sơ đầy đủ, chuyển thẩm định."])
    items: list[str] = Field(
        default_factory=list,
        description="Nội dung cần bổ sung (request_supplement) hoặc lý do (refuse)",
        examples=[["Bản sao giấy chứng nhận kết hôn của cha, mẹ"]],
    )
    assignee: str | None = Field(
        None, description="Mã công khai của cán bộ nhận (forward)", examples=[None]
    )


class ActionOut(Schema):
    message: str = Field(..., examples=["Đã thực hiện “Chuyển xử lý” cho hồ sơ …"])
    dossier: DossierOut


class TimelineOut(Schema):
    action: str = Field(..., examples=["forward"])
    action_label: str = Field(..., examples=["Chuyển xử lý"])
    step: str = Field("", examples=["Tiếp nhận hồ sơ"])
    to_step: str = Field("", examples=["Thẩm định hồ sơ"])
    acted_at: datetime
    step_due_at: datetime | None = None
    outcome: str = Field("", description="early, on_time, late hoặc rỗng", examples=["on_time"])
    outcome_label: str = Field("", examples=["Đúng hạn"])


class ApplicantOut(Schema):
    name: str = Field(..., examples=["Nguyễn Thị Ánh Tuyết"])
    address: str = Field("", examples=["12 Nguyễn Văn Linh, Đà Nẵng"])
    papers: list[str] = Field(default_factory=list, examples=[["Tờ khai đăng ký khai sinh"]])


class TrackingOut(Schema):
    code: str = Field(..., examples=[CODE_EXAMPLE])
    procedure: DossierProcedureOut
    agency: DossierAgencyOut
    status: str = Field(..., examples=["processing"])
    status_label: str = Field(..., examples=["Đang giải quyết"])
    submitted_at: datetime
    received_at: datetime | None = None
    due_at: datetime | None = None
    returned_at: datetime | None = None
    current_step: str = Field("", examples=["Thẩm định hồ sơ"])
    timeline: list[TimelineOut] = Field(default_factory=list)
    applicant: ApplicantOut | None = Field(
        None, description="Chỉ cho người nộp đã đăng nhập, hoặc khi gửi đúng X-Phone-Last4"
    )


# --- helpers -------------------------------------------------------------------------------------


def _dossier_for(request: HttpRequest, code: str) -> Dossier:
    """The applicant's own dossier, or a dossier the officer may see; 404 otherwise."""
    subject = subject_for(request.user)
    if subject.kind in ("citizen", "business"):
        return access_dossier_for_applicant(request.user, code)
    found = selectors.dossier_by_code(code)
    if found is None:
        raise NotFound()
    access_dossier_for_staff(request.user, found.public_id)
    return found


MULTIPART_SCHEMA: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["procedure", "agency"],
                    "properties": {
                        "procedure": {"type": "string", "description": "Mã thủ tục"},
                        "agency": {"type": "string", "description": "Mã cơ quan tiếp nhận"},
                        "data": {
                            "type": "string",
                            "description": "Các trường của tờ khai, dạng JSON",
                        },
                        "paper_1": {
                            "type": "string",
                            "format": "binary",
                            "description": "Giấy tờ thứ 1 của thủ tục (paper_<thứ tự>)",
                        },
                        "paper_2": {"type": "string", "format": "binary"},
                    },
                },
                "example": {
                    "procedure": "1.001193",
                    "agency": "000.01.12.H15",
                    "data": '{"ho_ten_tre": "Trần Minh Khang", "ngay_sinh": "2027-03-01"}',
                },
            }
        },
    },
    "parameters": [
        {
            "in": "header",
            "name": "Idempotency-Key",
            "required": False,
            "schema": {"type": "string", "maxLength": 255},
            "example": "3f1c7f0e-8c1b-4a53-9a77-0c9f5d7a2b11",
            "description": "Gửi lại cùng khóa và cùng nội dung: nhận lại đúng hồ sơ đã tạo.",
        }
    ],
}


# --- dossiers ------------------------------------------------------------------------------------


@router.post(
    "",
    response={
        200: DossierOut,
        201: DossierOut,
        401: ProblemOut,
        403: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        422: ProblemOut,
    },
    summary="Nộp hồ sơ trực tuyến (multipart, kèm giấy tờ)",
    openapi_extra=MULTIPART_SCHEMA,
)
def dossier_submit(request: HttpRequest) -> Any:
    subject = subject_for(request.user)
    if subject.kind not in ("citizen", "business"):
        raise PermissionDenied(_("Chỉ công dân, tổ chức, doanh nghiệp nộp hồ sơ trực tuyến."))
    procedure = selectors.procedure_for_submission(str(request.POST.get("procedure", "")))
    if procedure is None:
        raise ValidationFailed(
            _("Thủ tục không tồn tại hoặc không nộp trực tuyến được."),
            fields={"procedure": [_("Không tìm thấy thủ tục nộp trực tuyến này.")]},
        )
    agency_code = str(request.POST.get("agency", ""))
    agency = next(
        (a for a in selectors.receiving_agencies(procedure) if a.code == agency_code), None
    )
    if agency is None:
        raise ValidationFailed(
            _("Cơ quan này không tiếp nhận hồ sơ của thủ tục."),
            fields={"agency": [_("Cơ quan này không tiếp nhận hồ sơ của thủ tục.")]},
        )
    try:
        form_data = json.loads(request.POST.get("data") or "{}")
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            _("Tờ khai phải là một đối tượng JSON."), fields={"data": [_("JSON không hợp lệ.")]}
        ) from exc
    if not isinstance(form_data, dict):
        raise ValidationFailed(
            _("Tờ khai phải là một đối tượng JSON."), fields={"data": [_("Phải là đối tượng.")]}
        )
    papers = selectors.required_papers(procedure)
    by_order = {f"paper_{p.order}": p for p in papers}
    unknown = sorted(set(request.FILES) - set(by_order))
    if unknown:
        raise ValidationFailed(
            _("Phần tệp không ứng với giấy tờ nào của thủ tục: %(names)s.")
            % {"names": ", ".join(unknown)},
            fields={name: [_("Không có giấy tờ này.")] for name in unknown},
        )
    files: list[tuple[int | None, Any]] = [
        (by_order[name].pk, upload)
        for name in request.FILES
        for upload in request.FILES.getlist(name)
    ]
    key = (request.headers.get("Idempotency-Key") or "").strip()
    if len(key) > 255:
        raise ValidationFailed(
            _("Idempotency-Key tối đa 255 ký tự."),
            fields={"Idempotency-Key": [_("Quá dài.")]},
        )
    replay = bool(key) and selectors.idempotency_key_used(request.user, key)
    try:
        dossier = services.dossier_submit_online(
            actor=request.user,
            procedure=procedure,
            agency=agency,
            form_data=form_data,
            papers=files,
            idempotency_key=key or None,
        )
    except ValidationFailed as exc:
        # Name the parts as the client sent them (paper_<order>, not the paper's row id).
        by_id = {f"paper_{p.pk}": f"paper_{p.order}" for p in papers}
        exc.fields = {by_id.get(k, k): v for k, v in exc.fields.items()}
        raise
    return Status(200 if replay else 201, dossier)


@router.get(
    "/mine",
    response={200: list[DossierOut], 401: ProblemOut},
    summary="Hồ sơ của tôi (người nộp)",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def dossiers_mine(request: HttpRequest) -> Any:
    return selectors.dossiers_of_applicant(request.user)


def _detail(request: HttpRequest, dossier: Dossier) -> Dossier:
    """The dossier with what `DossierDetailOut` adds to it (papers, the caller's actions)."""
    subject = subject_for(request.user)
    dossier.detail_actions = (  # type: ignore[attr-defined]
        [o.code for o in dossier_actions.allowed_for(request.user, dossier)]
        if subject.is_staff
        else []
    )
    dossier.detail_papers = [  # type: ignore[attr-defined]
        {"name": p.name, "file_name": p.file.original_name, "size": p.file.size}
        for p in selectors.dossier_papers(dossier)
    ]
    return dossier


@router.get(
    "/{code}",
    response={200: DossierDetailOut, 401: ProblemOut, 404: ProblemOut},
    summary="Một hồ sơ (người nộp hoặc cán bộ có quyền)",
)
def dossier_detail(request: HttpRequest, code: str) -> Any:
    dossier = _dossier_for(request, code)
    dossier = selectors.dossier_by_code(dossier.code) or dossier
    return _detail(request, dossier)


@router.post(
    "/{code}/actions",
    response={
        200: ActionOut,
        401: ProblemOut,
        403: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        422: ProblemOut,
    },
    summary="Cán bộ xử lý hồ sơ (chuyển, trả lại, bổ sung, từ chối, phê duyệt, ký, trả kết quả)",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "examples": {
                        "forward": {"value": {"action": "forward", "note": "Chuyển thẩm định"}},
                        "supplement": {
                            "value": {
                                "action": "request_supplement",
                                "items": ["Bản sao giấy chứng nhận kết hôn"],
                            }
                        },
                        "refuse": {
                            "value": {"action": "refuse", "items": ["Không thuộc thẩm quyền"]}
                        },
                    }
                }
            }
        }
    },
)
def dossier_action(request: HttpRequest, code: str, payload: ActionIn) -> Any:
    subject = subject_for(request.user)
    if not subject.is_staff:
        raise NotFound()
    dossier = _dossier_for(request, code)
    dossier = selectors.dossier_by_code(dossier.code) or dossier
    message = dossier_actions.perform(
        user=request.user,
        dossier=dossier,
        action=payload.action,
        data={"note": payload.note, "items": payload.items, "assignee": payload.assignee},
    )
    fresh = selectors.dossier_by_code(dossier.code) or dossier
    return {"message": message, "dossier": fresh}


# --- public tracking -----------------------------------------------------------------------------


def _caller(request: HttpRequest) -> Any:
    """The signed-in caller if any, without touching a session that is not there."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return BearerTokenAuth().authenticate(request, header[7:].strip())
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None
    return None


@tracking_router.get(
    "/{code}",
    response={200: TrackingOut, 403: ProblemOut, 404: ProblemOut, 429: ProblemOut},
    summary="Tra cứu hồ sơ (công khai)",
    openapi_extra={
        "parameters": [
            {
                "in": "header",
                "name": "X-Phone-Last4",
                "required": False,
                "schema": {"type": "string", "pattern": "^[0-9]{4}$"},
                "example": "3456",
                "description": "4 số cuối điện thoại người nộp, để xem thông tin cá nhân",
            }
        ]
    },
)
def tracking_detail(request: HttpRequest, code: str) -> Any:
    public = tracking.public_view(code)  # cached; no personal data in it
    if public is None:
        raise NotFound(_("Không tìm thấy hồ sơ"))
    body = _tracking_body(public)
    caller = _caller(request)
    digits = request.headers.get("X-Phone-Last4")
    if caller is None and digits is None:
        return rendered(request, body)  # the public answer: no query when cached
    dossier = selectors.tracking_dossier(public.code)
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ"))
    personal = False
    if dossier.applicant_id is not None and tracking.is_applicant(caller, dossier):
        personal = True
    elif digits is not None:
        try:
            personal = tracking.phone_matches(dossier, digits)
        except tracking.TooManyAttempts as exc:
            raise AppError(
                "too_many_attempts",
                _("Bạn đã thử quá nhiều lần. Vui lòng thử lại sau một giờ."),
                status=429,
            ) from exc
        if not personal:
            raise AppError(
                "second_factor_mismatch",
                _("Số điện thoại không khớp với hồ sơ."),
                status=403,
            )
    if personal:
        body["applicant"] = {
            "name": dossier.applicant_name,
            "address": dossier.applicant_address,
            "papers": [p.name for p in selectors.tracking_papers(dossier)],
        }
    return rendered(request, body)


def _tracking_body(public: selectors.PublicTracking) -> dict[str, Any]:
    """The public answer shaped like `TrackingOut` (sent without validation, see
    `egov.api.responses`), labels in the request's language. Dates are written here as the
    renderer's encoder writes them (its own method), once per value instead of through the
    encoder's fallback for each."""
    language = get_language()
    actions = selectors.enum_labels(Action, language)
    outcomes = selectors.enum_labels(Outcome, language)
    statuses = selectors.enum_labels(DossierStatus, language)
    return {
        "code": public.code,
        "procedure": {"code": public.procedure_code, "name": public.procedure_name},
        "agency": {"code": public.agency_code, "name": public.agency_name},
        "status": public.status,
        "status_label": statuses.get(public.status, public.status),
        "submitted_at": _when(public.submitted_at),
        "received_at": _when(public.received_at),
        "due_at": _when(public.due_at),
        "returned_at": _when(public.returned_at),
        "current_step": public.current_step_name,
        "timeline": [
            {
                "action": row.action,
                "action_label": actions.get(row.action, row.action),
                "step": row.step,
                "to_step": row.to_step,
                "acted_at": _when(row.acted_at),
                "step_due_at": _when(row.step_due_at),
                "outcome": row.outcome,
                "outcome_label": outcomes.get(row.outcome, ""),
            }
            for row in public.timeline
        ],
        "applicant": None,
    }


_ENCODE = DjangoJSONEncoder().default  # what ninja's renderer does with a datetime


def _when(value: datetime | None) -> str | None:
    return None if value is None else _ENCODE(value)  # type: ignore[no-any-return]


# The applicant's fees (GET/POST /dossiers/{code}/payments): their own module, same router.
from egov.dossiers.api_payments import router as payments_router  # noqa: E402

router.add_router("", payments_router)
