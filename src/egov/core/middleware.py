"""Keeps who and where of the current request for the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class RequestContext:
    ip: str = ""
    user_agent: str = ""
    path: str = ""


current_request: ContextVar[RequestContext | None] = ContextVar("egov_request", default=None)


def client_ip(request: HttpRequest) -> str:
    # Behind a reverse proxy the operator sets EGOV_TRUST_X_FORWARDED_FOR; never trust it blindly.
    from django.conf import settings

    if getattr(settings, "EGOV_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(
            RequestContext(
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                path=request.path[:300],
            )
        )
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


class ExplicitLanguageMiddleware:
    """Vietnamese unless the user chose English with the language switch (the cookie).

    Django's LocaleMiddleware also follows the browser's Accept-Language; a civil servant's
    browser set to English would then get English pages by accident. The interface speaks
    Vietnamese by default and English on request, so only the switch counts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
