"""Issuing and revoking API tokens; each writes an audit row in its transaction."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.api.models import ApiToken
from egov.audit.services import audit_record
from egov.core.errors import Conflict, ValidationFailed

TOKEN_PREFIX = "egov_"  # noqa: S105 - a marker that makes leaked tokens easy to scan for


def token_digest(raw: str) -> str:
    """What is stored and looked up: the SHA-256 of the whole token (it has 256 random bits,
    so a fast hash is enough; a slow password hash would cost every API request)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(
    *, owner: Any, name: str, actor: Any, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token acting as ``owner``. Returns the row and the secret, shown only this once."""
    name = (name or "").strip()
    if not name:
        message = _("Tên mã truy cập không được để trống.")
        raise ValidationFailed(message, fields={"name": [message]})
    if not getattr(owner, "is_active", False):
        message = _("Tài khoản sở hữu không còn hoạt động.")
        raise ValidationFailed(message, fields={"owner": [message]})
    if expires_at is not None and expires_at <= timezone.now():
        message = _("Thời điểm hết hạn phải ở tương lai.")
        raise ValidationFailed(message, fields={"expires_at": [message]})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name[:150],
            owner=owner,
            key_prefix=raw[:12],
            key_hash=token_digest(raw),
            expires_at=expires_at,
        )
        audit_record(
            actor=actor,
            action="api_token.create",
            target=token,
            summary=_("Cấp mã truy cập API “%(name)s” cho %(owner)s")
            % {"name": name, "owner": owner},
            after={"name": token.name, "owner": owner.pk, "key_prefix": token.key_prefix},
        )
    return token, raw


def api_token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    """Stop a token from working, from the next request on."""
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            raise Conflict("already_revoked", _("Mã truy cập này đã bị thu hồi."))
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=actor,
            action="api_token.revoke",
            target=locked,
            summary=_("Thu hồi mã truy cập API “%(name)s”") % {"name": locked.name},
        )
    return locked
