"""A small NinjaAPI with the same problem handlers and auth, to exercise every error path."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.urls import include, path
from ninja import Field, NinjaAPI, Schema

from egov.api.auth import api_auth
from egov.api.problems import install_problem_handlers
from egov.api.urls import urlpatterns as main_urlpatterns
from egov.core.errors import AppError, ValidationFailed

probe_api = NinjaAPI(title="probe", version="test", urls_namespace="api-probe", docs_url=None)
install_problem_handlers(probe_api)


class ItemIn(Schema):
    name: str = Field(..., min_length=3, max_length=10)
    count: int = Field(..., ge=1)
    kind: str = Field("a", pattern="^[ab]$")


@probe_api.post("/items")
def create_item(request: HttpRequest, payload: ItemIn) -> dict[str, str]:
    return {"name": payload.name}


@probe_api.get("/refused")
def refused(request: HttpRequest) -> None:
    message = "Tên văn bản không được để trống."
    raise ValidationFailed(message, fields={"title": [message]})


@probe_api.get("/conflict")
def conflict(request: HttpRequest) -> None:
    raise AppError("already_signed", "Văn bản đã được ký.", status=409, extra={"number": "12/QĐ"})


@probe_api.get("/missing")
def missing(request: HttpRequest) -> None:
    raise Http404("secret detail")


@probe_api.get("/boom")
def boom(request: HttpRequest) -> None:
    raise RuntimeError("database password is hunter2")


@probe_api.get("/whoami", auth=api_auth)
def whoami(request: HttpRequest) -> dict[str, str]:
    return {"username": request.user.get_username(), "auth": type(request.auth).__name__}


@probe_api.post("/whoami", auth=api_auth)
def whoami_post(request: HttpRequest) -> dict[str, str]:
    return {"username": request.user.get_username()}


urlpatterns = [path("probe/", probe_api.urls), path("", include(main_urlpatterns))]
