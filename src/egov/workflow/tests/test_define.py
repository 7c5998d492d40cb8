"""Defining processes from plain data: checks with Vietnamese messages naming the field."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from egov.audit.models import AuditEntry
from egov.core.errors import PermissionDenied, ValidationFailed
from egov.organisations.models import Agency, AgencyKind, RoleCode
from egov.organisations.testing import make_agency, make_staff
from egov.workflow.models import Process, Step, Transition
from egov.workflow.selectors import process_current
from egov.workflow.services import process_as_data, process_define
from egov.workflow.tests.factories import four_steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies() -> tuple[Agency, Agency]:
    return make_agency(kind=AgencyKind.WARD), make_agency()


def define(data: dict[str, Any]) -> Process:
    return process_define(actor=None, **data)


def test_define_creates_steps_and_transitions_and_audits(agencies: tuple[Agency, Agency]) -> None:
    ward, department = agencies
    process = define(four_steps(ward, department))
    assert process.version == 1 and process.is_active
    assert list(process.steps.values_list("code", flat=True)) == [
        "tiep-nhan",
        "tham-dinh",
        "phe-duyet",
        "tra-ket-qua",
    ]
    appraisal = process.steps.get(code="tham-dinh")
    assert appraisal.actor_agency == department and appraisal.actor_roles == ["specialist"]
    assert Transition.objects.filter(process=process).count() == 12
    entry = AuditEntry.objects.get(action="workflow.define")
    assert entry.after["code"] == "cap-giay-phep-thu"  # type: ignore[index]


def test_export_then_import_gives_the_same_process_as_a_new_version(
    agencies: tuple[Agency, Agency],
) -> None:
    first = define(four_steps(*agencies))
    data = process_as_data(first)
    # the data is plain JSON
    data = json.loads(json.dumps(data))
    assert data["version"] == 1
    del data["version"]
    second = define(data)
    assert second.version == 2
    exported = process_as_data(second)
    assert {**exported, "version": 1} == {**process_as_data(first)}
    first.refresh_from_db()
    assert not first.is_active and second.is_active
    assert process_current("cap-giay-phep-thu") == second


def test_an_existing_version_is_refused(agencies: tuple[Agency, Agency]) -> None:
    define(four_steps(*agencies))
    with pytest.raises(ValidationFailed) as exc:
        define({**four_steps(*agencies), "version": 1})
    assert "version" in exc.value.fields


def test_only_administrators_define(agencies: tuple[Agency, Agency]) -> None:
    ward, department = agencies
    leader = make_staff(agency=ward, roles=[RoleCode.AGENCY_LEADER])
    with pytest.raises(PermissionDenied):
        process_define(actor=leader.user, **four_steps(ward, department))
    admin = make_staff(agency=ward, roles=[RoleCode.ADMINISTRATOR])
    assert process_define(actor=admin.user, **four_steps(ward, department)).pk
    assert not Process.objects.filter(version=2).exists()


# --- the legal time --------------------------------------------------------------------------


def test_allotments_over_the_legal_time_are_refused(agencies: tuple[Agency, Agency]) -> None:
    # 32 working hours do not fit in 4 working days (30 h)
    data = four_steps(*agencies, legal_working_days=4)
    with pytest.raises(ValidationFailed) as exc:
        define(data)
    assert exc.value.message == (
        "Quy trình không hợp lệ: steps: Tổng thời gian các bước trên đường xử lý dài nhất "
        "(tiep-nhan → tham-dinh → phe-duyet → tra-ket-qua) là 32 giờ làm việc, vượt thời hạn "
        "giải quyết 4 ngày làm việc (30 giờ)."
    )
    assert not Process.objects.exists() and not Step.objects.exists()


def test_allotments_exactly_at_the_legal_time_are_accepted(
    agencies: tuple[Agency, Agency],
) -> None:
    data = four_steps(*agencies, legal_working_days=4)
    data["steps"][1]["allotted_hours"] = 14  # 4 + 14 + 8 + 4 = 30 h = 4 × 7.5 h
    assert define(data).pk


def test_alternative_branches_count_the_longest_path_only(
    agencies: tuple[Agency, Agency],
) -> None:
    # Intake then either a quick check (4 h) or a full appraisal (20 h), then the result:
    # 4 + 20 + 4 = 28 h ≤ 30 h although every step together is 32 h.
    data = {
        "code": "re-nhanh",
        "name": "Quy trình rẽ nhánh",
        "legal_working_days": 4,
        "steps": [
            {
                "code": "a",
                "name": "Tiếp nhận",
                "actor_roles": ["one_stop_officer"],
                "allotted_hours": 4,
            },
            {
                "code": "b",
                "name": "Kiểm tra nhanh",
                "actor_roles": ["specialist"],
                "allotted_hours": 4,
            },
            {
                "code": "c",
                "name": "Thẩm định đầy đủ",
                "actor_roles": ["specialist"],
                "allotted_hours": 20,
            },
            {
                "code": "d",
                "name": "Trả kết quả",
                "actor_roles": ["one_stop_officer"],
                "allotted_hours": 4,
            },
            {"code": "e", "name": "Kết thúc", "kind": "done", "is_final": True},
        ],
        "transitions": [
            {"source": "a", "action": "accept", "target": "b"},
            {"source": "a", "action": "forward", "target": "c"},
            {"source": "b", "action": "forward", "target": "d"},
            {"source": "c", "action": "forward", "target": "d"},
            {"source": "d", "action": "return_result", "target": "e"},
        ],
    }
    assert define(data).pk
    data["legal_working_days"] = 3.5  # 26.25 h
    with pytest.raises(ValidationFailed, match=r"\(a → c → d → e\) là 28 giờ .* 3,5 ngày"):
        define(data)


def test_no_legal_time_no_limit(agencies: tuple[Agency, Agency]) -> None:
    data = four_steps(*agencies, legal_working_days=None)
    data["steps"][1]["allotted_hours"] = 1000
    assert define(data).legal_working_days is None


# --- structural checks -----------------------------------------------------------------------

Change = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        *parts, last = path.split(".")
        target: Any = data
        for p in parts:
            target = target[int(p)] if p.isdigit() else target[p]
        target[int(last) if last.isdigit() else last] = value

    return change


def _append(key: str, item: dict[str, Any]) -> Change:
    return lambda data: data[key].append(item)


def _drop_transitions(source: str) -> Change:
    def change(data: dict[str, Any]) -> None:
        data["transitions"] = [t for t in data["transitions"] if t["source"] != source]

    return change


CASES: list[tuple[str, Change, str, str]] = [
    ("duplicate code", _set("steps.1.code", "tiep-nhan"), "steps[1].code", "bị trùng"),
    ("duplicate order", _set("steps.2.order", 2), "steps[2] (phe-duyet).order", "trùng"),
    (
        "unknown role",
        _set("steps.1.actor_roles", ["specialist", "wizard"]),
        "steps[1] (tham-dinh).actor_roles",
        "Vai trò không tồn tại: wizard",
    ),
    ("no role", _set("steps.0.actor_roles", []), "steps[0] (tiep-nhan).actor_roles", "vai trò"),
    (
        "unknown agency",
        _set("steps.1.actor_agency", "999.99.99.H99"),
        "steps[1] (tham-dinh).actor_agency",
        "999.99.99.H99",
    ),
    (
        "negative hours",
        _set("steps.0.allotted_hours", -1),
        "steps[0] (tiep-nhan).allotted_hours",
        "số giờ",
    ),
    (
        "typo in a key",
        _set("steps.0.allotted_hour", 3),
        "steps[0].allotted_hour",
        "không được hỗ trợ",
    ),
    (
        "unknown target",
        _append("transitions", {"source": "tham-dinh", "action": "approve", "target": "xyz"}),
        "transitions[12].target",
        "Không có bước xyz",
    ),
    (
        "unknown action",
        _append("transitions", {"source": "tham-dinh", "action": "teleport", "target": None}),
        "transitions[12].action",
        "Hành động không hợp lệ",
    ),
    (
        "step without a way forward",
        _drop_transitions("phe-duyet"),
        "steps[2] (phe-duyet)",
        "ít nhất một hành động chuyển tiếp",
    ),
    (
        "forward to an earlier step",
        _append("transitions", {"source": "phe-duyet", "action": "forward", "target": "tiep-nhan"}),
        "transitions[12] (phe-duyet → Chuyển xử lý).target",
        "thứ tự lớn hơn",
    ),
    (
        "return to a later step",
        _set("transitions.4.target", "phe-duyet"),
        "transitions[4] (tham-dinh → Trả lại bước trước).target",
        "thứ tự nhỏ hơn",
    ),
    (
        "refusal with a target",
        _set("transitions.1.target", "tham-dinh"),
        "transitions[1] (tiep-nhan → Từ chối).target",
        "kết thúc quy trình",
    ),
    (
        "declared supplement",
        _append("transitions", {"source": "tham-dinh", "action": "supplement", "target": None}),
        "transitions[12] (tham-dinh → Bổ sung hồ sơ).action",
        "tự có",
    ),
    (
        "same action twice",
        _append("transitions", {"source": "tiep-nhan", "action": "forward", "target": "phe-duyet"}),
        "transitions[12]",
        "đã có hành động",
    ),
    (
        "unreachable step",
        _append(
            "steps",
            {
                "code": "mo-coi",
                "name": "Bước mồ côi",
                "order": 9,
                "actor_roles": ["specialist"],
                "allotted_hours": 0,
            },
        ),
        "steps[4] (mo-coi)",
        "ít nhất một hành động chuyển tiếp",
    ),
    ("legal time zero", _set("legal_working_days", 0), "legal_working_days", "lớn hơn 0"),
]


@pytest.mark.parametrize(
    ("change", "field", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_definitions_are_refused_naming_the_field(
    agencies: tuple[Agency, Agency], change: Change, field: str, fragment: str
) -> None:
    data = copy.deepcopy(four_steps(*agencies))
    change(data)
    with pytest.raises(ValidationFailed) as exc:
        define(data)
    assert field in exc.value.fields, exc.value.fields
    assert any(fragment in m for m in exc.value.fields[field]), exc.value.fields[field]
    assert exc.value.message.startswith("Quy trình không hợp lệ: ")
    assert not Process.objects.exists()


def test_a_step_reachable_from_nowhere_is_refused(agencies: tuple[Agency, Agency]) -> None:
    data = four_steps(*agencies)
    data["steps"].append(
        {"code": "mo-coi", "name": "Bước mồ côi", "order": 9, "actor_roles": ["specialist"]}
    )
    data["transitions"].append({"source": "mo-coi", "action": "forward", "target": None})
    with pytest.raises(ValidationFailed) as exc:
        define(data)
    assert exc.value.fields == {
        "steps[4] (mo-coi)": ["Không có cách nào từ bước đầu tiên tới bước này."]
    }


def test_every_problem_is_reported_at_once(agencies: tuple[Agency, Agency]) -> None:
    data = four_steps(*agencies, name="", legal_working_days="năm")
    data["steps"][0]["actor_roles"] = ["wizard"]
    with pytest.raises(ValidationFailed) as exc:
        define(data)
    assert {"name", "legal_working_days", "steps[0] (tiep-nhan).actor_roles"} <= set(
        exc.value.fields
    )
    assert "(và 2 lỗi khác)" in exc.value.message
