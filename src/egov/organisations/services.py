"""Every state change of agencies, units, staff, roles and delegations.

Each function takes keyword-only arguments and an explicit `actor` (a user, or None for the
system: command-line imports and the demo loader), runs in one transaction, asks the policy
when the actor is a user, and writes its audit row inside that transaction. Bad input raises
`ValidationFailed` naming the fields, before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import User, UserKind
from egov.audit.services import audit_record, snapshot
from egov.core.errors import PermissionDenied, ValidationFailed
from egov.organisations.codes import AGENCY_CODE_RE, validate_agency_code
from egov.organisations.models import (
    Agency,
    AgencyKind,
    Delegation,
    Position,
    Role,
    RoleCode,
    StaffMember,
    Unit,
)
from egov.organisations.search import agency_search_text
from egov.policy.engine import require


class _Unset:
    """Marks an argument of an update service that the caller did not pass."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()

LEADER_ROLES = frozenset({RoleCode.AGENCY_LEADER, RoleCode.CITY_LEADER, RoleCode.UNIT_HEAD})

AGENCY_FIELDS = (
    "code",
    "name",
    "abbreviation",
    "kind",
    "parent_id",
    "address",
    "phone",
    "email",
    "website",
    "cutoff_time",
    "is_active",
)


@dataclass(frozen=True)
class StandardPosition:
    code: str
    name: str
    is_leader: bool
    rank: int


# Posts found in every Vietnamese agency; administrators may add others in the admin screens.
STANDARD_POSITIONS: tuple[StandardPosition, ...] = (
    StandardPosition("chu-tich", "Chủ tịch", True, 10),
    StandardPosition("pho-chu-tich", "Phó Chủ tịch", True, 20),
    StandardPosition("giam-doc", "Giám đốc", True, 10),
    StandardPosition("pho-giam-doc", "Phó Giám đốc", True, 20),
    StandardPosition("chanh-van-phong", "Chánh Văn phòng", True, 10),
    StandardPosition("pho-chanh-van-phong", "Phó Chánh Văn phòng", True, 20),
    StandardPosition("chanh-thanh-tra", "Chánh Thanh tra", True, 10),
    StandardPosition("pho-chanh-thanh-tra", "Phó Chánh Thanh tra", True, 20),
    StandardPosition("truong-ban", "Trưởng ban", True, 10),
    StandardPosition("pho-truong-ban", "Phó Trưởng ban", True, 20),
    StandardPosition("truong-phong", "Trưởng phòng", True, 30),
    StandardPosition("pho-truong-phong", "Phó Trưởng phòng", True, 40),
    StandardPosition("chuyen-vien-chinh", "Chuyên viên chính", False, 60),
    StandardPosition("chuyen-vien", "Chuyên viên", False, 70),
    StandardPosition("cong-chuc", "Công chức", False, 70),
    StandardPosition("van-thu", "Văn thư", False, 80),
    StandardPosition("nhan-vien", "Nhân viên", False, 90),
)


# --- helpers -------------------------------------------------------------------------------


class _Errors:
    """Collects field errors so one refusal lists every bad field at once."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(str(message))

    def __bool__(self) -> bool:
        return bool(self.fields)

    def raise_if_any(self) -> None:
        if self.fields:
            first_field, messages = next(iter(self.fields.items()))
            raise ValidationFailed(
                _("Dữ liệu không hợp lệ: %(field)s: %(reason)s")
                % {"field": first_field, "reason": messages[0]},
                fields=self.fields,
            )


def _authorise(actor: Any, action: str, obj: Any = None) -> None:
    """Users are asked the policy; None is the system (command line, demo loader)."""
    if actor is not None:
        require(actor, action, obj)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _check_length(errors: _Errors, field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.add(field, _("Tối đa %(n)d ký tự.") % {"n": limit})


def _check_required(errors: _Errors, field: str, value: str, label: str) -> None:
    if not value:
        errors.add(field, _("%(label)s là bắt buộc.") % {"label": label})


def _check_email(errors: _Errors, field: str, value: str) -> None:
    if value:
        try:
            validate_email(value)
        except ValidationError:
            errors.add(field, _("Địa chỉ thư điện tử không hợp lệ."))


def _agency_code_errors(errors: _Errors, code: str, *, exclude_pk: int | None = None) -> str:
    """Validate the identifier code; returns the normalised code."""
    if not code:
        errors.add("code", _("Mã định danh là bắt buộc."))
        return code
    try:
        value = validate_agency_code(code)
    except ValidationFailed as exc:
        for message in exc.fields.get("code", [exc.message]):
            errors.add("code", message)
        return code
    match = AGENCY_CODE_RE.match(value)
    assert match is not None
    province = settings.EGOV_PROVINCE_CODE
    if match.group("l1") != province:
        errors.add(
            "code",
            _("Mã cấp 1 phải là %(province)s (mã của tỉnh, thành phố), không phải %(l1)s.")
            % {"province": province, "l1": match.group("l1")},
        )
    taken = Agency.objects.filter(code=value)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        errors.add("code", _("Mã định danh %(code)s đã được dùng.") % {"code": value})
    return value


def _agency_common_errors(
    errors: _Errors,
    *,
    name: str,
    abbreviation: str,
    kind: str,
    address: str,
    phone: str,
    email: str,
    website: str,
) -> None:
    _check_required(errors, "name", name, _("Tên cơ quan"))
    _check_length(errors, "name", name, 255)
    _check_required(errors, "abbreviation", abbreviation, _("Tên viết tắt"))
    _check_length(errors, "abbreviation", abbreviation, 30)
    if kind not in AgencyKind.values:
        errors.add(
            "kind",
            _("Loại cơ quan “%(kind)s” không hợp lệ; dùng một trong: %(choices)s.")
            % {"kind": kind, "choices": ", ".join(AgencyKind.values)},
        )
    _check_length(errors, "address", address, 300)
    _check_length(errors, "phone", phone, 50)
    _check_email(errors, "email", email)
    if website:
        try:
            URLValidator()(website)
        except ValidationError:
            errors.add(
                "website", _("Địa chỉ trang thông tin không hợp lệ (cần http:// hoặc https://).")
            )


def _refresh_search_text(agency: Agency) -> None:
    agency.search_text = agency_search_text(
        name=agency.name, abbreviation=agency.abbreviation, code=agency.code
    )


# --- agencies ------------------------------------------------------------------------------


def agency_create(
    *,
    actor: Any,
    code: str,
    name: str,
    abbreviation: str,
    kind: str,
    parent: Agency | None = None,
    address: str = "",
    phone: str = "",
    email: str = "",
    website: str = "",
    cutoff_time: time | None = None,
    is_active: bool = True,
) -> Agency:
    """Create an agency of this deployment (its code's level-1 part is EGOV_PROVINCE_CODE)."""
    _authorise(actor, "agency.manage", parent)
    name, abbreviation, kind = _text(name), _text(abbreviation), _text(kind)
    address, phone, email, website = _text(address), _text(phone), _text(email), _text(website)
    errors = _Errors()
    with transaction.atomic():
        value = _agency_code_errors(errors, _text(code).upper())
        _agency_common_errors(
            errors,
            name=name,
            abbreviation=abbreviation,
            kind=kind,
            address=address,
            phone=phone,
            email=email,
            website=website,
        )
        if parent is not None and not Agency.objects.filter(pk=parent.pk).exists():
            errors.add("parent", _("Cơ quan cấp trên không tồn tại."))
        errors.raise_if_any()
        agency = Agency(
            code=value,
            name=name,
            abbreviation=abbreviation,
            kind=kind,
            parent=parent,
            address=address,
            phone=phone,
            email=email,
            website=website,
            cutoff_time=cutoff_time,
            is_active=is_active,
        )
        _refresh_search_text(agency)
        agency.save()
        audit_record(
            actor=actor,
            action="agency.create",
            target=agency,
            summary=_("Tạo cơ quan %(code)s %(name)s") % {"code": agency.code, "name": agency.name},
            after=snapshot(agency, AGENCY_FIELDS),
            agency_id=agency.pk,
        )
    return agency


def agency_update(
    *,
    actor: Any,
    agency: Agency,
    code: str = UNSET,
    name: str = UNSET,
    abbreviation: str = UNSET,
    kind: str = UNSET,
    parent: Agency | None = UNSET,
    address: str = UNSET,
    phone: str = UNSET,
    email: str = UNSET,
    website: str = UNSET,
    cutoff_time: time | None = UNSET,
    is_active: bool = UNSET,
) -> Agency:
    """Change the given fields of an agency; arguments not passed stay as they are."""
    _authorise(actor, "agency.manage", agency)
    errors = _Errors()
    with transaction.atomic():
        current = Agency.objects.select_for_update(of=("self",)).get(pk=agency.pk)
        before = snapshot(current, AGENCY_FIELDS)

        def pick(value: Any, old: Any) -> Any:
            return old if value is UNSET else value

        new_code = current.code if code is UNSET else _text(code).upper()
        if new_code != current.code:
            new_code = _agency_code_errors(errors, new_code, exclude_pk=current.pk)
        new = {
            "name": _text(pick(name, current.name)),
            "abbreviation": _text(pick(abbreviation, current.abbreviation)),
            "kind": _text(pick(kind, current.kind)),
            "address": _text(pick(address, current.address)),
            "phone": _text(pick(phone, current.phone)),
            "email": _text(pick(email, current.email)),
            "website": _text(pick(website, current.website)),
        }
        _agency_common_errors(errors, **new)
        new_parent = current.parent if parent is UNSET else parent
        if new_parent is not None:
            if not Agency.objects.filter(pk=new_parent.pk).exists():
                errors.add("parent", _("Cơ quan cấp trên không tồn tại."))
            elif new_parent.pk == current.pk or current.pk in _ancestor_ids(new_parent.pk):
                errors.add(
                    "parent",
                    _("Cơ quan cấp trên không được là chính nó hoặc cơ quan cấp dưới của nó."),
                )
        errors.raise_if_any()
        current.code = new_code
        for field, value in new.items():
            setattr(current, field, value)
        current.parent = new_parent
        current.cutoff_time = pick(cutoff_time, current.cutoff_time)
        current.is_active = pick(is_active, current.is_active)
        _refresh_search_text(current)
        after = snapshot(current, AGENCY_FIELDS)
        if after == before:
            return current
        current.save()
        audit_record(
            actor=actor,
            action="agency.update",
            target=current,
            summary=_("Cập nhật cơ quan %(code)s") % {"code": current.code},
            before={k: v for k, v in before.items() if after.get(k) != v},
            after={k: v for k, v in after.items() if before.get(k) != v},
            agency_id=current.pk,
        )
    return current


def _ancestor_ids(agency_id: int) -> set[int]:
    """Ids of an agency and everything above it (a short walk: trees are a few levels deep)."""
    seen: set[int] = set()
    current: int | None = agency_id
    while current is not None and current not in seen:
        seen.add(current)
        current = Agency.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return seen


# --- units and positions -------------------------------------------------------------------


def unit_create(
    *,
    actor: Any,
    agency: Agency,
    name: str,
    abbreviation: str,
    parent: Unit | None = None,
) -> Unit:
    """Create a section (phòng, ban) inside an agency; the abbreviation is unique in it."""
    _authorise(actor, "agency.manage", agency)
    name, abbreviation = _text(name), _text(abbreviation)
    errors = _Errors()
    with transaction.atomic():
        _check_required(errors, "name", name, _("Tên đơn vị"))
        _check_length(errors, "name", name, 255)
        _check_required(errors, "abbreviation", abbreviation, _("Tên viết tắt"))
        _check_length(errors, "abbreviation", abbreviation, 30)
        if abbreviation and Unit.objects.filter(agency=agency, abbreviation=abbreviation).exists():
            errors.add(
                "abbreviation",
                _("Cơ quan đã có đơn vị viết tắt %(abbr)s.") % {"abbr": abbreviation},
            )
        if parent is not None and parent.agency_id != agency.pk:
            errors.add("parent", _("Đơn vị cấp trên phải thuộc cùng cơ quan."))
        errors.raise_if_any()
        unit = Unit.objects.create(
            agency=agency, name=name, abbreviation=abbreviation, parent=parent
        )
        audit_record(
            actor=actor,
            action="unit.create",
            target=unit,
            summary=_("Tạo đơn vị %(name)s") % {"name": unit.name},
            after=snapshot(unit, ("agency_id", "parent_id", "name", "abbreviation", "is_active")),
        )
    return unit


def unit_update(
    *,
    actor: Any,
    unit: Unit,
    name: str = UNSET,
    abbreviation: str = UNSET,
    is_active: bool = UNSET,
) -> Unit:
    """Rename a unit, change its abbreviation, or close it."""
    _authorise(actor, "agency.manage", unit)
    errors = _Errors()
    fields = ("agency_id", "parent_id", "name", "abbreviation", "is_active")
    with transaction.atomic():
        current = Unit.objects.select_for_update(of=("self",)).get(pk=unit.pk)
        before = snapshot(current, fields)
        new_name = current.name if name is UNSET else _text(name)
        new_abbr = current.abbreviation if abbreviation is UNSET else _text(abbreviation)
        _check_required(errors, "name", new_name, _("Tên đơn vị"))
        _check_length(errors, "name", new_name, 255)
        _check_required(errors, "abbreviation", new_abbr, _("Tên viết tắt"))
        _check_length(errors, "abbreviation", new_abbr, 30)
        taken = Unit.objects.filter(agency_id=current.agency_id, abbreviation=new_abbr)
        if new_abbr and taken.exclude(pk=current.pk).exists():
            errors.add(
                "abbreviation", _("Cơ quan đã có đơn vị viết tắt %(abbr)s.") % {"abbr": new_abbr}
            )
        errors.raise_if_any()
        current.name, current.abbreviation = new_name, new_abbr
        if is_active is not UNSET:
            current.is_active = is_active
        after = snapshot(current, fields)
        if after == before:
            return current
        current.save()
        audit_record(
            actor=actor,
            action="unit.update",
            target=current,
            summary=_("Cập nhật đơn vị %(name)s") % {"name": current.name},
            before={k: v for k, v in before.items() if after.get(k) != v},
            after={k: v for k, v in after.items() if before.get(k) != v},
        )
    return current


def positions_ensure_standard(*, actor: Any) -> list[Position]:
    """Create the standard posts that are missing (idempotent); returns all standard posts."""
    _authorise(actor, "agency.manage")
    with transaction.atomic():
        existing = {
            p.code: p
            for p in Position.objects.filter(code__in=[s.code for s in STANDARD_POSITIONS])
        }
        result: list[Position] = []
        for spec in STANDARD_POSITIONS:
            position = existing.get(spec.code)
            if position is None:
                position = Position.objects.create(
                    code=spec.code, name=spec.name, is_leader=spec.is_leader, rank=spec.rank
                )
                audit_record(
                    actor=actor,
                    action="position.create",
                    target=position,
                    summary=_("Tạo chức vụ %(name)s") % {"name": position.name},
                    after=snapshot(position),
                )
            result.append(position)
    return result


def role_set_two_factor(*, actor: Any, role: str, requires_two_factor: bool) -> Role:
    """Require (or not) an authenticator for everyone holding the role."""
    _authorise(actor, "agency.manage")
    with transaction.atomic():
        obj = _roles_for([role], errors=None)[0]
        if obj.requires_two_factor == requires_two_factor:
            return obj
        before = snapshot(obj)
        obj.requires_two_factor = requires_two_factor
        obj.save(update_fields=["requires_two_factor"])
        audit_record(
            actor=actor,
            action="role.update",
            target=obj,
            summary=_("Đổi yêu cầu xác thực hai lớp của vai trò %(role)s") % {"role": str(obj)},
            before=before,
            after=snapshot(obj),
        )
    return obj


def _roles_for(codes: Iterable[str], *, errors: _Errors | None) -> list[Role]:
    """Role rows for the codes (created on first use: the set of roles is fixed in code)."""
    wanted: list[str] = []
    for raw in codes:
        code = _text(raw)
        if code not in RoleCode.values:
            message = _("Vai trò “%(role)s” không tồn tại; dùng một trong: %(choices)s.") % {
                "role": code,
                "choices": ", ".join(RoleCode.values),
            }
            if errors is None:
                raise ValidationFailed(message, fields={"roles": [message]})
            errors.add("roles", message)
            continue
        if code not in wanted:
            wanted.append(code)
    if errors:
        return []
    existing = {r.code: r for r in Role.objects.filter(code__in=wanted)}
    for code in wanted:
        if code not in existing:
            existing[code], _created = Role.objects.get_or_create(code=code)
    return [existing[code] for code in wanted]


# --- staff ---------------------------------------------------------------------------------


def _staff_snapshot(staff: StaffMember, roles: Iterable[str] | None = None) -> dict[str, Any]:
    user = staff.user
    codes = roles if roles is not None else (r.code for r in staff.roles.all())
    return {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "agency_id": staff.agency_id,
        "unit_id": staff.unit_id,
        "position_id": staff.position_id,
        "is_active": staff.is_active,
        "roles": sorted(codes),
    }


def _staff_field_errors(
    errors: _Errors,
    *,
    full_name: str,
    email: str,
    phone: str,
    agency: Agency,
    unit: Unit | None,
) -> None:
    _check_required(errors, "full_name", full_name, _("Họ và tên"))
    _check_length(errors, "full_name", full_name, 150)
    _check_email(errors, "email", email)
    _check_length(errors, "phone", phone, 20)
    if unit is not None and unit.agency_id != agency.pk:
        errors.add(
            "unit",
            _("Đơn vị %(unit)s không thuộc %(agency)s.")
            % {"unit": unit.name, "agency": agency.name},
        )


def staff_create(
    *,
    actor: Any,
    agency: Agency,
    username: str,
    full_name: str,
    email: str = "",
    phone: str = "",
    unit: Unit | None = None,
    position: Position | None = None,
    roles: Iterable[str] = (),
    password: str | None = None,
    password_hash: str | None = None,
    is_active: bool = True,
) -> StaffMember:
    """Create the staff account (User of kind staff) and its StaffMember record.

    `password` is checked against the password rules and hashed; `password_hash` is an
    already-hashed value (bulk loaders hash one shared password once); with neither, the
    account has no usable password until it is reset.
    """
    _authorise(actor, "staff.manage", agency)
    username, full_name = _text(username), _text(full_name)
    email, phone = _text(email), _text(phone)
    errors = _Errors()
    with transaction.atomic():
        if not username:
            errors.add("username", _("Tên đăng nhập là bắt buộc."))
        else:
            _check_length(errors, "username", username, 150)
            try:
                UnicodeUsernameValidator()(username)
            except ValidationError:
                errors.add("username", _("Tên đăng nhập chỉ gồm chữ, số và các ký tự @ . + - _."))
            if User.objects.filter(username__iexact=username).exists():
                errors.add("username", _("Tên đăng nhập “%(u)s” đã được dùng.") % {"u": username})
        _staff_field_errors(
            errors, full_name=full_name, email=email, phone=phone, agency=agency, unit=unit
        )
        role_objs = _roles_for(roles, errors=errors)
        if password:
            try:
                validate_password(
                    password, User(username=username, full_name=full_name, email=email)
                )
            except ValidationError as exc:
                for message in exc.messages:
                    errors.add("password", message)
        errors.raise_if_any()
        user = User(
            username=username,
            full_name=full_name,
            email=email,
            phone=phone,
            kind=UserKind.STAFF,
            is_active=is_active,
        )
        if password:
            user.set_password(password)
        elif password_hash:
            user.password = password_hash
        else:
            user.set_unusable_password()
        user.save()
        staff = StaffMember.objects.create(
            user=user, agency=agency, unit=unit, position=position, is_active=is_active
        )
        if role_objs:
            staff.roles.add(*role_objs)  # a new row: no existing links to compare with
        audit_record(
            actor=actor,
            action="staff.create",
            target=staff,
            summary=_("Tạo cán bộ %(name)s (%(u)s)") % {"name": full_name, "u": username},
            after=_staff_snapshot(staff, roles=[r.code for r in role_objs]),
        )
    return staff


def staff_update(
    *,
    actor: Any,
    staff: StaffMember,
    full_name: str = UNSET,
    email: str = UNSET,
    phone: str = UNSET,
    agency: Agency = UNSET,
    unit: Unit | None = UNSET,
    position: Position | None = UNSET,
    is_active: bool = UNSET,
    password: str | None = UNSET,
) -> StaffMember:
    """Change the given fields of a staff member (and their account)."""
    _authorise(actor, "staff.manage", staff)
    if agency is not UNSET and agency.pk != staff.agency_id:
        _authorise(actor, "staff.manage", agency)
    errors = _Errors()
    with transaction.atomic():
        current = (
            StaffMember.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=staff.pk)
        )
        before = _staff_snapshot(current)
        user = current.user
        new_full_name = user.full_name if full_name is UNSET else _text(full_name)
        new_email = user.email if email is UNSET else _text(email)
        new_phone = user.phone if phone is UNSET else _text(phone)
        new_agency = current.agency if agency is UNSET else agency
        if unit is not UNSET:
            new_unit = unit
        elif agency is not UNSET and agency.pk != current.agency_id:
            new_unit = None  # moving to another agency leaves the old agency's unit
        else:
            new_unit = current.unit
        _staff_field_errors(
            errors,
            full_name=new_full_name,
            email=new_email,
            phone=new_phone,
            agency=new_agency,
            unit=new_unit,
        )
        if password is not UNSET and password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                for message in exc.messages:
                    errors.add("password", message)
        errors.raise_if_any()
        user.full_name, user.email, user.phone = new_full_name, new_email, new_phone
        if is_active is not UNSET:
            user.is_active = is_active
            current.is_active = is_active
        if password is not UNSET and password:
            user.set_password(password)
        current.agency = new_agency
        current.unit = new_unit
        if position is not UNSET:
            current.position = position
        after = _staff_snapshot(current)
        password_changed = password is not UNSET and bool(password)
        if after == before and not password_changed:
            return current
        user.save()
        current.save()
        changed_before = {k: v for k, v in before.items() if after.get(k) != v}
        changed_after = {k: v for k, v in after.items() if before.get(k) != v}
        if password_changed:
            changed_after["password"] = "(đã đặt lại)"  # noqa: S105 - a marker, not a secret
        audit_record(
            actor=actor,
            action="staff.update",
            target=current,
            summary=_("Cập nhật cán bộ %(u)s") % {"u": user.username},
            before=changed_before,
            after=changed_after,
        )
    return current


def staff_set_roles(*, actor: Any, staff: StaffMember, roles: Iterable[str]) -> StaffMember:
    """Replace the roles a staff member holds directly."""
    _authorise(actor, "staff.manage", staff)
    errors = _Errors()
    with transaction.atomic():
        current = (
            StaffMember.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=staff.pk)
        )
        role_objs = _roles_for(roles, errors=errors)
        errors.raise_if_any()
        before = sorted(r.code for r in current.roles.all())
        after = sorted(r.code for r in role_objs)
        if before == after:
            return current
        current.roles.set(role_objs)
        audit_record(
            actor=actor,
            action="staff.set_roles",
            target=current,
            summary=_("Đổi vai trò của %(u)s") % {"u": current.user.username},
            before={"roles": before},
            after={"roles": after},
        )
    return current


# --- delegation ----------------------------------------------------------------------------


def _is_leader(staff: StaffMember, direct_roles: set[str]) -> bool:
    return bool(direct_roles & LEADER_ROLES) or bool(staff.position and staff.position.is_leader)


def delegation_create(
    *,
    actor: Any,
    delegator: StaffMember,
    delegate: StaffMember,
    role: str,
    starts_at: datetime,
    ends_at: datetime,
    reason: str = "",
) -> Delegation:
    """A leader hands one of their own roles to an official of the same agency for a period."""
    if actor is not None:
        require(actor, "delegation.create", delegator)
        if getattr(actor, "pk", None) != delegator.user_id:
            raise PermissionDenied(_("Chỉ người ủy quyền mới được lập ủy quyền của chính mình."))
    reason = _text(reason)
    errors = _Errors()
    with transaction.atomic():
        # Lock the delegator so two overlapping requests cannot both pass the overlap check.
        giver = (
            StaffMember.objects.select_for_update(of=("self",))
            .select_related("position", "user")
            .get(pk=delegator.pk)
        )
        receiver = StaffMember.objects.select_related("user").get(pk=delegate.pk)
        giver_roles = {r.code for r in giver.roles.all()}
        if not giver.is_active:
            errors.add("delegator", _("Người ủy quyền không còn công tác."))
        elif not _is_leader(giver, giver_roles):
            errors.add("delegator", _("Chỉ lãnh đạo mới được ủy quyền."))
        role_code = _text(role)
        if role_code not in RoleCode.values:
            errors.add("role", _("Vai trò “%(role)s” không tồn tại.") % {"role": role_code})
        elif role_code not in giver_roles:
            errors.add("role", _("Chỉ được ủy quyền vai trò mà người ủy quyền đang giữ."))
        if receiver.pk == giver.pk:
            errors.add("delegate", _("Không thể ủy quyền cho chính mình."))
        elif receiver.agency_id != giver.agency_id:
            errors.add("delegate", _("Người được ủy quyền phải cùng cơ quan."))
        elif not receiver.is_active:
            errors.add("delegate", _("Người được ủy quyền không còn công tác."))
        elif role_code in {r.code for r in receiver.roles.all()}:
            errors.add("delegate", _("Người được ủy quyền đã có vai trò này."))
        for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
            if not isinstance(value, datetime):
                errors.add(field, _("Thời điểm là bắt buộc."))
            elif timezone.is_naive(value):
                errors.add(field, _("Thời điểm phải có múi giờ."))
        if "starts_at" not in errors.fields and "ends_at" not in errors.fields:
            if ends_at <= starts_at:
                errors.add("ends_at", _("Thời điểm kết thúc phải sau thời điểm bắt đầu."))
            elif ends_at <= timezone.now():
                errors.add("ends_at", _("Thời điểm kết thúc đã qua."))
        _check_length(errors, "reason", reason, 300)
        if not errors:
            overlapping = Delegation.objects.filter(
                delegator=giver,
                delegate=receiver,
                role__code=role_code,
                revoked_at__isnull=True,
                starts_at__lt=ends_at,
                ends_at__gt=starts_at,
            )
            if overlapping.exists():
                errors.add(
                    "starts_at", _("Đã có ủy quyền vai trò này cho người này trong thời gian đó.")
                )
        errors.raise_if_any()
        role_obj = _roles_for([role_code], errors=None)[0]
        delegation = Delegation.objects.create(
            delegator=giver,
            delegate=receiver,
            role=role_obj,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
        )
        audit_record(
            actor=actor,
            action="delegation.create",
            target=delegation,
            summary=_("%(giver)s ủy quyền vai trò %(role)s cho %(receiver)s")
            % {"giver": giver.user, "role": role_obj, "receiver": receiver.user},
            after=snapshot(
                delegation,
                ("delegator_id", "delegate_id", "role_id", "starts_at", "ends_at", "reason"),
            ),
            agency_id=giver.agency_id,
        )
    return delegation


def delegation_revoke(*, actor: Any, delegation: Delegation, reason: str = "") -> Delegation:
    """End a delegation now. The delegator, or an administrator of the agency, may revoke."""
    with transaction.atomic():
        current = (
            Delegation.objects.select_for_update(of=("self",))
            .select_related("delegator", "delegate__user", "role")
            .get(pk=delegation.pk)
        )
        if actor is not None and getattr(actor, "pk", None) != current.delegator.user_id:
            require(actor, "staff.manage", current.delegator)
        errors = _Errors()
        now = timezone.now()
        if current.revoked_at is not None:
            errors.add("delegation", _("Ủy quyền này đã bị thu hồi."))
        elif current.ends_at <= now:
            errors.add("delegation", _("Ủy quyền này đã hết hạn."))
        _check_length(errors, "reason", _text(reason), 300)
        errors.raise_if_any()
        current.revoked_at = now
        current.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=actor,
            action="delegation.revoke",
            target=current,
            summary=(_("Thu hồi ủy quyền cho %(u)s") % {"u": current.delegate.user})
            + (f": {_text(reason)}" if _text(reason) else ""),
            before={"revoked_at": None},
            after={"revoked_at": now},
            agency_id=current.delegator.agency_id,
        )
    return current
