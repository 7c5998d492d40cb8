"""`egov export_openapi > docs/api/openapi.json`: the API's OpenAPI document, stable output."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from egov.api.schema import openapi_document


class Command(BaseCommand):
    help = "In bản mô tả OpenAPI của API (/api/v1/openapi.json) ra đầu ra chuẩn."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(
            json.dumps(openapi_document(), indent=2, ensure_ascii=False, sort_keys=True)
        )
