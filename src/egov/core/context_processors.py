from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        "PROVINCE_NAME": settings.EGOV_PROVINCE_NAME,
        "SITE_URL": settings.SITE_URL,
    }
