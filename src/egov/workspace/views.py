"""The staff workspace's own pages: the home page at /app/."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.policy.engine import can, subject_for
from egov.workspace import cards, selectors
from egov.workspace.templatetags.workspace_shell import role_labels

View = Callable[..., HttpResponse]


def workspace_required(view: View) -> View:
    """Officials only: visitors sign in first; citizens and businesses go back to the portal.

    Stands in for ``egov.accounts.decorators.staff_required`` until that lands.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if subject_for(user).kind in ("citizen", "business"):
            messages.info(
                request,
                _(
                    "Không gian làm việc chỉ dành cho cán bộ, công chức. "
                    "Bạn có thể sử dụng các dịch vụ trên Cổng dịch vụ công."
                ),
            )
            return redirect("portal:home")
        if not can(user, "workspace.enter"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@workspace_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "workspace/home.html",
        {
            "staff": selectors.staff_profile(user),
            "roles": role_labels(user),
            "todo_cards": cards.cards(user, cards.TODO),
            "figure_cards": cards.cards(user, cards.FIGURES),
            "today": timezone.localdate(),
        },
    )
