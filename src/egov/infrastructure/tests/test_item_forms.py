"""One inventory item at a time: services (create, update, retire) and their workspace pages.

Given an agency, when a computer, server, network link or information system is added, edited
or taken out of use, then the audit trail has its row and the agency's `InfrastructureFact`
(what the infrastructure indicators read) moves in the same transaction, exactly as the full
recomputation says; bad input is refused with a Vietnamese reason and changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from egov.audit.models import AuditEntry
from egov.core.errors import PermissionDenied, ValidationFailed
from egov.infrastructure import services
from egov.infrastructure.facts import infrastructure_facts_recompute
from egov.infrastructure.models import (
    Computer,
    InformationSystem,
    InfrastructureFact,
    NetworkLink,
    Server,
)
from egov.organisations.models import RoleCode as R
from egov.organisations.testing import make_agency, make_citizen, make_staff

pytestmark = pytest.mark.django_db

FIELDS = (
    "staff_total",
    "computers_in_use",
    "servers_in_use",
    "internet_mbps",
    "work_email_staff",
    "systems_in_use",
    "systems_by_kind",
)


def _fact(agency: Any) -> dict[str, Any]:
    fact = InfrastructureFact.objects.filter(agency=agency).first()
    return {n: getattr(fact, n) for n in FIELDS} if fact else {}


def _state() -> tuple[object, ...]:
    """Everything a refused call must leave as it was."""
    return (
        sorted(Computer.objects.values_list("pk", "asset_tag", "kind", "status", "serves_id")),
        sorted(Server.objects.values_list("pk", "name", "status")),
        sorted(NetworkLink.objects.values_list("pk", "kind", "provider", "bandwidth_mbps")),
        sorted(InformationSystem.objects.values_list("pk", "name", "kind", "status")),
        sorted(
            (f.agency_id, tuple(getattr(f, n) for n in FIELDS[1:-1]))
            for f in InfrastructureFact.objects.all()
        ),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def office() -> dict[str, Any]:
    agency = make_agency()
    return {
        "agency": agency,
        "clerk": make_staff(agency=agency, roles=[R.CLERK]),
        "person": make_staff(agency=agency, full_name="Trần Thị Dùng"),
    }


# --- services ------------------------------------------------------------------------------


def test_each_kind_moves_the_fact_on_create_update_retire(office: dict[str, Any]) -> None:
    clerk, person, agency = office["clerk"], office["person"], office["agency"]
    actor = clerk.user

    pc = services.computer_create(
        actor=actor, agency=agency, asset_tag=" MT-01 ", kind="desktop", year=2022, serves=person
    )
    server = services.server_create(actor=actor, agency=agency, name="MC-01", purpose="QLVB")
    link = services.link_create(
        actor=actor, agency=agency, kind="internet", provider="VNPT", bandwidth_mbps=100
    )
    system = services.system_create(
        actor=actor, agency=agency, name="Một cửa", kind="one_stop_shop", since=date(2024, 1, 1)
    )
    fact = _fact(agency)
    assert pc.asset_tag == "MT-01"
    assert (fact["computers_in_use"], fact["servers_in_use"], fact["internet_mbps"]) == (1, 1, 100)
    assert (fact["systems_in_use"], fact["systems_by_kind"]) == (1, {"one_stop_shop": 1})

    services.computer_update(
        actor=actor, computer=pc, asset_tag="MT-01", kind="laptop", status="broken"
    )
    services.link_update(
        actor=actor, link=link, kind="internet", provider="VNPT", bandwidth_mbps=300
    )
    services.system_update(actor=actor, system=system, name="Một cửa", kind="website")
    fact = _fact(agency)
    assert (fact["computers_in_use"], fact["internet_mbps"]) == (0, 300)
    assert fact["systems_by_kind"] == {"website": 1}

    services.server_retire(actor=actor, server=server, reason="Hết khấu hao")
    services.link_retire(actor=actor, link=link, reason="Chuyển nhà mạng")
    services.system_retire(actor=actor, system=system, reason="Thay bằng hệ thống mới")
    services.computer_update(
        actor=actor, computer=pc, asset_tag="MT-01", kind="laptop", status="in_use"
    )
    services.computer_retire(actor=actor, computer=pc, reason="Thanh lý")
    fact = _fact(agency)
    assert fact["computers_in_use"] == fact["servers_in_use"] == fact["internet_mbps"] == 0
    assert (fact["systems_in_use"], fact["systems_by_kind"]) == (0, {})
    pc.refresh_from_db()
    assert pc.status == "retired" and pc.is_retired

    actions = list(
        AuditEntry.objects.filter(action__startswith="infrastructure.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "infrastructure.computer_create",
        "infrastructure.server_create",
        "infrastructure.link_create",
        "infrastructure.system_create",
        "infrastructure.computer_update",
        "infrastructure.link_update",
        "infrastructure.system_update",
        "infrastructure.server_retire",
        "infrastructure.link_retire",
        "infrastructure.system_retire",
        "infrastructure.computer_update",
        "infrastructure.computer_retire",
    ]
    retire = AuditEntry.objects.filter(action="infrastructure.computer_retire").get()
    assert (retire.before["status"], retire.after["status"]) == ("in_use", "retired")
    assert "Thanh lý" in retire.summary and retire.actor_id == actor.pk

    incremental = _fact(agency)
    infrastructure_facts_recompute()
    assert _fact(agency) == incremental


@pytest.mark.parametrize(
    ("call", "field", "words"),
    [
        (
            lambda a, o: services.computer_create(actor=o, agency=a, asset_tag=" ", kind="desktop"),
            "asset_tag",
            "không được để trống",
        ),
        (
            lambda a, o: services.computer_create(actor=o, agency=a, asset_tag="X", kind="tablet"),
            "kind",
            "không hợp lệ",
        ),
        (
            lambda a, o: services.computer_create(
                actor=o, agency=a, asset_tag="X", kind="desktop", year=1980
            ),
            "year",
            "1990",
        ),
        (
            lambda a, o: services.computer_create(
                actor=o,
                agency=a,
                asset_tag="X",
                kind="desktop",
                serves=make_staff(agency=make_agency()),
            ),
            "serves",
            "cán bộ của cơ quan",
        ),
        (
            lambda a, o: services.computer_create(
                actor=o, agency=a, asset_tag="MT-01", kind="laptop"
            ),
            "asset_tag",
            "đã có máy tính mã MT-01",
        ),
        (lambda a, o: services.server_create(actor=o, agency=a, name=""), "name", "Tên máy chủ"),
        (
            lambda a, o: services.link_create(actor=o, agency=a, kind="internet", bandwidth_mbps=0),
            "bandwidth_mbps",
            "lớn hơn 0",
        ),
        (
            lambda a, o: services.link_create(
                actor=o, agency=a, kind="internet", provider="VNPT", bandwidth_mbps=10
            ),
            "provider",
            "đã có kết nối",
        ),
        (
            lambda a, o: services.system_create(
                actor=o,
                agency=a,
                name="Web",
                kind="website",
                since=timezone.localdate() + timedelta(days=1),
            ),
            "since",
            "tương lai",
        ),
        (
            lambda a, o: services.system_create(actor=o, agency=a, name="QLVB", kind="website"),
            "name",
            "đã có hệ thống tên QLVB",
        ),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    office: dict[str, Any], call: Any, field: str, words: str
) -> None:
    agency, actor = office["agency"], office["clerk"].user
    services.computer_create(actor=actor, agency=agency, asset_tag="MT-01", kind="desktop")
    services.link_create(
        actor=actor, agency=agency, kind="internet", provider="VNPT", bandwidth_mbps=50
    )
    services.system_create(actor=actor, agency=agency, name="QLVB", kind="document_management")
    before = _state()

    with pytest.raises(ValidationFailed) as refused:
        call(agency, actor)

    assert words in " ".join(refused.value.fields[field])
    assert _state() == before


def test_edit_onto_another_key_and_retiring_twice_are_refused(office: dict[str, Any]) -> None:
    agency, actor = office["agency"], office["clerk"].user
    services.computer_create(actor=actor, agency=agency, asset_tag="MT-01", kind="desktop")
    second = services.computer_create(actor=actor, agency=agency, asset_tag="MT-02", kind="desktop")
    link = services.link_create(actor=actor, agency=agency, kind="wan", bandwidth_mbps=10)
    before = _state()

    with pytest.raises(ValidationFailed, match="đã có máy tính mã MT-01"):
        services.computer_update(actor=actor, computer=second, asset_tag="MT-01", kind="desktop")
    with pytest.raises(ValidationFailed, match="lý do"):
        services.link_retire(actor=actor, link=link, reason="")
    assert _state() == before

    services.link_retire(actor=actor, link=link, reason="Cắt")
    before = _state()
    with pytest.raises(ValidationFailed, match="đã ngừng sử dụng từ trước"):
        services.link_retire(actor=actor, link=link, reason="Lần nữa")
    assert _state() == before


def test_policy_refuses_other_agencies_and_other_roles(office: dict[str, Any]) -> None:
    agency = office["agency"]
    outsider = make_staff(agency=make_agency(), roles=[R.CLERK])
    leader = make_staff(agency=agency, roles=[R.AGENCY_LEADER])
    admin = make_staff(agency=make_agency(), roles=[R.ADMINISTRATOR])
    before = _state()

    for actor in (outsider.user, leader.user, make_citizen()):
        with pytest.raises(PermissionDenied):
            services.server_create(actor=actor, agency=agency, name="MC")
    assert _state() == before

    server = services.server_create(actor=admin.user, agency=agency, name="MC")
    with pytest.raises(PermissionDenied):
        services.server_retire(actor=outsider.user, server=server, reason="x")
    with pytest.raises(PermissionDenied):
        services.server_update(actor=leader.user, server=server, name="MC2")


# --- pages ---------------------------------------------------------------------------------


def test_clerk_adds_edits_and_retires_through_the_pages(client, office: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    clerk, person, agency = office["clerk"], office["person"], office["agency"]
    client.force_login(clerk.user)
    base = f"/app/ha-tang/co-quan/{agency.public_id}/"
    page = client.get(base).content.decode()
    for slug in ("may-tinh", "may-chu", "ket-noi", "he-thong"):
        assert f"{base}{slug}/them/" in page
    assert base in client.get("/app/ha-tang/").content.decode()  # own agency, no fact row yet

    form = client.get(f"{base}may-tinh/them/").content.decode()
    assert "Trần Thị Dùng" in form and "Đã thanh lý" not in form
    bad = client.post(
        f"{base}may-tinh/them/",
        {"asset_tag": "MT-9", "kind": "desktop", "year": "1970", "status": "in_use"},
    )
    assert bad.status_code == 422 and "1990" in bad.content.decode()
    assert Computer.objects.count() == 0

    response = client.post(
        f"{base}may-tinh/them/",
        {
            "asset_tag": "MT-9",
            "kind": "desktop",
            "year": "2023",
            "serves": person.pk,
            "status": "in_use",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{base}#may-tinh"
    computer = Computer.objects.get()
    assert computer.serves == person
    assert _fact(agency)["computers_in_use"] == 1

    client.post(
        f"{base}ket-noi/them/", {"kind": "internet", "provider": "Viettel", "bandwidth_mbps": "80"}
    )
    link = NetworkLink.objects.get()
    assert _fact(agency)["internet_mbps"] == 80

    page = client.get(base).content.decode()
    assert f"/app/ha-tang/may-tinh/{computer.public_id}/sua/" in page
    assert f"/app/ha-tang/ket-noi/{link.public_id}/ngung-su-dung/" in page

    client.post(
        f"/app/ha-tang/ket-noi/{link.public_id}/sua/",
        {"kind": "internet", "provider": "Viettel", "bandwidth_mbps": "200", "is_active": "on"},
    )
    assert _fact(agency)["internet_mbps"] == 200

    no_reason = client.post(f"/app/ha-tang/may-tinh/{computer.public_id}/ngung-su-dung/", {})
    assert no_reason.status_code == 422 and "lý do" in no_reason.content.decode()
    done = client.post(
        f"/app/ha-tang/may-tinh/{computer.public_id}/ngung-su-dung/", {"reason": "Hỏng hẳn"}
    )
    assert done.status_code == 302
    computer.refresh_from_db()
    assert computer.status == "retired" and _fact(agency)["computers_in_use"] == 0
    assert client.get(f"/app/ha-tang/may-in/{computer.public_id}/sua/").status_code == 404


def test_pages_refuse_other_agencies_staff_and_citizens(client, office: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    agency, clerk = office["agency"], office["clerk"]
    server = services.server_create(actor=clerk.user, agency=agency, name="MC-01")
    base = f"/app/ha-tang/co-quan/{agency.public_id}/"
    edit = f"/app/ha-tang/may-chu/{server.public_id}/sua/"
    retire = f"/app/ha-tang/may-chu/{server.public_id}/ngung-su-dung/"
    post = {"name": "MC-02", "status": "in_use"}
    before = _state()

    outsider = make_staff(agency=make_agency(), roles=[R.CLERK])
    client.force_login(outsider.user)
    assert client.get(base).status_code == 404
    assert client.post(f"{base}may-chu/them/", post).status_code == 404
    assert client.post(edit, post).status_code == 404
    assert client.post(retire, {"reason": "x"}).status_code == 404

    city_leader = make_staff(agency=make_agency(), roles=[R.CITY_LEADER])
    client.force_login(city_leader.user)  # sees every agency, records none
    page = client.get(base)
    assert page.status_code == 200 and "/them/" not in page.content.decode()
    assert client.post(f"{base}may-chu/them/", post).status_code == 403
    assert client.post(edit, post).status_code == 404

    client.force_login(make_citizen())
    assert client.get(base).status_code == 403
    assert client.post(edit, post).status_code == 403
    assert client.post(retire, {"reason": "x"}).status_code == 403

    assert _state() == before


def test_the_computers_indicator_moves_with_one_item(office: dict[str, Any]) -> None:
    """What the dashboards show: NL-3 (computers per official) reads InfrastructureFact."""
    from egov.indicators import compute, selectors
    from egov.indicators.models import Indicator
    from egov.indicators.periods import Period

    agency, actor = office["agency"], office["clerk"].user
    indicator = Indicator.objects.get(code="NL-3")
    today = timezone.localdate()
    period = Period(today.year, "month", today.month)

    def nl3() -> Any:
        facts = selectors.load_facts(sources={indicator.source}, periods=[period])
        return compute.value_of(indicator, facts, agency_id=agency.pk, period=period).value

    services.computer_create(actor=actor, agency=agency, asset_tag="MT-01", kind="desktop")
    first = nl3()
    assert first is not None and first > 0
    pc = services.computer_create(actor=actor, agency=agency, asset_tag="MT-02", kind="laptop")
    assert nl3() == 2 * first  # two officials: 0.5, then 1 computer per official
    services.computer_retire(actor=actor, computer=pc, reason="Thanh lý")
    assert nl3() == first


def test_inventory_page_query_count_does_not_grow_with_items(
    client,  # type: ignore[no-untyped-def]
    office: dict[str, Any],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agency, clerk, person = office["agency"], office["clerk"], office["person"]
    client.force_login(clerk.user)
    url = f"/app/ha-tang/co-quan/{agency.public_id}/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    services.computer_create(
        actor=None, agency=agency, asset_tag="MT-0", kind="desktop", serves=person
    )
    services.link_create(actor=None, agency=agency, kind="wan", bandwidth_mbps=10)
    one_each = queries()
    for i in range(1, 6):
        services.computer_create(
            actor=None, agency=agency, asset_tag=f"MT-{i}", kind="laptop", serves=person
        )
        services.server_create(actor=None, agency=agency, name=f"MC-{i}")
        services.system_create(actor=None, agency=agency, name=f"HT-{i}", kind="other")
    assert queries() == one_each
