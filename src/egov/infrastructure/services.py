"""Every state change of the IT inventory: computers, servers, network links, information
systems and officials' work email.

Each `*_record` creates the row or updates it in place (found by its natural key within the
agency: asset tag, server name, link kind + provider, system name), asks the policy when the
actor is a user, runs in one transaction, moves the agency's `InfrastructureFact` by the
difference and writes its audit row there. Bad input raises `ValidationFailed`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.audit.services import audit_record, snapshot
from egov.core.errors import ValidationFailed
from egov.infrastructure.facts import contribution, fact_apply
from egov.infrastructure.models import (
    AssetStatus,
    Computer,
    ComputerKind,
    InformationSystem,
    LinkKind,
    NetworkLink,
    Server,
    StaffItProfile,
    SystemKind,
    SystemStatus,
)
from egov.organisations.models import Agency, StaffMember
from egov.policy.engine import require


class _Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.fields:
            name, messages = next(iter(self.fields.items()))
            raise ValidationFailed(
                _("Dữ liệu không hợp lệ: %(field)s: %(reason)s")
                % {"field": name, "reason": messages[0]},
                fields=self.fields,
            )


def _authorise(actor: Any, agency: Agency) -> None:
    if actor is not None:
        require(actor, "infrastructure.record", agency)


def _choice(errors: _Errors, field: str, value: str, choices: type[models.TextChoices]) -> None:
    if value not in choices.values:
        errors.add(
            field,
            _("“%(v)s” không hợp lệ; dùng: %(c)s") % {"v": value, "c": ", ".join(choices.values)},
        )


def _year(errors: _Errors, year: int | None) -> None:
    if year is not None and not (1990 <= year <= timezone.localdate().year):
        errors.add("year", _("Năm trang bị phải từ 1990 đến năm nay."))


def _upsert(
    model: type[models.Model],
    *,
    actor: Any,
    action: str,
    key: dict[str, Any],
    values: dict[str, Any],
    agency: Agency,
) -> Any:
    """Create or update a row by its key; move the fact row; audit. Inside a transaction."""
    current = model.objects.select_for_update().filter(**key).first()  # type: ignore[attr-defined]
    before = (agency.pk, contribution(current)) if current is not None else None
    before_snap = snapshot(current) if current is not None else None
    obj = current or model(**key)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    fact_apply(before=before, after=(agency.pk, contribution(obj)))
    audit_record(actor=actor, action=action, target=obj, before=before_snap, after=snapshot(obj))
    return obj


def computer_record(
    *,
    actor: Any,
    agency: Agency,
    asset_tag: str,
    kind: str,
    year: int | None = None,
    serves: StaffMember | None = None,
    status: str = AssetStatus.IN_USE,
) -> Computer:
    _authorise(actor, agency)
    errors = _Errors()
    if not asset_tag.strip():
        errors.add("asset_tag", _("Mã tài sản không được để trống."))
    _choice(errors, "kind", kind, ComputerKind)
    _choice(errors, "status", status, AssetStatus)
    _year(errors, year)
    if serves is not None and serves.agency_id != agency.pk:
        errors.add("serves", _("Người sử dụng phải là cán bộ của cơ quan."))
    errors.raise_if_any()
    with transaction.atomic():
        return _upsert(  # type: ignore[no-any-return]
            Computer,
            actor=actor,
            action="infrastructure.computer_record",
            key={"agency": agency, "asset_tag": asset_tag.strip()},
            values={"kind": kind, "year": year, "serves": serves, "status": status},
            agency=agency,
        )


def server_record(
    *,
    actor: Any,
    agency: Agency,
    name: str,
    purpose: str = "",
    year: int | None = None,
    status: str = AssetStatus.IN_USE,
) -> Server:
    _authorise(actor, agency)
    errors = _Errors()
    if not name.strip():
        errors.add("name", _("Tên máy chủ không được để trống."))
    _choice(errors, "status", status, AssetStatus)
    _year(errors, year)
    errors.raise_if_any()
    with transaction.atomic():
        return _upsert(  # type: ignore[no-any-return]
            Server,
            actor=actor,
            action="infrastructure.server_record",
            key={"agency": agency, "name": name.strip()},
            values={"purpose": purpose.strip(), "year": year, "status": status},
            agency=agency,
        )


def link_record(
    *,
    actor: Any,
    agency: Agency,
    kind: str,
    bandwidth_mbps: int,
    provider: str = "",
    is_active: bool = True,
) -> NetworkLink:
    _authorise(actor, agency)
    errors = _Errors()
    _choice(errors, "kind", kind, LinkKind)
    if bandwidth_mbps is None or bandwidth_mbps <= 0:
        errors.add("bandwidth_mbps", _("Băng thông phải là số Mbps lớn hơn 0."))
    errors.raise_if_any()
    with transaction.atomic():
        return _upsert(  # type: ignore[no-any-return]
            NetworkLink,
            actor=actor,
            action="infrastructure.link_record",
            key={"agency": agency, "kind": kind, "provider": provider.strip()},
            values={"bandwidth_mbps": bandwidth_mbps, "is_active": is_active},
            agency=agency,
        )


def system_record(
    *,
    actor: Any,
    agency: Agency,
    name: str,
    kind: str,
    vendor: str = "",
    status: str = SystemStatus.IN_USE,
    since: date | None = None,
) -> InformationSystem:
    _authorise(actor, agency)
    errors = _Errors()
    if not name.strip():
        errors.add("name", _("Tên hệ thống không được để trống."))
    _choice(errors, "kind", kind, SystemKind)
    _choice(errors, "status", status, SystemStatus)
    if since is not None and since > timezone.localdate():
        errors.add("since", _("Ngày bắt đầu sử dụng không được ở tương lai."))
    errors.raise_if_any()
    with transaction.atomic():
        return _upsert(  # type: ignore[no-any-return]
            InformationSystem,
            actor=actor,
            action="infrastructure.system_record",
            key={"agency": agency, "name": name.strip()},
            values={"kind": kind, "vendor": vendor.strip(), "status": status, "since": since},
            agency=agency,
        )


def work_email_set(
    *, actor: Any, staff: StaffMember, has_work_email: bool, work_email: str = ""
) -> StaffItProfile:
    """Record whether an official has an official mailbox in use."""
    _authorise(actor, staff.agency)
    with transaction.atomic():
        current = StaffItProfile.objects.select_for_update().filter(staff=staff).first()
        before = (current.agency_id, contribution(current)) if current is not None else None
        before_snap = snapshot(current) if current is not None else None
        profile = current or StaffItProfile(staff=staff)
        profile.agency_id = staff.agency_id
        profile.has_work_email = has_work_email
        profile.work_email = work_email.strip()
        profile.save()
        fact_apply(before=before, after=(staff.agency_id, contribution(profile)))
        audit_record(
            actor=actor,
            action="infrastructure.work_email_set",
            target=profile,
            before=before_snap,
            after=snapshot(profile),
            agency_id=staff.agency_id,
        )
    return profile
