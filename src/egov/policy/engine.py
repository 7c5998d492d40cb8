"""The one answer to "may this user do this action on this object".

Order of questions (docs/subsystems/policy.md):
0. public rules answer yes to everyone; citizens and businesses only pass rules that name them
   (`citizen=`); anonymous visitors and accounts without an active staff record get no;
1. agency scoping: an object of another agency is refused unless the rule grants cross-agency
   access to one of the subject's roles;
2. role: the subject must hold one of the rule's roles in the object's agency (own roles, or
   roles delegated to them by a leader of that agency for the current period — unless the rule
   is `delegable=False`);
3. object rule: an optional predicate on the object itself (owner, state…).

`can` and `agency_filter` answer from the same helper (`_standing`), so a row a list shows is a
row `can` opens, and the reverse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from egov.core.errors import NotFound, PermissionDenied


@dataclass(frozen=True)
class Subject:
    """Who is asking, resolved once per request."""

    user_id: int | None
    kind: str  # "anonymous", "staff", "citizen", "business"
    agency_id: int | None = None
    unit_id: int | None = None
    staff_id: int | None = None
    # Roles per agency: own roles in the own agency plus roles delegated by another leader.
    roles_by_agency: dict[int, frozenset[str]] = field(default_factory=dict)
    is_superuser: bool = False
    # Roles held directly (not by delegation) in the own agency; None = same as own_roles.
    staff_roles: frozenset[str] | None = None

    @property
    def is_staff(self) -> bool:
        return self.kind == "staff" and self.agency_id is not None

    def roles_in(self, agency_id: int | None) -> frozenset[str]:
        if agency_id is None:
            return self.all_roles
        return self.roles_by_agency.get(agency_id, frozenset())

    @property
    def all_roles(self) -> frozenset[str]:
        roles: frozenset[str] = frozenset()
        for r in self.roles_by_agency.values():
            roles |= r
        return roles

    @property
    def own_roles(self) -> frozenset[str]:
        return self.roles_in(self.agency_id)

    @property
    def direct_roles(self) -> frozenset[str]:
        """Own roles without any delegated to this subject."""
        return self.own_roles if self.staff_roles is None else self.staff_roles


ObjectCheck = Callable[[Subject, Any], bool]


@dataclass(frozen=True)
class Rule:
    action: str
    roles: frozenset[str] = frozenset()  # staff roles that may act; empty = no staff role needed
    any_staff: bool = False  # every active staff member of the agency may act
    # roles that may act on other agencies' objects (and, implied, on their own agency's)
    cross_agency_roles: frozenset[str] = frozenset()
    check: ObjectCheck | None = None  # object rule for staff
    citizen: ObjectCheck | None = None  # rule for citizens and businesses (None = refused)
    public: bool = False  # anyone, even anonymous
    description: str = ""
    # False: only roles held directly count (no acting under a delegation), e.g. delegating.
    delegable: bool = True


_RULES: dict[str, Rule] = {}


def register(
    action: str,
    *,
    roles: Iterable[str] = (),
    any_staff: bool = False,
    cross_agency_roles: Iterable[str] = (),
    check: ObjectCheck | None = None,
    citizen: ObjectCheck | None = None,
    public: bool = False,
    description: str = "",
    delegable: bool = True,
) -> Rule:
    if action in _RULES:
        raise ValueError(f"policy rule {action!r} registered twice")
    rule = Rule(
        action=action,
        roles=frozenset(roles),
        any_staff=any_staff,
        cross_agency_roles=frozenset(cross_agency_roles),
        check=check,
        citizen=citizen,
        public=public,
        description=description,
        delegable=delegable,
    )
    _RULES[action] = rule
    return rule


def rules() -> dict[str, Rule]:
    return dict(_RULES)


def agency_of(obj: Any) -> int | None:
    """The tenant of an object: `policy_agency_id`, else `agency_id`, else an Agency's own pk."""
    if obj is None:
        return None
    if hasattr(obj, "policy_agency_id"):
        return obj.policy_agency_id  # type: ignore[no-any-return]
    if hasattr(obj, "agency_id"):
        return obj.agency_id  # type: ignore[no-any-return]
    if isinstance(obj, Model) and obj._meta.label_lower == "organisations.agency":
        return obj.pk  # type: ignore[no-any-return]
    return None


def subject_for(user: Any) -> Subject:
    """Resolve (and cache on the user object) the subject for a request's user."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Subject(user_id=None, kind="anonymous")
    cached = getattr(user, "_egov_subject", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    from egov.organisations.models import Delegation, StaffMember

    subject: Subject
    if user.kind != "staff":
        subject = Subject(user_id=user.pk, kind=user.kind, is_superuser=user.is_superuser)
    else:
        staff = (
            StaffMember.objects.filter(user_id=user.pk, is_active=True)
            .prefetch_related("roles")
            .first()
        )
        if staff is None:
            subject = Subject(user_id=user.pk, kind="staff", is_superuser=user.is_superuser)
        else:
            direct = frozenset(r.code for r in staff.roles.all())
            roles_by_agency: dict[int, set[str]] = {staff.agency_id: set(direct)}
            now = timezone.now()
            # A delegation counts only while in period, not revoked, the delegator still active
            # and still holding the role directly: nobody hands on what they do not hold, and a
            # delegated role cannot be delegated again (Decree 30/2020, art. 13).
            delegator_holds_role = StaffMember.roles.through.objects.filter(
                staffmember_id=OuterRef("delegator_id"), role_id=OuterRef("role_id")
            )
            delegated = Delegation.objects.filter(
                Exists(delegator_holds_role),
                delegate_id=staff.pk,
                revoked_at__isnull=True,
                starts_at__lte=now,
                ends_at__gt=now,
                delegator__is_active=True,
            ).values_list("delegator__agency_id", "role__code")
            for agency_id, role_code in delegated:
                roles_by_agency.setdefault(agency_id, set()).add(role_code)
            subject = Subject(
                user_id=user.pk,
                kind="staff",
                agency_id=staff.agency_id,
                unit_id=staff.unit_id,
                staff_id=staff.pk,
                roles_by_agency={k: frozenset(v) for k, v in roles_by_agency.items()},
                is_superuser=user.is_superuser,
                staff_roles=direct,
            )
    user._egov_subject = subject
    return subject


def _rule(action: str) -> Rule:
    rule = _RULES.get(action)
    if rule is None:
        raise KeyError(f"no policy rule for action {action!r}")
    return rule


def _held(subject: Subject, rule: Rule) -> dict[int, frozenset[str]]:
    """The roles that count for this rule, per agency where the subject has standing."""
    assert subject.agency_id is not None
    if not rule.delegable:
        return {subject.agency_id: subject.direct_roles}
    held = dict(subject.roles_by_agency)
    held.setdefault(subject.agency_id, frozenset())
    return held


def _crosses_agencies(subject: Subject, rule: Rule) -> bool:
    assert subject.agency_id is not None
    return bool(_held(subject, rule).get(subject.agency_id, frozenset()) & rule.cross_agency_roles)


def _passes_in(rule: Rule, roles: frozenset[str] | None) -> bool:
    """Role question inside one agency; cross-agency roles may act in their own agency too."""
    if roles is None:
        return False
    return rule.any_staff or bool(roles & (rule.roles | rule.cross_agency_roles))


def can(user: Any, action: str, obj: Any = None) -> bool:
    rule = _rule(action)
    subject = user if isinstance(user, Subject) else subject_for(user)
    if rule.public:
        return True
    if subject.kind in ("citizen", "business"):
        return bool(rule.citizen and rule.citizen(subject, obj))
    if not subject.is_staff:
        return False
    # 1. agency scoping and 2. role. An object without a tenant counts as the own agency's.
    target_agency = agency_of(obj)
    if target_agency is None:
        target_agency = subject.agency_id
    in_agency = _passes_in(rule, _held(subject, rule).get(target_agency))  # type: ignore[arg-type]
    if not (in_agency or _crosses_agencies(subject, rule)):
        return False
    # 3. object rule
    return not (rule.check is not None and obj is not None and not rule.check(subject, obj))


def require(user: Any, action: str, obj: Any = None, *, hide: bool = False) -> None:
    """Raise PermissionDenied (or NotFound when `hide`, so forbidden looks like missing)."""
    if not can(user, action, obj):
        raise NotFound() if hide else PermissionDenied()


def agency_filter(user: Any, action: str, *, field: str = "agency") -> Q:
    """A queryset filter limiting rows to the agencies where `action` is open to the user.

    Object rules and citizen rules are not applied here (citizens get no rows); list pages
    still ask `can` for row-level actions. `field` names the agency on the row: `"agency"`
    for a foreign key, `"agency_id"` for a plain integer column.
    """
    rule = _rule(action)
    subject = user if isinstance(user, Subject) else subject_for(user)
    if rule.public:
        return Q()
    if not subject.is_staff:
        return Q(pk__in=[])
    if _crosses_agencies(subject, rule):
        return Q()
    agencies = sorted(a for a, roles in _held(subject, rule).items() if _passes_in(rule, roles))
    return Q(**{f"{field}__in": agencies})


def scope(
    queryset: QuerySet[Any], user: Any, action: str, *, field: str = "agency"
) -> QuerySet[Any]:
    return queryset.filter(agency_filter(user, action, field=field))
