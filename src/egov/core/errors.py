"""The one application error type: a stable code, a translatable message, optional field errors.

Services raise it; `egov.api` turns it into application/problem+json and pages turn it into
form errors. Messages are written in Vietnamese (the source language, see decision 0003).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class AppError(Exception):
    """A refusal the user can act on. `status` is the HTTP status the API answers with."""

    status = 400

    def __init__(
        self,
        code: str,
        message: str,
        *,
        fields: Mapping[str, list[str]] | None = None,
        status: int | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.fields = {k: [str(m) for m in v] for k, v in (fields or {}).items()}
        if status is not None:
            self.status = status
        self.extra = dict(extra or {})

    def as_problem(self) -> dict[str, Any]:
        problem: dict[str, Any] = {
            "type": f"urn:egov:error:{self.code}",
            "title": self.message,
            "status": self.status,
            "code": self.code,
        }
        if self.fields:
            problem["errors"] = self.fields
        problem.update(self.extra)
        return problem


class ValidationFailed(AppError):
    status = 422

    def __init__(self, message: str, *, fields: Mapping[str, list[str]] | None = None, **kw: Any):
        super().__init__("validation_failed", message, fields=fields, **kw)


class NotFound(AppError):
    """Also what a forbidden object answers: the caller cannot tell missing from forbidden."""

    status = 404

    def __init__(self, message: str = "Không tìm thấy.", **kw: Any):
        super().__init__("not_found", message, **kw)


class PermissionDenied(AppError):
    status = 403

    def __init__(self, message: str = "Bạn không có quyền thực hiện thao tác này.", **kw: Any):
        super().__init__("permission_denied", message, **kw)


class Conflict(AppError):
    status = 409
