"""One module result at a time: services (create, update, retire) and their workspace pages.

Given an agency with officials, when a result is added, corrected or retired, then the audit
trail has its row, the person's standing and the agency's `TrainingFact` (what the training
coverage indicators read) move in the same transaction, exactly as the full recomputation says;
bad input is refused with a Vietnamese reason and changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from egov.audit.models import AuditEntry
from egov.core.errors import PermissionDenied, ValidationFailed
from egov.organisations.models import RoleCode as R
from egov.organisations.testing import make_agency, make_citizen, make_staff
from egov.training import services
from egov.training.facts import training_facts_recompute
from egov.training.models import ModuleResult, StaffTrainingStatus, TrainingFact

pytestmark = pytest.mark.django_db

DAY = date(2025, 3, 10)
BASIC = ("IU01", "IU02", "IU03", "IU04", "IU05", "IU06")


def _fact(agency: Any) -> tuple[int, int, int]:
    fact = TrainingFact.objects.filter(agency=agency).first()
    return (fact.staff_total, fact.basic_met, fact.advanced_met) if fact else (0, 0, 0)


def _state() -> tuple[object, ...]:
    """Everything a refused call must leave as it was."""
    return (
        sorted(
            ModuleResult.objects.values_list(
                "pk", "module__code", "taken_on", "passed", "score", "retired_at"
            )
        ),
        sorted(StaffTrainingStatus.objects.values_list("staff_id", "basic_met", "advanced_met")),
        sorted(TrainingFact.objects.values_list("agency_id", "basic_met", "advanced_met")),
        AuditEntry.objects.count(),
    )


def _five_basic(clerk: Any, person: Any) -> None:
    for code in BASIC[:5]:
        services.result_create(
            actor=clerk.user, staff=person, module=code, taken_on=DAY, passed=True
        )


@pytest.fixture
def office() -> dict[str, Any]:
    agency = make_agency()
    return {
        "agency": agency,
        "clerk": make_staff(agency=agency, roles=[R.CLERK]),
        "person": make_staff(agency=agency, full_name="Nguyễn Văn Thử"),
    }


# --- services ------------------------------------------------------------------------------


def test_create_moves_the_standing_and_the_fact_and_is_audited(office: dict[str, Any]) -> None:
    clerk, person, agency = office["clerk"], office["person"], office["agency"]
    _five_basic(clerk, person)
    assert _fact(agency) == (2, 0, 0)

    result = services.result_create(
        actor=clerk.user,
        staff=person,
        module="iu06",
        taken_on=DAY,
        passed=True,
        score=Decimal("87.5"),
        certificate_number="CC-01",
        issuer="Trung tâm CNTT",
    )

    assert (result.module.code, result.agency_id, result.score) == ("IU06", agency.pk, 87.5)
    assert _fact(agency) == (2, 1, 0)
    assert StaffTrainingStatus.objects.get(staff=person).basic_met is True
    entry = AuditEntry.objects.filter(action="training.result_create").latest("pk")
    assert (entry.actor_id, entry.object_id, entry.agency_id) == (
        clerk.user.pk,
        str(result.public_id),
        agency.pk,
    )
    assert entry.after["certificate_number"] == "CC-01"


def test_update_and_retire_move_the_fact_back(office: dict[str, Any]) -> None:
    clerk, person, agency = office["clerk"], office["person"], office["agency"]
    _five_basic(clerk, person)
    last = services.result_create(
        actor=clerk.user, staff=person, module="IU06", taken_on=DAY, passed=True
    )
    assert _fact(agency)[1] == 1

    services.result_update(
        actor=clerk.user, result=last, module="IU06", taken_on=DAY, passed=False, score=40
    )
    assert _fact(agency)[1] == 0
    entry = AuditEntry.objects.filter(action="training.result_update").latest("pk")
    assert (entry.before["passed"], entry.after["passed"]) == (True, False)

    services.result_update(
        actor=clerk.user, result=last, module="IU06", taken_on=DAY, passed=True, score=None
    )
    assert _fact(agency)[1] == 1

    retired = services.result_retire(actor=clerk.user, result=last, reason="Ghi nhầm người")
    assert retired.retired_at is not None and retired.retired_reason == "Ghi nhầm người"
    assert _fact(agency)[1] == 0
    assert StaffTrainingStatus.objects.get(staff=person).basic_passed == 5
    entry = AuditEntry.objects.filter(action="training.result_retire").latest("pk")
    assert "Ghi nhầm người" in entry.summary

    # The day is free again: the same module and day may be recorded anew.
    services.result_create(actor=clerk.user, staff=person, module="IU06", taken_on=DAY, passed=True)
    assert _fact(agency)[1] == 1


def test_incremental_fact_equals_recomputation_after_form_changes(
    office: dict[str, Any],
) -> None:
    clerk, person, agency = office["clerk"], office["person"], office["agency"]
    other = make_staff(agency=agency)
    _five_basic(clerk, person)
    _five_basic(clerk, other)
    a = services.result_create(
        actor=clerk.user, staff=person, module="IU06", taken_on=DAY, passed=True
    )
    b = services.result_create(
        actor=clerk.user, staff=other, module="IU06", taken_on=DAY, passed=False
    )
    services.result_update(actor=clerk.user, result=b, module="IU06", taken_on=DAY, passed=True)
    services.result_retire(actor=clerk.user, result=a, reason="Thu hồi")
    incremental = _fact(agency)

    training_facts_recompute()

    assert _fact(agency) == incremental == (3, 1, 0)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"taken_on": None}, "taken_on", "Nhập ngày kiểm tra"),
        ({"taken_on": "future"}, "taken_on", "tương lai"),
        ({"score": Decimal("101")}, "score", "từ 0 đến 100"),
        ({"score": Decimal("50.125")}, "score", "hai chữ số thập phân"),
        ({"certificate_number": "CC-9"}, "issuer", "nơi cấp"),
        ({"module": "IU99"}, "modules", "Không có mô-đun IU99"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    office: dict[str, Any], changes: dict[str, Any], field: str, words: str
) -> None:
    clerk, person = office["clerk"], office["person"]
    existing = services.result_create(
        actor=clerk.user, staff=person, module="IU01", taken_on=DAY, passed=True
    )
    if changes.get("taken_on") == "future":
        changes = {**changes, "taken_on": timezone.localdate() + timedelta(days=1)}
    before = _state()
    values: dict[str, Any] = {"module": "IU02", "taken_on": DAY, "passed": True, **changes}

    with pytest.raises(ValidationFailed) as refused:
        services.result_create(actor=clerk.user, staff=person, **values)
    assert words in " ".join(refused.value.fields[field])
    with pytest.raises(ValidationFailed):
        services.result_update(actor=clerk.user, result=existing, **values)

    assert _state() == before


def test_second_live_result_on_the_same_day_is_refused(office: dict[str, Any]) -> None:
    clerk, person = office["clerk"], office["person"]
    services.result_create(
        actor=clerk.user, staff=person, module="IU01", taken_on=DAY, passed=False
    )
    other_day = services.result_create(
        actor=clerk.user, staff=person, module="IU01", taken_on=DAY + timedelta(days=1), passed=True
    )
    before = _state()

    with pytest.raises(ValidationFailed) as refused:
        services.result_create(
            actor=clerk.user, staff=person, module="IU01", taken_on=DAY, passed=True
        )
    assert "hãy sửa kết quả đó" in refused.value.message
    with pytest.raises(ValidationFailed):  # moving another result onto that day
        services.result_update(
            actor=clerk.user, result=other_day, module="IU01", taken_on=DAY, passed=True
        )
    assert _state() == before


def test_retired_results_are_not_edited_or_retired_twice(office: dict[str, Any]) -> None:
    clerk, person = office["clerk"], office["person"]
    result = services.result_create(
        actor=clerk.user, staff=person, module="IU01", taken_on=DAY, passed=True
    )
    with pytest.raises(ValidationFailed) as no_reason:
        services.result_retire(actor=clerk.user, result=result, reason="  ")
    assert "lý do" in no_reason.value.message
    services.result_retire(actor=clerk.user, result=result, reason="Ghi nhầm")
    before = _state()

    with pytest.raises(ValidationFailed, match="đã ngừng sử dụng"):
        services.result_retire(actor=clerk.user, result=result, reason="Lần nữa")
    with pytest.raises(ValidationFailed, match="không sửa được"):
        services.result_update(
            actor=clerk.user, result=result, module="IU01", taken_on=DAY, passed=False
        )
    assert _state() == before


def test_import_upsert_leaves_retired_results_alone(office: dict[str, Any]) -> None:
    clerk, person = office["clerk"], office["person"]
    first = services.result_create(
        actor=clerk.user, staff=person, module="IU01", taken_on=DAY, passed=True
    )
    services.result_retire(actor=clerk.user, result=first, reason="Ghi nhầm")

    again = services.result_record(
        actor=None, staff=person, module="IU01", taken_on=DAY, passed=False
    )

    assert again.pk != first.pk and again.retired_at is None
    assert ModuleResult.objects.filter(staff=person).count() == 2


def test_policy_refuses_other_agencies_and_other_roles(office: dict[str, Any]) -> None:
    person = office["person"]
    outsider = make_staff(agency=make_agency(), roles=[R.CLERK])
    specialist = make_staff(agency=office["agency"], roles=[R.SPECIALIST])
    admin = make_staff(agency=make_agency(), roles=[R.ADMINISTRATOR])
    before = _state()

    for actor in (outsider.user, specialist.user, make_citizen()):
        with pytest.raises(PermissionDenied):
            services.result_create(
                actor=actor, staff=person, module="IU01", taken_on=DAY, passed=True
            )
    assert _state() == before

    result = services.result_create(
        actor=admin.user, staff=person, module="IU01", taken_on=DAY, passed=True
    )
    with pytest.raises(PermissionDenied):
        services.result_retire(actor=outsider.user, result=result, reason="x")


# --- pages ---------------------------------------------------------------------------------


def test_clerk_adds_corrects_and_retires_through_the_pages(client, office: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    clerk, person, agency = office["clerk"], office["person"], office["agency"]
    client.force_login(clerk.user)
    listing = f"/app/dao-tao/co-quan/{agency.public_id}/ket-qua/"
    page = client.get(listing).content.decode()
    assert f"{listing}them/" in page

    form = client.get(f"{listing}them/")
    assert form.status_code == 200 and "Nguyễn Văn Thử" in form.content.decode()
    bad = client.post(
        f"{listing}them/",
        {"staff": person.pk, "module": "", "taken_on": "2999-01-01", "passed": "1", "score": ""},
    )
    assert bad.status_code == 422
    assert ModuleResult.objects.count() == 0

    module_pk = _module_pk("IU03")
    response = client.post(
        f"{listing}them/",
        {"staff": person.pk, "module": module_pk, "taken_on": "2025-03-10", "passed": "1"},
    )
    assert response.status_code == 302 and response["Location"] == listing
    result = ModuleResult.objects.get()
    assert result.passed and result.module.code == "IU03"

    page = client.get(listing).content.decode()
    assert f"/app/dao-tao/ket-qua/{result.public_id}/sua/" in page
    assert f"/app/dao-tao/ket-qua/{result.public_id}/ngung-su-dung/" in page

    future = client.post(
        f"/app/dao-tao/ket-qua/{result.public_id}/sua/",
        {"module": module_pk, "taken_on": "2999-01-01", "passed": "0"},
    )
    assert future.status_code == 422 and "tương lai" in future.content.decode()
    client.post(
        f"/app/dao-tao/ket-qua/{result.public_id}/sua/",
        {"module": module_pk, "taken_on": "2025-03-10", "passed": "0", "score": "35"},
    )
    result.refresh_from_db()
    assert (result.passed, result.score) == (False, 35)

    no_reason = client.post(f"/app/dao-tao/ket-qua/{result.public_id}/ngung-su-dung/", {})
    assert no_reason.status_code == 422 and "lý do" in no_reason.content.decode()
    client.post(f"/app/dao-tao/ket-qua/{result.public_id}/ngung-su-dung/", {"reason": "Ghi nhầm"})
    result.refresh_from_db()
    assert result.retired_reason == "Ghi nhầm"
    assert (
        f"/app/dao-tao/ket-qua/{result.public_id}/sua/" not in client.get(listing).content.decode()
    )


def _module_pk(code: str) -> int:
    from egov.training.models import SkillModule

    return SkillModule.objects.get(code=code).pk


def test_pages_refuse_other_agencies_staff_and_citizens(client, office: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    clerk, person, agency = office["clerk"], office["person"], office["agency"]
    result = services.result_create(
        actor=clerk.user, staff=person, module="IU01", taken_on=DAY, passed=True
    )
    listing = f"/app/dao-tao/co-quan/{agency.public_id}/ket-qua/"
    edit = f"/app/dao-tao/ket-qua/{result.public_id}/sua/"
    retire = f"/app/dao-tao/ket-qua/{result.public_id}/ngung-su-dung/"
    post = {"module": _module_pk("IU01"), "taken_on": "2025-03-10", "passed": "0"}
    before = _state()

    outsider = make_staff(agency=make_agency(), roles=[R.CLERK])
    client.force_login(outsider.user)
    assert client.get(listing).status_code == 404
    assert client.get(f"{listing}them/").status_code == 404
    assert client.post(edit, post).status_code == 404
    assert client.post(retire, {"reason": "x"}).status_code == 404

    specialist = make_staff(agency=agency, roles=[R.SPECIALIST])
    client.force_login(specialist.user)
    page = client.get(listing)
    assert page.status_code == 200
    assert "/them/" not in page.content.decode() and "/sua/" not in page.content.decode()
    assert client.post(f"{listing}them/", {"staff": person.pk, **post}).status_code == 403
    assert client.post(edit, post).status_code == 404

    client.force_login(make_citizen())
    assert client.get(listing).status_code == 403
    assert client.post(edit, post).status_code == 403
    assert client.post(retire, {"reason": "x"}).status_code == 403

    assert _state() == before


def test_results_page_query_count_does_not_grow_with_rows(
    client,
    django_assert_max_num_queries,
    office: dict[str, Any],  # type: ignore[no-untyped-def]
) -> None:
    clerk, agency = office["clerk"], office["agency"]
    people = [make_staff(agency=agency) for _ in range(5)]
    for p in people:
        _five_basic(clerk, p)
    client.force_login(clerk.user)
    with django_assert_max_num_queries(15):
        response = client.get(f"/app/dao-tao/co-quan/{agency.public_id}/ket-qua/")
    assert response.status_code == 200


def test_the_coverage_indicator_moves_with_one_result(office: dict[str, Any]) -> None:
    """What the dashboards show: NL-1 (share meeting the basic standard) reads TrainingFact."""
    from egov.indicators import compute, selectors
    from egov.indicators.models import Indicator
    from egov.indicators.periods import Period

    clerk, person, agency = office["clerk"], office["person"], office["agency"]
    indicator = Indicator.objects.get(code="NL-1")
    today = timezone.localdate()
    period = Period(today.year, "month", today.month)

    def nl1() -> Decimal | None:
        facts = selectors.load_facts(sources={indicator.source}, periods=[period])
        return compute.value_of(indicator, facts, agency_id=agency.pk, period=period).value

    _five_basic(clerk, person)
    assert nl1() == Decimal("0.0")  # two officials, nobody at the standard yet
    last = services.result_create(
        actor=clerk.user, staff=person, module="IU06", taken_on=DAY, passed=True
    )
    assert nl1() == Decimal("50.0")
    services.result_retire(actor=clerk.user, result=last, reason="Ghi nhầm")
    assert nl1() == Decimal("0.0")
