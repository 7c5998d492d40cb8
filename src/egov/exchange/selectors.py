"""Read queries of the exchange: partners by token or route, the outbox, the status trail."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from egov.exchange.models import (
    InboundMessage,
    OutboundMessage,
    OutboundStatus,
    Partner,
    StatusEvent,
)
from egov.organisations.codes import AGENCY_CODE_RE
from egov.organisations.models import Agency
from egov.policy.engine import agency_filter


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


# --- the workspace pages (scoped by the policy) -----------------------------------------------


def outbox_for(user: Any, *, status: str = "") -> QuerySet[OutboundMessage]:
    """Messages of the agencies where the user may see the exchange (by the document's agency),
    newest first, without their bytes."""
    qs = (
        OutboundMessage.objects.filter(
            agency_filter(user, "exchange.outbox_view", field="document__agency")
        )
        .select_related("partner", "document")
        .defer("message", "document__search_text")
        .order_by("-created_at", "-pk")
    )
    return qs.filter(status=status) if status else qs


def outbound_for(user: Any, public_id: Any) -> OutboundMessage | None:
    """One message of the user's agencies by its public id (None for missing and forbidden)."""
    return outbox_for(user).filter(public_id=public_id).first()


def inbox_for(user: Any, *, result: str = "") -> QuerySet[InboundMessage]:
    """Messages received for the user's agencies: by the registered document's agency, or, for
    a message refused before any document existed, by the agency code it was addressed to."""
    scope = agency_filter(user, "exchange.outbox_view", field="pk")
    qs = InboundMessage.objects.all()
    if scope:  # an empty filter: every agency (administrators), refusals unaddressed included
        agencies = Agency.objects.filter(scope)
        qs = qs.filter(
            Q(document__agency__in=agencies.values("pk"))
            | Q(document__isnull=True, to_organ_id__in=agencies.values("code"))
        )
    qs = (
        qs.select_related("partner", "document")
        .defer("document__search_text")
        .order_by("-created_at", "-pk")
    )
    return qs.filter(result=result) if result else qs


def partner_get(public_id: Any) -> Partner | None:
    return Partner.objects.filter(public_id=public_id).first()


def last_manual_retries(messages: list[OutboundMessage]) -> dict[int, tuple[datetime, str]]:
    """For the messages given: when, and by whom, each was last sent again by hand (from the
    audit trail; automatic retries are the row's own `attempts`). One query."""
    from egov.audit.models import AuditEntry

    by_ref = {str(m.public_id): m.pk for m in messages}
    found: dict[int, tuple[datetime, str]] = {}
    rows = (
        AuditEntry.objects.filter(
            action="exchange.outbound_retry",
            object_type="exchange.outboundmessage",
            object_id__in=list(by_ref),
        )
        .order_by("id")
        .values_list("object_id", "occurred_at", "actor_label")
    )
    for object_id, at, who in rows:
        found[by_ref[object_id]] = (at, who)
    return found
