"""The dossier facts kept incrementally equal a full recomputation from the live tables.

Randomised lifecycles (seeded): dossiers in two agencies and two service levels are received,
decided on time or late (some with an apology), returned online or at the counter (some with
a signed result), paid online or in cash and rated, with timestamps across reporting-month
cut-offs; events are applied in an interleaved order and some twice.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from egov.core.files import file_store
from egov.dossiers.models import (
    ApologyLetter,
    Channel,
    Dossier,
    DossierPaper,
    DossierResult,
    DossierStatus,
    Payment,
    PaymentStatus,
    Rating,
    ResultChannel,
)
from egov.dossiers.testing import make_dossier, pdf
from egov.indicators import events
from egov.indicators.facts import (
    dossier_counts_live,
    facts_dossier_apply,
    facts_rebuild,
    facts_recompute,
)
from egov.indicators.models import DOSSIER_FACT_FIELDS, DossierContribution, DossierMonthlyFact
from egov.organisations.testing import make_agency, make_citizen
from egov.procedures.models import Procedure
from egov.procedures.testing import levels

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
Table = dict[tuple[int, dt.date, str], dict[str, int]]


def table_now() -> Table:
    out: Table = {}
    for row in DossierMonthlyFact.objects.all():
        values = {f: getattr(row, f) for f in DOSSIER_FACT_FIELDS}
        if any(values.values()):
            out[(row.agency_id, row.month, row.service_level)] = values
    return out


def table_live(agency_ids: list[int], months: set[dt.date]) -> Table:
    out: Table = {}
    for agency_id in agency_ids:
        for month in months:
            for level, values in dossier_counts_live(agency_id=agency_id, month=month).items():
                out[(agency_id, month, level)] = dict(values)
    return out


def changed(dossier: Dossier, event: str, capture: Any) -> None:
    with capture(execute=True), transaction.atomic():
        events.dossier_changed(dossier_id=dossier.pk, event=event)


def _plan(
    rng: random.Random, dossier: Dossier, ctx: dict[str, Any]
) -> list[tuple[str, Callable[[], None]]]:
    """The lifecycle of one dossier as (event, write) steps, in order."""
    t0 = dossier.submitted_at
    steps: list[tuple[str, Callable[[], None]]] = []
    if rng.random() < 0.15:
        return steps  # submitted, never received
    t_recv = t0 + dt.timedelta(hours=rng.randint(1, 72))
    due = t_recv + dt.timedelta(days=rng.randint(3, 20))

    def receive() -> None:
        if rng.random() < 0.8:
            DossierPaper.objects.create(
                dossier=dossier, name="Tờ khai", file=ctx["file"], uploaded_at=t_recv
            )
        Dossier.objects.filter(pk=dossier.pk).update(
            status=DossierStatus.PROCESSING, received_at=t_recv, due_at=due, legal_due_at=due
        )

    steps.append(("received", receive))
    if rng.random() < 0.15:
        return steps
    late = rng.random() < 0.35
    t_dec = (
        due + dt.timedelta(days=rng.randint(1, 9))
        if late
        else due - dt.timedelta(hours=rng.randint(1, 60))
    )
    if late and rng.random() < 0.6:

        def apologise() -> None:
            ApologyLetter.objects.create(
                dossier=dossier,
                issued_by=ctx["user"],
                issued_at=due - dt.timedelta(days=1),
                reason="Chậm",
                previous_due_at=due,
                new_due_at=t_dec + dt.timedelta(days=1),
                in_time=rng.random() < 0.8,
            )

        steps.append(("apology", apologise))

    def decide() -> None:
        if rng.random() < 0.7:
            DossierResult.objects.create(
                dossier=dossier,
                name="Kết quả",
                kind="uploaded",
                file=ctx["file"],
                attached_by=ctx["user"],
                signed=rng.random() < 0.7,
            )
        Dossier.objects.filter(pk=dossier.pk).update(
            status=DossierStatus.RESULT_READY, decided_at=t_dec, finished_on_time=not late
        )

    steps.append(("result_ready", decide))
    if rng.random() < 0.5:
        t_pay = t_recv + dt.timedelta(hours=rng.randint(1, 200))

        def pay() -> None:
            Payment.objects.create(
                dossier=dossier,
                provider=rng.choice(["counter", "bank_transfer"]),
                reference=f"R{dossier.pk}-{rng.random()}",
                amount=1000,
                status=PaymentStatus.CONFIRMED,
                confirmed_at=t_pay,
            )

        steps.append(("payment_confirmed", pay))
    if rng.random() < 0.2:
        return steps
    t_ret = t_dec + dt.timedelta(hours=rng.randint(1, 100))

    def give_back() -> None:
        Dossier.objects.filter(pk=dossier.pk).update(
            status=DossierStatus.RETURNED,
            returned_at=t_ret,
            result_channel=rng.choice([ResultChannel.ONLINE, ResultChannel.COUNTER]),
        )

    steps.append(("returned", give_back))
    if rng.random() < 0.6:

        def rate() -> None:
            Rating.objects.create(
                dossier=dossier,
                value=rng.choice(["satisfied", "acceptable", "not_satisfied"]),
                rated_at=t_ret + dt.timedelta(days=rng.randint(0, 20)),
                rated_by=ctx["user"],
            )

        steps.append(("rated", rate))
    return steps


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_facts_equal_a_full_recomputation(
    seed: int, django_capture_on_commit_callbacks: Any
) -> None:
    rng = random.Random(seed)
    agencies = [make_agency(), make_agency()]
    citizen = make_citizen()
    ctx = {
        "user": citizen,
        "file": file_store(upload=pdf(), field="f", allowed={"pdf"}, actor=None),
    }
    procedures = [
        make_dossier(agency=agencies[0]).procedure,
        Procedure.objects.create(
            code=f"9.9{seed:05d}",
            name="Thủ tục một phần",
            field=make_dossier(agency=agencies[0]).procedure.field,
            level="city",
            legal_working_days=5,
            result_type="Giấy",
            service_level=levels()["partial_online"],
            is_published=True,
        ),
    ]
    for helper in Dossier.objects.all():  # the dossiers that came with the procedures
        changed(helper, "submitted", django_capture_on_commit_callbacks)
    start = dt.datetime(2026, 2, 1, 8, tzinfo=VN)
    queue: list[list[tuple[Dossier, str, Callable[[], None]]]] = []
    for _n in range(40):
        online = rng.random() < 0.5
        dossier = make_dossier(
            agency=rng.choice(agencies),
            procedure=rng.choice(procedures),
            applicant=citizen if online else None,
            channel=Channel.ONLINE if online else Channel.COUNTER,
            submitted_at=start + dt.timedelta(hours=rng.randint(0, 24 * 80)),
        )
        queue.append(
            [(dossier, "submitted", lambda: None)]
            + [(dossier, e, w) for e, w in _plan(rng, dossier, ctx)]
        )
    # Interleave the lifecycles; apply some events twice.
    while queue:
        steps = rng.choice(queue)
        dossier, event, write = steps.pop(0)
        if not steps:
            queue.remove(steps)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            write()
            events.dossier_changed(dossier_id=dossier.pk, event=event)
        if rng.random() < 0.2:
            changed(dossier, event, django_capture_on_commit_callbacks)

    incremental = table_now()
    months = {m for (_a, m, _l) in incremental} | {dt.date(2026, m, 1) for m in range(1, 9)}
    live = table_live([a.pk for a in agencies], months)
    assert incremental, "the lifecycles produced no facts"
    assert incremental == live

    # The recomputation path writes the same table, and so does the rebuild.
    for agency in agencies:
        for month in months:
            facts_recompute(agency_id=agency.pk, month=month)
    assert table_now() == incremental
    facts_rebuild()
    assert table_now() == incremental
    assert DossierContribution.objects.count() == Dossier.objects.count()


def test_applying_twice_changes_nothing() -> None:
    agency = make_agency()
    dossier = make_dossier(agency=agency, submitted_at=dt.datetime(2026, 3, 20, 9, tzinfo=VN))

    assert facts_dossier_apply(dossier_id=dossier.pk) is True
    assert facts_dossier_apply(dossier_id=dossier.pk) is False

    row = DossierMonthlyFact.objects.get(agency=agency)
    assert (row.month, row.submitted, row.submitted_online) == (dt.date(2026, 4, 1), 1, 0)


def test_event_in_a_rolled_back_transaction_changes_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    dossier = make_dossier(agency=make_agency())
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                events.dossier_changed(dossier_id=dossier.pk, event="submitted")
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    assert not DossierMonthlyFact.objects.exists()


def test_the_dossier_services_feed_the_facts(django_capture_on_commit_callbacks: Any) -> None:
    """Through the real services: every transition reaches the facts via the events hook."""
    from egov.dossiers import services
    from egov.dossiers.models import RatingValue
    from egov.dossiers.testing import make_world

    world = make_world()
    when = dt.datetime(2026, 3, 3, 9, tzinfo=VN)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.dossier_submit_online(
            actor=world.citizen,
            procedure=world.procedure,
            agency=world.ward,
            form_data={"ho_ten": "Nguyễn Văn An"},
            papers=world.uploads(),
            at=when,
        )
        services.dossier_accept(actor=world.officer.user, dossier=dossier, at=when)
        services.dossier_act(
            actor=world.specialist.user,
            dossier=dossier,
            action="forward",
            at=dt.datetime(2026, 3, 5, 9, tzinfo=VN),
        )
        services.dossier_act(
            actor=world.leader.user,
            dossier=dossier,
            action="approve",
            at=dt.datetime(2026, 3, 5, 10, tzinfo=VN),
        )
        services.dossier_attach_result(
            actor=world.leader.user, dossier=dossier, upload=pdf("kq.pdf", extra=b"kq")
        )
        services.dossier_sign_result(
            actor=world.leader.user, dossier=dossier, at=dt.datetime(2026, 3, 5, 11, tzinfo=VN)
        )
        services.payment_record(
            actor=world.officer.user,
            dossier=dossier,
            provider="counter",
            reference=f"BL-{dossier.pk}",
            amount=25000,
        )
        services.dossier_return_result(
            actor=world.officer.user,
            dossier=dossier,
            channel=ResultChannel.ONLINE,
            at=dt.datetime(2026, 3, 6, 9, tzinfo=VN),
        )
        services.dossier_rate(actor=world.citizen, dossier=dossier, value=RatingValue.SATISFIED)

    facts = table_now()
    march = {k: v for k, v in facts.items() if k[1] == dt.date(2026, 3, 1)}
    (values,) = march.values()
    assert values["submitted_online"] == values["received_online"] == 1
    assert values["decided_on_time"] == 1 and values["decided_late"] == 0
    assert values["returned_online"] == 1 and values["results_signed"] == 1
    assert sum(v["rated_satisfied"] for v in facts.values()) == 1
    assert sum(v["payments_confirmed"] for v in facts.values()) == 1
    assert sum(v["payments_online"] for v in facts.values()) == 0  # cash at the counter
    months = {k[1] for k in facts}
    assert facts == table_live([world.ward.pk], months)


def _rebuild_queries(rebuild: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        rebuild()
    return len(queries.captured_queries)


def test_the_rebuilds_read_in_batches_not_per_item() -> None:
    """The full rebuilds (demo load, repairs) read a batch of items in a fixed number of
    queries: more dossiers in the batch, not more queries."""
    from egov.dossiers import services
    from egov.dossiers.testing import make_world
    from egov.indicators import people

    world = make_world()

    def add_dossiers(n: int) -> None:
        for _ in range(n):
            dossier = services.dossier_submit_online(
                actor=world.citizen,
                procedure=world.procedure,
                agency=world.ward,
                form_data={"ho_ten": "Lê Thị Hoa"},
                papers=world.uploads(),
            )
            services.dossier_accept(actor=world.officer.user, dossier=dossier)

    add_dossiers(2)
    few = _rebuild_queries(facts_rebuild), _rebuild_queries(people.people_rebuild)
    add_dossiers(6)
    many = _rebuild_queries(facts_rebuild), _rebuild_queries(people.people_rebuild)
    assert few == many
    assert DossierContribution.objects.count() == Dossier.objects.count() == 8
