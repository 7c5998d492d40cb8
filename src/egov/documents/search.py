"""Search over official documents: text extraction of attached files and the search query.

**What is searched.** `Document.search_text` holds :func:`egov.core.search.fold` of the number,
notation, subject, issuer, signer, arrival number, note and the text extracted from the
attached PDF and DOCX files (`content_text`). The services write it when they write the row
(`services._common.search_text_for`); the text of the files comes later, from the background
job `documents.jobs.document_extract_text`, which calls :func:`document_index_text`.

**How.** Every folded term of the query must occur in `search_text` (``LIKE '%term%'``, AND of
terms, as a ``websearch`` without operators): "quyet dinh" finds "Quyết định", "d" finds "đ".
On PostgreSQL a trigram GIN index on `search_text` (migration `0004_search_indexes`) serves the
``LIKE``; the filters (agency, direction, status, type, dates) use the btree indexes
`(agency, direction, -issued_date)` and `(agency, direction, status)`. On SQLite the same
``LIKE`` scans the agency's rows, fine at the embedded scale.

**Secrecy.** Searches run on :func:`egov.documents.selectors.visible_documents`, so a secret
document is found only by the staff named on it; the portal searches public documents only.
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Q, QuerySet

from egov.core.files import file_open
from egov.core.models import StoredFile
from egov.core.search import search_filter
from egov.documents.models import Document, DocumentFile, FileKindChoice

log = logging.getLogger(__name__)

# Enough for the body of any administrative document; a 300-page annex is cut.
MAX_TEXT = 200_000
WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

SORTS: dict[str, tuple[Any, ...]] = {
    "moi-nhat": (F("issued_date").desc(nulls_last=True), "-pk"),
    "cu-nhat": (F("issued_date").asc(nulls_last=True), "pk"),
    "so-den": (F("arrival_number").desc(nulls_last=True), "-pk"),
    "trich-yeu": ("subject", "pk"),
}


# --- text extraction -----------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF (empty for a scan without OCR or an unreadable file)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        parts: list[str] = []
        size = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size > MAX_TEXT:
                break
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        log.info("documents: no text from PDF (%s)", exc)
        return ""
    return "\n".join(parts)[:MAX_TEXT]


def docx_text(data: bytes) -> str:
    """The paragraphs of a DOCX (a zip of XML): `w:t` runs joined, one line per `w:p`."""
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return ""
    lines: list[str] = []
    current: list[str] = []
    size = 0
    parser = etree.XMLPullParser(events=("end",), resolve_entities=False, no_network=True)
    try:
        parser.feed(xml)
        for _event, element in parser.read_events():
            if element.tag == f"{WORD_NS}t" and element.text:
                current.append(element.text)
            elif element.tag == f"{WORD_NS}tab":
                current.append(" ")
            elif element.tag == f"{WORD_NS}p":
                line = "".join(current)
                current = []
                lines.append(line)
                size += len(line)
                element.clear()
                if size > MAX_TEXT:
                    break
    except etree.XMLSyntaxError:
        return ""
    return "\n".join(line for line in lines if line)[:MAX_TEXT]


def file_text(stored: StoredFile) -> str:
    if stored.kind not in ("pdf", "docx"):
        return ""
    handle = file_open(stored)
    try:
        data = bytes(handle.read())
    finally:
        handle.close()
    return pdf_text(data) if stored.kind == "pdf" else docx_text(data)


def document_text(document: Document) -> str:
    """The text of the document's files of its current version (main first, then annexes)."""
    rows = (
        DocumentFile.objects.filter(document=document, version=document.version)
        .select_related("stored_file")
        .order_by("kind", "-signed", "pk")
    )
    seen: set[str] = set()
    parts: list[str] = []
    # One text per content (the signed PDF repeats the unsigned one's text).
    for row in sorted(rows, key=lambda r: r.kind != FileKindChoice.MAIN):
        if row.kind == FileKindChoice.MAIN and parts:
            continue
        if row.stored_file.sha256 in seen:
            continue
        seen.add(row.stored_file.sha256)
        text = file_text(row.stored_file)
        if text:
            parts.append(text)
    return " ".join(" ".join(parts).split())[:MAX_TEXT]


def document_index_text(*, document_id: int, text: str) -> None:
    """Store the extracted text of a document's files and refresh its search column.

    A service-style write kept here and without an audit row on purpose: indexing derived text
    is not a business state change (nothing a person did, nothing the law records), it is
    recomputed from the stored files at will, and the audit trail of the document is its
    drafting, signing and issuing. One UPDATE of two columns, no other row touched.
    """
    from egov.documents.services._common import search_text_for

    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return
    document.content_text = text[:MAX_TEXT]
    Document.objects.filter(pk=document_id).update(
        content_text=document.content_text, search_text=search_text_for(document)
    )


def document_extract(document_id: int) -> bool:
    """Extract and index one document's text (the job's body); False when it is gone."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return False
    document_index_text(document_id=document_id, text=document_text(document))
    return True


def index_later(document_id: int) -> None:
    """Queue the extraction once the current transaction commits (pages and API call it after
    a service attached files)."""
    from egov.documents.jobs import document_extract_text
    from egov.jobs import enqueue_on_commit

    enqueue_on_commit(document_extract_text, document_id)


# --- the query -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    agency_id: int | None = None
    type_id: int | None = None
    direction: str = ""
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "moi-nhat"


def search(rows: QuerySet[Document], params: SearchParams) -> QuerySet[Document]:
    """Filter and sort `rows` (already scoped to what the reader may see)."""
    condition = search_filter("search_text", params.q)
    if params.agency_id:
        condition &= Q(agency_id=params.agency_id)
    if params.type_id:
        condition &= Q(type_id=params.type_id)
    if params.direction:
        condition &= Q(direction=params.direction)
    if params.status:
        condition &= Q(status=params.status)
    if params.date_from:
        condition &= Q(issued_date__gte=params.date_from)
    if params.date_to:
        condition &= Q(issued_date__lte=params.date_to)
    order = SORTS.get(params.sort) or SORTS["moi-nhat"]
    return rows.filter(condition).order_by(*order)
