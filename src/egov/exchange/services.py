"""Every state change of the exchange: partners, the outbox and its deliveries, the inbox.

Hooks the documents app calls (through `egov.documents.events`, inside its transactions):

- `outbox_enqueue(document_id=, recipient_id=)`: an issued document for a recipient outside
  the platform → one edXML message, delivered by a job after commit;
- `revoke_enqueue(document_id=, recipient_id=, reason=)`: the sender recalls it
  (BussinessDocType 1);
- `status_enqueue(document_id=, status_code=, description=)`: an incoming document received
  through the exchange changed status → a status message back to its sender.

What this app calls in the documents app: `incoming_register`, `incoming_revoke`,
`incoming_update`, `incoming_replace` (receiving) and `recipient_status_update` (statuses
coming back). See docs/subsystems/exchange.md for the whole flow.
"""

from __future__ import annotations

import logging
import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NoReturn

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from egov.audit.services import audit_record
from egov.core.errors import AppError, Conflict, NotFound, ValidationFailed
from egov.core.files import file_open, file_store
from egov.exchange import config
from egov.exchange.edxml import (
    STATUS_LABELS,
    Attachment,
    Bussiness,
    BussinessDocType,
    Code,
    DocumentType,
    EdxmlError,
    EdxmlMessage,
    MessageHeader,
    Organization,
    OtherInfo,
    PromulgationInfo,
    ResponseFor,
    SignerInfo,
    StatusCode,
    StatusMessage,
    TraceHeader,
    build_message,
    build_status,
    parse_any,
    parse_status,
)
from egov.exchange.models import (
    Direction,
    InboundMessage,
    InboundResult,
    MessageKind,
    OutboundMessage,
    OutboundStatus,
    Partner,
    StatusEvent,
)
from egov.exchange.sealing import Unreadable
from egov.exchange.selectors import (
    outbox_due,
    partner_speaks_for,
    route_for,
    token_digest,
)
from egov.exchange.transport import Reply, Transport, TransportError
from egov.organisations.codes import validate_agency_code
from egov.organisations.models import Agency
from egov.policy.engine import require

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "egovx_"  # noqa: S105 - a marker that makes leaked partner tokens easy to scan for
SEND_LEASE = timedelta(minutes=5)


# --- partners ---------------------------------------------------------------------------------
#
# `actor=None` is the system: the `egov exchange` command run on the server by whoever may run
# it. A user actor must pass the policy (`exchange.partner_manage`: administrators).


def _may_manage(actor: Any) -> None:
    if actor is not None:
        require(actor, "exchange.partner_manage")


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(
            "Tên hệ thống đối tác không được để trống.",
            fields={"name": ["Tên hệ thống đối tác không được để trống."]},
        )
    if len(name) > 255:
        raise ValidationFailed(
            "Tên hệ thống đối tác dài tối đa 255 ký tự.",
            fields={"name": ["Tên hệ thống đối tác dài tối đa 255 ký tự."]},
        )
    return name


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    if url and (not url.startswith(("http://", "https://")) or len(url) > 500 or " " in url):
        message = "Địa chỉ hộp thư đến phải bắt đầu bằng http:// hoặc https:// (tối đa 500 ký tự)."
        raise ValidationFailed(message, fields={"url": [message]})
    return url


def _clean_token_out(token_out: str) -> str:
    token_out = (token_out or "").strip()
    if len(token_out) > 2000 or any(c.isspace() for c in token_out):
        message = "Mã truy cập của đối tác không được chứa khoảng trắng (tối đa 2000 ký tự)."
        raise ValidationFailed(message, fields={"token_out": [message]})
    return token_out


def _new_token() -> tuple[str, str, str]:
    """(token, prefix, digest): the raw token is shown once, only the digest is kept."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return raw, raw[:12], token_digest(raw)


def partner_add(
    *, actor: Any, name: str, organ_id: str, url: str = "", token_out: str = ""
) -> tuple[Partner, str]:
    """Register a partner system. Returns the row and its inbound token, shown only this once
    (the partner sends it as ``Authorization: Bearer <token>``; only its SHA-256 is kept)."""
    _may_manage(actor)
    name = _clean_name(name)
    organ_id = validate_agency_code(organ_id, field="organ_id")
    url = _clean_url(url)
    token_out = _clean_token_out(token_out)
    if Partner.objects.filter(organ_id=organ_id).exists():
        raise Conflict(
            "exchange_partner_exists",
            f"Đã có hệ thống đối tác với mã định danh {organ_id}; thu hồi hệ thống cũ trước.",
        )
    raw, prefix, digest = _new_token()
    with transaction.atomic():
        partner = Partner.objects.create(
            name=name,
            organ_id=organ_id,
            url=url,
            token_prefix=prefix,
            token_hash=digest,
            token_out=token_out,
        )
        audit_record(
            actor=actor,
            action="exchange.partner_add",
            target=partner,
            summary=f"Đăng ký hệ thống liên thông “{name}” ({organ_id})",
            after={
                "organ_id": organ_id,
                "url": url,
                "token_prefix": partner.token_prefix,
                "token_out_set": bool(token_out),
            },
        )
    return partner, raw


def _locked_active(partner: Partner) -> Partner:
    locked = Partner.objects.select_for_update().get(pk=partner.pk)
    if not locked.is_active:
        raise Conflict("exchange_partner_revoked", "Hệ thống đối tác này đã bị thu hồi.")
    return locked


def partner_update(
    *, actor: Any, partner: Partner, name: str, url: str, token_out: str | None = None
) -> Partner:
    """Change a partner's name and inbox address, and the token it gave us when `token_out` is
    given ("" clears it; None keeps it). Its agency code and our token for it do not change
    here (a new code is a new partner; a new token is `partner_issue_token`)."""
    _may_manage(actor)
    name = _clean_name(name)
    url = _clean_url(url)
    new_token_out = None if token_out is None else _clean_token_out(token_out)
    with transaction.atomic():
        locked = _locked_active(partner)
        before = {"name": locked.name, "url": locked.url, "token_out_set": bool(locked.token_out)}
        fields = ["name", "url", "updated_at"]
        locked.name = name
        locked.url = url
        if new_token_out is not None:
            locked.token_out = new_token_out
            fields.append("token_out")
        after = {"name": locked.name, "url": locked.url, "token_out_set": bool(locked.token_out)}
        if new_token_out is not None:
            after["token_out_changed"] = True
        locked.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="exchange.partner_update",
            target=locked,
            summary=f"Cập nhật hệ thống liên thông “{locked.name}” ({locked.organ_id})",
            before=before,
            after=after,
        )
    return locked


def partner_issue_token(*, actor: Any, partner: Partner) -> tuple[Partner, str]:
    """A new inbound token for the partner (the old one stops working at once); shown once."""
    _may_manage(actor)
    raw, prefix, digest = _new_token()
    with transaction.atomic():
        locked = _locked_active(partner)
        before = {"token_prefix": locked.token_prefix}
        locked.token_prefix = prefix
        locked.token_hash = digest
        locked.save(update_fields=["token_prefix", "token_hash", "updated_at"])
        audit_record(
            actor=actor,
            action="exchange.partner_token",
            target=locked,
            summary=f"Cấp lại mã truy cập cho hệ thống liên thông “{locked.name}”",
            before=before,
            after={"token_prefix": prefix},
        )
    return locked, raw


def partner_revoke(*, actor: Any, partner: Partner) -> Partner:
    """Stop a partner: its token stops working and nothing more is sent to it. The row stays
    (the inbox log and the outbox refer to it); its organ_id is freed for a new registration."""
    _may_manage(actor)
    with transaction.atomic():
        locked = _locked_active(partner)
        organ_id = locked.organ_id
        locked.is_active = False
        locked.revoked_at = timezone.now()
        # Free the code for a re-registration; the suffix keeps the old row identifiable.
        locked.organ_id = f"~{locked.pk}"[:13]
        locked.save(update_fields=["is_active", "revoked_at", "organ_id", "updated_at"])
        audit_record(
            actor=actor,
            action="exchange.partner_revoke",
            target=locked,
            summary=f"Thu hồi hệ thống liên thông “{locked.name}” ({organ_id})",
            before={"organ_id": organ_id},
        )
    return locked


def partner_set_token_out(*, actor: Any, partner: Partner, token_out: str) -> Partner:
    """Keep the token the partner gave us for its inbox (tokens are exchanged out of band:
    each side registers the other, then gives it the token it printed). Kept encrypted."""
    _may_manage(actor)
    token_out = _clean_token_out(token_out)
    with transaction.atomic():
        locked = _locked_active(partner)
        locked.token_out = token_out
        locked.save(update_fields=["token_out", "updated_at"])
        audit_record(
            actor=actor,
            action="exchange.partner_token_out",
            target=locked,
            summary=f"Cập nhật mã truy cập gửi đến “{locked.name}”",
            after={"token_out_set": bool(locked.token_out)},
        )
    return locked


def partner_tokens_reseal(*, actor: Any) -> int:
    """Seal every stored partner token again with the first `EGOV_FIELD_KEY` (after a key
    rotation: new key first, old keys after it, then this, then drop the old keys). Tokens no
    key opens are left as they are and counted out. Returns how many were sealed again."""
    _may_manage(actor)
    done = 0
    with transaction.atomic():
        for found in Partner.objects.select_for_update().exclude(token_out="").order_by("pk"):
            if isinstance(found.token_out, Unreadable):
                continue
            found.save(update_fields=["token_out"])  # the field seals with the first key
            audit_record(
                actor=actor,
                action="exchange.partner_reseal",
                target=found,
                summary=f"Mã hóa lại mã truy cập gửi đến “{found.name}” bằng khóa mới",
            )
            done += 1
    return done


def _partner_touch(partner: Partner) -> None:
    now = timezone.now()
    if partner.last_seen_at is None or now - partner.last_seen_at > timedelta(minutes=1):
        Partner.objects.filter(pk=partner.pk).update(last_seen_at=now)


# --- building messages from documents -------------------------------------------------------


def organization_of(agency: Agency) -> Organization:
    parent = agency.parent.code if agency.parent_id and agency.parent else ""
    return Organization(
        organ_id=agency.code,
        organ_name=agency.name,
        organization_in_charge=parent,
        organ_add=agency.address,
        email=agency.email,
        telephone=agency.phone,
        website=agency.website,
    )


def _read(stored: Any) -> bytes:
    handle = file_open(stored)
    try:
        return bytes(handle.read())
    finally:
        handle.close()


def _attachments_of(document: Any) -> tuple[Attachment, ...]:
    """The issued files (main text and attachments of the document's current version)."""
    files = list(
        document.files.select_related("stored_file")
        .filter(kind__in=["main", "attachment"], version=document.version)
        .order_by("kind", "pk")
    )
    if not files:  # files kept at another version than the draft counter
        files = list(
            document.files.select_related("stored_file")
            .filter(kind__in=["main", "attachment"])
            .order_by("-version", "kind", "pk")
        )
    result = []
    for f in sorted(files, key=lambda f: (f.kind != "main", f.pk)):
        stored = f.stored_file
        result.append(
            Attachment(
                content_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"egov:{stored.sha256}:{f.pk}")),
                name=stored.original_name,
                data=_read(stored),
                content_type=stored.content_type or "application/octet-stream",
                description="Văn bản chính" if f.kind == "main" else "Tài liệu kèm theo",
            )
        )
    return tuple(result)


def _message_for(
    document: Any, *, recipient: Any, doc_type: int = BussinessDocType.NEW, reason: str = ""
) -> EdxmlMessage:
    agency = document.agency
    issued = document.issued_date or timezone.localdate()
    code = Code(document.code_number or "", document.code_notation or "")
    competence = document.signer_competence.abbreviation if document.signer_competence else ""
    places = tuple(p.strip() for p in (document.to_places or "").splitlines() if p.strip())
    header = MessageHeader(
        from_=organization_of(agency),
        to=(Organization(organ_id=recipient.organ_id, organ_name=recipient.organ_name),),
        code=code,
        promulgation_info=PromulgationInfo(date=issued, place=settings.EGOV_PROVINCE_NAME),
        document_type=DocumentType(type_name=document.type.name),
        subject=document.subject,
        document_id=document.document_id,
        signer_info=SignerInfo(
            competence=competence,
            position=document.signer_position,
            full_name=document.signer_full_name,
        ),
        due_date=document.due_date,
        to_places=places,
        other_info=OtherInfo(
            priority=document.priority.edxml_code,
            promulgation_amount=document.issued_amount,
            page_amount=document.page_amount,
        ),
    )
    return EdxmlMessage(
        header=header,
        trace_headers=(
            TraceHeader(organ_id=agency.code, timestamp=document.issued_at or timezone.now()),
        ),
        bussiness=Bussiness(
            doc_type=doc_type,
            reason=reason,
            document_id=document.document_id if doc_type else "",
        ),
        attachments=_attachments_of(document) if doc_type != BussinessDocType.REVOKE else (),
    )


class SecretDocumentRefused(AppError):
    status = 409

    def __init__(self) -> None:
        super().__init__(
            "exchange_secret_refused",
            "Văn bản mật không được gửi qua trục liên thông (Nghị định 30/2020, Điều 16.3).",
        )


def _document_and_recipient(document_id: int, recipient_id: int) -> tuple[Any, Any]:
    from egov.documents.models import Document, Recipient

    document = (
        Document.objects.select_related("agency", "type", "priority", "secrecy")
        .select_related("signer_competence")
        .filter(pk=document_id, direction="outgoing")
        .first()
    )
    recipient = Recipient.objects.filter(pk=recipient_id, document_id=document_id).first()
    if document is None or recipient is None:
        raise NotFound()
    if document.secrecy.level > 0:
        raise SecretDocumentRefused()
    if not document.document_id:
        raise ValidationFailed("Văn bản chưa có mã định danh (chưa ban hành) nên chưa gửi được.")
    if not recipient.organ_id:
        raise ValidationFailed(
            f"Nơi nhận “{recipient.organ_name}” chưa có mã định danh điện tử để gửi liên thông."
        )
    return document, recipient


def _queue(
    *,
    kind: str,
    message: bytes,
    organ_id: str,
    document_identifier: str,
    document: Any = None,
    recipient: Any = None,
    doc_type: int = 0,
    status_code: str = "",
    partner: Partner | None = None,
) -> OutboundMessage:
    from egov.exchange.jobs import exchange_deliver
    from egov.jobs import enqueue_on_commit

    outbound = OutboundMessage.objects.create(
        kind=kind,
        partner=partner or route_for(organ_id),
        recipient_organ_id=organ_id,
        document=document,
        recipient=recipient,
        document_identifier=document_identifier,
        business_doc_type=doc_type,
        status_code=status_code,
        message=message,
        next_attempt_at=timezone.now(),
    )
    enqueue_on_commit(exchange_deliver, outbound.pk)
    return outbound


def outbox_enqueue(
    *,
    document_id: int,
    recipient_id: int,
    actor: Any = None,
    business_doc_type: int = BussinessDocType.NEW,
    reason: str = "",
) -> OutboundMessage:
    """Queue an issued document for one recipient outside the platform (idempotent: a second
    call for the same recipient returns the message already queued). Secret documents are
    refused. Delivery starts when the caller's transaction commits."""
    with transaction.atomic():
        document, recipient = _document_and_recipient(document_id, recipient_id)
        if business_doc_type == BussinessDocType.NEW:
            existing = OutboundMessage.objects.filter(
                kind=MessageKind.DOCUMENT, business_doc_type=0, recipient=recipient
            ).first()
            if existing is not None:
                return existing
        edxml = _message_for(
            document, recipient=recipient, doc_type=business_doc_type, reason=reason
        )
        message = build_message(edxml, zip_attachments=config.zip_attachments())
        outbound = _queue(
            kind=MessageKind.DOCUMENT,
            message=message,
            organ_id=recipient.organ_id,
            document_identifier=document.document_id,
            document=document,
            recipient=recipient,
            doc_type=business_doc_type,
        )
        audit_record(
            actor=actor,
            action="exchange.outbox_enqueue",
            target=outbound,
            agency_id=document.agency_id,
            summary=f"Chờ gửi liên thông {document.document_id} đến {recipient.organ_id}",
            after={
                "recipient": recipient.organ_id,
                "business_doc_type": int(business_doc_type),
                "partner": outbound.partner_id,
                "bytes": len(message),
            },
        )
    return outbound


def revoke_enqueue(
    *, document_id: int, recipient_id: int, reason: str, actor: Any = None
) -> OutboundMessage:
    """The sender recalls a document sent by edXML: BussinessDocType 1 to that recipient."""
    return outbox_enqueue(
        document_id=document_id,
        recipient_id=recipient_id,
        actor=actor,
        business_doc_type=BussinessDocType.REVOKE,
        reason=reason,
    )


def status_enqueue(
    *, document_id: int, status_code: str, description: str = "", actor: Any = None
) -> OutboundMessage | None:
    """An incoming document received through the exchange changed status: tell its sender.

    01 is not queued (the inbox already answered 01 when the message arrived). A document that
    did not come through the exchange is ignored (returns None).
    """
    from egov.documents.models import Document

    if status_code == StatusCode.ARRIVED:
        return None
    received = (
        InboundMessage.objects.select_related("partner")
        .filter(
            document_id=document_id,
            kind=MessageKind.DOCUMENT,
            result__in=[InboundResult.ACCEPTED, InboundResult.DUPLICATE],
        )
        .order_by("pk")
        .first()
    )
    document = Document.objects.select_related("agency").filter(pk=document_id).first()
    if received is None or document is None:
        return None
    now = timezone.now()
    status = StatusMessage(
        response_for=ResponseFor(
            organ_id=received.from_organ_id,
            document_id=received.document_identifier,
            code=document.number_notation,
            promulgation_date=document.issued_date,
        ),
        from_=organization_of(document.agency),
        code=status_code,
        timestamp=now,
        description=description or STATUS_LABELS.get(status_code, ""),
    )
    with transaction.atomic():
        outbound = _queue(
            kind=MessageKind.STATUS,
            message=build_status(status),
            organ_id=received.from_organ_id,
            document_identifier=received.document_identifier,
            document=document,
            status_code=status_code,
            partner=received.partner if received.partner.is_active else None,
        )
        StatusEvent.objects.create(
            document_identifier=received.document_identifier,
            document=document,
            organ_id=document.agency.code,
            code=status_code,
            description=status.description[:1000],
            at=now,
            direction=Direction.OUT,
            partner=outbound.partner,
        )
        audit_record(
            actor=actor,
            action="exchange.status_enqueue",
            target=outbound,
            agency_id=document.agency_id,
            summary=f"Chờ gửi trạng thái {status_code} của {received.document_identifier}",
            after={"status_code": status_code, "to": received.from_organ_id},
        )
    return outbound


# --- delivery -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptOutcome:
    """``delivered``, ``rejected`` (the partner answered 02), ``retry`` (at `retry_at`),
    ``failed`` (given up) or ``skipped`` (not due, being sent, or already done)."""

    status: str
    retry_at: datetime | None = None
    error: str = ""


def transport_for(partner: Partner) -> Transport:
    if isinstance(partner.token_out, Unreadable):
        raise TransportError(
            f"Không giải mã được mã truy cập gửi đến “{partner.name}” (khóa EGOV_FIELD_KEY hoặc "
            "SECRET_KEY đã đổi): quản trị nhập lại mã truy cập của đối tác."
        )
    cls = import_string(config.transport_path())
    transport: Transport = cls(url=partner.url, token=partner.token_out)
    return transport


def _interpret(outbound: OutboundMessage, reply: Reply) -> tuple[str, StatusMessage | None, str]:
    """(outcome, status message answered if any, error) for one HTTP answer."""
    answered: StatusMessage | None = None
    if reply.body.lstrip().startswith(b"<"):
        try:
            answered = parse_status(reply.body)
        except EdxmlError:
            answered = None
    excerpt = reply.body[:300].decode("utf-8", "replace")
    if answered is not None and outbound.kind == MessageKind.DOCUMENT:
        if answered.code == StatusCode.REJECTED:
            return "rejected", answered, answered.description
        return "delivered", answered, ""
    if 200 <= reply.http_status < 300:
        return "delivered", answered, ""
    if reply.http_status in (401, 403):
        return "retry", None, f"HTTP {reply.http_status}: đối tác từ chối mã truy cập ({excerpt})"
    if reply.http_status in (408, 425, 429) or reply.http_status >= 500:
        return "retry", None, f"HTTP {reply.http_status}: {excerpt}"
    return "failed", None, f"HTTP {reply.http_status}: {excerpt}"


def outbound_attempt(*, outbound_id: int, force: bool = False) -> AttemptOutcome:
    """One attempt at a queued message (the delivery job's body). Never raises on a delivery
    error: it is recorded, and the row says when to try again (`next_attempt_at`), so a
    periodic sweep, not the queue's memory, carries the retries. ``force`` ignores the time of
    the next attempt (``egov exchange outbox --deliver-now``)."""
    now = timezone.now()
    with transaction.atomic():
        outbound = OutboundMessage.objects.select_for_update().filter(pk=outbound_id).first()
        if outbound is None or outbound.status != OutboundStatus.QUEUED:
            return AttemptOutcome("skipped")
        if outbound.locked_until is not None and outbound.locked_until > now:
            return AttemptOutcome("skipped")
        if not force and outbound.next_attempt_at is not None and outbound.next_attempt_at > now:
            return AttemptOutcome("skipped")
        if outbound.partner_id is None or not outbound.partner.is_active:  # type: ignore[union-attr]
            outbound.partner = route_for(outbound.recipient_organ_id)
        outbound.attempts += 1
        outbound.locked_until = now + SEND_LEASE
        outbound.save(update_fields=["attempts", "locked_until", "partner", "updated_at"])
    partner = outbound.partner
    reply: Reply | None = None
    error = ""
    outcome = "retry"
    answered: StatusMessage | None = None
    if partner is None:
        error = f"Chưa đăng ký hệ thống đối tác nhận văn bản cho {outbound.recipient_organ_id}."
    elif not partner.url:
        error = f"Hệ thống đối tác “{partner.name}” chưa có địa chỉ hộp thư đến."
    else:
        try:
            transport = transport_for(partner)
            message = bytes(outbound.message)
            if outbound.kind == MessageKind.STATUS:
                reply = transport.send_status(message)
            else:
                reply = transport.send_edoc(message)
            outcome, answered, error = _interpret(outbound, reply)
        except TransportError as exc:
            error = str(exc)
        except Exception as exc:  # a broken adapter must not lose the message
            logger.exception("exchange transport failed for outbound %s", outbound_id)
            error = f"{type(exc).__name__}: {exc}"
    return _record_attempt(outbound_id, outcome=outcome, error=error, answered=answered)


def _record_attempt(
    outbound_id: int, *, outcome: str, error: str, answered: StatusMessage | None
) -> AttemptOutcome:
    now = timezone.now()
    with transaction.atomic():
        outbound = OutboundMessage.objects.select_for_update().get(pk=outbound_id)
        outbound.locked_until = None
        outbound.last_error = error[:2000]
        result: AttemptOutcome
        if outcome == "retry":
            give_up_at = outbound.created_at + timedelta(hours=config.give_up_hours())
            retry_at = now + timedelta(seconds=config.retry_delay(outbound.attempts))
            if retry_at > give_up_at:
                outbound.status = OutboundStatus.FAILED
                outbound.next_attempt_at = None
                result = AttemptOutcome("failed", error=error)
            else:
                outbound.next_attempt_at = retry_at
                result = AttemptOutcome("retry", retry_at=retry_at, error=error)
        elif outcome == "failed":
            outbound.status = OutboundStatus.FAILED
            outbound.next_attempt_at = None
            result = AttemptOutcome("failed", error=error)
        else:
            outbound.status = (
                OutboundStatus.REJECTED if outcome == "rejected" else OutboundStatus.DELIVERED
            )
            outbound.delivered_at = now
            outbound.next_attempt_at = None
            result = AttemptOutcome(outcome, error=error)
        if answered is not None:
            outbound.response_code = answered.code
            outbound.response_description = answered.description[:1000]
        outbound.save()
        if answered is not None and outbound.kind == MessageKind.DOCUMENT:
            _record_answer(outbound, answered)
        if outbound.status != OutboundStatus.QUEUED:
            audit_record(
                actor=None,
                action=f"exchange.outbound_{outbound.status}",
                target=outbound,
                agency_id=outbound.document.agency_id if outbound.document else None,
                summary=(
                    f"{OutboundStatus(outbound.status).label}: {outbound.document_identifier} → "
                    f"{outbound.recipient_organ_id} sau {outbound.attempts} lần"
                ),
                after={
                    "status": outbound.status,
                    "attempts": outbound.attempts,
                    "response_code": outbound.response_code,
                    "error": outbound.last_error[:500],
                },
            )
    return result


def _record_answer(outbound: OutboundMessage, answered: StatusMessage) -> None:
    """The status the partner answered a document with (01, 02, 15, 16), on the sender's side."""
    StatusEvent.objects.create(
        document_identifier=outbound.document_identifier,
        document=outbound.document,
        organ_id=answered.from_.organ_id,
        code=answered.code,
        description=answered.description[:1000],
        at=answered.timestamp,
        direction=Direction.IN,
        partner=outbound.partner,
    )
    _recipient_status(
        document_identifier=outbound.document_identifier,
        organ_id=outbound.recipient_organ_id,
        code=answered.code,
        description=answered.description,
        at=answered.timestamp,
    )


def _recipient_status(
    *, document_identifier: str, organ_id: str, code: str, description: str, at: datetime
) -> bool:
    from egov.documents.services.distribution import recipient_status_update

    try:
        recipient_status_update(
            document_id=document_identifier,
            organ_id=organ_id,
            status_code=code,
            description=description,
            at=at,
        )
    except NotFound:
        return False
    return True


def outbox_deliver_due() -> int:
    """Queue a delivery job for every message whose next attempt has come; returns how many.

    The periodic schedule runs it every minute, so retries survive a worker restart and a
    flushed queue. Writes nothing itself (the job does, with its audit row).
    """
    from egov.exchange.jobs import exchange_deliver
    from egov.jobs import enqueue

    ids = list(outbox_due(timezone.now()).values_list("pk", flat=True)[:500])
    for outbound_id in ids:
        enqueue(exchange_deliver, outbound_id)
    return len(ids)


def outbox_retry(*, actor: Any, outbound: OutboundMessage) -> OutboundMessage:
    """Send a failed (or rejected) message again, from now, with a fresh retry window.

    A user actor needs `exchange.outbox_retry` in the agency of the message's document
    (clerks of that agency, administrators); `actor=None` is the command line."""
    from egov.exchange.jobs import exchange_deliver
    from egov.jobs import enqueue_on_commit

    if actor is not None:
        require(actor, "exchange.outbox_retry", outbound.document, hide=True)
    with transaction.atomic():
        locked = OutboundMessage.objects.select_for_update().get(pk=outbound.pk)
        if locked.status in (OutboundStatus.DELIVERED, OutboundStatus.SENDING):
            raise Conflict("exchange_outbound_done", "Gói tin này đã được gửi đến nơi nhận.")
        before = {"status": locked.status, "attempts": locked.attempts}
        locked.status = OutboundStatus.QUEUED
        locked.attempts = 0
        locked.next_attempt_at = timezone.now()
        locked.locked_until = None
        locked.created_at = timezone.now()  # the give-up window starts again
        locked.save()
        audit_record(
            actor=actor,
            action="exchange.outbound_retry",
            target=locked,
            agency_id=locked.document.agency_id if locked.document_id else None,  # type: ignore[union-attr]
            summary=f"Gửi lại gói tin {locked.document_identifier} → {locked.recipient_organ_id}",
            before=before,
            after={"status": locked.status},
        )
        enqueue_on_commit(exchange_deliver, locked.pk)
    return locked


# --- inbox --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxAnswer:
    """What the inbox answers: an edXML status message (or nothing, for a status received)."""

    http_status: int
    body: bytes
    content_type: str = "application/xml; charset=utf-8"
    code: str = ""
    reason: str = ""


class _Rejection(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _platform_root() -> Organization:
    code = f"000.00.00.{settings.EGOV_PROVINCE_CODE}"
    agency = Agency.objects.filter(code=code).first()
    return organization_of(agency) if agency else Organization(organ_id=code)


def _best_effort_ids(body: bytes) -> tuple[str, str, str]:
    """(sender OrganId, DocumentId, first To OrganId) read leniently from a message we refuse,
    so the 02 answer names the document when it can."""
    from lxml import etree

    try:
        parser = etree.XMLParser(
            recover=True, resolve_entities=False, no_network=True, load_dtd=False
        )
        root = etree.fromstring(body, parser)
    except Exception:
        return "", "", ""
    if root is None:
        return "", "", ""

    def first(path: str) -> str:
        found = root.xpath(f"//*[local-name()='MessageHeader']/{path}")
        return (found[0].text or "").strip() if found else ""

    return (
        first("*[local-name()='From']/*[local-name()='OrganId']"),
        first("*[local-name()='DocumentId']"),
        first("*[local-name()='To']/*[local-name()='OrganId']"),
    )


def _answer(
    *,
    code: str,
    description: str,
    sender_organ_id: str,
    document_identifier: str,
    us: Organization,
    document_code: str = "",
    promulgation_date: Any = None,
) -> bytes:
    from egov.organisations.codes import AGENCY_CODE_RE

    status = StatusMessage(
        response_for=ResponseFor(
            organ_id=sender_organ_id if AGENCY_CODE_RE.match(sender_organ_id) else us.organ_id,
            document_id=document_identifier or "(không xác định)",
            code=document_code,
            promulgation_date=promulgation_date,
        ),
        from_=us,
        code=code,
        timestamp=timezone.now(),
        description=description[:1000],
    )
    return build_status(status)


def _reject(partner: Partner, body: bytes, *, code: str, reason: str, kind: str) -> InboxAnswer:
    """Log the refusal (no bytes kept) and answer 02 with the reason."""
    sender, identifier, to = _best_effort_ids(body)
    us_agency = Agency.objects.filter(code=to, is_active=True).first() if to else None
    us = organization_of(us_agency) if us_agency else _platform_root()
    with transaction.atomic():
        log = InboundMessage.objects.create(
            partner=partner,
            kind=kind,
            document_identifier=identifier[:100],
            from_organ_id=sender[:13],
            to_organ_id=to[:13],
            size=len(body),
            result=InboundResult.REJECTED,
            reason_code=code[:40],
            reason=reason,
            status_sent=StatusCode.REJECTED,
        )
        audit_record(
            actor=None,
            action="exchange.inbound_rejected",
            target=log,
            agency_id=us_agency.pk if us_agency else None,
            summary=f"Từ chối gói tin từ {partner.name}: {reason[:200]}",
            after={"code": code, "document_id": identifier, "partner": partner.organ_id},
        )
    answer = _answer(
        code=StatusCode.REJECTED,
        description=reason,
        sender_organ_id=sender or partner.organ_id,
        document_identifier=identifier,
        us=us,
    )
    return InboxAnswer(422, answer, code=StatusCode.REJECTED, reason=reason)


def inbox_receive(*, partner: Partner, body: bytes) -> InboxAnswer:
    """Everything the inbox does with one POSTed message (documents and statuses alike)."""
    _partner_touch(partner)
    try:
        parsed = parse_any(body, max_bytes=config.max_message_bytes())
    except EdxmlError as exc:
        kind = MessageKind.STATUS if b"Status>" in body[:4096] else MessageKind.DOCUMENT
        return _reject(partner, body, code=exc.code, reason=exc.reason, kind=kind)
    if isinstance(parsed, StatusMessage):
        return _receive_status(partner, parsed, body)
    try:
        return _receive_document(partner, parsed, body)
    except _Rejection as exc:
        return _reject(partner, body, code=exc.code, reason=exc.reason, kind=MessageKind.DOCUMENT)


def _recipients_here(message: EdxmlMessage) -> list[Agency]:
    codes = [o.organ_id for o in message.header.to]
    found = {a.code: a for a in Agency.objects.filter(code__in=codes, is_active=True)}
    return [found[c] for c in dict.fromkeys(codes) if c in found]


def _check_signatures(message: EdxmlMessage) -> None:
    """Reject a PDF whose signature is present and broken (changed after signing, failing
    cryptography). Unsigned or unreadable files and sound signatures from a CA we do not
    trust (another province's) are accepted, and the documents app flags them on the
    document (an invalid verdict waits for a clerk's explicit acknowledgement)."""
    try:
        from egov.signing.verification import INVALID, verify_pdf
    except ImportError:  # signing not installed in this deployment
        return
    for att in message.attachments:
        is_pdf = att.data.startswith(b"%PDF") or att.name.lower().endswith(".pdf")
        if not is_pdf:
            continue
        verdict = verify_pdf(att.data)
        if verdict.status == INVALID and verdict.reason_code not in ("unsigned", "unreadable"):
            raise _Rejection(
                "signature_invalid",
                f"Chữ ký số trên tệp “{att.name}” không hợp lệ: {verdict.reason}",
            )


def _safe_name(name: str, index: int) -> str:
    base = os.path.basename(name.replace("\\", "/")).strip() or f"tep-{index + 1}"
    return base[:200]


def _metadata(message: EdxmlMessage) -> dict[str, Any]:
    """The message header as the documents app's Appendix VI metadata."""
    h = message.header
    signer = h.signer_info
    return {
        "type_name": h.document_type.type_name,
        "code_number": h.code.number,
        "code_notation": h.code.notation,
        "issued_date": h.promulgation_info.date,
        "subject": h.subject,
        "page_amount": h.other_info.page_amount,
        "description": h.content[:500],
        "signer_position": signer.position if signer else "",
        "signer_full_name": signer.full_name if signer else "",
        "signer_competence": _competence(signer.competence) if signer else "",
        "priority": h.other_info.priority,
        "issued_amount": h.other_info.promulgation_amount,
        "due_date": h.due_date,
        "to_places": "\n".join(h.to_places)[:1000],
    }


def _competence(text: str) -> str:
    """ "KT. CHỦ TỊCH" → "KT." (the documents app knows the prefixes, not the titles)."""
    first = (text or "").strip().split(" ")[0]
    return first if first.endswith(".") and len(first) <= 6 else ""


def _files(message: EdxmlMessage) -> list[ContentFile[bytes]]:
    return [
        ContentFile(att.data, name=_safe_name(att.name, i))
        for i, att in enumerate(message.attachments)
    ]


def _arrive(agency: Agency, message: EdxmlMessage) -> tuple[Any, bool]:
    """A new document arrives in the agency's queue (01); (document, whether it is new)."""
    from egov.documents.services import incoming_receive

    h = message.header
    document = incoming_receive(
        actor=None,
        agency=agency,
        source="exchange",
        metadata=_metadata(message),
        files=_files(message),
        sender_organ_id=h.from_.organ_id,
        sender_organ_name=h.from_.organ_name or h.from_.organ_id,
        document_id=h.document_id,
    )
    return document, bool(getattr(document, "was_created", True))


def _business(agency: Agency, message: EdxmlMessage) -> tuple[list[Any], str]:
    """Revoke, update or replace a document received earlier; (documents, description)."""
    from egov.documents.services import incoming_replace, incoming_revoke, incoming_update

    b = message.bussiness
    h = message.header
    target = b.document_id or h.document_id
    if b.doc_type == BussinessDocType.REVOKE:
        copies = incoming_revoke(document_id=target, reason=b.reason, agency=agency)
        return list(copies), "Đồng ý thu hồi"
    if b.doc_type == BussinessDocType.UPDATE:
        copies = incoming_update(
            document_id=target, metadata=_metadata(message), reason=b.reason, agency=agency
        )
        return list(copies), "Đã cập nhật"
    replaced = b.replacements[0].document_id if b.replacements else b.document_id
    if not replaced or replaced == h.document_id:
        raise ValidationFailed("Gói tin thay thế không nêu văn bản bị thay thế.")
    document = incoming_replace(
        document_id=replaced,
        agency=agency,
        new_document_id=h.document_id,
        metadata=_metadata(message),
        files=_files(message),
        sender_organ_id=h.from_.organ_id,
        sender_organ_name=h.from_.organ_name or h.from_.organ_id,
        reason=b.reason,
    )
    return [document], "Đã thay thế"


def _store_raw(body: bytes, identifier: str) -> Any:
    name = f"edxml-{uuid.uuid4().hex}.xml"
    return file_store(
        upload=ContentFile(body, name=name),
        field="edxml",
        allowed={"xml"},
        max_bytes=max(config.max_message_bytes(), 1),
        actor=None,
    )


def _why(exc: AppError, message: EdxmlMessage) -> str:
    """The refusal of a documents service, said for the sender."""
    if isinstance(exc, NotFound):
        target = message.bussiness.document_id or message.header.document_id
        return f"Không tìm thấy văn bản {target} trên hệ thống nhận."
    details = [f"{field}: {'; '.join(msgs)}" for field, msgs in exc.fields.items()]
    return exc.message + (f" ({' · '.join(details)})" if len(details) > 1 else "")


def _receive_document(partner: Partner, message: EdxmlMessage, body: bytes) -> InboxAnswer:
    h = message.header
    if not partner_speaks_for(partner, h.from_.organ_id):
        raise _Rejection(
            "sender_not_allowed",
            f"Hệ thống “{partner.name}” ({partner.organ_id}) không được gửi thay cơ quan "
            f"{h.from_.organ_id}.",
        )
    agencies = _recipients_here(message)
    if not agencies:
        wanted = ", ".join(o.organ_id for o in h.to)
        raise _Rejection(
            "unknown_recipient",
            f"Không có cơ quan nhận ({wanted}) trên hệ thống này: gửi nhầm nơi nhận.",
        )
    _check_signatures(message)
    doc_type = int(message.bussiness.doc_type)
    us = organization_of(agencies[0])
    try:
        with transaction.atomic():
            raw = _store_raw(body, h.document_id)
            documents = []
            duplicate = True
            description = ""
            for agency in agencies:
                if doc_type == BussinessDocType.NEW:
                    document, created = _arrive(agency, message)
                    duplicate = duplicate and not created
                    documents.append(document)
                else:
                    changed, description = _business(agency, message)
                    documents.extend(changed)
            if doc_type == BussinessDocType.NEW:
                code = StatusCode.ARRIVED
                result = InboundResult.DUPLICATE if duplicate else InboundResult.ACCEPTED
                description = "Đã nhận (trùng, đã nhận trước đó)" if duplicate else "Đã đến"
            else:
                code = StatusCode.RECALL_ACCEPTED
                result = InboundResult.APPLIED
            log = _log_inbound(partner, message, body, raw, result, code, description, documents)
    except AppError as exc:
        if doc_type == BussinessDocType.NEW:
            raise _Rejection(exc.code, _why(exc, message)) from exc
        # Revoke/update/replace refused (unknown document, already handled…): 16 with why.
        code, description = StatusCode.RECALL_REFUSED, _why(exc, message)
        with transaction.atomic():
            log = _log_inbound(
                partner, message, body, None, InboundResult.REFUSED, code, description, []
            )
    answer = _answer(
        code=code,
        description=description,
        sender_organ_id=h.from_.organ_id,
        document_identifier=h.document_id,
        us=us,
        document_code=str(h.code),
        promulgation_date=h.promulgation_info.date,
    )
    logger.info("inbound %s: %s %s", log.pk, code, h.document_id)
    return InboxAnswer(200, answer, code=code, reason=description)


def _log_inbound(
    partner: Partner,
    message: EdxmlMessage,
    body: bytes,
    raw: Any,
    result: str,
    code: str,
    description: str,
    documents: list[Any],
) -> InboundMessage:
    h = message.header
    first = documents[0] if documents else None
    log = InboundMessage.objects.create(
        partner=partner,
        kind=MessageKind.DOCUMENT,
        document_identifier=h.document_id[:100],
        business_doc_type=int(message.bussiness.doc_type),
        from_organ_id=h.from_.organ_id,
        to_organ_id=h.to[0].organ_id if h.to else "",
        raw=raw,
        size=len(body),
        result=result,
        reason=description if result == InboundResult.REFUSED else "",
        status_sent=code,
        document=first,
    )
    for extra in documents[1:]:  # one row per further recipient agency here
        InboundMessage.objects.create(
            partner=partner,
            kind=MessageKind.DOCUMENT,
            document_identifier=h.document_id[:100],
            business_doc_type=int(message.bussiness.doc_type),
            from_organ_id=h.from_.organ_id,
            to_organ_id=extra.agency.code,
            raw=raw,
            size=len(body),
            result=result,
            status_sent=code,
            document=extra,
        )
    for document in documents or [None]:
        StatusEvent.objects.create(
            document_identifier=h.document_id[:100],
            document=document,
            organ_id=document.agency.code if document is not None else log.to_organ_id,
            code=code,
            description=description[:1000],
            at=timezone.now(),
            direction=Direction.OUT,
            partner=partner,
        )
    audit_record(
        actor=None,
        action=f"exchange.inbound_{result}",
        target=log,
        agency_id=first.agency_id if first is not None else None,
        summary=f"Gói tin {h.document_id} từ {partner.name}: {STATUS_LABELS.get(code, code)}",
        after={
            "document_id": h.document_id,
            "business_doc_type": int(message.bussiness.doc_type),
            "status": code,
            "documents": [d.pk for d in documents],
        },
    )
    return log


def _receive_status(partner: Partner, status: StatusMessage, body: bytes) -> InboxAnswer:
    """A status about one of our outgoing documents: record it on the recipient row."""
    if not partner_speaks_for(partner, status.from_.organ_id):
        reason = (
            f"Hệ thống “{partner.name}” không được báo trạng thái thay cơ quan "
            f"{status.from_.organ_id}."
        )
        _status_refused(partner, status, "sender_not_allowed", reason, 403)
    from egov.documents.models import Document

    document = (
        Document.objects.filter(
            direction="outgoing",
            document_id=status.response_for.document_id,
            agency__code=status.response_for.organ_id,
        )
        .select_related("agency")
        .first()
    )
    if document is None:
        _status_refused(
            partner,
            status,
            "unknown_document",
            f"Không có văn bản {status.response_for.document_id} của cơ quan "
            f"{status.response_for.organ_id} trên hệ thống này.",
            404,
        )
    with transaction.atomic():
        known = _recipient_status(
            document_identifier=status.response_for.document_id,
            organ_id=status.from_.organ_id,
            code=status.code,
            description=status.description,
            at=status.timestamp,
        )
        if not known:
            transaction.set_rollback(True)
    if not known:
        _status_refused(
            partner,
            status,
            "unknown_recipient",
            f"Cơ quan {status.from_.organ_id} không phải nơi nhận văn bản "
            f"{status.response_for.document_id}.",
            404,
        )
    with transaction.atomic():
        log = InboundMessage.objects.create(
            partner=partner,
            kind=MessageKind.STATUS,
            document_identifier=status.response_for.document_id[:100],
            from_organ_id=status.from_.organ_id,
            to_organ_id=status.response_for.organ_id,
            size=len(body),
            result=InboundResult.APPLIED,
            status_sent="",
            document=document,
        )
        StatusEvent.objects.create(
            document_identifier=status.response_for.document_id[:100],
            document=document,
            organ_id=status.from_.organ_id,
            code=status.code,
            description=status.description[:1000],
            at=status.timestamp,
            direction=Direction.IN,
            partner=partner,
        )
        audit_record(
            actor=None,
            action="exchange.status_received",
            target=log,
            agency_id=document.agency_id,
            summary=(
                f"{status.from_.organ_id} báo {status.code} "
                f"({STATUS_LABELS.get(status.code, '')}) cho {status.response_for.document_id}"
            ),
            after={"code": status.code, "from": status.from_.organ_id},
        )
    return InboxAnswer(204, b"", code=status.code)


def _status_refused(
    partner: Partner, status: StatusMessage, code: str, reason: str, http_status: int
) -> NoReturn:
    with transaction.atomic():
        log = InboundMessage.objects.create(
            partner=partner,
            kind=MessageKind.STATUS,
            document_identifier=status.response_for.document_id[:100],
            from_organ_id=status.from_.organ_id,
            to_organ_id=status.response_for.organ_id,
            result=InboundResult.REJECTED,
            reason_code=code,
            reason=reason,
        )
        audit_record(
            actor=None,
            action="exchange.status_rejected",
            target=log,
            summary=reason[:300],
            after={"code": code},
        )
    raise AppError(f"exchange_{code}", reason, status=http_status)
