"""The steps of signing in: password, then (when needed) a TOTP code or enrolment.

After the password, a user who must pass a second factor is *not* logged in: the session only
holds a short-lived "pending" marker naming them. The login happens when the code is right,
so no page (not even one that only asks for `login_required`) is reachable half-way.
"""

from __future__ import annotations

import time
from typing import Any, Literal

import django_otp
from django.conf import settings
from django.contrib import auth
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.models import Device

from egov.accounts import selectors
from egov.accounts.models import User, UserKind

PENDING_SESSION_KEY = "egov_accounts_pending"
PENDING_MAX_AGE_SECONDS = 10 * 60
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

Step = Literal["verify", "setup"]


def next_step(user: Any) -> Step | None:
    """What a user must still do after the password: enter a code, enrol, or nothing."""
    if selectors.confirmed_totp_device(user) is not None:
        return "verify"
    if selectors.two_factor_required(user):
        return "setup"
    return None


def two_factor_gate(request: HttpRequest) -> Step | None:
    """For a logged-in session: the second-factor step it still owes, if any."""
    user = request.user
    if not user.is_authenticated:
        return None
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    return next_step(user)


def safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def default_destination(user: Any) -> str:
    """Staff go to the workspace; citizens and businesses to their account page."""
    if getattr(user, "kind", None) == UserKind.STAFF:
        return str(settings.LOGIN_REDIRECT_URL)
    return reverse("accounts:profile")


def begin_pending(request: HttpRequest, user: User, *, next_url: str | None) -> None:
    request.session[PENDING_SESSION_KEY] = {
        "user_id": user.pk,
        "hash": user.get_session_auth_hash(),
        "at": time.time(),
        "next": next_url or "",
    }


def pending_user(request: HttpRequest) -> User | None:
    """The user who passed the password step in this session (within ten minutes)."""
    data = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(data, dict):
        return None
    if time.time() - float(data.get("at", 0)) > PENDING_MAX_AGE_SECONDS:
        request.session.pop(PENDING_SESSION_KEY, None)
        return None
    user_id = data.get("user_id")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.get_session_auth_hash() != data.get("hash"):
        return None
    return user


def pending_next(request: HttpRequest) -> str | None:
    data = request.session.get(PENDING_SESSION_KEY) or {}
    return safe_next(request, data.get("next"))


def complete_login(
    request: HttpRequest, user: User, device: Device | None = None, *, next_url: str | None = None
) -> str:
    """Log the user in (and mark the session verified by `device`); returns where to go."""
    destination = safe_next(request, next_url) or pending_next(request)
    destination = destination or default_destination(user)
    request.session.pop(PENDING_SESSION_KEY, None)
    auth.login(request, user, backend=MODEL_BACKEND)
    if device is not None:
        django_otp.login(request, device)
    return destination
