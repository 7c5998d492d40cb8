"""The REST API shell: one NinjaAPI at /api/v1/, app routers added in `ROUTERS`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from egov.core.errors import AppError

api = NinjaAPI(
    title="egov API",
    version="1",
    description="REST API của nền tảng egov (chính quyền điện tử).",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
)


@api.exception_handler(AppError)
def app_error(request: HttpRequest, exc: AppError) -> HttpResponse:
    return api.create_response(request, exc.as_problem(), status=exc.status)


# Each app exposes `router` in its api.py; mounted here once so apps never edit this file.
api.add_router("/agencies", "egov.organisations.api.router", tags=["Cơ quan"])
api.add_router("/accounts", "egov.accounts.api.router", tags=["Tài khoản"])
api.add_router("/calendar", "egov.calendar.api.router", tags=["Lịch làm việc"])
