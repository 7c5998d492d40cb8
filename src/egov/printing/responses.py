"""Serving a rendered PDF from a Django view."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def pdf_response(pdf_bytes: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    """`application/pdf`, shown in the browser (or downloaded), never cached by proxies.

    The forms carry personal data, hence `private, no-store`. A Vietnamese file name is sent
    in both the ASCII fallback and the RFC 5987 `filename*` form.
    """
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    disposition = content_disposition_header(download, filename)
    if disposition:
        response["Content-Disposition"] = disposition
    response["Content-Length"] = str(len(pdf_bytes))
    response["Cache-Control"] = "private, no-store"
    return response
