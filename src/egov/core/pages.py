"""What every server-rendered page does with the one error type (`egov.core.errors`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest

from egov.core.errors import AppError, NotFound, PermissionDenied


def answers_app_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """`NotFound` → the 404 page, `PermissionDenied` → the 403 page.

    Pages have no problem+json (the API's `egov.api.problems` does that); any other `AppError`
    is the view's to show on its form.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc

    return wrapper


def paginate(request: HttpRequest, rows: Any, size: int) -> tuple[Page[Any], str]:
    """The page the `?trang=` parameter asks for, and the other query parameters to keep in
    the page links."""
    page = Paginator(rows, size).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return page, query.urlencode()


def show_refusal(form: Any, exc: AppError) -> None:
    """A service's refusal on the form: each message on its field, the rest on top."""
    placed = False
    for name, messages in exc.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)
