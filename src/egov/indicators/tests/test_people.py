"""Figures per unit and person (`PeopleMonthlyFact`): a hand-computed fixture, the services
feeding the rows, incremental rows equal to the full recomputation and to the rebuild, and who
sees what (the agency's leader: every unit; a unit head: their unit; anyone else: nothing).

The fixture (reporting and calendar month 03/2026; the default cut-off is the 15th, so the
5th counts in March both ways), agency "STP" of the documents factory:

    Văn phòng (VP):   specialist s1, clerk s2, unit head h
    Phòng Kinh tế:    other_specialist s3
    no unit:          leader L

    assignments (main owner)                 dossier steps (actor; step's unit)
    a1 s1   done on time                      d1 s1 early, s1 late
    a2 s1   done late                         d2 s3 on time, L late (step of Kinh tế)
    a3 s2   open, overdue (due 20/03)         d2 a step without a due (no outcome): not counted
    a4 Kinh tế (unit)  done on time           d3 an actor of another agency: not counted here
    a5 s3   done late
    a6 the agency      done on time          incoming documents (main handler)
    a7 s1   done on time in APRIL (outside)   doc1 s1 on time, doc2 s1 late, doc3 Kinh tế late

    expected, March:                 assignments          steps            documents
                                     done late rate ovd   done late rate   done late rate
    VP (s1 + s2)                      2    1    50,0  1    2    1    50,0  2    1    50,0
    Kinh tế (a4, s3; s3, L's step)    2    1    50,0  0    2    1    50,0  1    1    0,0
    no unit (a6)                      1    0   100,0  0    —               —
    s1                                2    1    50,0  0    2    1    50,0  2    1    50,0
    s2                                0    0    —     1    —               —
    s3                                1    1    0,0   0    1    0   100,0  —
    L                                 —                    1    1    0,0   —
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from egov.assignments import services as assignment_services
from egov.assignments.models import Assignment, AssignmentOwner, AssignmentStatus
from egov.documents.models import Document, Handling
from egov.documents.services import handling_close, incoming_direct, incoming_register
from egov.documents.tests.factories import Side, make_side
from egov.dossiers.testing import make_dossier
from egov.indicators import events, people, selectors
from egov.indicators.models import PEOPLE_FACT_FIELDS, PeopleMonthlyFact
from egov.indicators.periods import Period
from egov.indicators.policy import units_in_view
from egov.organisations.models import RoleCode as R
from egov.organisations.testing import make_agency, make_staff, make_unit
from egov.workflow.models import HistoryEntry, Instance, Process, Step

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = Period(2026, "month", 3)
Q_MARCH = {"ky": "month", "nam": 2026, "so": 3}


def at(day: int, month: int = 3, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=VN)


def table_now() -> dict[tuple[Any, ...], dict[str, int]]:
    out = {}
    for row in PeopleMonthlyFact.objects.all():
        values = {f: getattr(row, f) for f in PEOPLE_FACT_FIELDS if getattr(row, f)}
        if values:
            out[(row.source, row.agency_id, row.month, row.unit_ref, row.staff_ref)] = values
    return out


def table_live(agency_ids: list[int], months: set[dt.date]) -> dict[tuple[Any, ...], Any]:
    out = {}
    for agency_id in agency_ids:
        for month in months:
            for (source, unit, staff), values in people.people_counts_live(
                agency_id=agency_id, month=month
            ).items():
                out[(source, agency_id, month, unit, staff)] = values
    return out


def _assignment(side: Side, owner: Any, **fields: Any) -> Assignment:
    due = fields.pop("due_at", at(25))
    a = Assignment.objects.create(
        agency=side.agency,
        owner_agency=side.agency,
        title=fields.pop("title", "Nhiệm vụ"),
        assigner=side.leader,
        assigned_at=fields.pop("assigned_at", at(2)),
        due_at=due,
        original_due_at=due,
        **fields,
    )
    kw: dict[str, Any] = {"agency": side.agency}
    if owner is not None and hasattr(owner, "user_id"):
        kw["staff"] = owner
    elif owner is not None:
        kw["unit"] = owner
    AssignmentOwner.objects.create(assignment=a, kind="main", **kw)
    return a


def _dossier_with_steps(side: Side, rows: list[dict[str, Any]]) -> Any:
    process = Process.objects.get_or_create(code="thu", defaults={"name": "Quy trình thử"})[0]
    dossier = make_dossier(agency=side.agency)
    instance = Instance.objects.create(
        process=process, subject_type="dossiers.dossier", subject_id=dossier.pk, agency=side.agency
    )
    type(dossier).objects.filter(pk=dossier.pk).update(workflow_instance=instance)
    dossier.workflow_instance_id = instance.pk
    for n, row in enumerate(rows):
        step = Step.objects.create(
            process=process,
            code=f"b{instance.pk}-{n}",
            name=f"Bước {n}",
            order=instance.pk * 10 + n,
            actor_unit=row.pop("step_unit", None),
        )
        HistoryEntry.objects.create(
            instance=instance,
            step=step,
            action="forward",
            actor=row["actor"].user,
            actor_agency=row.get("agency", side.agency),
            acted_at=row.get("acted_at", at(5)),
            step_due_at=at(5),
            outcome=row["outcome"],
        )
    return dossier


def _close(side: Side, main: Any, *, late: bool) -> Document:
    doc = incoming_register(
        actor=side.clerk.user,
        agency=side.agency,
        source="paper",
        metadata={"type": "cong-van", "subject": "Đề nghị", "code_number": "7",
                  "code_notation": "UBND-VP"},
        sender_organ_name="UBND xã",
    )  # fmt: skip
    incoming_direct(
        actor=side.leader.user, document=doc, instruction="Xử lý", main_handler=main,
        working_days=3,
    )  # fmt: skip
    if late:
        Document.objects.filter(pk=doc.pk).update(
            handling_due_at=timezone.now() - dt.timedelta(days=1)
        )
    handling = Handling.objects.get(document_id=doc.pk, role="main")  # the document reloaded
    closer = main if hasattr(main, "user_id") else side.unit_head
    if not hasattr(main, "user_id"):
        closer = make_staff(agency=side.agency, unit=main, roles=[R.UNIT_HEAD])
    handling_close(actor=closer.user, handling=handling)
    return Document.objects.get(pk=doc.pk)


def build(capture: Any) -> dict[str, Any]:
    """The fixture of the module docstring, every change announced as the services do."""
    side = make_side(abbreviation="STP")
    economy = side.other_specialist.unit
    s1, s2, s3, lead = side.specialist, side.clerk, side.other_specialist, side.leader
    outsider_agency = make_agency()
    outsider = make_staff(agency=outsider_agency)
    with capture(execute=True):
        items = [
            _assignment(side, s1, status="done", completed_at=at(6), on_time=True),
            _assignment(side, s1, status="done", completed_at=at(7), on_time=False),
            _assignment(side, s2, due_at=at(20), overdue_since=at(21)),
            _assignment(side, economy, status="done", completed_at=at(8), on_time=True),
            _assignment(side, s3, status="done", completed_at=at(9), on_time=False),
            _assignment(side, None, status="done", completed_at=at(9), on_time=True),
            _assignment(side, s1, status="done", completed_at=at(6, 4), on_time=True),
        ]
        for a in items:
            with transaction.atomic():
                events.people_changed(source="assignments", object_id=a.pk)
        dossiers = [
            _dossier_with_steps(
                side,
                [{"actor": s1, "outcome": "early"}, {"actor": s1, "outcome": "late"}],
            ),
            _dossier_with_steps(
                side,
                [
                    {"actor": s3, "outcome": "on_time"},
                    {"actor": lead, "outcome": "late", "step_unit": economy},
                    {"actor": s3, "outcome": ""},
                ],
            ),
            _dossier_with_steps(
                side, [{"actor": outsider, "outcome": "late", "agency": outsider_agency}]
            ),
        ]
        for d in dossiers:
            with transaction.atomic():
                events.dossier_changed(dossier_id=d.pk, event="moved")
    docs = [
        _close(side, s1, late=False),
        _close(side, s1, late=True),
        _close(side, economy, late=True),
    ]
    # The documents were closed today by the services; move them into March and announce it.
    with capture(execute=True):
        for n, doc in enumerate(docs):
            Document.objects.filter(pk=doc.pk).update(closed_at=at(10 + n))
            with transaction.atomic():
                events.people_changed(source="documents", object_id=doc.pk)
    return {
        "side": side,
        "economy": economy,
        "s1": s1,
        "s2": s2,
        "s3": s3,
        "lead": lead,
        "outsider_agency": outsider_agency,
        "assignments": items,
    }


def _by_name(rows: list[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    return {r[key]: r for r in rows}


def _short(row: dict[str, Any]) -> tuple[Any, ...]:
    def part(p: dict[str, int] | None, *names: str) -> tuple[Any, ...] | None:
        return None if p is None else tuple(p[n] for n in names)

    return (
        part(row["assignments"], "done", "late", "rate", "overdue_open"),
        part(row["dossiers"], "done", "late", "rate"),
        part(row["documents"], "done", "late", "rate"),
    )


def test_figures_per_unit_and_person_match_the_hand_count(
    django_capture_on_commit_callbacks: Any,
) -> None:
    w = build(django_capture_on_commit_callbacks)
    side = w["side"]
    figures = selectors.people_figures(agency=side.agency, period=MARCH, units=None)
    units = {r["id"]: _short(r) for r in figures["units"]}
    d = Decimal
    assert units[side.unit.pk] == (
        (2, 1, d("50.0"), 1),
        (2, 1, d("50.0")),
        (2, 1, d("50.0")),
    )
    assert units[w["economy"].pk] == ((2, 1, d("50.0"), 0), (2, 1, d("50.0")), (1, 1, d("0.0")))
    assert units[0] == ((1, 0, d("100.0"), 0), None, None)
    persons = {p["staff"].pk: _short(p) for p in figures["people"]}
    assert persons[w["s1"].pk] == ((2, 1, d("50.0"), 0), (2, 1, d("50.0")), (2, 1, d("50.0")))
    assert persons[w["s2"].pk] == ((0, 0, None, 1), None, None)
    assert persons[w["s3"].pk] == ((1, 1, d("0.0"), 0), (1, 0, d("100.0")), None)
    assert persons[w["lead"].pk] == (None, (1, 1, d("0.0")), None)
    # Nothing of the other agency's actor is counted here, and April stays in April.
    assert not PeopleMonthlyFact.objects.filter(
        agency=side.agency, month=dt.date(2026, 4, 1), source="dossiers"
    ).exists()
    april = selectors.people_figures(
        agency=side.agency, period=Period(2026, "month", 4), units=None
    )
    assert _by_name(april["people"], "unit")  # staff listed
    assert {p["staff"].pk: _short(p) for p in april["people"]}[w["s1"].pk][0] == (
        1,
        0,
        d("100.0"),
        0,
    )


def test_incremental_rows_equal_the_full_recomputation_and_the_rebuild(
    django_capture_on_commit_callbacks: Any,
) -> None:
    w = build(django_capture_on_commit_callbacks)
    side = w["side"]
    # Later changes, announced as the services do: a1 reopened and overdue in March, a3
    # completed late in April; one announced twice; an event for a missing assignment.
    a1, a3 = w["assignments"][0], w["assignments"][2]
    with django_capture_on_commit_callbacks(execute=True):
        Assignment.objects.filter(pk=a1.pk).update(
            status=AssignmentStatus.IN_PROGRESS, completed_at=None, on_time=None,
            overdue_since=at(26), due_at=at(24),
        )  # fmt: skip
        Assignment.objects.filter(pk=a3.pk).update(
            status=AssignmentStatus.DONE, completed_at=at(3, 4), on_time=False, overdue_since=None
        )
        for pk in (a1.pk, a3.pk, a3.pk, 10**9):
            with transaction.atomic():
                events.people_changed(source="assignments", object_id=pk)
    incremental = table_now()
    agencies = [side.agency.pk, w["outsider_agency"].pk]
    months = {m for (_s, _a, m, _u, _st) in incremental} | {dt.date(2026, 2, 1)}
    assert incremental
    assert incremental == table_live(agencies, months)
    for agency_id in agencies:
        for month in months:
            people.people_recompute(agency_id=agency_id, month=month)
    assert table_now() == incremental
    people.people_rebuild()
    assert table_now() == incremental
    # Applying an item again changes nothing.
    assert people.people_apply(source="assignments", object_id=a1.pk) is False


def test_the_assignment_services_feed_the_rows(django_capture_on_commit_callbacks: Any) -> None:
    agency = make_agency()
    unit = make_unit(agency=agency)
    leader = make_staff(agency=agency, roles=[R.AGENCY_LEADER])
    owner = make_staff(agency=agency, unit=unit)
    with django_capture_on_commit_callbacks(execute=True):
        a = assignment_services.assignment_create(
            actor=leader.user, title="Báo cáo", owners=[("main", owner)], working_days=3
        )
    month = people.calendar_month(a.assigned_at)
    row = PeopleMonthlyFact.objects.get(
        source="assignments", agency=agency, month=month, staff_ref=owner.pk
    )
    assert (row.unit_ref, row.assigned, row.done) == (unit.pk, 1, 0)
    Assignment.objects.filter(pk=a.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assignment_services.escalate_overdue()
    a.refresh_from_db()
    due_row = PeopleMonthlyFact.objects.get(
        source="assignments", agency=agency, month=people.calendar_month(a.due_at),
        staff_ref=owner.pk,
    )  # fmt: skip
    assert due_row.overdue_open == 1
    with django_capture_on_commit_callbacks(execute=True):
        assignment_services.completion_report(actor=owner.user, assignment=a, text="Xong")
        assignment_services.completion_decide(actor=leader.user, assignment=a, accept=True)
    assert table_now() == table_live([agency.pk], {month, people.calendar_month(a.due_at)})
    done_row = PeopleMonthlyFact.objects.get(
        source="assignments", agency=agency, month=month, staff_ref=owner.pk
    )
    assert (done_row.done, done_row.late) == (1, 1)
    due_row.refresh_from_db()
    assert due_row.overdue_open == 0


# --- who sees what -------------------------------------------------------------------------


def login(client: Any, staff: Any) -> None:
    client.force_login(staff.user)


def test_scope_leader_all_unit_head_own_unit_others_nothing(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    w = build(django_capture_on_commit_callbacks)
    side = w["side"]
    other_leader = make_staff(agency=make_agency(), roles=[R.AGENCY_LEADER])
    assert units_in_view(side.leader.user, side.agency) is None
    assert units_in_view(side.unit_head.user, side.agency) == {side.unit.pk}
    assert units_in_view(side.specialist.user, side.agency) == set()
    assert units_in_view(other_leader.user, side.agency) == set()

    url = reverse("workspace:indicators:agency", args=[side.agency.code])
    late = reverse("workspace:indicators:late", args=[side.agency.code])
    login(client, side.unit_head)
    page = client.get(url, Q_MARCH).content.decode()
    assert f'id="unit-{side.unit.pk}"' in page
    assert f'id="unit-{w["economy"].pk}"' not in page
    assert f'id="person-{w["s1"].pk}"' in page
    assert f'id="person-{w["s3"].pk}"' not in page
    assert client.get(late, {**Q_MARCH, "don_vi": side.unit.pk}).status_code == 200
    assert client.get(late, {**Q_MARCH, "can_bo": w["s1"].pk}).status_code == 200
    for param in ({"don_vi": w["economy"].pk}, {"can_bo": w["s3"].pk}, {"don_vi": 0}):
        assert client.get(late, {**Q_MARCH, **param}).status_code == 404
    xlsx = client.get(url, {**Q_MARCH, "dinh_dang": "xlsx"})
    assert xlsx.status_code == 200

    login(client, other_leader)
    assert client.get(url, Q_MARCH).status_code == 404
    assert client.get(late, {**Q_MARCH, "don_vi": side.unit.pk}).status_code == 404

    login(client, side.leader)
    page = client.get(url, Q_MARCH).content.decode()
    assert f'id="unit-{w["economy"].pk}"' in page and f'id="person-{w["s3"].pk}"' in page


def test_drill_down_lists_the_late_items_of_a_unit_and_a_person(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    w = build(django_capture_on_commit_callbacks)
    side = w["side"]
    login(client, side.leader)
    late = reverse("workspace:indicators:late", args=[side.agency.code])
    page = client.get(late, {**Q_MARCH, "can_bo": w["s1"].pk}).content.decode()
    items = selectors.late_for(agency=side.agency, period=MARCH, staff=w["s1"].pk)
    assert [a.pk for a in items["assignments"] or []] == [w["assignments"][1].pk]
    assert len(items["steps"] or []) == 1 and len(items["documents"] or []) == 1
    assert 'id="late-steps"' in page and 'id="late-documents"' in page
    economy = selectors.late_for(agency=side.agency, period=MARCH, unit=w["economy"].pk)
    assert [a.pk for a in economy["assignments"] or []] == [w["assignments"][4].pk]
    assert [e.actor_id for e in economy["steps"] or []] == [w["lead"].user_id]
    assert len(economy["documents"] or []) == 1
    # Exports of the drill-down and of the page's new tables.
    xlsx = client.get(late, {**Q_MARCH, "don_vi": w["economy"].pk, "dinh_dang": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')
    pdf = client.get(late, {**Q_MARCH, "can_bo": w["s1"].pk, "dinh_dang": "pdf"})
    assert pdf.content.startswith(b"%PDF")


def test_agency_page_in_vietnamese_and_english_in_constant_queries(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    w = build(django_capture_on_commit_callbacks)
    side = w["side"]
    login(client, side.leader)
    url = reverse("workspace:indicators:agency", args=[side.agency.code])
    with CaptureQueriesContext(connection) as few:
        vi = client.get(url, Q_MARCH).content.decode()
    assert "Số liệu theo phòng, ban" in vi and "Số liệu theo cán bộ" in vi
    for n in range(3):
        make_staff(agency=side.agency, unit=side.unit, full_name=f"Cán bộ mới {n}")
    with CaptureQueriesContext(connection) as more:
        client.get(url, Q_MARCH)
    assert len(more) == len(few)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(url, Q_MARCH).content.decode()
    assert "Figures by unit" in en and "Figures by official" in en
    assert "Số liệu theo phòng, ban" not in en
