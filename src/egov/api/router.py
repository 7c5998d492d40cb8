"""The REST API shell: one NinjaAPI at /api/v1/, app routers added below.

Errors are problem documents (egov.api.problems); authentication is opt-in per router or
operation with ``auth=api_auth`` (egov.api.auth), because part of the API is public.
"""

from __future__ import annotations

from ninja import NinjaAPI

from egov.api.problems import install_problem_handlers

api = NinjaAPI(
    title="egov API",
    version="1",
    description=(
        "REST API của nền tảng egov (chính quyền điện tử). Lỗi trả về dạng "
        "`application/problem+json`. Xác thực: phiên đăng nhập (kèm mã CSRF cho thao tác ghi) "
        "hoặc `Authorization: Bearer <mã truy cập>` cho hệ thống tích hợp."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
)
install_problem_handlers(api)


# Each app exposes `router` in its api.py; mounted here once so apps never edit this file.
# Public tracking first: URLs are tried in this order, and it is the busiest operation.
api.add_router("/tracking", "egov.dossiers.api.tracking_router", tags=["Tra cứu hồ sơ"])
api.add_router("/agencies", "egov.organisations.api.router", tags=["Cơ quan"])
api.add_router("/accounts", "egov.accounts.api.router", tags=["Tài khoản"])
api.add_router("/calendar", "egov.calendar.api.router", tags=["Lịch làm việc"])
api.add_router("/procedures", "egov.procedures.api.router", tags=["Thủ tục hành chính"])
api.add_router("/dossiers", "egov.dossiers.api.router", tags=["Hồ sơ"])
api.add_router("/exchange", "egov.exchange.api.router", tags=["Liên thông văn bản"])
api.add_router("/documents", "egov.documents.api.router", tags=["Văn bản"])
api.add_router("/assignments", "egov.assignments.api.router", tags=["Nhiệm vụ"])
api.add_router("/public/documents", "egov.documents.api.public_router", tags=["Văn bản công khai"])
