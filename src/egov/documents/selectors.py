"""Reads of official documents for pages, the API and the registers.

Every list starts from :func:`visible_documents`: the reader's agency (policy scope) and, for
secret documents, only those the reader is named on (drafter, signer, directing leader,
handler, explicit grant, reviewer who acted) — the same rule as `policy.named_on`, written as
one SQL condition so a list never leaks a secret document's subject. The detail page still
goes through `policy.access_document_for_staff`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from egov.core.errors import NotFound
from egov.documents.models import (
    CaseFile,
    CaseFileDocument,
    Direction,
    Document,
    DocumentFile,
    DocumentGrant,
    DocumentStatus,
    DocumentType,
    DraftComment,
    Handling,
    HandlingStatus,
    Recipient,
    SecrecyLevel,
    Urgency,
)
from egov.organisations.models import Agency, StaffMember, Unit
from egov.policy.engine import agency_filter, subject_for
from egov.workflow.models import HistoryEntry

LIST_RELATED = ("type", "priority", "secrecy", "agency")
DRAFT_STATUSES = (
    DocumentStatus.DRAFT,
    DocumentStatus.IN_REVIEW,
    DocumentStatus.RETURNED,
    DocumentStatus.APPROVED,
    DocumentStatus.SIGNED,
)
ISSUED_STATUSES = (DocumentStatus.ISSUED, DocumentStatus.RECALLED)
INCOMING_OPEN = (
    DocumentStatus.ARRIVED,
    DocumentStatus.REGISTERED,
    DocumentStatus.SUBMITTED,
    DocumentStatus.ASSIGNED,
    DocumentStatus.PROCESSING,
)
# Urgent documents jump the queues: hỏa tốc (3) before thượng khẩn, khẩn, then ordinary.
URGENT_FIRST = (F("priority__edxml_code").desc(), F("arrived_at").asc(nulls_last=True), "pk")


def _named_condition(subject: Any) -> Q:
    if subject.staff_id is None:
        return Q(secrecy__level=0)
    sid = subject.staff_id
    handled = Handling.objects.filter(document=OuterRef("pk")).filter(
        Q(staff_id=sid) | Q(unit_id=subject.unit_id, staff=None)
        if subject.unit_id
        else Q(staff_id=sid)
    )
    granted = DocumentGrant.objects.filter(document=OuterRef("pk"), staff_id=sid)
    reviewed = HistoryEntry.objects.filter(
        instance_id=OuterRef("review_id"), actor_id=subject.user_id
    )
    return (
        Q(secrecy__level=0)
        | Q(drafter_id=sid)
        | Q(signer_id=sid)
        | Q(directed_by_id=sid)
        | Q(Exists(handled))
        | Q(Exists(granted))
        | Q(Exists(reviewed))
    )


def visible_documents(user: Any) -> QuerySet[Document]:
    """Documents the user may open: own agency's, secret ones only when named on them."""
    subject = subject_for(user)
    return (
        Document.objects.filter(agency_filter(subject, "document.view"))
        .filter(_named_condition(subject))
        .select_related(*LIST_RELATED)
    )


def drafts(user: Any) -> QuerySet[Document]:
    """Outgoing documents not yet issued (drafting, review, approved, signed)."""
    return (
        visible_documents(user)
        .filter(direction=Direction.OUTGOING, status__in=DRAFT_STATUSES)
        .order_by(F("priority__edxml_code").desc(), "-updated_at", "-pk")
    )


def outgoing(user: Any) -> QuerySet[Document]:
    return (
        visible_documents(user)
        .filter(direction=Direction.OUTGOING, status__in=ISSUED_STATUSES)
        .order_by(F("issued_date").desc(nulls_last=True), "-series_number", "-pk")
    )


def incoming_queue(user: Any, *, open_only: bool = True) -> QuerySet[Document]:
    """Incoming documents, urgent first, then oldest arrival first."""
    rows = visible_documents(user).filter(direction=Direction.INCOMING)
    if open_only:
        rows = rows.filter(status__in=INCOMING_OPEN)
    return rows.order_by(*URGENT_FIRST)


def my_handlings(user: Any) -> QuerySet[Handling]:
    """The handler's open parts (person, or their unit when assigned to the unit)."""
    subject = subject_for(user)
    if subject.staff_id is None or subject.agency_id is None:
        return Handling.objects.none()
    mine = Q(staff_id=subject.staff_id)
    if subject.unit_id:
        mine |= Q(unit_id=subject.unit_id, staff=None)
    return (
        Handling.objects.filter(mine, agency_id=subject.agency_id)
        .exclude(status=HandlingStatus.DONE)
        .select_related("document", "document__priority", "document__type")
        .order_by(
            F("document__priority__edxml_code").desc(), F("due_at").asc(nulls_last=True), "pk"
        )
    )


def document_files(document: Document) -> list[DocumentFile]:
    return list(
        DocumentFile.objects.filter(document=document)
        .select_related("stored_file", "added_by")
        .order_by("-version", "kind", "pk")
    )


def document_file(document: Document, file_id: int) -> DocumentFile | None:
    return (
        DocumentFile.objects.filter(document=document, pk=file_id)
        .select_related("stored_file")
        .first()
    )


def document_comments(document: Document) -> list[DraftComment]:
    return list(
        DraftComment.objects.filter(document=document).select_related("author").order_by("pk")
    )


def document_recipients(document: Document) -> list[Recipient]:
    return list(Recipient.objects.filter(document=document).order_by("kind", "pk"))


def document_handlings(document: Document) -> list[Handling]:
    return list(
        Handling.objects.filter(document=document)
        .select_related("staff__user", "unit", "reply_document", "assigned_by__user")
        .prefetch_related("progress")
        .order_by("role", "pk")
    )


def handling_for(document: Document, handling_id: int) -> Handling | None:
    return (
        Handling.objects.filter(document=document, pk=handling_id)
        .select_related("document", "staff", "unit", "reply_document")
        .first()
    )


def reply_candidates(user: Any, agency_id: int) -> QuerySet[Document]:
    """Outgoing documents of the agency a handler may link as the reply."""
    return (
        visible_documents(user)
        .filter(agency_id=agency_id, direction=Direction.OUTGOING)
        .exclude(status=DocumentStatus.RECALLED)
        .order_by("-created_at")
    )


def staff_of_agency(agency_id: int) -> QuerySet[StaffMember]:
    return (
        StaffMember.objects.filter(agency_id=agency_id, is_active=True)
        .select_related("user", "unit", "position")
        .order_by("user__full_name", "pk")
    )


def units_of_agency(agency_id: int) -> QuerySet[Unit]:
    return Unit.objects.filter(agency_id=agency_id, is_active=True).order_by("name")


def leaders_of_agency(agency_id: int) -> QuerySet[StaffMember]:
    return staff_of_agency(agency_id).filter(roles__code="agency_leader").distinct()


def platform_agencies(*, exclude_id: int | None = None) -> QuerySet[Agency]:
    rows = Agency.objects.filter(is_active=True).order_by("name")
    return rows.exclude(pk=exclude_id) if exclude_id else rows


def agency(agency_id: int | None) -> Agency:
    """The acting staff member's agency; "not found" when there is none."""
    found = Agency.objects.filter(pk=agency_id).first() if agency_id else None
    if found is None:
        raise NotFound()
    return found


def document_types() -> QuerySet[DocumentType]:
    return DocumentType.objects.filter(is_active=True)


def urgencies() -> QuerySet[Urgency]:
    return Urgency.objects.all()


def secrecy_levels() -> QuerySet[SecrecyLevel]:
    return SecrecyLevel.objects.all()


# --- yearly files (hồ sơ) ---------------------------------------------------------------------


def case_files(agency_id: int, *, year: int | None = None) -> QuerySet[CaseFile]:
    rows = CaseFile.objects.filter(agency_id=agency_id)
    if year:
        rows = rows.filter(year=year)
    return rows.order_by("-year", "notation")


def case_file(agency_id: int, pk: int) -> CaseFile | None:
    return CaseFile.objects.filter(agency_id=agency_id, pk=pk).first()


def case_file_entries(user: Any, case_file: CaseFile) -> list[CaseFileDocument]:
    visible = visible_documents(user).filter(pk=OuterRef("document_id"))
    return list(
        CaseFileDocument.objects.filter(case_file=case_file)
        .filter(Exists(visible))
        .select_related("document", "document__type")
        .order_by("ordinal")
    )


def case_files_of_document(document: Document) -> list[CaseFile]:
    return list(CaseFile.objects.filter(entries__document=document).order_by("-year", "notation"))


# --- the public portal ---------------------------------------------------------------------------


def public_documents() -> QuerySet[Document]:
    """Issued, ordinary (never secret) documents marked public, newest first."""
    return (
        Document.objects.filter(
            is_public=True,
            direction=Direction.OUTGOING,
            status=DocumentStatus.ISSUED,
            secrecy__level=0,
        )
        .select_related("type", "agency")
        .order_by(F("issued_date").desc(nulls_last=True), "-pk")
    )


def public_document(public_id: Any) -> Document | None:
    try:
        return public_documents().filter(public_id=public_id).first()
    except (ValueError, TypeError):
        return None


def public_files(document: Document) -> list[DocumentFile]:
    """The files of the issued version (the signed main text and its annexes)."""
    rows = (
        DocumentFile.objects.filter(document=document, version=document.version)
        .exclude(kind="draft")
        .select_related("stored_file")
        .order_by("kind", "-signed", "-pk")
    )
    kept: list[DocumentFile] = []
    main_seen = False
    for row in rows:
        if row.kind == "main":
            if main_seen:
                continue
            main_seen = True
        kept.append(row)
    return kept


# --- registers (Appendix IV) ---------------------------------------------------------------------

OUTGOING_REGISTER_FIELDS = (
    "code_number",
    "code_notation",
    "issued_date",
    "type__name",
    "subject",
    "signer_full_name",
    "to_places",
    "unit__name",
    "issued_amount",
    "issued_at",
    "description",
    "pk",
)
INCOMING_REGISTER_FIELDS = (
    "arrival_date",
    "arrival_number",
    "organ_name",
    "code_number",
    "code_notation",
    "issued_date",
    "type__name",
    "subject",
    "to_places",
    "directed_at",
    "description",
)
FOLLOW_UP_FIELDS = (
    "pk",
    "arrival_number",
    "type__name",
    "code_number",
    "code_notation",
    "issued_date",
    "organ_name",
    "to_places",
    "handling_due_at",
    "status",
    "closed_at",
    "closed_on_time",
    "description",
)
CHUNK = 2000


def _register_rows(
    agency_id: int, year: int, direction: str, fields: tuple[str, ...], order: tuple[str, ...]
) -> Iterator[tuple[Any, ...]]:
    # Secret documents are kept in their own register (their own series), not in the ordinary one.
    rows = (
        Document.objects.filter(
            agency_id=agency_id,
            direction=direction,
            series_year=year,
            series_number__isnull=False,
            secrecy__level=0,
        )
        .order_by(*order)
        .values_list(*fields)
    )
    return rows.iterator(chunk_size=CHUNK)


def outgoing_register_rows(agency_id: int, year: int) -> Iterator[tuple[Any, ...]]:
    return _register_rows(
        agency_id,
        year,
        Direction.OUTGOING,
        OUTGOING_REGISTER_FIELDS,
        ("series_key", "series_number"),
    )


def outgoing_recipient_names(document_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    for doc_id, name in (
        Recipient.objects.filter(document_id__in=document_ids)
        .order_by("document_id", "kind", "pk")
        .values_list("document_id", "organ_name")
    ):
        names.setdefault(doc_id, []).append(name)
    return names


def incoming_register_rows(agency_id: int, year: int) -> Iterator[tuple[Any, ...]]:
    return _register_rows(
        agency_id, year, Direction.INCOMING, INCOMING_REGISTER_FIELDS, ("series_number",)
    )


def follow_up_rows(agency_id: int, year: int) -> Iterator[tuple[Any, ...]]:
    return _register_rows(agency_id, year, Direction.INCOMING, FOLLOW_UP_FIELDS, ("series_number",))


def handling_summaries(document_ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """Per incoming document: its handlers and the notations of the replies."""
    found: dict[int, dict[str, list[str]]] = {}
    rows = (
        Handling.objects.filter(document_id__in=document_ids)
        .select_related("staff__user", "unit", "reply_document")
        .order_by("document_id", "role", "pk")
    )
    for h in rows:
        entry = found.setdefault(h.document_id, {"handlers": [], "replies": []})
        who = h.staff.user.full_name if h.staff else (h.unit.name if h.unit else "")
        if h.role != "for_information" and who:
            entry["handlers"].append(who)
        if h.reply_document is not None and h.reply_document.number_notation:
            entry["replies"].append(h.reply_document.number_notation)
    return found


def handling_prefetch() -> Prefetch:
    return Prefetch("handlings", queryset=Handling.objects.select_related("staff__user", "unit"))


def outgoing_none() -> QuerySet[Document]:
    """An empty outgoing queryset (form fields get the real choices per request)."""
    return Document.objects.none()


def document_type_id(code: str) -> int | None:
    return DocumentType.objects.filter(code=code).values_list("pk", flat=True).first()
