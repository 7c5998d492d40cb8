"""Public pages of published documents on the portal (/van-ban/): documents an agency issued
and marked public (never secret ones), searchable without signing in, with their files.

Gate: published documents are the agencies' public information, so the pages ask the same
public rule as the agencies' public pages (`agency.view_public`), and read only through
`selectors.public_documents` (issued, public, ordinary secrecy).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from egov.core.files import file_response
from egov.documents import search, selectors
from egov.documents.forms import PublicSearchForm
from egov.policy.engine import require

PAGE_SIZE = 20


def public_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "agency.view_public")
    form = PublicSearchForm(request.GET or None)
    params = search.SearchParams()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        params = search.SearchParams(
            q=data.get("q") or "", type_id=data["doc_type"].pk if data.get("doc_type") else None
        )
    page = search.results_page(
        selectors.public_documents(), params, request.GET.get("trang"), PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "documents/portal/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def public_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    require(request.user, "agency.view_public")
    document = selectors.public_document(public_id)
    if document is None:
        raise Http404()
    return render(
        request,
        "documents/portal/detail.html",
        {"document": document, "files": selectors.public_files(document)},
    )


def public_file(request: HttpRequest, public_id: str, file_id: int) -> HttpResponseBase:
    require(request.user, "agency.view_public")
    document = selectors.public_document(public_id)
    if document is None:
        raise Http404()
    row = next((f for f in selectors.public_files(document) if f.pk == file_id), None)
    if row is None:
        raise Http404()
    return file_response(row.stored_file, as_attachment=request.GET.get("xem") is None)
