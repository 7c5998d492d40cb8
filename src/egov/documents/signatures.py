"""The documents' door to `egov.signing` (PAdES with pyHanko), imported lazily.

Signing is a shared mechanism that may be absent from a deployment (or, while it lands, from
the tree): every function here answers `SigningUnavailable` (an AppError, 409) or, for
verification, `None` ("not checked"), rather than failing at import time.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import Any

from django.utils.translation import gettext as _

from egov.core.errors import AppError


class SigningUnavailable(AppError):
    status = 409

    def __init__(self) -> None:
        super().__init__(
            "documents_signing_unavailable",
            _("Chức năng ký số chưa được cài đặt trên hệ thống."),
        )


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def signing_available() -> bool:
    return _module("egov.signing.services") is not None


def _services() -> ModuleType:
    module = _module("egov.signing.services")
    if module is None:
        raise SigningUnavailable()
    return module


def sign_as_person(
    pdf_bytes: bytes, *, user: Any, agency: Any, reason: str, location: str, at: datetime
) -> bytes:
    signed: bytes = _services().sign_pdf(
        pdf_bytes=pdf_bytes,
        signer_user=user,
        agency=agency,
        reason=reason,
        location=location,
        at=at,
    )
    return signed


def sign_as_agency(
    pdf_bytes: bytes, *, agency: Any, reason: str, location: str, at: datetime
) -> bytes:
    signed: bytes = _services().sign_pdf(
        pdf_bytes=pdf_bytes, agency=agency, reason=reason, location=location, at=at
    )
    return signed


def sign_attachment(pdf_bytes: bytes, *, agency: Any, number_notation: str, at: datetime) -> bytes:
    signed: bytes = _services().sign_attachment(
        pdf_bytes=pdf_bytes, agency=agency, number_notation=number_notation, at=at
    )
    return signed


@dataclass(frozen=True)
class Verdict:
    status: str  # valid / invalid / unknown_signer / unsigned
    reason: str
    detail: dict[str, Any] = field(default_factory=dict)


def verify(pdf_bytes: bytes) -> Verdict | None:
    """The verdict on a received PDF, or None when signing is not installed."""
    module = _module("egov.signing.verification")
    if module is None:
        return None
    result = module.verify_pdf(pdf_bytes)
    status = str(result.status)
    if getattr(result, "reason_code", "") == "unsigned":
        status = "unsigned"
    signatures = [
        {
            "field": s.field_name,
            "status": s.status,
            "reason": str(s.reason),
            "signer": s.signer_name,
            "signed_at": s.signing_time.isoformat() if s.signing_time else None,
        }
        for s in getattr(result, "signatures", [])
    ]
    return Verdict(status, str(result.reason), {"signatures": signatures})
