"""Distribution of issued documents and the statuses that come back (reference issue §5).

* A recipient on the platform gets an incoming copy in its queue at once (status "arrived",
  edXML 01), a second `Document` row of the receiving agency pointing to the original
  (`source_document`) and sharing its stored files (content-addressed: nothing copied).
* Each later step at the receiver (registered 03, assigned 04, processing 05, done 06,
  rejected 02) is reported back by `report_status`: to the sender's `Recipient` row directly
  when the sender is on the platform, through `events.on_incoming_status_change` (the exchange)
  when the document came by edXML.
* A recipient outside the platform is handed to the exchange outbox
  (`events.outbox_hand_over`); the exchange reports what the partner answers with
  `recipient_status_update`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from egov.audit.services import audit_record
from egov.core.errors import NotFound, ValidationFailed
from egov.documents import events
from egov.documents.models import (
    Channel,
    DeliveryStatus,
    Direction,
    Document,
    DocumentFile,
    DocumentGrant,
    DocumentStatus,
    FileKindChoice,
    Recipient,
    RecipientChannel,
    Source,
)
from egov.documents.services import _common as c
from egov.organisations.models import RoleCode, StaffMember

STATUS_CODES = frozenset(DeliveryStatus.values) - {""}
# What the receiver's document status means for the sender (edXML codes).
STATUS_OF = {
    DocumentStatus.ARRIVED: DeliveryStatus.ARRIVED,
    DocumentStatus.REJECTED: DeliveryStatus.REJECTED,
    DocumentStatus.REGISTERED: DeliveryStatus.ACCEPTED,
    DocumentStatus.ASSIGNED: DeliveryStatus.ASSIGNED,
    DocumentStatus.PROCESSING: DeliveryStatus.PROCESSING,
    DocumentStatus.DONE: DeliveryStatus.DONE,
    DocumentStatus.REVOKED: DeliveryStatus.RECALL_ACCEPTED,
}
COPIED_FIELDS = (
    "organ_id", "organ_name", "type_id", "code_number", "code_notation", "issued_date",
    "subject", "language", "page_amount", "description", "signer_position",
    "signer_full_name", "signer_competence_id", "priority_id", "secrecy_id", "issued_amount",
    "due_date", "document_id", "content_text",
)  # fmt: skip


def _apply_status(recipient: Recipient, *, code: str, description: str, at: datetime) -> Recipient:
    recipient.status_history = [
        *recipient.status_history,
        {"code": code, "description": description, "at": at.isoformat()},
    ]
    # Statuses can arrive out of order over the exchange: the latest instant wins.
    if recipient.status_at is None or at >= recipient.status_at:
        recipient.status = code
        recipient.status_description = description[:500]
        recipient.status_at = at
    recipient.save(
        update_fields=["status", "status_description", "status_at", "status_history", "updated_at"]
    )
    return recipient


def _platform_copy(document: Document, recipient: Recipient, *, actor: Any, at: datetime) -> None:
    assert recipient.agency is not None
    copy = Document(
        agency=recipient.agency,
        direction=Direction.INCOMING,
        channel=Channel.ELECTRONIC,
        source=Source.PLATFORM,
        status=DocumentStatus.ARRIVED,
        source_document=document,
        arrived_at=at,
        **{name: getattr(document, name) for name in COPIED_FIELDS},
    )
    copy.to_places = ""
    c.trace(copy, "arrived", actor=actor, at=at, sender=document.organ_id)
    copy.search_text = c.search_text_for(copy)
    copy.save()
    DocumentFile.objects.bulk_create(
        DocumentFile(
            document=copy,
            stored_file_id=f.stored_file_id,
            kind=f.kind,
            version=1,
            signed=f.signed,
        )
        for f in document.files.filter(
            version=document.version, kind__in=[FileKindChoice.MAIN, FileKindChoice.ATTACHMENT]
        )
    )
    if document.secrecy.level > 0:
        # Secret documents: only the receiving clerks (who keep the secret register) are
        # named on arrival; the leader's direction names the handlers.
        clerks = StaffMember.objects.filter(
            agency=recipient.agency, is_active=True, roles__code=RoleCode.CLERK
        ).distinct()
        DocumentGrant.objects.bulk_create(
            DocumentGrant(document=copy, staff=s, reason=_("Văn thư tiếp nhận")) for s in clerks
        )
    recipient.incoming_document = copy
    recipient.sent_at = at
    recipient.save(update_fields=["incoming_document", "sent_at", "updated_at"])
    _apply_status(recipient, code=DeliveryStatus.ARRIVED, description="", at=at)
    audit_record(
        actor=actor,
        action="document.arrive",
        target=copy,
        after={"source_document": document.pk, "status": copy.status},
        summary=_("Văn bản đến từ %(sender)s: %(n)s")
        % {"sender": document.organ_name[:80], "n": document.number_notation},
    )


def distribute(
    *, document: Document, actor: Any, at: datetime, recipients: list[Recipient] | None = None
) -> None:
    """Send an issued document to its recipients (inside `document_issue`'s transaction);
    `recipients` when the caller already read them (with their agencies, in order)."""
    if recipients is None:
        recipients = list(document.recipients.select_related("agency").order_by("pk"))
    for recipient in recipients:
        if recipient.channel == RecipientChannel.PLATFORM:
            _platform_copy(document, recipient, actor=actor, at=at)
        elif recipient.channel == RecipientChannel.EXCHANGE:
            if document.secrecy.level > 0:  # checked at drafting and issue; never send
                continue
            if events.outbox_hand_over(document_id=document.pk, recipient_id=recipient.pk):
                recipient.sent_at = at
                recipient.save(update_fields=["sent_at", "updated_at"])


def _report_status(*, document: Document, at: datetime, description: str = "") -> None:
    """Tell the sender of an incoming document its new status (see the module notes)."""
    code = STATUS_OF.get(DocumentStatus(document.status))
    if code is None:
        return
    if document.source == Source.PLATFORM and document.source_document_id:
        for recipient in Recipient.objects.filter(incoming_document=document):
            _apply_status(recipient, code=code, description=description, at=at)
    elif document.source == Source.EXCHANGE:
        events.on_incoming_status_change(
            document_id=document.pk, status_code=code, description=description
        )


def recall_copies(*, document: Document, reason: str, at: datetime) -> None:
    """The sender recalled `document`: platform copies are revoked now (15 comes back);
    exchange recipients are asked (13) through the exchange's revoke message."""
    for recipient in document.recipients.select_related("incoming_document"):
        copy = recipient.incoming_document
        if copy is not None and copy.status != DocumentStatus.REVOKED:
            revoke_copy(copy, reason=reason, at=at)
            _apply_status(recipient, code=DeliveryStatus.RECALL_ACCEPTED, description=reason, at=at)
        elif recipient.channel == RecipientChannel.EXCHANGE:
            _apply_status(
                recipient, code=DeliveryStatus.RECALL_REQUESTED, description=reason, at=at
            )
            events.revoke_hand_over(
                document_id=document.pk, recipient_id=recipient.pk, reason=reason
            )


def revoke_copy(copy: Document, *, reason: str, at: datetime, actor: Any = None) -> None:
    """Revoke an incoming document (Art. 18.4): its files are removed from the receiver's
    system, its metadata kept, frozen and marked revoked, the recall logged."""
    before = {"status": copy.status}
    copy.files.all().delete()
    copy.status = DocumentStatus.REVOKED
    copy.frozen_at = at
    copy.revoke_reason = reason[:500]
    c.trace(copy, "revoked", actor=actor, at=at, reason=reason)
    copy.save()
    copy.handlings.exclude(status="done").update(status="done", closed_at=at)
    audit_record(
        actor=actor,
        action="document.revoke",
        target=copy,
        before=before,
        after={"status": copy.status, "reason": reason},
    )


def recipient_status_update(
    *,
    document_id: str,
    organ_id: str,
    status_code: str,
    description: str = "",
    at: datetime | None = None,
) -> Recipient:
    """A status message came back from a partner system (the exchange calls this): record it
    on the sender's recipient row. Unknown document or recipient: `NotFound`."""
    code = (status_code or "").strip()
    if code not in STATUS_CODES:
        message = _("Mã trạng thái không hợp lệ: %(code)s.") % {"code": code}
        raise ValidationFailed(message, fields={"status_code": [message]})
    recipient = (
        Recipient.objects.select_related("document")
        .filter(
            document__direction=Direction.OUTGOING,
            document__document_id=document_id,
            organ_id=organ_id,
        )
        .first()
    )
    if recipient is None:
        raise NotFound()
    with transaction.atomic():
        before = {"status": recipient.status}
        _apply_status(recipient, code=code, description=description or "", at=at or c.now())
        audit_record(
            actor=None,
            action="document.recipient_status",
            target=recipient.document,
            before=before,
            after={"recipient": recipient.organ_id, "status": recipient.status},
        )
    return recipient
