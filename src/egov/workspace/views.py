"""The staff workspace's own pages: the home page at /app/."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.decorators import staff_required
from egov.policy.engine import can, subject_for
from egov.workspace import cards, selectors

View = Callable[..., HttpResponse]


def workspace_required(view: View) -> View:
    """The gate of every workspace page of this app.

    Citizens and businesses who follow a link to /app/ go back to the portal with a word of
    explanation; everyone else passes ``staff_required`` (sign-in, staff only, the second
    factor where the role needs it) and then the policy's ``workspace.enter``.
    """

    @staff_required
    def entered(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can(request.user, "workspace.enter"):
            raise PermissionDenied(_("Tài khoản của bạn chưa gắn với cơ quan nào."))
        return view(request, *args, **kwargs)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated and subject_for(user).kind in ("citizen", "business"):
            messages.info(
                request,
                _(
                    "Không gian làm việc chỉ dành cho cán bộ, công chức. "
                    "Bạn có thể sử dụng các dịch vụ trên Cổng dịch vụ công."
                ),
            )
            return redirect("portal:home")
        return entered(request, *args, **kwargs)

    return wrapped


@workspace_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "workspace/home.html",
        {
            "staff": selectors.staff_profile(user),
            "roles": selectors.role_labels(user),
            "todo_cards": cards.cards(user, cards.TODO),
            "figure_cards": cards.cards(user, cards.FIGURES),
            "today": timezone.localdate(),
        },
    )
