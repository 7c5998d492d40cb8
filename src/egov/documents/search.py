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

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Least, StrIndex
from django.db.models.lookups import GreaterThan

from egov.core.files import file_open
from egov.core.models import StoredFile
from egov.core.search import search_filter, search_terms
from egov.documents.models import Document, DocumentFile, FileKindChoice
from egov.documents.selectors import LIST_RELATED

log = logging.getLogger(__name__)

# Enough for the body of any administrative document; a 300-page annex is cut.
MAX_TEXT = 200_000
WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Each sort: (field, descending) pairs; dates and arrival numbers put the empty ones last.
SORT_SPECS: dict[str, tuple[tuple[str, bool], ...]] = {
    "moi-nhat": (("issued_date", True), ("pk", True)),
    "cu-nhat": (("issued_date", False), ("pk", False)),
    "so-den": (("arrival_number", True), ("pk", True)),
    "trich-yeu": (("subject", False), ("pk", False)),
}
NULLABLE_SORT_FIELDS = frozenset({"issued_date", "arrival_number"})


def _order_by(field: str, descending: bool) -> Any:
    if field in NULLABLE_SORT_FIELDS:
        return F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return f"-{field}" if descending else field


SORTS: dict[str, tuple[Any, ...]] = {
    key: tuple(_order_by(field, desc) for field, desc in spec) for key, spec in SORT_SPECS.items()
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


INDEXED_TERMS = 2


def text_condition(query: str, *, text_index: bool = True) -> Q:
    """Every folded term of `query` in `search_text`.

    ``text_index`` (the default): ``LIKE '%term%'``, which the trigram GIN index serves on
    PostgreSQL — the way to find the few rows of a rare term. Without: ``least(strpos(
    search_text, 'term1'), strpos(…, 'term2'), …) > 0`` (``min(instr(…), …)`` on SQLite), the
    same rows, which no trigram index serves: the planner then walks the sort index and stops
    after a page, the way to page a broad term.
    """
    terms = search_terms(query)
    if not terms:
        return Q()
    if text_index:
        # The longest terms go through the trigram index, the others are checked on the rows
        # it finds: short terms ("so", "te", "tai") have trigrams in most documents, so their
        # posting lists cost more to read than they narrow, and each extra condition divides
        # the planner's row estimate (independent terms) until it expects no row at all and
        # stops combining the text with the filters' indexes.
        ranked = sorted(terms, key=len, reverse=True)
        indexed, rest = ranked[:INDEXED_TERMS], ranked[INDEXED_TERMS:]
        condition = search_filter("search_text", " ".join(indexed))
        return condition & text_condition(" ".join(rest), text_index=False) if rest else condition
    # One condition, not one per term: the planner prices a single opaque inequality at a
    # third of the rows, so it expects many matches and walks the sort index (per-term
    # conditions multiply to a few rows and bring back a scan and a sort of the scope).
    positions = [StrIndex("search_text", Value(term)) for term in terms]
    first = positions[0] if len(positions) == 1 else Least(*positions)
    return Q(GreaterThan(first, 0))


def search(
    rows: QuerySet[Document], params: SearchParams, *, text_index: bool = True
) -> QuerySet[Document]:
    """Filter and sort `rows` (already scoped to what the reader may see)."""
    condition = text_condition(params.q, text_index=text_index)
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


# --- the page of results -------------------------------------------------------------------------

COUNT_CAP = 1000
# The big columns a list never shows: the extracted text of the files and its folded copy.
LIST_DEFERRED = ("content_text", "search_text", "trace_header_list")


class ResultsPaginator(Paginator):
    """The paginator of `results_page`: its count stops at ``cap + 1`` (`capped`: "more than")."""

    def __init__(self, object_list: Any, per_page: int, *, count: int, cap: int = COUNT_CAP):
        super().__init__(object_list, per_page)
        self.cap = cap
        self.__dict__["count"] = count  # the cached_property, known already

    @property
    def capped(self) -> bool:
        """More rows match than were counted."""
        return self.count > self.cap


def results_page(
    rows: QuerySet[Document],
    params: SearchParams,
    number: Any,
    per_page: int,
    *,
    cap: int = COUNT_CAP,
) -> Page:
    """Page `number` (the first when missing or invalid, the last when beyond) of the search of
    `params` in `rows` (already scoped to the reader): the staff search page and the portal list.

    The same rows, order and page boundaries as ``Paginator(search(rows, params), per_page)``,
    read so that neither a broad nor a rare term costs more than a few index pages:

    1. **one statement counts and pages a rare term**: at most ``cap + 1`` matching rows (their
       id and sort keys, found through the trigram index, unordered: the scan stops at the
       cap), counted by a window function and sorted outside, the page's ids kept. When the
       count is within the cap, that is the page;
    2. **a broad term** (more than `cap` rows) is paged by a second statement in sort order
       with the text condition in its index-free form (`text_condition`): the planner walks
       the sort index (migration 0005) and stops after the page, instead of re-checking every
       match and sorting them; the count shows "more than `cap`";
    3. the page's rows are read by their ids, with their type, urgency, secrecy and agency,
       without the big text columns (`rows_in_order`).

    Joining the reference tables to every match before the sort, and counting every match,
    is what made broad searches slow on PostgreSQL (the planner, misled by the ``LIKE``
    estimates, joined by nested loops over thousands of rows).
    """
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    matched = search(rows, params)
    spec = SORT_SPECS.get(params.sort) or SORT_SPECS["moi-nhat"]
    count, ids = _probe(matched, spec, offset=(wanted - 1) * per_page, limit=per_page, cap=cap)
    paginator = ResultsPaginator(matched, per_page, count=count, cap=cap)
    page_number = min(wanted, paginator.num_pages)
    if count > cap:
        ordered = search(rows, params, text_index=False)
        ids = _page_ids(ordered, page_number, per_page)
    elif page_number != wanted:
        ids = _page_ids(matched, page_number, per_page)
    return Page(rows_in_order(ids), page_number, paginator)


def _page_ids(rows: QuerySet[Document], number: int, per_page: int) -> list[int]:
    bottom = (number - 1) * per_page
    return list(rows.values_list("pk", flat=True)[bottom : bottom + per_page])


def _probe(
    matched: QuerySet[Document],
    spec: tuple[tuple[str, bool], ...],
    *,
    offset: int,
    limit: int,
    cap: int,
) -> tuple[int, list[int]]:
    """(min(count, cap + 1), the ids of the page at `offset` among those rows) in one statement.

    ``SELECT m.*, count(*) OVER () FROM (<ids and sort keys, unordered, LIMIT cap+1>) m
    ORDER BY <the sort, by position> LIMIT … OFFSET …`` — PostgreSQL and SQLite alike.
    """
    fields = [field for field, _desc in spec if field != "pk"]
    inner = matched.order_by().values_list("pk", *fields)[: cap + 1]
    sql, sql_params = inner.query.sql_with_params()
    positions = {"pk": 1, **{field: i for i, field in enumerate(fields, start=2)}}
    order = ", ".join(
        f"{positions[field]} {'DESC' if desc else 'ASC'}"
        + (" NULLS LAST" if field in NULLABLE_SORT_FIELDS else "")
        for field, desc in spec
    )
    total = len(fields) + 2
    statement = (
        f"SELECT m.*, count(*) OVER () FROM ({sql}) m "  # noqa: S608
        f"ORDER BY {order} LIMIT %s OFFSET %s"
    )
    with connections[matched.db].cursor() as cursor:
        cursor.execute(statement, [*sql_params, limit, offset])
        found = cursor.fetchall()
    if not found:
        if offset == 0:
            return 0, []
        # Beyond the last page: count alone.
        return int(matched.order_by()[: cap + 1].count()), []
    return int(found[0][total - 1]), [int(row[0]) for row in found]


def rows_in_order(ids: list[int]) -> list[Document]:
    """The documents of `ids`, in that order, with what a list shows (no big text columns)."""
    if not ids:
        return []
    found = (
        Document.objects.filter(pk__in=ids)
        .select_related(*LIST_RELATED)
        .defer(*LIST_DEFERRED)
        .order_by()
    )
    by_id = {d.pk: d for d in found}
    return [by_id[i] for i in ids if i in by_id]
