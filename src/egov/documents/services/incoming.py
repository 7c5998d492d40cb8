"""Incoming documents (văn bản đến): receive, register, submit, direct, handle, close; and the
revoke / update / replace messages of the sender (edXML BussinessDocType 1–3).

Decree 30/2020 Art. 20–24 (reference §1.6): the arrival number is consecutive per agency and
year, one series for paper and electronic documents (secret documents apart); the clerk is
warned of duplicates (same document identifier, or same number + notation + issuer); received
PDFs are verified and an invalid signature is never silently accepted.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from egov.audit.services import audit_record, snapshot
from egov.calendar.arithmetic import WorkingCalendar
from egov.core.errors import AppError, NotFound, PermissionDenied, ValidationFailed
from egov.documents import signatures
from egov.documents.figures import fact_add
from egov.documents.models import (
    Channel,
    Direction,
    Document,
    DocumentStatus,
    DocumentType,
    Handling,
    HandlingProgress,
    HandlingRole,
    HandlingStatus,
    SecrecyLevel,
    SignatureStatus,
    SigningAuthority,
    Source,
    Urgency,
)
from egov.documents.numbering import allocate_number, incoming_series_key, legal_year
from egov.documents.services import _common as c
from egov.documents.services.distribution import _report_status, revoke_copy
from egov.indicators.events import people_changed
from egov.notifications.services import notification_send
from egov.organisations.models import Agency, StaffMember, Unit
from egov.policy.engine import require

AUDIT_FIELDS = [
    "status",
    "arrival_number",
    "arrival_date",
    "document_id",
    "code_number",
    "code_notation",
    "organ_id",
    "signature_status",
    "handling_due_at",
]
SIGNATURE_RANK = {
    SignatureStatus.VALID: 0,
    SignatureStatus.NOT_CHECKED: 1,
    SignatureStatus.UNSIGNED: 2,
    SignatureStatus.UNKNOWN_SIGNER: 3,
    SignatureStatus.INVALID: 4,
}
METADATA_FIELDS = frozenset(
    {
        "type", "type_name", "code_number", "code_notation", "issued_date", "organ_name",
        "subject", "language", "page_amount", "description", "signer_position",
        "signer_full_name", "signer_competence", "priority", "secrecy", "issued_amount",
        "due_date", "to_places", "channel", "content_text",
    }
)  # fmt: skip
OPEN_STATUSES = (
    DocumentStatus.REGISTERED,
    DocumentStatus.SUBMITTED,
    DocumentStatus.ASSIGNED,
    DocumentStatus.PROCESSING,
)


def _state(document: Document) -> dict[str, Any]:
    return snapshot(document, AUDIT_FIELDS)


def _nfc(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value or "")).strip()


def _date(value: Any, field: str, errors: c.Errors) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("/", "-")
    parsed = parse_date(text)
    if parsed is None:
        errors.add(field, _("Ngày không hợp lệ: %(v)s.") % {"v": value})
    return parsed


def _small_int(value: Any, field: str, errors: c.Errors, *, limit: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.add(field, _("Phải là số nguyên."))
        return None
    if not 0 <= number <= limit:
        errors.add(field, _("Giá trị ngoài khoảng cho phép."))
        return None
    return number


def _doc_type(value: Any, type_name: Any, errors: c.Errors) -> DocumentType | None:
    if isinstance(value, DocumentType):
        return value
    text = _nfc(value or type_name)
    found = (
        DocumentType.objects.filter(
            Q(code=text) | Q(abbreviation=text) | Q(name__iexact=text)
        ).first()
        if text
        else None
    )
    if found is None and text:
        # An unknown type name from another system: read as công văn, name kept in the note.
        found = DocumentType.objects.filter(code="cong-van").first()
    if found is None:
        errors.add("metadata.type", _("Loại văn bản là bắt buộc."))
    return found


def _parse_metadata(metadata: Mapping[str, Any], errors: c.Errors) -> dict[str, Any]:
    """Appendix VI fields (keys as the model's) into model values; errors collected."""
    unknown = set(metadata) - METADATA_FIELDS
    for name in sorted(unknown):
        errors.add(f"metadata.{name}", _("Trường không được hỗ trợ."))
    subject = _nfc(metadata.get("subject"))
    if not subject or len(subject) > 500:
        errors.add("metadata.subject", _("Trích yếu là bắt buộc (tối đa 500 ký tự)."))
    values: dict[str, Any] = {
        "type": _doc_type(metadata.get("type"), metadata.get("type_name"), errors),
        "code_number": _nfc(metadata.get("code_number")),
        "code_notation": _nfc(metadata.get("code_notation")),
        "issued_date": _date(metadata.get("issued_date"), "metadata.issued_date", errors),
        "subject": subject,
        "language": _nfc(metadata.get("language")) or "Tiếng Việt",
        "page_amount": _small_int(
            metadata.get("page_amount"), "metadata.page_amount", errors, limit=999
        ),
        "description": _nfc(metadata.get("description")),
        "signer_position": _nfc(metadata.get("signer_position")),
        "signer_full_name": _nfc(metadata.get("signer_full_name")),
        "issued_amount": _small_int(
            metadata.get("issued_amount"), "metadata.issued_amount", errors, limit=999
        ),
        "due_date": _date(metadata.get("due_date"), "metadata.due_date", errors),
        "to_places": _nfc(metadata.get("to_places")),
        "content_text": str(metadata.get("content_text") or ""),
    }
    limits = {
        "code_number": 11, "code_notation": 30, "language": 30, "description": 500,
        "signer_position": 100, "signer_full_name": 50, "to_places": 1000,
    }  # fmt: skip
    for name, limit in limits.items():
        if len(values[name]) > limit:
            errors.add(f"metadata.{name}", _("Tối đa %(n)s ký tự.") % {"n": limit})
    type_name = _nfc(metadata.get("type_name"))
    doc_type = values["type"]
    if type_name and doc_type is not None and type_name.lower() != doc_type.name.lower():
        values["description"] = (values["description"] or type_name)[:500]
    competence = metadata.get("signer_competence")
    if isinstance(competence, SigningAuthority) or competence in (None, ""):
        values["signer_competence"] = competence or None
    else:
        text = _nfc(competence).upper()
        text = text if text.endswith(".") else f"{text}."
        values["signer_competence"] = SigningAuthority.objects.filter(abbreviation=text).first()
    priority = metadata.get("priority")
    values["priority"] = (
        priority if isinstance(priority, Urgency) else c.urgency_for_priority(priority)
    )
    secrecy = metadata.get("secrecy")
    if isinstance(secrecy, SecrecyLevel):
        values["secrecy"] = secrecy
    else:
        level = _small_int(secrecy, "metadata.secrecy", errors, limit=3) or 0
        values["secrecy"] = SecrecyLevel.objects.filter(level=level).first()
    channel = metadata.get("channel")
    if channel not in (None, "") and channel not in Channel.values:
        errors.add("metadata.channel", _("Hình thức văn bản không hợp lệ."))
    values["channel"] = channel or None
    return values


def incoming_duplicates(
    *,
    agency: Agency,
    document_id: str = "",
    code_number: str = "",
    code_notation: str = "",
    organ_id: str = "",
    exclude: Document | None = None,
) -> list[Document]:
    """Incoming documents of `agency` that look like the same one: same document identifier,
    or same number + notation + issuing agency (Appendix VI §III.1). Pages call it before
    registering to warn; `incoming_register` calls it too."""
    condition = Q()
    if document_id:
        condition |= Q(document_id=document_id)
    if code_number and organ_id:
        number = code_number.lstrip("0") or "0"
        condition |= Q(
            code_number__in={code_number, number, f"{int(number):02d}"}
            if number.isdigit()
            else {code_number},
            code_notation=code_notation,
            organ_id=organ_id,
        )
    if not condition:
        return []
    found = Document.objects.filter(condition, agency=agency, direction=Direction.INCOMING)
    if exclude is not None and exclude.pk:
        found = found.exclude(pk=exclude.pk)
    return list(found.exclude(status=DocumentStatus.ARRIVED).order_by("pk")[:10])


def _duplicate_refs(documents: Sequence[Document]) -> list[dict[str, Any]]:
    return [
        {
            "public_id": str(d.public_id),
            "number_notation": d.number_notation,
            "arrival_number": d.arrival_number,
            "organ_name": d.organ_name,
        }
        for d in documents
    ]


def _verify_files(document: Document) -> str:
    """Check each received PDF; the document gets the worst verdict."""
    worst = SignatureStatus.VALID
    checked = False
    for row in document.files.select_related("stored_file"):
        if row.stored_file.kind != "pdf":
            continue
        verdict = signatures.verify(c.read_bytes(row.stored_file))
        if verdict is None:
            status = SignatureStatus.NOT_CHECKED
        else:
            status = SignatureStatus(verdict.status)
            row.signature_detail = {"reason": verdict.reason, **verdict.detail}
        checked = True
        row.signature_status = status
        row.signed = status in (SignatureStatus.VALID, SignatureStatus.UNKNOWN_SIGNER)
        row.save(update_fields=["signature_status", "signature_detail", "signed", "updated_at"])
        if SIGNATURE_RANK[status] > SIGNATURE_RANK[worst]:
            worst = status
    if not checked:
        return (
            SignatureStatus.UNSIGNED
            if document.channel == Channel.ELECTRONIC
            else (SignatureStatus.NOT_CHECKED)
        )
    return worst


def _new_incoming(
    *,
    agency: Agency,
    source: str,
    values: dict[str, Any],
    sender_organ_id: str,
    sender_organ_name: str,
    document_id: str,
    at: datetime,
) -> Document:
    channel = values.pop("channel") or (
        Channel.PAPER if source == Source.PAPER else Channel.ELECTRONIC
    )
    document = Document(
        agency=agency,
        direction=Direction.INCOMING,
        source=source,
        channel=channel,
        status=DocumentStatus.ARRIVED,
        organ_id=_nfc(sender_organ_id)[:13],
        organ_name=_nfc(sender_organ_name)[:200],
        document_id=_nfc(document_id),
        arrived_at=at,
        **values,
    )
    return document


def _check_source(source: str, document_id: str | None) -> None:
    if source not in (Source.PAPER, Source.PLATFORM, Source.EXCHANGE):
        message = _("Nguồn văn bản đến không hợp lệ.")
        raise ValidationFailed(message, fields={"source": [message]})
    if source == Source.EXCHANGE and not document_id:
        message = _("Văn bản nhận qua liên thông phải có mã định danh văn bản.")
        raise ValidationFailed(message, fields={"document_id": [message]})


def _existing_electronic(agency: Agency, document_id: str) -> Document | None:
    return (
        Document.objects.filter(
            agency=agency,
            direction=Direction.INCOMING,
            document_id=document_id,
            source__in=[Source.PLATFORM, Source.EXCHANGE],
        )
        .select_related("secrecy", "priority", "type")
        .first()
    )


def incoming_receive(
    *,
    agency: Agency,
    source: str,
    metadata: Mapping[str, Any],
    files: Iterable[Any] = (),
    sender_organ_id: str = "",
    sender_organ_name: str = "",
    document_id: str = "",
    actor: Any = None,
) -> Document:
    """An electronic document arrived (the exchange calls this when a message is accepted;
    edXML status 01): it waits in the clerk's queue, with no arrival number yet. Idempotent:
    the same DocumentId for the same agency gives the same document."""
    _check_source(source, document_id)
    if source == Source.PAPER:
        message = _("Văn bản giấy được vào sổ trực tiếp.")
        raise ValidationFailed(message, fields={"source": [message]})
    existing = _existing_electronic(agency, document_id) if document_id else None
    if existing is not None:
        existing.was_created = False  # type: ignore[attr-defined]
        return existing
    errors = c.Errors()
    values = _parse_metadata(metadata, errors)
    file_inputs = c.as_file_inputs(files)
    c.check_file_inputs(file_inputs, errors)
    errors.raise_if_any()
    try:
        with transaction.atomic():
            at = c.now()
            document = _new_incoming(
                agency=agency,
                source=source,
                values=values,
                sender_organ_id=sender_organ_id,
                sender_organ_name=sender_organ_name,
                document_id=document_id,
                at=at,
            )
            c.trace(document, "arrived", actor=actor, at=at, sender=document.organ_id)
            document.search_text = c.search_text_for(document)
            document.save()
            c._store_files(document, file_inputs, actor=actor, version=1)
            audit_record(actor=actor, action="document.arrive", target=document,
                         after=_state(document))  # fmt: skip
    except IntegrityError:  # the same DocumentId raced in: it is the same document
        existing = _existing_electronic(agency, document_id)
        if existing is None:
            raise
        existing.was_created = False  # type: ignore[attr-defined]
        return existing
    document.was_created = True  # type: ignore[attr-defined]
    return document


def incoming_register(
    *,
    actor: Any,
    agency: Agency,
    source: str,
    metadata: Mapping[str, Any] | None = None,
    files: Iterable[Any] = (),
    sender_organ_id: str = "",
    sender_organ_name: str = "",
    document_id: str | None = None,
    document: Document | None = None,
    allow_duplicate: bool = False,
) -> Document:
    """Register an incoming document in the agency's register (edXML status 03).

    * `document`: an arrived electronic document (platform or exchange) the clerk accepts;
    * else a new one from `metadata` (Appendix VI fields: type, code_number, code_notation,
      issued_date, organ_name, subject, language, page_amount, description, signer_position,
      signer_full_name, signer_competence, priority (edXML 0–4), secrecy (0–3), issued_amount,
      due_date, to_places, channel) and `files`, from `sender_organ_id`/`sender_organ_name`.

    The arrival number comes from the agency's incoming series for the year (secret documents:
    their own). Idempotent for electronic sources: the same DocumentId registered twice is the
    same document. Duplicates (same identifier, or same number + notation + issuer) of a paper
    document are refused with `documents_duplicate` (409, `extra["duplicates"]`) unless
    `allow_duplicate=True`; for electronic documents the warning is kept on the document
    (`duplicate_of`). `actor` is the clerk, or None when the exchange registers by itself.
    PDF signatures are verified; an invalid one flags the document until a clerk acknowledges
    it (`incoming_signature_acknowledge`) or rejects the document (`incoming_reject`).
    """
    if actor is not None:
        require(actor, "document.register", agency)
    _check_source(source, document_id or (document.document_id if document else None))
    if document is None and source != Source.PAPER and document_id:
        document = _existing_electronic(agency, document_id)
    if document is not None:
        if document.agency_id != agency.pk or document.direction != Direction.INCOMING:
            raise NotFound()
        if document.arrival_number is not None:
            document.was_created = False  # type: ignore[attr-defined]
            return document
        if document.status != DocumentStatus.ARRIVED:
            raise AppError(
                "documents_not_arrived", _("Văn bản không ở trạng thái chờ tiếp nhận."), status=409
            )
        return _register(actor=actor, document=document, file_inputs=[], allow_duplicate=True)
    if metadata is None:
        message = _("Thiếu thông tin văn bản đến.")
        raise ValidationFailed(message, fields={"metadata": [message]})
    errors = c.Errors()
    values = _parse_metadata(metadata, errors)
    if not _nfc(sender_organ_name):
        errors.add("sender_organ_name", _("Tên cơ quan ban hành là bắt buộc."))
    file_inputs = c.as_file_inputs(files)
    c.check_file_inputs(file_inputs, errors)
    errors.raise_if_any()
    document = _new_incoming(
        agency=agency,
        source=source,
        values=values,
        sender_organ_id=sender_organ_id,
        sender_organ_name=sender_organ_name,
        document_id=document_id or "",
        at=c.now(),
    )
    try:
        return _register(
            actor=actor,
            document=document,
            file_inputs=file_inputs,
            allow_duplicate=allow_duplicate or source != Source.PAPER,
        )
    except IntegrityError:
        existing = _existing_electronic(agency, document_id or "") if document_id else None
        if existing is None:
            raise
        return incoming_register(actor=actor, agency=agency, source=source, document=existing)


def _register(
    *, actor: Any, document: Document, file_inputs: Sequence[c.FileInput], allow_duplicate: bool
) -> Document:
    duplicates = incoming_duplicates(
        agency=document.agency,
        document_id=document.document_id,
        code_number=document.code_number,
        code_notation=document.code_notation,
        organ_id=document.organ_id,
        exclude=document,
    )
    if duplicates and not allow_duplicate:
        raise AppError(
            "documents_duplicate",
            _("Văn bản có thể đã được vào sổ: %(list)s. Kiểm tra lại trước khi vào sổ.")
            % {
                "list": ", ".join(
                    f"{d.number_notation} ({_('số đến')} {d.arrival_number})" for d in duplicates
                )
            },
            status=409,
            extra={"duplicates": _duplicate_refs(duplicates)},
        )
    with transaction.atomic():
        before = _state(document) if document.pk else None
        at = c.now()
        year = legal_year(at)
        key = incoming_series_key(secret=document.secrecy.level > 0)
        # The series lock first, the audit chain's last (fixed lock order).
        number = allocate_number(agency=document.agency, year=year, series_key=key)
        document.arrival_number = number
        document.arrival_date = c.vn_date(at)
        document.series_key, document.series_year, document.series_number = key, year, number
        document.registered_at = at
        document.arrived_at = document.arrived_at or at
        document.status = DocumentStatus.REGISTERED
        document.duplicate_of = _duplicate_refs(duplicates)
        c.trace(document, "registered", actor=actor, at=at, arrival_number=number)
        document.search_text = c.search_text_for(document)
        document.save()
        if file_inputs:
            c._store_files(document, file_inputs, actor=actor, version=1)
        if document.channel == Channel.ELECTRONIC:
            document.signature_status = _verify_files(document)
            document.save(update_fields=["signature_status"])
        fact_add(
            agency_id=document.agency_id,
            at=at,
            received_electronic=int(document.channel == Channel.ELECTRONIC),
            received_paper=int(document.channel == Channel.PAPER),
        )
        _report_status(document=document, at=at)
        audit_record(
            actor=actor,
            action="document.register",
            target=document,
            before=before,
            after=_state(document),
            summary=_("Vào sổ văn bản đến số %(n)s") % {"n": number},
        )
    document.was_created = before is None  # type: ignore[attr-defined]
    return document


def _clerk_action(actor: Any, document: Document) -> None:
    require(actor, "document.register", document)
    require(actor, "document.view", document, hide=True)
    if document.direction != Direction.INCOMING:
        raise NotFound()


def _signature_blocks(document: Document) -> None:
    if (
        document.signature_status == SignatureStatus.INVALID
        and document.signature_acknowledged_at is None
    ):
        raise AppError(
            "documents_signature_invalid",
            _(
                "Chữ ký số trên văn bản không hợp lệ: văn thư phải xác nhận đã kiểm tra "
                "(hoặc từ chối tiếp nhận) trước khi xử lý tiếp."
            ),
            status=409,
        )


def incoming_signature_acknowledge(*, actor: Any, document: Document, note: str) -> Document:
    """The clerk explicitly accepts a document whose signature check failed, saying why (e.g.
    the paper original was checked). Recorded on the document and in the audit trail."""
    _clerk_action(actor, document)
    if document.signature_status != SignatureStatus.INVALID:
        raise AppError(
            "documents_signature_not_invalid", _("Chữ ký của văn bản không bị đánh dấu lỗi."),
            status=409,
        )  # fmt: skip
    if not note or not note.strip():
        message = _("Cần ghi rõ lý do chấp nhận văn bản có chữ ký không hợp lệ.")
        raise ValidationFailed(message, fields={"note": [message]})
    with transaction.atomic():
        at = c.now()
        document.signature_acknowledged_by = actor
        document.signature_acknowledged_at = at
        document.signature_note = note.strip()[:500]
        c.trace(document, "signature_acknowledged", actor=actor, at=at, note=note.strip())
        document.save()
        audit_record(
            actor=actor,
            action="document.signature_acknowledge",
            target=document,
            after={"signature_status": document.signature_status, "note": note.strip()},
        )
    return document


def incoming_reject(*, actor: Any, document: Document, reason: str) -> Document:
    """Refuse an arrived electronic document (wrong recipient, failed integrity): edXML 02
    goes back to the sender. Registered documents cannot be rejected."""
    _clerk_action(actor, document)
    if document.status not in (DocumentStatus.ARRIVED, DocumentStatus.REGISTERED) or (
        document.source == Source.PAPER
    ):
        raise AppError("documents_not_rejectable", _("Không thể từ chối văn bản này."), status=409)
    if not reason or not reason.strip():
        message = _("Cần ghi lý do từ chối tiếp nhận.")
        raise ValidationFailed(message, fields={"reason": [message]})
    with transaction.atomic():
        before = _state(document)
        at = c.now()
        document.status = DocumentStatus.REJECTED
        c.trace(document, "rejected", actor=actor, at=at, reason=reason.strip())
        document.save()
        _report_status(document=document, at=at, description=reason.strip())
        audit_record(
            actor=actor, action="document.reject", target=document, before=before,
            after=_state(document),
        )  # fmt: skip
    return document


def incoming_submit_to_leader(
    *, actor: Any, document: Document, leader: StaffMember | None = None, note: str = ""
) -> Document:
    """The clerk submits a registered document to the leader who directs its handling (on
    the day, or the next working day at the latest; urgent ones at once)."""
    _clerk_action(actor, document)
    if document.status != DocumentStatus.REGISTERED:
        raise AppError(
            "documents_not_registered", _("Chỉ trình được văn bản đã vào sổ."), status=409
        )
    _signature_blocks(document)
    if leader is not None and (leader.agency_id != document.agency_id or not leader.is_active):
        message = _("Lãnh đạo nhận trình không thuộc cơ quan.")
        raise ValidationFailed(message, fields={"leader": [message]})
    with transaction.atomic():
        before = _state(document)
        at = c.now()
        document.status = DocumentStatus.SUBMITTED
        c.trace(document, "submitted", actor=actor, at=at,
                leader=str(leader) if leader else None, note=note)  # fmt: skip
        document.save()
        if leader is not None and document.secrecy.level > 0:
            document.grants.get_or_create(staff=leader, defaults={"reason": _("Trình lãnh đạo")})
        if leader is not None:
            notification_send(
                event="documents.submitted",
                subject=_("Văn bản đến cần cho ý kiến chỉ đạo"),
                body=_("Văn bản đến số %(n)s: %(s)s")
                % {"n": document.arrival_number, "s": document.subject[:200]},
                recipient_user=leader.user,
                channels=("in_app",),
                actor=actor,
                agency=document.agency,
            )
        audit_record(
            actor=actor, action="document.submit_to_leader", target=document, before=before,
            after=_state(document),
        )  # fmt: skip
    return document


def _handler(value: Any, agency: Agency, field: str, errors: c.Errors) -> StaffMember | Unit | None:
    if isinstance(value, StaffMember):
        if value.agency_id != agency.pk or not value.is_active:
            errors.add(field, _("Cán bộ xử lý không thuộc cơ quan."))
            return None
        return value
    if isinstance(value, Unit):
        if value.agency_id != agency.pk or not value.is_active:
            errors.add(field, _("Đơn vị xử lý không thuộc cơ quan."))
            return None
        return value
    errors.add(field, _("Người hoặc đơn vị xử lý không hợp lệ."))
    return None


def incoming_direct(
    *,
    actor: Any,
    document: Document,
    instruction: str,
    main_handler: StaffMember | Unit,
    co_handlers: Iterable[StaffMember | Unit] = (),
    for_information: Iterable[StaffMember | Unit] = (),
    due_at: datetime | None = None,
    working_days: int | None = None,
) -> Document:
    """The leader's direction (ý kiến chỉ đạo): the main handler, co-handlers and those for
    information, with the deadline `due_at`, or `working_days` counted by the agency's
    working calendar (close of the n-th working day after today). edXML status 04."""
    require(actor, "document.direct", document)
    require(actor, "document.view", document, hide=True)
    if document.direction != Direction.INCOMING or document.status not in (
        DocumentStatus.REGISTERED,
        DocumentStatus.SUBMITTED,
    ):
        raise AppError(
            "documents_not_directable",
            _("Chỉ phân công được văn bản đến đã vào sổ, chưa phân công."),
            status=409,
        )
    _signature_blocks(document)
    leader = c.staff_of(actor)
    agency = document.agency
    errors = c.Errors()
    if not instruction or not instruction.strip():
        errors.add("instruction", _("Ý kiến chỉ đạo là bắt buộc."))
    main = _handler(main_handler, agency, "main_handler", errors)
    co = [_handler(h, agency, f"co_handlers[{i}]", errors) for i, h in enumerate(co_handlers)]
    info = [
        _handler(h, agency, f"for_information[{i}]", errors) for i, h in enumerate(for_information)
    ]
    at = c.now()
    if due_at is not None and working_days is not None:
        errors.add("due_at", _("Chỉ ghi hạn xử lý hoặc số ngày làm việc, không ghi cả hai."))
    if due_at is not None and due_at <= at:
        errors.add("due_at", _("Hạn xử lý phải sau thời điểm hiện tại."))
    if working_days is not None and not 1 <= working_days <= 365:
        errors.add("working_days", _("Số ngày làm việc phải từ 1 đến 365."))
    errors.raise_if_any()
    if working_days is not None:
        due_at = WorkingCalendar.for_agency(agency).due_after_working_days(at, working_days)
    with transaction.atomic():
        before = _state(document)
        rows: list[tuple[str, StaffMember | Unit | None]] = [(HandlingRole.MAIN, main)]
        rows += [(HandlingRole.CO, h) for h in co]
        rows += [(HandlingRole.FOR_INFORMATION, h) for h in info]
        handlings = []
        for role, who in rows:
            handlings.append(
                Handling.objects.create(
                    document=document,
                    agency=agency,
                    staff=who if isinstance(who, StaffMember) else None,
                    unit=who if isinstance(who, Unit) else None,
                    role=role,
                    due_at=due_at if role != HandlingRole.FOR_INFORMATION else None,
                    assigned_by=leader,
                )
            )
        document.instruction = instruction.strip()
        document.directed_by = leader
        document.directed_at = at
        document.handling_due_at = due_at
        document.status = DocumentStatus.ASSIGNED
        c.trace(
            document, "directed", actor=actor, at=at, instruction=document.instruction,
            due_at=due_at.isoformat() if due_at else None,
            handlers=[f"{h.role}:{h.staff or h.unit}" for h in handlings],
        )  # fmt: skip
        document.save()
        _report_status(document=document, at=at)
        for h in handlings:
            users = [h.staff.user] if h.staff else []
            for user in users:
                notification_send(
                    event="documents.assigned",
                    subject=_("Văn bản đến được giao: %(role)s") % {"role": h.get_role_display()},
                    body=document.subject[:300],
                    recipient_user=user,
                    channels=("in_app",),
                    actor=actor,
                    agency=agency,
                )
        audit_record(
            actor=actor, action="document.direct", target=document, before=before,
            after=_state(document),
        )  # fmt: skip
    return document


def _handler_check(actor: Any, handling: Handling) -> StaffMember:
    require(actor, "document.handle", handling.document)
    staff = c.staff_of(actor)
    mine = handling.staff_id == staff.pk or (
        handling.staff_id is None and handling.unit_id == staff.unit_id
    )
    if not mine:
        raise PermissionDenied(_("Bạn không được giao xử lý văn bản này."))
    if handling.document.status not in OPEN_STATUSES:
        raise AppError("documents_handling_closed", _("Văn bản không còn đang xử lý."), status=409)
    if handling.status == HandlingStatus.DONE:
        raise AppError("documents_handling_done", _("Phần việc này đã hoàn thành."), status=409)
    return staff


def handling_progress(*, actor: Any, handling: Handling, note: str) -> HandlingProgress:
    """A handler records progress; the document is then processing (edXML 05)."""
    _handler_check(actor, handling)
    if not note or not note.strip():
        message = _("Nội dung tiến độ là bắt buộc.")
        raise ValidationFailed(message, fields={"note": [message]})
    document = handling.document
    with transaction.atomic():
        at = c.now()
        progress = HandlingProgress.objects.create(
            handling=handling, author=actor, note=note.strip()
        )
        handling.status = HandlingStatus.PROCESSING
        handling.save(update_fields=["status", "updated_at"])
        if document.status == DocumentStatus.ASSIGNED:
            document.status = DocumentStatus.PROCESSING
            c.trace(document, "processing", actor=actor, at=at)
            document.save()
            _report_status(document=document, at=at)
        audit_record(
            actor=actor, action="document.handling_progress", target=document,
            after={"handling": handling.pk, "note": note.strip()[:200]},
        )  # fmt: skip
    return progress


def handling_reply(*, actor: Any, handling: Handling, outgoing_document: Document) -> Handling:
    """Link the outgoing document that answers the incoming one (follow-up register col. 6)."""
    _handler_check(actor, handling)
    if (
        outgoing_document.agency_id != handling.agency_id
        or outgoing_document.direction != Direction.OUTGOING
    ):
        message = _("Văn bản trả lời phải là văn bản đi của cơ quan.")
        raise ValidationFailed(message, fields={"outgoing_document": [message]})
    with transaction.atomic():
        handling.reply_document = outgoing_document
        handling.save(update_fields=["reply_document", "updated_at"])
        audit_record(
            actor=actor, action="document.handling_reply", target=handling.document,
            after={"handling": handling.pk, "reply": outgoing_document.pk},
        )  # fmt: skip
    return handling


def handling_close(*, actor: Any, handling: Handling, note: str = "") -> Handling:
    """A handler finishes their part. When the main handler closes, the document is done
    (edXML 06), on time or late against its deadline (the paperless figures count it)."""
    _handler_check(actor, handling)
    document = handling.document
    with transaction.atomic():
        at = c.now()
        if note and note.strip():
            HandlingProgress.objects.create(handling=handling, author=actor, note=note.strip())
        handling.status = HandlingStatus.DONE
        handling.closed_at = at
        handling.save(update_fields=["status", "closed_at", "updated_at"])
        if handling.role == HandlingRole.MAIN:
            before = _state(document)
            document.status = DocumentStatus.DONE
            document.closed_at = at
            document.closed_on_time = (
                document.handling_due_at is None or at <= document.handling_due_at
            )
            c.trace(document, "done", actor=actor, at=at, on_time=document.closed_on_time)
            document.save()
            fact_add(
                agency_id=document.agency_id,
                at=at,
                incoming_on_time=int(document.closed_on_time),
                incoming_late=int(not document.closed_on_time),
            )
            people_changed(source="documents", object_id=document.pk)  # indicators: per person
            _report_status(document=document, at=at)
        else:
            before = None
        audit_record(
            actor=actor, action="document.handling_close", target=document, before=before,
            after={"handling": handling.pk, "status": document.status},
        )  # fmt: skip
    return handling


def _copies(document_id: str, agency: Agency | None) -> list[Document]:
    found = Document.objects.filter(
        direction=Direction.INCOMING, document_id=document_id, source=Source.EXCHANGE
    )
    if agency is not None:
        found = found.filter(agency=agency)
    return list(found.select_related("agency"))


def incoming_revoke(
    *, document_id: str, reason: str, agency: Agency | None = None
) -> list[Document]:
    """The sender revoked a document it sent through the exchange (BussinessDocType 1): each
    receiving copy (of `agency`, or of every agency here) loses its files and keeps its
    metadata, marked revoked, frozen and logged (Art. 18.4). Already revoked: unchanged.
    Unknown DocumentId: `NotFound` (the exchange answers 16)."""
    copies = _copies(document_id, agency)
    if not copies:
        raise NotFound()
    with transaction.atomic():
        at = c.now()
        for copy in copies:
            if copy.status != DocumentStatus.REVOKED:
                revoke_copy(copy, reason=reason or "", at=at)
    return copies


def incoming_update(
    *,
    document_id: str,
    metadata: Mapping[str, Any],
    reason: str = "",
    agency: Agency | None = None,
) -> list[Document]:
    """The sender updated the metadata of a document (BussinessDocType 2): the Appendix VI
    fields given in `metadata` replace the copies' values (numbers the receiver gave stay)."""
    copies = [d for d in _copies(document_id, agency) if d.status != DocumentStatus.REVOKED]
    if not copies:
        raise NotFound()
    errors = c.Errors()
    values = _parse_metadata(
        {"subject": copies[0].subject, "type": copies[0].type, **metadata}, errors
    )
    errors.raise_if_any()
    if "organ_name" in metadata:  # the issuer's name is kept as sent (Appendix VI: String 200)
        values["organ_name"] = str(metadata["organ_name"]).strip()[:200]
    fields = sorted({"type" if k == "type_name" else k for k in metadata} - {"channel"})
    with transaction.atomic():
        at = c.now()
        for copy in copies:
            before = _state(copy)
            for field in fields:
                setattr(copy, field, values[field])
            c.trace(copy, "updated", at=at, reason=reason, fields=fields)
            copy.search_text = c.search_text_for(copy)
            copy.save()
            audit_record(actor=None, action="document.update", target=copy, before=before,
                         after=_state(copy))  # fmt: skip
    return copies


def incoming_replace(
    *,
    document_id: str,
    agency: Agency,
    new_document_id: str,
    metadata: Mapping[str, Any],
    files: Iterable[Any] = (),
    sender_organ_id: str = "",
    sender_organ_name: str = "",
    reason: str = "",
) -> Document:
    """The sender replaced a document (BussinessDocType 3): the old copy is revoked (reason
    "replaced by …") and the new document arrives in the clerk's queue."""
    with transaction.atomic():
        copies = _copies(document_id, agency)
        if not copies:
            raise NotFound()
        at = c.now()
        why = reason or _("Được thay thế bởi văn bản %(id)s") % {"id": new_document_id}
        for copy in copies:
            if copy.status != DocumentStatus.REVOKED:
                revoke_copy(copy, reason=why, at=at)
        return incoming_receive(
            agency=agency,
            source=Source.EXCHANGE,
            metadata=metadata,
            files=files,
            sender_organ_id=sender_organ_id,
            sender_organ_name=sender_organ_name,
            document_id=new_document_id,
        )
