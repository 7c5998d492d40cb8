"""API authentication: bearer tokens for integrations, the session for browser clients.

Use ``auth=api_auth`` on a router or an operation that needs a signed-in caller; public
operations (the agency directory) leave ``auth`` unset. Either way ``request.user`` is the
caller, so services get the same ``actor=`` from a token as from a session.

- ``Authorization: Bearer egov_…`` (`ApiToken`): no CSRF check, the header is not ambient.
- The session cookie: unsafe methods (POST, PUT, PATCH, DELETE) need the CSRF token
  (``X-CSRFToken`` header), and a session that still owes its second factor is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from egov.api.models import ApiToken
from egov.api.services import token_digest
from egov.core.errors import AppError

LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` against `ApiToken` (hashed, revocable, expiring)."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token:
            return None
        found = (
            ApiToken.objects.select_related("owner").filter(key_hash=token_digest(token)).first()
        )
        now = timezone.now()
        if found is None or not found.is_usable(now) or not found.owner.is_active:
            return None
        _note_use(found, now)
        request.user = found.owner
        request.api_token = found  # type: ignore[attr-defined]
        return found.owner


def _note_use(token: ApiToken, now: dt.datetime) -> None:
    # Bookkeeping, not a change anyone acts on: at most one UPDATE a minute, no audit row.
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


class SessionAuth(APIKeyCookie):
    """The Django session, with CSRF on unsafe methods and the two-factor gate."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)  # checked below, only once we know a session is in use

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        from egov.accounts.signin import two_factor_gate

        if two_factor_gate(request) is not None:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise AppError(
                "csrf_failed",
                _("Yêu cầu thiếu mã chống giả mạo (CSRF) hợp lệ; hãy tải lại trang và thử lại."),
                status=403,
            )
        return user


api_auth = [BearerTokenAuth(), SessionAuth()]
