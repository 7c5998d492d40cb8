"""The exchange's HTTP inbox: `POST /api/v1/exchange/edxml` (and `/status`).

Authentication: only a partner's bearer token (`egov exchange partner add` prints it); user
sessions and user API tokens are not accepted here. The body is the raw edXML message
(``application/xml``); the answer is an edXML status message (01 on arrival, 02 with the
reason when refused, 15/16 for revoke/update/replace), or 204 for a status message taken.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.security import HttpBearer

from egov.core.errors import AppError
from egov.exchange import services
from egov.exchange.selectors import partner_for_token


class PartnerBearer(HttpBearer):
    """``Authorization: Bearer egovx_…``: the token registered for one partner system."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return partner_for_token(token)


router = Router(auth=PartnerBearer())


def _body(request: HttpRequest) -> bytes:
    try:
        return bytes(request.body)
    except RequestDataTooBig as exc:
        raise AppError(
            "exchange_too_large", "Gói tin vượt quá dung lượng tối đa cho phép.", status=413
        ) from exc


def _respond(answer: services.InboxAnswer) -> HttpResponse:
    if not answer.body:
        return HttpResponse(status=answer.http_status)
    return HttpResponse(answer.body, status=answer.http_status, content_type=answer.content_type)


@router.post(
    "/edxml",
    summary="Nhận gói tin edXML (văn bản hoặc trạng thái)",
    openapi_extra={
        "requestBody": {"content": {"application/xml": {"schema": {"type": "string"}}}},
        "responses": {
            200: {"description": "Gói tin trạng thái edXML: 01 đã đến, 15/16 thu hồi"},
            204: {"description": "Đã nhận gói tin trạng thái"},
            401: {"description": "Thiếu hoặc sai mã truy cập của hệ thống đối tác"},
            422: {"description": "Gói tin trạng thái edXML 02 (từ chối) kèm lý do"},
        },
    },
)
def edxml_inbox(request: HttpRequest) -> HttpResponse:
    return _respond(services.inbox_receive(partner=request.auth, body=_body(request)))  # type: ignore[attr-defined]


@router.post(
    "/status",
    summary="Nhận gói tin trạng thái edXML",
    openapi_extra={
        "requestBody": {"content": {"application/xml": {"schema": {"type": "string"}}}},
        "responses": {204: {"description": "Đã ghi nhận trạng thái"}},
    },
)
def status_inbox(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    if b"Status" not in body[:8192]:
        raise AppError(
            "exchange_not_status",
            "Địa chỉ này chỉ nhận gói tin trạng thái; gửi văn bản đến /api/v1/exchange/edxml.",
            status=422,
        )
    return _respond(services.inbox_receive(partner=request.auth, body=body))  # type: ignore[attr-defined]
