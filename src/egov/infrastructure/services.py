"""Every state change of the IT inventory: computers, servers, network links, information
systems and officials' work email.

Each `*_record` creates the row or updates it in place (found by its natural key within the
agency: asset tag, server name, link kind + provider, system name), asks the policy when the
actor is a user, runs in one transaction, moves the agency's `InfrastructureFact` by the
difference and writes its audit row there. Bad input raises `ValidationFailed`. The import
uses them.

The workspace forms use one service per state change of one item instead —
`<item>_create`, `<item>_update`, `<item>_retire` for computers, servers, links and systems —
which refuse what an upsert would silently merge (a new item whose key is taken, an edit onto
another item's key, retiring twice) and move the same fact row the same way.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, models, transaction
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


def _authorise_item(actor: Any, action: str, obj: Any) -> None:
    if actor is not None:
        require(actor, action, obj)


def _choice(errors: _Errors, field: str, value: str, choices: type[models.TextChoices]) -> None:
    if value not in choices.values:
        errors.add(
            field,
            _("“%(v)s” không hợp lệ; dùng: %(c)s") % {"v": value, "c": ", ".join(choices.values)},
        )


def _year(errors: _Errors, year: int | None) -> None:
    if year is not None and not (1990 <= year <= timezone.localdate().year):
        errors.add("year", _("Năm trang bị phải từ 1990 đến năm nay."))


def _computer_errors(
    *,
    agency: Agency,
    asset_tag: str,
    kind: str,
    year: int | None,
    serves: StaffMember | None,
    status: str,
) -> _Errors:
    errors = _Errors()
    if not asset_tag.strip():
        errors.add("asset_tag", _("Mã tài sản không được để trống."))
    _choice(errors, "kind", kind, ComputerKind)
    _choice(errors, "status", status, AssetStatus)
    _year(errors, year)
    if serves is not None and serves.agency_id != agency.pk:
        errors.add("serves", _("Người sử dụng phải là cán bộ của cơ quan."))
    return errors


def _server_errors(*, name: str, year: int | None, status: str) -> _Errors:
    errors = _Errors()
    if not name.strip():
        errors.add("name", _("Tên máy chủ không được để trống."))
    _choice(errors, "status", status, AssetStatus)
    _year(errors, year)
    return errors


def _link_errors(*, kind: str, bandwidth_mbps: int | None) -> _Errors:
    errors = _Errors()
    _choice(errors, "kind", kind, LinkKind)
    if bandwidth_mbps is None or bandwidth_mbps <= 0:
        errors.add("bandwidth_mbps", _("Băng thông phải là số Mbps lớn hơn 0."))
    return errors


def _system_errors(*, name: str, kind: str, status: str, since: date | None) -> _Errors:
    errors = _Errors()
    if not name.strip():
        errors.add("name", _("Tên hệ thống không được để trống."))
    _choice(errors, "kind", kind, SystemKind)
    _choice(errors, "status", status, SystemStatus)
    if since is not None and since > timezone.localdate():
        errors.add("since", _("Ngày bắt đầu sử dụng không được ở tương lai."))
    return errors


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
    _computer_errors(
        agency=agency, asset_tag=asset_tag, kind=kind, year=year, serves=serves, status=status
    ).raise_if_any()
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
    _server_errors(name=name, year=year, status=status).raise_if_any()
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
    _link_errors(kind=kind, bandwidth_mbps=bandwidth_mbps).raise_if_any()
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
    _system_errors(name=name, kind=kind, status=status, since=since).raise_if_any()
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


# --- one item at a time (the workspace forms) ------------------------------------------------

Item = Computer | Server | NetworkLink | InformationSystem


def _taken(errors: _Errors, field: str, message: str) -> ValidationFailed:
    errors.add(field, message)
    return ValidationFailed(message, fields=errors.fields)


def _item_create(
    model: type[Item],
    *,
    actor: Any,
    action: str,
    agency: Agency,
    values: dict[str, Any],
    key: tuple[str, ...],
    taken: tuple[str, str],
) -> Any:
    """Insert one item; refused when another item of the agency holds its key. The fact row
    moves by what the item counts for; the audit row says what was created."""
    refused = _taken(_Errors(), *taken)
    try:
        with transaction.atomic():
            lookup = {name: values[name] for name in key}
            if model.objects.filter(agency=agency, **lookup).exists():
                raise refused
            obj = model.objects.create(agency=agency, **values)
            fact_apply(before=None, after=(agency.pk, contribution(obj)))
            audit_record(actor=actor, action=action, target=obj, after=snapshot(obj))
    except IntegrityError as exc:  # a concurrent insert with the same key won the race
        raise refused from exc
    return obj


def _item_update(
    obj: Item,
    *,
    actor: Any,
    action: str,
    values: dict[str, Any],
    key: tuple[str, ...],
    taken: tuple[str, str],
) -> Any:
    """Change one item in place; refused when the new key belongs to another item."""
    model = type(obj)
    refused = _taken(_Errors(), *taken)
    try:
        with transaction.atomic():
            current = model.objects.select_for_update().get(pk=obj.pk)
            lookup = {name: values[name] for name in key}
            if (
                model.objects.filter(agency_id=current.agency_id, **lookup)
                .exclude(pk=current.pk)
                .exists()
            ):
                raise refused
            before = contribution(current)
            before_snap = snapshot(current)
            for name, value in values.items():
                setattr(current, name, value)
            current.save()
            fact_apply(
                before=(current.agency_id, before),
                after=(current.agency_id, contribution(current)),
            )
            audit_record(
                actor=actor,
                action=action,
                target=current,
                before=before_snap,
                after=snapshot(current),
            )
    except IntegrityError as exc:
        raise refused from exc
    return current


def _item_retire(
    obj: Item,
    *,
    actor: Any,
    action: str,
    reason: str,
    retired: dict[str, Any],
    already: str,
) -> Any:
    """Take one item out of use (the row stays, with its history); the reason goes to the
    audit trail. Refused when the item is already out of use."""
    if not reason.strip():
        message = _("Nhập lý do ngừng sử dụng.")
        raise ValidationFailed(message, fields={"reason": [message]})
    model = type(obj)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=obj.pk)
        if all(getattr(current, name) == value for name, value in retired.items()):
            raise ValidationFailed(already, fields={"__all__": [already]})
        before = contribution(current)
        before_snap = snapshot(current)
        for name, value in retired.items():
            setattr(current, name, value)
        current.save()
        fact_apply(
            before=(current.agency_id, before), after=(current.agency_id, contribution(current))
        )
        audit_record(
            actor=actor,
            action=action,
            target=current,
            summary=_("Ngừng sử dụng “%(o)s”: %(why)s") % {"o": current, "why": reason.strip()},
            before=before_snap,
            after=snapshot(current),
        )
    return current


def _tag_taken(asset_tag: str) -> tuple[str, str]:
    return (
        "asset_tag",
        _("Cơ quan đã có máy tính mã %(t)s; hãy sửa máy đó thay vì thêm mới.")
        % {"t": asset_tag.strip()},
    )


def computer_create(
    *,
    actor: Any,
    agency: Agency,
    asset_tag: str,
    kind: str,
    year: int | None = None,
    serves: StaffMember | None = None,
    status: str = AssetStatus.IN_USE,
) -> Computer:
    _authorise_item(actor, "infrastructure.item_create", agency)
    _computer_errors(
        agency=agency, asset_tag=asset_tag, kind=kind, year=year, serves=serves, status=status
    ).raise_if_any()
    return _item_create(  # type: ignore[no-any-return]
        Computer,
        actor=actor,
        action="infrastructure.computer_create",
        agency=agency,
        values={
            "asset_tag": asset_tag.strip(),
            "kind": kind,
            "year": year,
            "serves": serves,
            "status": status,
        },
        key=("asset_tag",),
        taken=_tag_taken(asset_tag),
    )


def computer_update(
    *,
    actor: Any,
    computer: Computer,
    asset_tag: str,
    kind: str,
    year: int | None = None,
    serves: StaffMember | None = None,
    status: str = AssetStatus.IN_USE,
) -> Computer:
    _authorise_item(actor, "infrastructure.item_update", computer)
    _computer_errors(
        agency=computer.agency,
        asset_tag=asset_tag,
        kind=kind,
        year=year,
        serves=serves,
        status=status,
    ).raise_if_any()
    return _item_update(  # type: ignore[no-any-return]
        computer,
        actor=actor,
        action="infrastructure.computer_update",
        values={
            "asset_tag": asset_tag.strip(),
            "kind": kind,
            "year": year,
            "serves": serves,
            "status": status,
        },
        key=("asset_tag",),
        taken=_tag_taken(asset_tag),
    )


def computer_retire(*, actor: Any, computer: Computer, reason: str) -> Computer:
    """Mark a computer disposed of (“Đã thanh lý”): it stops counting in computers per official."""
    _authorise_item(actor, "infrastructure.item_retire", computer)
    return _item_retire(  # type: ignore[no-any-return]
        computer,
        actor=actor,
        action="infrastructure.computer_retire",
        reason=reason,
        retired={"status": AssetStatus.RETIRED},
        already=_("Máy tính này đã thanh lý từ trước."),
    )


def _server_taken(name: str) -> tuple[str, str]:
    return (
        "name",
        _("Cơ quan đã có máy chủ tên %(n)s; hãy sửa máy chủ đó thay vì thêm mới.")
        % {"n": name.strip()},
    )


def server_create(
    *,
    actor: Any,
    agency: Agency,
    name: str,
    purpose: str = "",
    year: int | None = None,
    status: str = AssetStatus.IN_USE,
) -> Server:
    _authorise_item(actor, "infrastructure.item_create", agency)
    _server_errors(name=name, year=year, status=status).raise_if_any()
    return _item_create(  # type: ignore[no-any-return]
        Server,
        actor=actor,
        action="infrastructure.server_create",
        agency=agency,
        values={"name": name.strip(), "purpose": purpose.strip(), "year": year, "status": status},
        key=("name",),
        taken=_server_taken(name),
    )


def server_update(
    *,
    actor: Any,
    server: Server,
    name: str,
    purpose: str = "",
    year: int | None = None,
    status: str = AssetStatus.IN_USE,
) -> Server:
    _authorise_item(actor, "infrastructure.item_update", server)
    _server_errors(name=name, year=year, status=status).raise_if_any()
    return _item_update(  # type: ignore[no-any-return]
        server,
        actor=actor,
        action="infrastructure.server_update",
        values={"name": name.strip(), "purpose": purpose.strip(), "year": year, "status": status},
        key=("name",),
        taken=_server_taken(name),
    )


def server_retire(*, actor: Any, server: Server, reason: str) -> Server:
    _authorise_item(actor, "infrastructure.item_retire", server)
    return _item_retire(  # type: ignore[no-any-return]
        server,
        actor=actor,
        action="infrastructure.server_retire",
        reason=reason,
        retired={"status": AssetStatus.RETIRED},
        already=_("Máy chủ này đã thanh lý từ trước."),
    )


def _link_taken(kind: str, provider: str) -> tuple[str, str]:
    label = LinkKind(kind).label if kind in LinkKind.values else kind
    return (
        "provider",
        _("Cơ quan đã có kết nối %(k)s của %(p)s; hãy sửa kết nối đó thay vì thêm mới.")
        % {"k": label, "p": provider.strip() or _("(không ghi nhà cung cấp)")},
    )


def link_create(
    *, actor: Any, agency: Agency, kind: str, bandwidth_mbps: int | None, provider: str = ""
) -> NetworkLink:
    """A new link, in use (an Internet link adds its bandwidth to the agency's total)."""
    _authorise_item(actor, "infrastructure.item_create", agency)
    _link_errors(kind=kind, bandwidth_mbps=bandwidth_mbps).raise_if_any()
    return _item_create(  # type: ignore[no-any-return]
        NetworkLink,
        actor=actor,
        action="infrastructure.link_create",
        agency=agency,
        values={
            "kind": kind,
            "provider": provider.strip(),
            "bandwidth_mbps": bandwidth_mbps,
            "is_active": True,
        },
        key=("kind", "provider"),
        taken=_link_taken(kind, provider),
    )


def link_update(
    *,
    actor: Any,
    link: NetworkLink,
    kind: str,
    bandwidth_mbps: int | None,
    provider: str = "",
    is_active: bool = True,
) -> NetworkLink:
    _authorise_item(actor, "infrastructure.item_update", link)
    _link_errors(kind=kind, bandwidth_mbps=bandwidth_mbps).raise_if_any()
    return _item_update(  # type: ignore[no-any-return]
        link,
        actor=actor,
        action="infrastructure.link_update",
        values={
            "kind": kind,
            "provider": provider.strip(),
            "bandwidth_mbps": bandwidth_mbps,
            "is_active": is_active,
        },
        key=("kind", "provider"),
        taken=_link_taken(kind, provider),
    )


def link_retire(*, actor: Any, link: NetworkLink, reason: str) -> NetworkLink:
    _authorise_item(actor, "infrastructure.item_retire", link)
    return _item_retire(  # type: ignore[no-any-return]
        link,
        actor=actor,
        action="infrastructure.link_retire",
        reason=reason,
        retired={"is_active": False},
        already=_("Kết nối này đã ngừng sử dụng từ trước."),
    )


def _system_taken(name: str) -> tuple[str, str]:
    return (
        "name",
        _("Cơ quan đã có hệ thống tên %(n)s; hãy sửa hệ thống đó thay vì thêm mới.")
        % {"n": name.strip()},
    )


def system_create(
    *,
    actor: Any,
    agency: Agency,
    name: str,
    kind: str,
    vendor: str = "",
    status: str = SystemStatus.IN_USE,
    since: date | None = None,
) -> InformationSystem:
    _authorise_item(actor, "infrastructure.item_create", agency)
    _system_errors(name=name, kind=kind, status=status, since=since).raise_if_any()
    return _item_create(  # type: ignore[no-any-return]
        InformationSystem,
        actor=actor,
        action="infrastructure.system_create",
        agency=agency,
        values={
            "name": name.strip(),
            "kind": kind,
            "vendor": vendor.strip(),
            "status": status,
            "since": since,
        },
        key=("name",),
        taken=_system_taken(name),
    )


def system_update(
    *,
    actor: Any,
    system: InformationSystem,
    name: str,
    kind: str,
    vendor: str = "",
    status: str = SystemStatus.IN_USE,
    since: date | None = None,
) -> InformationSystem:
    _authorise_item(actor, "infrastructure.item_update", system)
    _system_errors(name=name, kind=kind, status=status, since=since).raise_if_any()
    return _item_update(  # type: ignore[no-any-return]
        system,
        actor=actor,
        action="infrastructure.system_update",
        values={
            "name": name.strip(),
            "kind": kind,
            "vendor": vendor.strip(),
            "status": status,
            "since": since,
        },
        key=("name",),
        taken=_system_taken(name),
    )


def system_retire(*, actor: Any, system: InformationSystem, reason: str) -> InformationSystem:
    _authorise_item(actor, "infrastructure.item_retire", system)
    return _item_retire(  # type: ignore[no-any-return]
        system,
        actor=actor,
        action="infrastructure.system_retire",
        reason=reason,
        retired={"status": SystemStatus.RETIRED},
        already=_("Hệ thống này đã ngừng sử dụng từ trước."),
    )
