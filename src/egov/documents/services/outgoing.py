"""Outgoing documents (văn bản đi): drafting, review, signing, issuing, recall.

Decree 30/2020 Art. 10–18 (reference §1.6). Every function is one transaction with its audit
row; distribution to recipients is in `distribution.py` and runs inside `document_issue`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from egov.audit.services import audit_record, snapshot
from egov.core.errors import AppError, NotFound, PermissionDenied
from egov.documents import signatures
from egov.documents.figures import fact_add, fact_upsert_sql
from egov.documents.models import (
    Channel,
    CommentKind,
    Direction,
    Document,
    DocumentFile,
    DocumentStatus,
    DocumentType,
    DraftComment,
    FieldAbbreviation,
    FileKindChoice,
    Recipient,
    RecipientChannel,
    RecipientKind,
    SecrecyLevel,
    SigningAuthority,
    Source,
    TypeCategory,
    Urgency,
)
from egov.documents.notation import build_document_id, build_notation
from egov.documents.numbering import (
    allocate_number,
    legal_year,
    outgoing_series_key,
    render_number,
)
from egov.documents.services import _common as c
from egov.documents.services.distribution import distribute
from egov.documents.services.review import review_process_for
from egov.organisations.models import Agency, Unit
from egov.policy.engine import can, require
from egov.workflow.models import Action, InstanceStatus
from egov.workflow.services import instance_act, instance_start

AUDIT_FIELDS = [
    "status",
    "subject",
    "type_id",
    "priority_id",
    "secrecy_id",
    "version",
    "code_number",
    "code_notation",
    "issued_date",
    "document_id",
    "signer_id",
]
EDITABLE = (DocumentStatus.DRAFT, DocumentStatus.RETURNED)


@dataclass(frozen=True)
class RecipientInput:
    """An addressee: an agency on the platform, or an outside body by OrganId and name.

    `channel` None: the platform when the OrganId is an agency here, else the exchange.
    """

    organ_id: str = ""
    organ_name: str = ""
    agency: Agency | None = None
    kind: str = RecipientKind.MAIN
    channel: str | None = None


def _state(document: Document) -> dict[str, Any]:
    return snapshot(document, AUDIT_FIELDS)


def _as_recipient(item: Any) -> RecipientInput:
    if isinstance(item, RecipientInput):
        return item
    if isinstance(item, Agency):
        return RecipientInput(agency=item)
    if isinstance(item, dict):
        return RecipientInput(**item)
    raise TypeError(f"not a recipient: {item!r}")


@dataclass(frozen=True)
class _ResolvedRecipient:
    agency: Agency | None
    organ_id: str
    organ_name: str
    kind: str
    channel: str


def _resolve_recipients(
    items: Iterable[Any], *, sender: Agency, secret: bool, errors: c.Errors
) -> list[_ResolvedRecipient]:
    resolved: list[_ResolvedRecipient] = []
    seen: set[str] = set()
    for i, raw in enumerate(items):
        field = f"recipients[{i}]"
        try:
            item = _as_recipient(raw)
        except TypeError:
            errors.add(field, _("Nơi nhận không hợp lệ."))
            continue
        agency = item.agency
        organ_id = (item.organ_id or "").strip()
        if agency is None and organ_id:
            agency = Agency.objects.filter(code=organ_id, is_active=True).first()
        if item.kind not in RecipientKind.values:
            errors.add(f"{field}.kind", _("Loại nơi nhận không hợp lệ."))
        channel = item.channel or (
            RecipientChannel.PLATFORM if agency is not None else RecipientChannel.EXCHANGE
        )
        if channel not in RecipientChannel.values:
            errors.add(f"{field}.channel", _("Cách gửi không hợp lệ."))
            continue
        if channel == RecipientChannel.PLATFORM and agency is None:
            errors.add(field, _("Cơ quan nhận không có trên hệ thống."))
            continue
        if agency is not None and agency.pk == sender.pk:
            errors.add(field, _("Không gửi văn bản cho chính cơ quan ban hành."))
            continue
        if agency is not None:
            organ_id, organ_name = agency.code, agency.name
        else:
            organ_name = (item.organ_name or "").strip()
            if not organ_name:
                errors.add(f"{field}.organ_name", _("Tên cơ quan nhận là bắt buộc."))
                continue
            if channel == RecipientChannel.EXCHANGE and not organ_id:
                errors.add(
                    f"{field}.organ_id",
                    _("Gửi liên thông cần mã định danh của cơ quan nhận."),
                )
                continue
        if secret and channel == RecipientChannel.EXCHANGE:
            errors.add(
                field,
                _("Văn bản mật không được gửi qua trục liên thông (edXML): %(name)s.")
                % {"name": organ_name},
            )
            continue
        key = organ_id or f"name:{organ_name}"
        if key in seen:
            errors.add(field, _("Nơi nhận bị trùng: %(name)s.") % {"name": organ_name})
            continue
        seen.add(key)
        resolved.append(_ResolvedRecipient(agency, organ_id, organ_name[:200], item.kind, channel))
    return resolved


def _replace_recipients(document: Document, recipients: Sequence[_ResolvedRecipient]) -> None:
    document.recipients.all().delete()
    Recipient.objects.bulk_create(
        Recipient(
            document=document,
            agency=r.agency,
            organ_id=r.organ_id,
            organ_name=r.organ_name,
            kind=r.kind,
            channel=r.channel,
        )
        for r in recipients
    )


def _check_common(
    *,
    errors: c.Errors,
    agency: Agency,
    doc_type: DocumentType | None,
    subject: str | None,
    unit: Unit | None,
    field_abbreviation: FieldAbbreviation | None,
    channel: str | None,
) -> None:
    if doc_type is not None and (not doc_type.is_active or doc_type.category == TypeCategory.COPY):
        errors.add("doc_type", _("Loại văn bản không dùng được để soạn thảo."))
    if subject is not None and (not subject.strip() or len(subject) > 500):
        errors.add("subject", _("Trích yếu là bắt buộc (tối đa 500 ký tự)."))
    if unit is not None and unit.agency_id != agency.pk:
        errors.add("unit", _("Đơn vị soạn thảo không thuộc cơ quan."))
    if field_abbreviation is not None and field_abbreviation.agency_id != agency.pk:
        errors.add("field_abbreviation", _("Lĩnh vực không thuộc cơ quan."))
    if channel is not None and channel not in Channel.values:
        errors.add("channel", _("Hình thức văn bản không hợp lệ."))


def _check_cong_van(
    errors: c.Errors,
    doc_type: DocumentType,
    unit: Unit | None,
    field_abbreviation: FieldAbbreviation | None,
) -> None:
    if (
        doc_type.category == TypeCategory.OFFICIAL_LETTER
        and unit is None
        and not (field_abbreviation)
    ):
        errors.add(
            "unit",
            _("Công văn cần đơn vị soạn thảo hoặc lĩnh vực để ghi ký hiệu (ví dụ UBND-VX)."),
        )


def draft_create(
    *,
    actor: Any,
    agency: Agency,
    doc_type: DocumentType,
    subject: str,
    urgency: Urgency | None = None,
    secrecy: SecrecyLevel | None = None,
    recipients: Iterable[Any] = (),
    files: Iterable[Any] = (),
    unit: Unit | None = None,
    field_abbreviation: FieldAbbreviation | None = None,
    channel: str = Channel.ELECTRONIC,
    description: str = "",
    due_date: date | None = None,
    page_amount: int | None = None,
    issued_amount: int | None = None,
    to_places: str = "",
    is_public: bool = False,
) -> Document:
    """A specialist's new draft (metadata, files, recipients); the review process starts at
    the drafting step. `urgency`/`secrecy` default to ordinary."""
    require(actor, "document.draft", agency)
    staff = c.staff_of(actor)
    if staff.agency_id != agency.pk:
        raise PermissionDenied()
    unit = unit or staff.unit
    secrecy = secrecy or c.default_secrecy()
    urgency = urgency or c.default_urgency()
    errors = c.Errors()
    _check_common(
        errors=errors,
        agency=agency,
        doc_type=doc_type,
        subject=subject,
        unit=unit,
        field_abbreviation=field_abbreviation,
        channel=channel,
    )
    _check_cong_van(errors, doc_type, unit, field_abbreviation)
    if len(description) > 500:
        errors.add("description", _("Ghi chú tối đa 500 ký tự."))
    resolved = _resolve_recipients(
        recipients, sender=agency, secret=secrecy.level > 0, errors=errors
    )
    file_inputs = c.as_file_inputs(files)
    c.check_file_inputs(file_inputs, errors)
    errors.raise_if_any()
    with transaction.atomic():
        at = c.now()
        document = Document(
            agency=agency,
            direction=Direction.OUTGOING,
            channel=channel,
            source=Source.DRAFTED,
            status=DocumentStatus.DRAFT,
            organ_id=agency.code,
            organ_name=agency.name[:200],
            type=doc_type,
            subject=subject.strip(),
            description=description,
            priority=urgency,
            secrecy=secrecy,
            due_date=due_date,
            page_amount=page_amount,
            issued_amount=issued_amount,
            to_places=to_places,
            unit=unit,
            field_abbreviation=field_abbreviation,
            drafter=staff,
            is_public=is_public and secrecy.level == 0,
        )
        c.trace(document, "draft_create", actor=actor, at=at)
        document.search_text = c.search_text_for(document)
        document.save()
        _replace_recipients(document, resolved)
        c._store_files(document, file_inputs, actor=actor, version=1)
        document.review = instance_start(
            process=review_process_for(agency),
            subject=document,
            agency=agency,
            actor=actor,
            at=at,
            note=_("Tạo dự thảo"),
        )
        document.save(update_fields=["review"])
        audit_record(
            actor=actor,
            action="document.draft_create",
            target=document,
            after=_state(document),
            summary=_("Tạo dự thảo văn bản: %(subject)s") % {"subject": document.subject[:100]},
        )
    return document


def _editable(document: Document, actor: Any) -> None:
    require(actor, "document.draft", document)
    require(actor, "document.view", document, hide=True)
    if document.direction != Direction.OUTGOING or document.status not in EDITABLE:
        raise AppError(
            "documents_not_editable",
            _("Chỉ sửa được dự thảo đang soạn thảo hoặc bị trả lại."),
            status=409,
        )


def draft_update(
    *,
    actor: Any,
    document: Document,
    files: Iterable[Any] | None = None,
    recipients: Iterable[Any] | None = None,
    **changes: Any,
) -> Document:
    """Edit a draft (drafting or returned). New files after a return make a new version;
    the returned version and its comments stay. `changes`: subject, doc_type, urgency,
    secrecy, unit, field_abbreviation, channel, description, due_date, page_amount,
    issued_amount, to_places, is_public."""
    _editable(document, actor)
    allowed = {
        "subject", "doc_type", "urgency", "secrecy", "unit", "field_abbreviation", "channel",
        "description", "due_date", "page_amount", "issued_amount", "to_places", "is_public",
    }  # fmt: skip
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    errors = c.Errors()
    doc_type = changes.get("doc_type", document.type)
    unit = changes.get("unit", document.unit)
    field_abbreviation = changes.get("field_abbreviation", document.field_abbreviation)
    secrecy = changes.get("secrecy") or document.secrecy
    _check_common(
        errors=errors,
        agency=document.agency,
        doc_type=changes.get("doc_type"),
        subject=changes.get("subject"),
        unit=changes.get("unit"),
        field_abbreviation=changes.get("field_abbreviation"),
        channel=changes.get("channel"),
    )
    _check_cong_van(errors, doc_type, unit, field_abbreviation)
    if recipients is not None:
        resolved = _resolve_recipients(
            recipients, sender=document.agency, secret=secrecy.level > 0, errors=errors
        )
    elif secrecy.level > 0 and document.recipients.filter(channel=RecipientChannel.EXCHANGE):
        resolved = []
        errors.add("secrecy", _("Văn bản mật không được gửi qua trục liên thông (edXML)."))
    file_inputs = c.as_file_inputs(files) if files is not None else None
    if file_inputs is not None:
        c.check_file_inputs(file_inputs, errors)
    errors.raise_if_any()
    with transaction.atomic():
        before = _state(document)
        at = c.now()
        mapping = {"doc_type": "type", "urgency": "priority"}
        for name, value in changes.items():
            setattr(document, mapping.get(name, name), value)
        if document.secrecy.level > 0:
            document.is_public = False
        if file_inputs is not None:
            if document.status == DocumentStatus.RETURNED:
                document.version += 1
            else:
                document.files.filter(version=document.version).delete()
            c._store_files(document, file_inputs, actor=actor, version=document.version)
        if recipients is not None:
            _replace_recipients(document, resolved)
        c.trace(document, "draft_update", actor=actor, at=at, version=document.version)
        document.search_text = c.search_text_for(document)
        document.save()
        audit_record(
            actor=actor,
            action="document.draft_update",
            target=document,
            before=before,
            after=_state(document),
        )
    return document


def _comment(document: Document, actor: Any, kind: str, body: str) -> DraftComment:
    step = document.review.current_step if document.review is not None else None
    return DraftComment.objects.create(
        document=document,
        version=document.version,
        author=actor,
        kind=kind,
        step_code=step.code if step is not None else "",
        body=body,
    )


def draft_submit(*, actor: Any, document: Document, note: str = "") -> Document:
    """The drafter sends the draft (or the corrected version) into review."""
    _editable(document, actor)
    if document.review is None:
        raise AppError("documents_no_review", _("Dự thảo chưa có quy trình trình duyệt."))
    with transaction.atomic():
        before = _state(document)
        instance_act(instance=document.review, action=Action.SUBMIT, actor=actor, note=note)
        _comment(document, actor, CommentKind.SUBMIT, note)
        document.status = DocumentStatus.IN_REVIEW
        c.trace(document, "draft_submit", actor=actor, at=c.now(), version=document.version)
        document.save(update_fields=["status", "trace_header_list", "updated_at"])
        audit_record(
            actor=actor,
            action="document.draft_submit",
            target=document,
            before=before,
            after=_state(document),
        )
    return document


def _reviewing(document: Document, actor: Any) -> None:
    require(actor, "document.review", document)
    require(actor, "document.view", document, hide=True)
    if document.status != DocumentStatus.IN_REVIEW or document.review is None:
        raise AppError(
            "documents_not_in_review", _("Dự thảo không ở trạng thái trình duyệt."), status=409
        )
    step = document.review.current_step
    if step is not None and step.code == "truong-phong" and document.unit_id:
        staff = c.staff_of(actor)
        if staff.unit_id != document.unit_id:
            raise PermissionDenied(_("Chỉ lãnh đạo đơn vị soạn thảo được kiểm tra dự thảo này."))


def draft_comment(*, actor: Any, document: Document, body: str) -> DraftComment:
    """A comment on the current version, by a reviewer or the drafter."""
    require(actor, "document.view", document, hide=True)
    staff = c.staff_of(actor)
    if not (can(actor, "document.review", document) or staff.pk == document.drafter_id):
        raise PermissionDenied()
    if document.status not in (*EDITABLE, DocumentStatus.IN_REVIEW, DocumentStatus.APPROVED):
        raise AppError("documents_closed", _("Văn bản đã ban hành, không góp ý được."), status=409)
    if not body or not body.strip():
        message = _("Nội dung góp ý là bắt buộc.")
        raise c.ValidationFailed(message, fields={"body": [message]})
    with transaction.atomic():
        comment = _comment(document, actor, CommentKind.COMMENT, body.strip())
        audit_record(
            actor=actor,
            action="document.draft_comment",
            target=document,
            after={"comment": comment.pk, "version": comment.version},
        )
    return comment


def draft_return(*, actor: Any, document: Document, reason: str) -> Document:
    """A reviewer returns the draft to the drafter, with the reason (kept with the version)."""
    _reviewing(document, actor)
    if not reason or not reason.strip():
        message = _("Cần ghi lý do trả lại dự thảo.")
        raise c.ValidationFailed(message, fields={"reason": [message]})
    assert document.review is not None
    with transaction.atomic():
        before = _state(document)
        instance_act(instance=document.review, action=Action.RETURN, actor=actor, note=reason)
        _comment(document, actor, CommentKind.RETURN, reason.strip())
        document.status = DocumentStatus.RETURNED
        c.trace(document, "draft_return", actor=actor, at=c.now(), version=document.version)
        document.save(update_fields=["status", "trace_header_list", "updated_at"])
        audit_record(
            actor=actor,
            action="document.draft_return",
            target=document,
            before=before,
            after=_state(document),
        )
    return document


def draft_approve(*, actor: Any, document: Document, note: str = "") -> Document:
    """The reviewer at the current step agrees: forward to the next step, or (the leader)
    approve, which ends the review: the draft is approved and waits for the signature."""
    _reviewing(document, actor)
    instance = document.review
    assert instance is not None and instance.current_step is not None
    declared = {t.action for t in instance.current_step.outgoing.all()}
    action = next(
        (a for a in (Action.APPROVE, Action.FORWARD, Action.SIGN_RESULT) if a in declared), None
    )
    if action is None:
        raise AppError("documents_no_approval", _("Bước này không có thao tác duyệt."), status=409)
    with transaction.atomic():
        before = _state(document)
        instance_act(instance=instance, action=action, actor=actor, note=note)
        _comment(document, actor, CommentKind.APPROVE, note)
        if instance.status == InstanceStatus.COMPLETED:
            document.status = DocumentStatus.APPROVED
        c.trace(document, "draft_approve", actor=actor, at=c.now(), version=document.version)
        document.save(update_fields=["status", "trace_header_list", "updated_at"])
        audit_record(
            actor=actor,
            action="document.draft_approve",
            target=document,
            before=before,
            after=_state(document),
        )
    return document


def _main_file(document: Document) -> DocumentFile | None:
    return (
        document.files.filter(kind=FileKindChoice.MAIN, version=document.version)
        .select_related("stored_file")
        .order_by("-pk")
        .first()
    )


def document_sign(
    *,
    actor: Any,
    document: Document,
    competence: SigningAuthority | None = None,
    position: str = "",
) -> Document:
    """The competent person signs the approved document.

    Electronic documents: the main PDF is signed with the signer's key (PAdES, visible
    appearance, `egov.signing`); the signed file becomes the main file of the version.
    Paper documents: the handwritten signature is recorded. Signer name, position and
    competence (TM., KT., TL., TUQ., Q.) fill SignerInfo.
    """
    require(actor, "document.sign", document)
    require(actor, "document.view", document, hide=True)
    staff = c.staff_of(actor)
    if document.status != DocumentStatus.APPROVED:
        raise AppError(
            "documents_not_approved", _("Chỉ ký được văn bản đã được duyệt."), status=409
        )
    if staff.agency_id != document.agency_id:
        raise NotFound()
    main = _main_file(document)
    if document.channel == Channel.ELECTRONIC and (main is None or main.stored_file.kind != "pdf"):
        message = _("Văn bản điện tử cần tệp PDF của văn bản chính để ký số.")
        raise c.ValidationFailed(message, fields={"files": [message]})
    with transaction.atomic():
        before = _state(document)
        at = c.now()
        if document.channel == Channel.ELECTRONIC:
            assert main is not None
            signed = signatures.sign_as_person(
                c.read_bytes(main.stored_file),
                user=actor,
                agency=document.agency,
                reason=_("Ký ban hành văn bản"),
                location=document.agency.name,
                at=at,
            )
            stored = c.store_bytes(signed, name=main.stored_file.original_name, actor=actor)
            DocumentFile.objects.create(
                document=document,
                stored_file=stored,
                kind=FileKindChoice.MAIN,
                version=document.version,
                signed=True,
                signature_status="valid",
                added_by=actor,
            )
            document.digitally_signed = True
        document.signer = staff
        document.signer_full_name = (getattr(actor, "full_name", "") or str(actor))[:50]
        document.signer_position = (position or (staff.position.name if staff.position else ""))[
            :100
        ]
        document.signer_competence = competence
        document.signed_at = at
        document.status = DocumentStatus.SIGNED
        c.trace(document, "document_sign", actor=actor, at=at)
        document.search_text = c.search_text_for(document)
        document.save()
        audit_record(
            actor=actor,
            action="document.sign",
            target=document,
            before=before,
            after=_state(document),
        )
    return document


def _agency_seal(document: Document, *, actor: Any, number_notation: str) -> None:
    """The clerk's agency signature: over the signer's on the main file, and on each separate
    PDF attachment (number and notation + time, top right, no image)."""
    at = c.now()
    for row in document.files.filter(version=document.version).select_related("stored_file"):
        if row.stored_file.kind != "pdf":
            continue
        data = c.read_bytes(row.stored_file)
        if row.kind == FileKindChoice.MAIN and row.signed:
            sealed = signatures.sign_as_agency(
                data,
                agency=document.agency,
                reason=_("Ban hành văn bản %(n)s") % {"n": number_notation},
                location=document.agency.name,
                at=at,
            )
        elif row.kind == FileKindChoice.ATTACHMENT:
            sealed = signatures.sign_attachment(
                data, agency=document.agency, number_notation=number_notation, at=at
            )
        else:
            continue
        row.stored_file = c.store_bytes(sealed, name=row.stored_file.original_name, actor=actor)
        row.signed = True
        row.save(update_fields=["stored_file", "signed", "updated_at"])


ISSUE_FIELDS = (
    "code_number",
    "code_notation",
    "series_key",
    "series_year",
    "series_number",
    "issued_date",
    "issued_at",
    "document_id",
    "status",
    "trace_header_list",
    "search_text",
    "updated_at",
)


def document_issue(*, actor: Any, document: Document) -> Document:
    """The clerk issues a signed document: number (continuous per agency, year and series),
    notation, date of issue, document identifier, the agency signature on electronic files,
    the register (status issued), the paperless figures, then distribution: recipients on the
    platform get it in their incoming queue at once, others go to the exchange outbox (or are
    marked for the post when on paper).

    Every clerk of the agency queues on the series row from the allocation to the commit
    (`numbering.allocate_number`), so the transaction reads and checks everything first — the
    document locked and read once with its type, secrecy, agency and numbering policy in one
    statement, its recipients in a second — and takes the number only for the
    writes that carry it: the document (its changed columns), the monthly figures (one upsert),
    the audit row, then the distribution. `document` is updated in place and returned.
    """
    require(actor, "document.issue", document)
    with transaction.atomic():
        locked = (
            Document.objects.select_for_update(of=("self",))
            .select_related("type", "secrecy", "agency__numbering_policy")
            .get(pk=document.pk)
        )
        require(actor, "document.view", locked, hide=True)
        if locked.status != DocumentStatus.SIGNED:
            message = (
                _("Văn bản vừa được phát hành bởi người khác.")
                if document.status == DocumentStatus.SIGNED
                else _("Chỉ phát hành được văn bản đã ký.")
            )
            raise AppError("documents_not_signed", message, status=409)
        recipients = list(locked.recipients.select_related("agency").order_by("pk"))
        secret = locked.secrecy.level > 0
        if secret and any(r.channel == RecipientChannel.EXCHANGE for r in recipients):
            raise AppError(
                "documents_secret_exchange",
                _("Văn bản mật không được gửi qua trục liên thông (edXML)."),
                status=409,
            )
        agency = locked.agency
        before = _state(locked)
        at = c.now()
        year = legal_year(at)
        key = outgoing_series_key(agency=agency, doc_type=locked.type, secret=secret)
        # The unit or field abbreviation only for a công văn (read then; unused otherwise).
        letter = locked.type.category == TypeCategory.OFFICIAL_LETTER
        _n, code_notation = build_notation(
            number=1,  # the notation does not depend on the number: checked before taking it
            doc_type=locked.type,
            agency=agency,
            unit=locked.unit if letter else None,
            field_abbreviation=locked.field_abbreviation if letter else None,
        )
        locked.code_notation = code_notation
        locked.series_key, locked.series_year = key, year
        locked.issued_date = c.vn_date(at)
        locked.issued_at = at
        locked.updated_at = at
        locked.status = DocumentStatus.ISSUED
        counters = {
            "sent_electronic": int(locked.channel == Channel.ELECTRONIC),
            "sent_paper": int(locked.channel == Channel.PAPER),
            "digitally_signed": int(locked.digitally_signed),
        }
        # From here to the commit the agency's series row is locked: only the writes that
        # carry the number. The series lock first, the audit chain's next (fixed lock order).
        if connection.vendor == "postgresql" and locked.channel != Channel.ELECTRONIC:
            _number_and_write(locked, actor=actor, counters=counters)
        else:
            number = allocate_number(agency=agency, year=year, series_key=key)
            _set_number(locked, number, actor=actor)
            if locked.channel == Channel.ELECTRONIC:
                # The agency's seal carries the number: signed inside the locked part.
                _agency_seal(locked, actor=actor, number_notation=locked.number_notation)
            locked.save(update_fields=ISSUE_FIELDS)
            fact_add(agency_id=agency.pk, at=at, **counters)
        # The issue's entry first: it opens the transaction's audit chain (the issuer's).
        audit_record(
            actor=actor,
            action="document.issue",
            target=locked,
            before=before,
            after=_state(locked),
            summary=_("Phát hành văn bản %(n)s") % {"n": locked.number_notation},
        )
        distribute(document=locked, actor=actor, at=at, recipients=recipients)
    for name in (*ISSUE_FIELDS, "digitally_signed"):
        setattr(document, name, getattr(locked, name))
    return document


def _set_number(document: Document, number: int | str, *, actor: Any) -> None:
    """The number and what carries it: number, identifier, the trace line, the search text
    (`NUMBER_MARK` instead of a number: the same texts, the mark standing for it)."""
    if isinstance(number, int):
        document.series_number = number
        document.code_number = render_number(number)
    else:
        document.code_number = number
    document.document_id = build_document_id(
        organ_id=document.agency.code,
        issued_date=document.issued_date,  # type: ignore[arg-type]
        code_number=document.code_number,
        code_notation=document.code_notation,
    )
    assert document.issued_at is not None
    c.trace(
        document,
        "document_issue",
        actor=actor,
        at=document.issued_at,
        number=document.number_notation,
    )
    document.search_text = c.search_text_for(document)


# Stands for the number in the texts prepared before it is taken (`_number_and_write`): ASCII,
# lowercase and without spaces, so that folding and JSON leave it as it is.
NUMBER_MARK = "{{egov-so}}"


def _number_and_write(document: Document, *, actor: Any, counters: dict[str, int]) -> None:
    """PostgreSQL: the number, the document's row and the monthly figures in ONE statement.

    The texts that carry the number (identifier, trace line, search text) are prepared with
    `NUMBER_MARK` before the number exists, and the statement replaces it:

        WITH n AS (INSERT INTO documents_numberseries … ON CONFLICT … RETURNING last, <"05">),
             d AS (UPDATE documents_document SET …, document_id = replace(…, token, n.txt) …),
             f AS (INSERT INTO documents_documentmonthlyfact … SELECT … FROM n ON CONFLICT …)
        SELECT n.last FROM n

    so the agency's series row is held for this statement, the audit entry and the commit
    (one round trip fewer than the separate statements, two fewer than before). The figures
    read from ``n`` so that the series row is always locked before the figures' row. The same
    values as the SQLite path (`_set_number`, ``save``, `fact_add`): tested on both.
    """
    assert document.issued_at is not None and document.series_year is not None
    _set_number(document, NUMBER_MARK, actor=actor)  # the texts, with the mark for the number
    fact_sql, fact_params = fact_upsert_sql(
        agency_id=document.agency_id, at=document.issued_at, increments=counters, source="n"
    )
    trace = json.dumps(document.trace_header_list)
    sql = f"""
        WITH n AS (
            INSERT INTO documents_numberseries (agency_id, year, key, last)
            VALUES (%s, %s, %s, 1)
            ON CONFLICT (agency_id, year, key)
            DO UPDATE SET last = documents_numberseries.last + 1
            RETURNING last,
                CASE WHEN last < 10 THEN '0' || last::text ELSE last::text END AS txt
        ), d AS (
            UPDATE documents_document SET
                code_number = n.txt, code_notation = %s, series_key = %s, series_year = %s,
                series_number = n.last, issued_date = %s, issued_at = %s,
                document_id = replace(%s, %s, n.txt), status = %s,
                trace_header_list = replace(%s, %s, n.txt)::jsonb,
                search_text = replace(%s, %s, n.txt), updated_at = %s
            FROM n WHERE documents_document.id = %s
            RETURNING documents_document.id
        ), f AS ({fact_sql})
        SELECT n.last, n.txt, (SELECT count(*) FROM d) FROM n
    """  # noqa: S608 — only our table names and placeholders
    params: list[Any] = [
        document.agency_id, document.series_year, document.series_key,
        document.code_notation, document.series_key, document.series_year,
        document.issued_date, document.issued_at,
        document.document_id, NUMBER_MARK, document.status,
        trace, NUMBER_MARK,
        document.search_text, NUMBER_MARK, document.updated_at,
        document.pk,
        *fact_params,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    assert row is not None and row[2] == 1, "the document row was not written"
    number, text = int(row[0]), str(row[1])
    document.series_number = number
    document.code_number = text
    document.document_id = document.document_id.replace(NUMBER_MARK, text)
    document.trace_header_list = json.loads(trace.replace(NUMBER_MARK, text))
    document.search_text = document.search_text.replace(NUMBER_MARK, text)


def document_recall(*, actor: Any, document: Document, reason: str) -> Document:
    """The sender recalls an issued document (Art. 18.4): the outgoing document and its
    metadata are frozen; receivers on the platform have their copy revoked at once, those
    reached by the exchange get a revoke message (BussinessDocType 1)."""
    from egov.documents.services.distribution import recall_copies

    require(actor, "document.recall", document)
    require(actor, "document.view", document, hide=True)
    if document.direction != Direction.OUTGOING or document.status != DocumentStatus.ISSUED:
        raise AppError(
            "documents_not_issued", _("Chỉ thu hồi được văn bản đã phát hành."), status=409
        )
    if not reason or not reason.strip():
        message = _("Cần ghi lý do thu hồi.")
        raise c.ValidationFailed(message, fields={"reason": [message]})
    with transaction.atomic():
        before = _state(document)
        at = c.now()
        document.status = DocumentStatus.RECALLED
        document.frozen_at = at
        document.revoke_reason = reason.strip()[:500]
        c.trace(document, "document_recall", actor=actor, at=at, reason=document.revoke_reason)
        document.save()
        recall_copies(document=document, reason=document.revoke_reason, at=at)
        audit_record(
            actor=actor,
            action="document.recall",
            target=document,
            before=before,
            after=_state(document),
        )
    return document


def document_view_log(*, actor: Any, document: Document) -> None:
    """Record that `actor` opened `document` (pages call it on every view; secret documents
    must be logged, others may be). Refuses those who may not see it, as not found."""
    require(actor, "document.view", document, hide=True)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="document.view",
            target=document,
            summary=_("Xem văn bản %(n)s (độ mật: %(s)s)")
            % {"n": document.number_notation or document.subject[:60], "s": document.secrecy.name},
        )
