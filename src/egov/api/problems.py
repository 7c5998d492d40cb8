"""Every API error as ``application/problem+json`` (RFC 9457), with Vietnamese messages.

`install_problem_handlers(api)` wires the handlers into a NinjaAPI: `AppError` (the services'
refusals), ninja's request validation (422 with per-field messages), authentication (401),
HTTP errors, 404, and anything unexpected (500, logged). `not_allowed_as_problem` wraps the
URL callbacks so a wrong method (405) answers the same way, and `not_found` answers paths
under /api/v1/ that match no operation.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from egov.core.errors import AppError

logger = logging.getLogger("egov.api")

CONTENT_TYPE = "application/problem+json"


def problem(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    title: str,
    errors: Mapping[str, list[str]] | None = None,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"urn:egov:error:{code}",
        "title": str(title),
        "status": status,
        "code": code,
        "instance": request.path,
    }
    if errors:
        body["errors"] = {k: [str(m) for m in v] for k, v in errors.items()}
    body.update(extra or {})
    response = JsonResponse(
        body, status=status, content_type=CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _app_error(request: HttpRequest, exc: AppError) -> HttpResponse:
    data = exc.as_problem()
    extra = {
        k: v for k, v in data.items() if k not in {"type", "title", "status", "code", "errors"}
    }
    return problem(
        request,
        status=exc.status,
        code=exc.code,
        title=exc.message,
        errors=exc.fields,
        extra=extra,
        headers={"WWW-Authenticate": "Bearer"} if exc.status == 401 else None,
    )


# --- request validation (pydantic) -----------------------------------------------------------

_MESSAGES: dict[str, str] = {
    "missing": "Trường này là bắt buộc.",
    "string_type": "Phải là một chuỗi ký tự.",
    "string_too_short": "Cần ít nhất %(min_length)s ký tự.",
    "string_too_long": "Không được quá %(max_length)s ký tự.",
    "string_pattern_mismatch": "Không đúng định dạng.",
    "int_type": "Phải là số nguyên.",
    "int_parsing": "Phải là số nguyên.",
    "int_from_float": "Phải là số nguyên.",
    "float_type": "Phải là số.",
    "float_parsing": "Phải là số.",
    "decimal_parsing": "Phải là số.",
    "bool_type": "Phải là đúng (true) hoặc sai (false).",
    "bool_parsing": "Phải là đúng (true) hoặc sai (false).",
    "greater_than": "Phải lớn hơn %(gt)s.",
    "greater_than_equal": "Phải lớn hơn hoặc bằng %(ge)s.",
    "less_than": "Phải nhỏ hơn %(lt)s.",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng %(le)s.",
    "too_short": "Cần ít nhất %(min_length)s phần tử.",
    "too_long": "Không được quá %(max_length)s phần tử.",
    "list_type": "Phải là một danh sách.",
    "dict_type": "Phải là một đối tượng.",
    "model_attributes_type": "Phải là một đối tượng.",
    "model_type": "Phải là một đối tượng.",
    "literal_error": "Giá trị không hợp lệ; chấp nhận: %(expected)s.",
    "enum": "Giá trị không hợp lệ; chấp nhận: %(expected)s.",
    "uuid_type": "Phải là mã UUID.",
    "uuid_parsing": "Phải là mã UUID.",
    "date_type": "Phải là ngày (YYYY-MM-DD).",
    "date_parsing": "Phải là ngày (YYYY-MM-DD).",
    "date_from_datetime_parsing": "Phải là ngày (YYYY-MM-DD).",
    "datetime_type": "Phải là thời điểm (ISO 8601).",
    "datetime_parsing": "Phải là thời điểm (ISO 8601).",
    "datetime_from_date_parsing": "Phải là thời điểm (ISO 8601).",
    "time_parsing": "Phải là giờ (HH:MM).",
    "json_invalid": "Nội dung JSON không hợp lệ.",
    "url_parsing": "Phải là một địa chỉ URL.",
    "extra_forbidden": "Trường này không được phép.",
}
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def field_message(error: Mapping[str, Any]) -> str:
    """A Vietnamese message for one pydantic error."""
    kind = str(error.get("type", ""))
    if kind == "value_error":
        # Our own validators raise ValueError with a Vietnamese message; pydantic prefixes it.
        return str(error.get("msg", "")).removeprefix("Value error, ")
    template = _MESSAGES.get(kind)
    if template is None:
        return _("Giá trị không hợp lệ.")
    try:
        return _(template) % dict(error.get("ctx") or {})
    except (KeyError, TypeError):
        return _(template).split(";")[0]


def field_name(loc: list[Any] | tuple[Any, ...], body_params: set[str]) -> str:
    """``("body", "payload", "items", 0, "name")`` → ``items.0.name``."""
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and len(parts) > 1 and parts[0] in body_params:
            parts.pop(0)  # the view's parameter name is not part of the document
    return ".".join(str(p) for p in parts) or "__all__"


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    body_params = {"payload", "data", "body", "form"}
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(field_name(error.get("loc", ()), body_params), []).append(
            field_message(error)
        )
    return problem(
        request,
        status=422,
        code="validation_failed",
        title=_("Dữ liệu gửi lên không hợp lệ."),
        errors=errors,
    )


# --- HTTP-level errors ----------------------------------------------------------------------

_STATUS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    401: ("not_authenticated", "Cần xác thực: đăng nhập hoặc gửi mã truy cập (Bearer)."),
    403: ("permission_denied", "Bạn không có quyền thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ cho địa chỉ này."),
    409: ("conflict", "Xung đột dữ liệu."),
    413: ("payload_too_large", "Nội dung gửi lên quá lớn."),
    429: ("too_many_requests", "Quá nhiều yêu cầu; vui lòng thử lại sau."),
    500: ("server_error", "Đã xảy ra lỗi hệ thống. Vui lòng thử lại sau."),
}


def status_problem(request: HttpRequest, status: int, **kw: Any) -> HttpResponse:
    code, title = _STATUS.get(status, ("error", "Lỗi."))
    return problem(request, status=status, code=code, title=_(title), **kw)


def _authentication_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    return status_problem(request, 401, headers={"WWW-Authenticate": "Bearer"})


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code in _STATUS:
        return status_problem(request, exc.status_code)
    return problem(request, status=exc.status_code, code="error", title=str(exc))


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return status_problem(request, 404)


def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return status_problem(request, 403)


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    if settings.DEBUG:
        raise exc  # the developer wants the traceback page
    logger.exception("API error on %s %s", request.method, request.path)
    return status_problem(request, 500)


HANDLERS: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
    (Exception, _unexpected),
    (AppError, _app_error),
    (ValidationError, _validation_error),
    (AuthenticationError, _authentication_error),
    (AuthorizationError, _forbidden),
    (HttpError, _http_error),
    (Http404, _not_found),
    (DjangoPermissionDenied, _forbidden),
]


def install_problem_handlers(api: NinjaAPI) -> None:
    for exception, handler in HANDLERS:
        api.add_exception_handler(exception, handler)


def not_allowed_as_problem(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a ninja URL callback so its 405 answer is a problem document too."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            return status_problem(request, 405, headers={"Allow": response["Allow"]})
        return response

    return wrapper


def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Paths under /api/v1/ that match no operation."""
    return status_problem(request, 404)
