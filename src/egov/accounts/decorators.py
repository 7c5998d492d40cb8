"""Gates for views: `staff_required` (and `StaffRequiredMixin`) for the staff workspace.

Usage in another app's views::

    from egov.accounts.decorators import staff_required

    @staff_required
    def dossier_list(request): ...

    class DossierDetail(StaffRequiredMixin, DetailView): ...

A visitor who is not logged in goes to the login page (with ``next``); a citizen or business
account gets 403; a staff member whose role requires two-factor authentication (or who has
an authenticator) and whose session is not verified goes to the code page or to enrolment.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from egov.accounts.models import UserKind
from egov.accounts.signin import two_factor_gate

View = TypeVar("View", bound=Callable[..., HttpResponse])

_STEP_URLS = {"verify": "accounts:two_factor_verify", "setup": "accounts:two_factor_setup"}


def gate_response(request: HttpRequest, *, staff_only: bool) -> HttpResponse | None:
    """The redirect or refusal a request gets at the gate; None when it may pass."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if staff_only and getattr(user, "kind", None) != UserKind.STAFF:
        raise PermissionDenied(_("Chỉ cán bộ, công chức được vào khu vực này."))
    step = two_factor_gate(request)
    if step is not None:
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(_STEP_URLS[step])}?{query}")
    return None


def verified_login_required(view: View) -> View:
    """Login required, and the second factor when the account needs one (any account kind)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = gate_response(request, staff_only=False)
        return refused if refused is not None else view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def staff_required(view: View) -> View:
    """Login required, staff kind only, and a verified session when two-factor applies."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = gate_response(request, staff_only=True)
        return refused if refused is not None else view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


class StaffRequiredMixin:
    """`staff_required` for class-based views; put it first among the bases."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = gate_response(request, staff_only=True)
        if refused is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc,no-any-return]
