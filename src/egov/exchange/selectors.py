"""Read queries of the exchange: partners by token or route, the outbox, the status trail."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.db.models import Q, QuerySet

from egov.exchange.models import OutboundMessage, OutboundStatus, Partner, StatusEvent
from egov.organisations.codes import AGENCY_CODE_RE


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def partner_for_token(raw: str) -> Partner | None:
    """The active partner holding this inbound token, or None."""
    if not raw:
        return None
    return Partner.objects.filter(token_hash=token_digest(raw), is_active=True).first()


def root_of(organ_id: str) -> str:
    """The level-1 root of an agency code: ``000.01.00.H48`` → ``000.00.00.H48``."""
    match = AGENCY_CODE_RE.match(organ_id or "")
    return f"000.00.00.{match.group('l1')}" if match else ""


def partner_speaks_for(partner: Partner, organ_id: str) -> bool:
    """A partner registered for an agency speaks for it; one registered for a level-1 root
    (``000.00.00.H48``: a province's or ministry's system) speaks for every agency under it."""
    if organ_id == partner.organ_id:
        return True
    return partner.organ_id == root_of(organ_id) and partner.organ_id != ""


def route_for(organ_id: str) -> Partner | None:
    """The active partner that delivers to `organ_id`: registered for it, else for its root."""
    candidates = Partner.objects.filter(
        Q(organ_id=organ_id) | Q(organ_id=root_of(organ_id)), is_active=True
    )
    exact = [p for p in candidates if p.organ_id == organ_id]
    return exact[0] if exact else next(iter(candidates), None)


def partners() -> QuerySet[Partner]:
    return Partner.objects.order_by("organ_id")


def outbox(*, status: str | None = None) -> QuerySet[OutboundMessage]:
    qs = OutboundMessage.objects.select_related("partner").defer("message").order_by("-created_at")
    return qs.filter(status=status) if status else qs


def outbox_due(now: datetime) -> QuerySet[OutboundMessage]:
    """Queued messages whose next attempt has come and that no worker is holding."""
    return (
        OutboundMessage.objects.filter(status=OutboundStatus.QUEUED, next_attempt_at__lte=now)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .order_by("next_attempt_at", "pk")
    )


def status_trail(document_identifier: str) -> QuerySet[StatusEvent]:
    return StatusEvent.objects.filter(document_identifier=document_identifier).order_by("at", "pk")
