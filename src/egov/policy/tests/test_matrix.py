"""The policy as a matrix: every role × own/other agency × action, denied cells included.

`EXPECTED` is the specification, written out by hand: one row per registered action. A new
action registered anywhere (any app's policy.py) makes `test_every_action_has_a_row` fail until
its row is added here, so nobody adds a permission without saying who gets it.

Each row answers, for a staff member holding exactly one role in agency A:
`(may act on an object of A, may act on an object of another agency B)`; plus
`delegated_leader`: a specialist of A acting under an agency_leader delegation, in period;
`citizen` and `anonymous`: one answer each (they have no agency).

The object acted on is an `Agency` by default; a row whose rule looks at the object itself
(an object rule or a citizen rule) gives `target=` a factory `(agency, user) -> object` that
returns an object of that agency the rule accepts, so the matrix tests the agency and role
questions and the object tests live next to the app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from egov.organisations.models import Agency, Delegation, RoleCode, StaffMember, Unit
from egov.organisations.testing import make_agency, make_citizen, make_staff, make_unit, role
from egov.policy.engine import Subject, agency_filter, can, require, rules, scope, subject_for

pytestmark = pytest.mark.django_db

Cell = tuple[bool, bool]  # (own agency, other agency)
Y: Cell = (True, True)
O: Cell = (True, False)  # noqa: E741 - reads as "own agency only" in the table
N: Cell = (False, False)

ROLES: tuple[str, ...] = tuple(RoleCode.values)
Target = Callable[[Agency, Any], Any]


@dataclass(frozen=True)
class Row:
    cells: dict[str, Cell]  # role code -> cell, for every RoleCode
    delegated_leader: Cell
    citizen: bool
    anonymous: bool
    target: Target | None = None

    def object_for(self, agency: Agency, user: Any) -> Any:
        return self.target(agency, user) if self.target else agency


def row(
    *,
    clerk: Cell,
    one_stop_officer: Cell,
    specialist: Cell,
    unit_head: Cell,
    agency_leader: Cell,
    city_leader: Cell,
    administrator: Cell,
    delegated_leader: Cell,
    citizen: bool,
    anonymous: bool,
    target: Target | None = None,
) -> Row:
    cells = {
        RoleCode.CLERK: clerk,
        RoleCode.ONE_STOP_OFFICER: one_stop_officer,
        RoleCode.SPECIALIST: specialist,
        RoleCode.UNIT_HEAD: unit_head,
        RoleCode.AGENCY_LEADER: agency_leader,
        RoleCode.CITY_LEADER: city_leader,
        RoleCode.ADMINISTRATOR: administrator,
    }
    return Row({str(k): v for k, v in cells.items()}, delegated_leader, citizen, anonymous, target)


def _own_dossier(agency: Agency, user: Any) -> Any:
    """A dossier received by `agency`, whose applicant is `user` when `user` is a citizen or a
    business (the applicant's own dossier), else someone's without an account."""
    from egov.dossiers.testing import make_dossier

    applicant = user if getattr(user, "kind", "") in ("citizen", "business") else None
    return make_dossier(agency=agency, applicant=applicant)


# fmt: off
EXPECTED: dict[str, Row] = {
    # --- organisations -------------------------------------------------------------------
    "agency.view_public": row(
        clerk=Y, one_stop_officer=Y, specialist=Y, unit_head=Y, agency_leader=Y, city_leader=Y,
        administrator=Y, delegated_leader=Y, citizen=True, anonymous=True,
    ),
    "agency.view": row(
        clerk=O, one_stop_officer=O, specialist=O, unit_head=O, agency_leader=O, city_leader=Y,
        administrator=Y, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "agency.manage": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
    "staff.view": row(
        clerk=O, one_stop_officer=O, specialist=O, unit_head=O, agency_leader=O, city_leader=Y,
        administrator=Y, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "staff.manage": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
    # Not under a delegation: a delegate may not delegate again (Decree 30/2020, art. 13).
    "delegation.create": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=O, agency_leader=O, city_leader=O,
        administrator=N, delegated_leader=N, citizen=False, anonymous=False,
    ),
    "import.run": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
    "calendar.manage": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
    # --- workflow ------------------------------------------------------------------------
    "workflow.define": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
    "workspace.enter": row(
        clerk=O, one_stop_officer=O, specialist=O, unit_head=O, agency_leader=O, city_leader=O,
        administrator=O, delegated_leader=O, citizen=False, anonymous=False,
    ),
    # --- audit ---------------------------------------------------------------------------
    "audit.view": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=O, city_leader=O,
        administrator=Y, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "audit.verify": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
    # --- procedures --------------------------------------------------------------------------
    "procedure.view_public": row(
        clerk=Y, one_stop_officer=Y, specialist=Y, unit_head=Y, agency_leader=Y, city_leader=Y,
        administrator=Y, delegated_leader=Y, citizen=True, anonymous=True,
    ),
    "procedure.manage": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
    # --- dossiers (the applicant's rules look at the dossier: `_own_dossier` gives the asker's)
    "dossier.view": row(
        clerk=O, one_stop_officer=O, specialist=O, unit_head=O, agency_leader=O, city_leader=Y,
        administrator=O, delegated_leader=O, citizen=True, anonymous=False,
        target=lambda agency, user: _own_dossier(agency, user),
    ),
    "dossier.submit": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=N, delegated_leader=N, citizen=True, anonymous=False,
    ),
    "dossier.intake": row(
        clerk=N, one_stop_officer=O, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=N, delegated_leader=N, citizen=False, anonymous=False,
        target=lambda agency, user: _own_dossier(agency, user),
    ),
    "dossier.supplement": row(
        clerk=N, one_stop_officer=O, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=N, delegated_leader=N, citizen=True, anonymous=False,
        target=lambda agency, user: _own_dossier(agency, user),
    ),
    # The step's roles are the workflow's question; the policy answers the agency's.
    "dossier.process": row(
        clerk=O, one_stop_officer=O, specialist=O, unit_head=O, agency_leader=O, city_leader=O,
        administrator=O, delegated_leader=O, citizen=False, anonymous=False,
        target=lambda agency, user: _own_dossier(agency, user),
    ),
    "dossier.apologise": row(
        clerk=N, one_stop_officer=O, specialist=N, unit_head=O, agency_leader=O, city_leader=N,
        administrator=N, delegated_leader=O, citizen=False, anonymous=False,
        target=lambda agency, user: _own_dossier(agency, user),
    ),
    "dossier.return_result": row(
        clerk=N, one_stop_officer=O, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=N, delegated_leader=N, citizen=False, anonymous=False,
        target=lambda agency, user: _own_dossier(agency, user),
    ),
    "dossier.withdraw": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=N, delegated_leader=N, citizen=True, anonymous=False,
        target=lambda agency, user: _own_dossier(agency, user),
    ),
    "dossier.rate": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=N, delegated_leader=N, citizen=True, anonymous=False,
        target=lambda agency, user: _own_dossier(agency, user),
    ),
    "payment.record": row(
        clerk=N, one_stop_officer=O, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=N, delegated_leader=N, citizen=True, anonymous=False,
        target=lambda agency, user: _own_dossier(agency, user),
    ),
    "payment.confirm": row(
        clerk=N, one_stop_officer=O, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=N, delegated_leader=N, citizen=False, anonymous=False,
        target=lambda agency, user: _own_dossier(agency, user),
    ),
    # --- documents (secret documents: the object rule, tested in documents/tests/test_secret)
    "document.view": row(
        clerk=O, one_stop_officer=O, specialist=O, unit_head=O, agency_leader=O, city_leader=O,
        administrator=O, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "document.draft": row(
        clerk=N, one_stop_officer=N, specialist=O, unit_head=O, agency_leader=O, city_leader=N,
        administrator=N, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "document.review": row(
        clerk=O, one_stop_officer=N, specialist=N, unit_head=O, agency_leader=O, city_leader=N,
        administrator=N, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "document.sign": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=O, agency_leader=O, city_leader=N,
        administrator=N, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "document.issue": row(
        clerk=O, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=N, delegated_leader=N, citizen=False, anonymous=False,
    ),
    "document.recall": row(
        clerk=O, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=O, city_leader=N,
        administrator=N, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "document.register": row(
        clerk=O, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=N, delegated_leader=N, citizen=False, anonymous=False,
    ),
    "document.direct": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=O, agency_leader=O, city_leader=N,
        administrator=N, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "document.handle": row(
        clerk=O, one_stop_officer=O, specialist=O, unit_head=O, agency_leader=O, city_leader=O,
        administrator=O, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "casefile.manage": row(
        clerk=O, one_stop_officer=N, specialist=O, unit_head=O, agency_leader=O, city_leader=N,
        administrator=N, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "document.configure": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=O, delegated_leader=N, citizen=False, anonymous=False,
    ),
    # --- indicators ---------------------------------------------------------------------------
    "indicator.view_city": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=Y,
        administrator=N, delegated_leader=N, citizen=False, anonymous=False,
    ),
    "indicator.view_agency": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=O, agency_leader=O, city_leader=Y,
        administrator=N, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "indicator.view_units": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=O, agency_leader=O, city_leader=Y,
        administrator=N, delegated_leader=O, citizen=False, anonymous=False,
    ),
    # --- assignments (owner and assigner rules: assignments/tests) -------------------------
    "assignment.create": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=O, agency_leader=O, city_leader=O,
        administrator=N, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "assignment.view": row(
        clerk=O, one_stop_officer=O, specialist=O, unit_head=O, agency_leader=O, city_leader=Y,
        administrator=O, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "assignment.board": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=O, agency_leader=O, city_leader=Y,
        administrator=O, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "notice.publish": row(
        clerk=O, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=O, city_leader=N,
        administrator=O, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "workcalendar.edit": row(
        clerk=O, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=O, delegated_leader=N, citizen=False, anonymous=False,
    ),
    "workcalendar.approve": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=O, city_leader=N,
        administrator=N, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "workcalendar.view_public": row(
        clerk=Y, one_stop_officer=Y, specialist=Y, unit_head=Y, agency_leader=Y, city_leader=Y,
        administrator=Y, delegated_leader=Y, citizen=True, anonymous=True,
    ),
    "workcalendar.publish": row(
        clerk=O, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=O, city_leader=N,
        administrator=O, delegated_leader=O, citizen=False, anonymous=False,
    ),
    # --- exchange (partners are the platform's: administrators of any agency) ----------------
    "exchange.partner_manage": row(
        clerk=N, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
    "exchange.outbox_view": row(
        clerk=O, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
    "exchange.outbox_retry": row(
        clerk=O, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
    # --- training and infrastructure ---------------------------------------------------------
    "training.view": row(
        clerk=O, one_stop_officer=O, specialist=O, unit_head=O, agency_leader=O, city_leader=Y,
        administrator=Y, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "training.record": row(
        clerk=O, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
    "infrastructure.view": row(
        clerk=O, one_stop_officer=O, specialist=O, unit_head=O, agency_leader=O, city_leader=Y,
        administrator=Y, delegated_leader=O, citizen=False, anonymous=False,
    ),
    "infrastructure.record": row(
        clerk=O, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
    "training.result_create": row(
        clerk=O, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
    "training.result_update": row(
        clerk=O, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
    "training.result_retire": row(
        clerk=O, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
    "infrastructure.item_create": row(
        clerk=O, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
    "infrastructure.item_update": row(
        clerk=O, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
    "infrastructure.item_retire": row(
        clerk=O, one_stop_officer=N, specialist=N, unit_head=N, agency_leader=N, city_leader=N,
        administrator=Y, delegated_leader=N, citizen=False, anonymous=False,
    ),
}
# fmt: on

ACTIONS = sorted(EXPECTED)
PLACES = ("own", "other")


# --- completeness ----------------------------------------------------------------------------


def test_every_action_has_a_row() -> None:
    missing = sorted(set(rules()) - set(EXPECTED))
    assert not missing, (
        f"Hành động chưa có dòng trong ma trận phân quyền: {missing}. "
        "Thêm một dòng vào EXPECTED trong src/egov/policy/tests/test_matrix.py."
    )


def test_every_row_is_a_registered_action() -> None:
    stale = sorted(set(EXPECTED) - set(rules()))
    assert not stale, f"Dòng trong ma trận không còn hành động tương ứng: {stale}"


def test_every_row_covers_every_role() -> None:
    for action, spec in EXPECTED.items():
        assert set(spec.cells) == set(ROLES), action


def test_unknown_action_is_an_error_not_a_no() -> None:
    with pytest.raises(KeyError):
        can(AnonymousUser(), "khong.ton.tai")


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def agencies() -> tuple[Agency, Agency]:
    return make_agency(), make_agency()


def _staff_user(agency: Agency, *roles: str) -> Any:
    return make_staff(agency=agency, roles=list(roles)).user


def _delegate(
    *,
    delegator: StaffMember,
    delegate: StaffMember,
    code: str = RoleCode.AGENCY_LEADER,
    starts: timedelta = timedelta(days=-1),
    ends: timedelta = timedelta(days=1),
    revoked: bool = False,
) -> Delegation:
    now = timezone.now()
    return Delegation.objects.create(
        delegator=delegator,
        delegate=delegate,
        role=role(code),
        starts_at=now + starts,
        ends_at=now + ends,
        revoked_at=now if revoked else None,
    )


def _check(user: Any, action: str, agency: Agency, expected: bool) -> None:
    spec = EXPECTED[action]
    obj = spec.object_for(agency, user)
    assert can(user, action, obj) is expected
    if expected:
        require(user, action, obj)
    else:
        from egov.core.errors import NotFound, PermissionDenied

        with pytest.raises(PermissionDenied):
            require(user, action, obj)
        with pytest.raises(NotFound):
            require(user, action, obj, hide=True)


# --- the matrix ------------------------------------------------------------------------------


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role_code", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_staff_role(
    action: str, role_code: str, place: str, agencies: tuple[Agency, Agency]
) -> None:
    own, other = agencies
    user = _staff_user(own, role_code)
    expected = EXPECTED[action].cells[role_code][PLACES.index(place)]
    _check(user, action, own if place == "own" else other, expected)


@pytest.mark.parametrize("action", ACTIONS)
def test_citizen(action: str, agencies: tuple[Agency, Agency]) -> None:
    _check(make_citizen(), action, agencies[0], EXPECTED[action].citizen)


@pytest.mark.parametrize("action", ACTIONS)
def test_business_is_answered_like_a_citizen(action: str, agencies: tuple[Agency, Agency]) -> None:
    user = make_citizen(citizen_id="", tax_code="0401234567")
    type(user).objects.filter(pk=user.pk).update(kind="business")
    user.refresh_from_db()
    _check(user, action, agencies[0], EXPECTED[action].citizen)


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous(action: str, agencies: tuple[Agency, Agency]) -> None:
    _check(AnonymousUser(), action, agencies[0], EXPECTED[action].anonymous)


@pytest.mark.parametrize("action", ACTIONS)
def test_staff_account_without_staff_record_is_treated_as_no_one(
    action: str, agencies: tuple[Agency, Agency]
) -> None:
    staff = make_staff(agency=agencies[0], roles=[RoleCode.ADMINISTRATOR])
    StaffMember.objects.filter(pk=staff.pk).update(is_active=False)
    _check(staff.user, action, agencies[0], EXPECTED[action].anonymous)


# --- delegation cells ------------------------------------------------------------------------


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("action", ACTIONS)
def test_delegated_leader_in_period(
    action: str, place: str, agencies: tuple[Agency, Agency]
) -> None:
    own, other = agencies
    leader = make_staff(agency=own, roles=[RoleCode.AGENCY_LEADER])
    deputy = make_staff(agency=own, roles=[RoleCode.SPECIALIST])
    _delegate(delegator=leader, delegate=deputy)
    expected = EXPECTED[action].delegated_leader[PLACES.index(place)]
    _check(deputy.user, action, own if place == "own" else other, expected)


BROKEN_DELEGATIONS: dict[str, dict[str, Any]] = {
    "het_han": {"starts": timedelta(days=-10), "ends": timedelta(hours=-1)},
    "chua_bat_dau": {"starts": timedelta(hours=1), "ends": timedelta(days=3)},
    "da_thu_hoi": {"revoked": True},
}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("case", sorted(BROKEN_DELEGATIONS))
@pytest.mark.parametrize("action", ACTIONS)
def test_delegation_out_of_period_or_revoked_grants_nothing(
    action: str, case: str, place: str, agencies: tuple[Agency, Agency]
) -> None:
    own, other = agencies
    leader = make_staff(agency=own, roles=[RoleCode.AGENCY_LEADER])
    deputy = make_staff(agency=own, roles=[RoleCode.SPECIALIST])
    _delegate(delegator=leader, delegate=deputy, **BROKEN_DELEGATIONS[case])
    expected = EXPECTED[action].cells[RoleCode.SPECIALIST][PLACES.index(place)]
    _check(deputy.user, action, own if place == "own" else other, expected)


@pytest.mark.parametrize("action", ACTIONS)
def test_delegation_from_another_agency_stays_in_that_agency(
    action: str, agencies: tuple[Agency, Agency]
) -> None:
    # A leader of B hands the agency_leader role to a specialist of A: the specialist acts as a
    # leader in B (when the rule accepts delegated roles) and gains nothing in a third agency C.
    a, b = agencies
    c = make_agency()
    leader_b = make_staff(agency=b, roles=[RoleCode.AGENCY_LEADER])
    deputy = make_staff(agency=a, roles=[RoleCode.SPECIALIST])
    _delegate(delegator=leader_b, delegate=deputy)
    spec = EXPECTED[action]
    specialist_other = spec.cells[RoleCode.SPECIALIST][1]
    _check(deputy.user, action, b, spec.delegated_leader[0] or specialist_other)
    _check(deputy.user, action, c, specialist_other)


@pytest.mark.parametrize("action", ACTIONS)
def test_delegation_of_a_role_the_delegator_does_not_hold_grants_nothing(
    action: str, agencies: tuple[Agency, Agency]
) -> None:
    own, _ = agencies
    unit_head = make_staff(agency=own, roles=[RoleCode.UNIT_HEAD])
    deputy = make_staff(agency=own, roles=[RoleCode.SPECIALIST])
    _delegate(delegator=unit_head, delegate=deputy, code=RoleCode.AGENCY_LEADER)
    _check(deputy.user, action, own, EXPECTED[action].cells[RoleCode.SPECIALIST][0])


@pytest.mark.parametrize("action", ACTIONS)
def test_delegated_role_cannot_be_delegated_again(
    action: str, agencies: tuple[Agency, Agency]
) -> None:
    own, _ = agencies
    leader = make_staff(agency=own, roles=[RoleCode.AGENCY_LEADER])
    deputy = make_staff(agency=own, roles=[RoleCode.SPECIALIST])
    third = make_staff(agency=own, roles=[RoleCode.SPECIALIST])
    _delegate(delegator=leader, delegate=deputy)
    _delegate(delegator=deputy, delegate=third)
    _check(third.user, action, own, EXPECTED[action].cells[RoleCode.SPECIALIST][0])


def test_delegation_from_an_inactive_leader_grants_nothing(agencies: tuple[Agency, Agency]) -> None:
    own, _ = agencies
    leader = make_staff(agency=own, roles=[RoleCode.AGENCY_LEADER])
    deputy = make_staff(agency=own, roles=[RoleCode.SPECIALIST])
    _delegate(delegator=leader, delegate=deputy)
    assert can(deputy.user, "audit.view", own)
    StaffMember.objects.filter(pk=leader.pk).update(is_active=False)
    fresh = type(deputy.user).objects.get(pk=deputy.user.pk)  # the subject is cached per user
    assert not can(fresh, "audit.view", own)


# --- scope and agency_filter -----------------------------------------------------------------


@pytest.mark.parametrize("role_code", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_scope_returns_only_the_allowed_agencies_rows(
    action: str, role_code: str, agencies: tuple[Agency, Agency]
) -> None:
    own, other = agencies
    third = make_agency()
    units = {a.pk: {make_unit(agency=a).pk, make_unit(agency=a).pk} for a in (own, other, third)}
    user = _staff_user(own, role_code)
    own_ok, other_ok = EXPECTED[action].cells[role_code]
    expected: set[int] = set()
    if own_ok:
        expected |= units[own.pk]
    if other_ok:
        expected |= units[other.pk] | units[third.pk]
    got = set(
        scope(Unit.objects.filter(agency__in=[own, other, third]), user, action).values_list(
            "pk", flat=True
        )
    )
    assert got == expected
    # agency_filter on an integer column (field="agency_id") gives the same rows.
    by_id = Unit.objects.filter(agency__in=[own, other, third]).filter(
        agency_filter(user, action, field="agency_id")
    )
    assert set(by_id.values_list("pk", flat=True)) == expected


@pytest.mark.parametrize("action", ACTIONS)
def test_scope_for_delegated_leader(action: str, agencies: tuple[Agency, Agency]) -> None:
    own, other = agencies
    mine, theirs = make_unit(agency=own), make_unit(agency=other)
    leader = make_staff(agency=own, roles=[RoleCode.AGENCY_LEADER])
    deputy = make_staff(agency=own, roles=[RoleCode.SPECIALIST])
    _delegate(delegator=leader, delegate=deputy)
    own_ok, other_ok = EXPECTED[action].delegated_leader
    got = set(scope(Unit.objects.filter(pk__in=[mine.pk, theirs.pk]), deputy.user, action))
    assert got == {u for u, ok in ((mine, own_ok), (theirs, other_ok)) if ok}


@pytest.mark.parametrize("action", ACTIONS)
def test_scope_for_citizen_and_anonymous(action: str, agencies: tuple[Agency, Agency]) -> None:
    units = {make_unit(agency=agencies[0]), make_unit(agency=agencies[1])}
    public = rules()[action].public
    for user in (make_citizen(), AnonymousUser()):
        got = set(scope(Unit.objects.filter(pk__in=[u.pk for u in units]), user, action))
        assert got == (units if public else set())


def test_subject_is_resolved_once_per_user(django_assert_num_queries: Any) -> None:
    staff = make_staff(agency=make_agency(), roles=[RoleCode.SPECIALIST])
    user = type(staff.user).objects.get(pk=staff.user.pk)
    with django_assert_num_queries(3):  # staff + roles + delegations
        first = subject_for(user)
        for action in ACTIONS:
            can(user, action, None)
    assert isinstance(first, Subject) and subject_for(user) is first
