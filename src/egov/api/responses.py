"""An answer the view has already shaped like its schema, rendered as ninja renders any answer.

Ninja validates what a view returns against the operation's response schema, then renders it.
For a body the view builds field by field from values it read itself, that validation checks
nothing new, and on public tracking, the busiest read of the API, it cost more than building the
body. Such a view returns `rendered(body)`: the same renderer and content type, no validation.
The operation keeps declaring its schema (the OpenAPI document is unchanged), and a test per
view validates real answers against it, where a shape mistake is caught before release.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.renderers import JSONRenderer

_RENDERER = JSONRenderer()
CONTENT_TYPE = f"{JSONRenderer.media_type}; charset={JSONRenderer.charset}"


def rendered(request: HttpRequest, body: Any, *, status: int = 200) -> HttpResponse:
    """`body` as ninja would have sent it after validating it (same JSON encoder)."""
    content = _RENDERER.render(request, body, response_status=status)
    return HttpResponse(content, status=status, content_type=CONTENT_TYPE)
