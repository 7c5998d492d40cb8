"""Keeping the fact tables current: incrementally per dossier, or recomputed from live tables.

Incremental path (the normal one): every dossier service transition calls
`egov.indicators.events.dossier_changed`, which enqueues `jobs.facts_dossier_apply` on commit.
The job counts what *this one dossier* contributes now (`dossier_counts`: a handful of queries
on its own rows), compares with what it contributed before (`DossierContribution`) and adds
the difference to the fact rows with atomic ``F()`` increments. Applying the same event twice,
or events out of order, gives the same facts: the difference of equal counts is zero.

Full path (`facts_recompute`): the counters of one agency and reporting month from aggregate
queries over the live tables — for checks, repairs and after a cut-off change
(`facts_rebuild`). Tests hold that both paths give the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from egov.core.iterables import chunked
from egov.dossiers.models import (
    ApologyLetter,
    Channel,
    Dossier,
    DossierPaper,
    DossierResult,
    Payment,
    PaymentStatus,
    Rating,
    RatingValue,
    ResultChannel,
)
from egov.indicators import people
from egov.indicators.models import (
    DOSSIER_FACT_FIELDS,
    CatalogueFact,
    DossierContribution,
    DossierMonthlyFact,
    PeopleSource,
)
from egov.indicators.periods import month_bounds, reporting_month

Counts = dict[str, dict[str, int]]  # "YYYY-MM-DD|level" -> field -> n
ONLINE_PROVIDERS_EXCLUDED = frozenset({"counter"})


def _key(month: dt.date, level: str) -> str:
    return f"{month.isoformat()}|{level}"


def _split(key: str) -> tuple[dt.date, str]:
    month, level = key.split("|", 1)
    return dt.date.fromisoformat(month), level


@dataclass
class _Related:
    """What the counting rules read beside the dossier's own row, for a batch of dossiers:
    five queries per batch, whatever its size (the full rebuild reads 2,000 at a time)."""

    digitised: set[int]
    apologised_in_time: set[int]
    results_signed: set[int]
    payments: dict[int, list[tuple[str, dt.datetime | None]]]
    ratings: dict[int, tuple[str, dt.datetime]]

    @classmethod
    def of(cls, ids: list[int]) -> _Related:
        payments: dict[int, list[tuple[str, dt.datetime | None]]] = defaultdict(list)
        for dossier_id, provider, confirmed_at in Payment.objects.filter(
            dossier_id__in=ids, status=PaymentStatus.CONFIRMED
        ).values_list("dossier_id", "provider", "confirmed_at"):
            payments[dossier_id].append((provider, confirmed_at))
        ratings: dict[int, tuple[str, dt.datetime]] = {}
        for dossier_id, value, rated_at in Rating.objects.filter(dossier_id__in=ids).values_list(
            "dossier_id", "value", "rated_at"
        ):
            ratings.setdefault(dossier_id, (value, rated_at))
        return cls(
            digitised=_ids(DossierPaper.objects.filter(dossier_id__in=ids)),
            apologised_in_time=_ids(ApologyLetter.objects.filter(dossier_id__in=ids, in_time=True)),
            results_signed=_ids(DossierResult.objects.filter(dossier_id__in=ids, signed=True)),
            payments=payments,
            ratings=ratings,
        )


def _ids(qs: Any) -> set[int]:
    return set(qs.order_by().values_list("dossier_id", flat=True).distinct())


def dossier_counts(dossier: Dossier, related: _Related | None = None) -> Counts:
    """What one dossier contributes to the fact table now (the rules, once). `related`: read
    for a batch that holds this dossier; by default read for this dossier alone."""
    if related is None:
        related = _Related.of([dossier.pk])
    level = dossier.procedure.service_level.code
    out: Counts = defaultdict(lambda: defaultdict(int))

    def add(at: dt.datetime | None, **fields: bool) -> None:
        if at is None:
            return
        bucket = out[_key(reporting_month(at), level)]
        for name, on in fields.items():
            if on:
                bucket[name] += 1

    online = dossier.channel == Channel.ONLINE
    add(dossier.submitted_at, submitted=True, submitted_online=online)
    if dossier.received_at is not None:
        add(
            dossier.received_at,
            received=True,
            received_online=online,
            received_digitised=dossier.pk in related.digitised,
        )
    if dossier.decided_at is not None:
        late = dossier.finished_on_time is False
        add(
            dossier.decided_at,
            decided=True,
            decided_on_time=dossier.finished_on_time is True,
            decided_late=late,
            late_with_apology=late and dossier.pk in related.apologised_in_time,
        )
    if dossier.returned_at is not None:
        add(
            dossier.returned_at,
            returned=True,
            returned_online=dossier.result_channel == ResultChannel.ONLINE,
            results_signed=dossier.pk in related.results_signed,
        )
    for provider, confirmed_at in related.payments.get(dossier.pk, ()):
        add(
            confirmed_at,
            payments_confirmed=True,
            payments_online=provider not in ONLINE_PROVIDERS_EXCLUDED,
        )
    rating = related.ratings.get(dossier.pk)
    if rating is not None:
        value, rated_at = rating
        add(
            rated_at,
            rated=True,
            rated_satisfied=value == RatingValue.SATISFIED,
            rated_acceptable=value == RatingValue.ACCEPTABLE,
            rated_not_satisfied=value == RatingValue.NOT_SATISFIED,
        )
    return {k: {f: n for f, n in v.items() if n} for k, v in out.items() if any(v.values())}


def _difference(new: Counts, old: Counts) -> Counts:
    delta: Counts = {}
    for key in set(new) | set(old):
        fields = set(new.get(key, {})) | set(old.get(key, {}))
        changes = {f: new.get(key, {}).get(f, 0) - old.get(key, {}).get(f, 0) for f in fields}
        changes = {f: n for f, n in changes.items() if n}
        if changes:
            delta[key] = changes
    return delta


def _apply(agency_id: int, delta: Counts, *, sign: int = 1) -> None:
    """Add `delta` to the fact rows, creating missing rows first (locks rows in key order)."""
    if not delta:
        return
    keys = sorted(delta)
    DossierMonthlyFact.objects.bulk_create(
        [
            DossierMonthlyFact(agency_id=agency_id, month=month, service_level=level)
            for month, level in map(_split, keys)
        ],
        ignore_conflicts=True,
    )
    for key in keys:
        month, level = _split(key)
        DossierMonthlyFact.objects.filter(
            agency_id=agency_id, month=month, service_level=level
        ).update(**{f: F(f) + sign * n for f, n in sorted(delta[key].items())})


def facts_dossier_apply(*, dossier_id: int) -> bool:
    """Bring the facts up to date with one dossier; True when something changed."""
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update()
            .filter(pk=dossier_id)
            .select_related("procedure__service_level")
            .first()
        )
        if dossier is None:
            return False
        contribution = DossierContribution.objects.select_for_update().filter(pk=dossier_id).first()
        new = dossier_counts(dossier)
        if contribution is None:
            contribution = DossierContribution(dossier_id=dossier_id, agency_id=dossier.agency_id)
            old: Counts = {}
        else:
            old = contribution.counts
        if contribution.agency_id != dossier.agency_id:  # pragma: no cover - agency never moves
            _apply(contribution.agency_id, old, sign=-1)
            old = {}
            contribution.agency_id = dossier.agency_id
        delta = _difference(new, old)
        _apply(dossier.agency_id, delta)
        if delta or contribution._state.adding:
            contribution.counts = new
            contribution.save()
        # The figures per unit and person: the dossier's finished workflow steps.
        steps = people.contribution_apply(
            PeopleSource.DOSSIERS, dossier_id, people.dossier_step_counts(dossier)
        )
        return bool(delta) or steps


def _level_counts(qs: Any, **annotations: Any) -> dict[str, dict[str, int]]:
    rows = qs.values(level=F("procedure__service_level__code")).annotate(**annotations)
    return {r.pop("level"): r for r in rows}


def dossier_counts_live(*, agency_id: int, month: dt.date) -> dict[str, dict[str, int]]:
    """The counters of one agency and reporting month from the live tables, per level."""
    start, end = month_bounds(month)
    base = Dossier.objects.filter(agency_id=agency_id)
    online = Q(channel=Channel.ONLINE)
    result: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(DOSSIER_FACT_FIELDS, 0))

    def merge(part: dict[str, dict[str, int]]) -> None:
        for level, values in part.items():
            result[level].update(values)

    merge(
        _level_counts(
            base.filter(submitted_at__gte=start, submitted_at__lt=end),
            submitted=Count("pk"),
            submitted_online=Count("pk", filter=online),
        )
    )
    papers = Exists(DossierPaper.objects.filter(dossier=OuterRef("pk")))
    merge(
        _level_counts(
            base.filter(received_at__gte=start, received_at__lt=end),
            received=Count("pk"),
            received_online=Count("pk", filter=online),
            received_digitised=Count("pk", filter=Q(papers)),
        )
    )
    apology = Exists(ApologyLetter.objects.filter(dossier=OuterRef("pk"), in_time=True))
    merge(
        _level_counts(
            base.filter(decided_at__gte=start, decided_at__lt=end),
            decided=Count("pk"),
            decided_on_time=Count("pk", filter=Q(finished_on_time=True)),
            decided_late=Count("pk", filter=Q(finished_on_time=False)),
            late_with_apology=Count("pk", filter=Q(finished_on_time=False) & Q(apology)),
        )
    )
    signed = Exists(DossierResult.objects.filter(dossier=OuterRef("pk"), signed=True))
    merge(
        _level_counts(
            base.filter(returned_at__gte=start, returned_at__lt=end),
            returned=Count("pk"),
            returned_online=Count("pk", filter=Q(result_channel=ResultChannel.ONLINE)),
            results_signed=Count("pk", filter=Q(signed)),
        )
    )
    payments = Payment.objects.filter(
        dossier__agency_id=agency_id,
        status=PaymentStatus.CONFIRMED,
        confirmed_at__gte=start,
        confirmed_at__lt=end,
    )
    for row in payments.values(level=F("dossier__procedure__service_level__code")).annotate(
        payments_confirmed=Count("pk"),
        payments_online=Count("pk", filter=~Q(provider__in=ONLINE_PROVIDERS_EXCLUDED)),
    ):
        merge({row.pop("level"): row})
    ratings = Rating.objects.filter(
        dossier__agency_id=agency_id, rated_at__gte=start, rated_at__lt=end
    )
    for row in ratings.values(level=F("dossier__procedure__service_level__code")).annotate(
        rated=Count("pk"),
        rated_satisfied=Count("pk", filter=Q(value=RatingValue.SATISFIED)),
        rated_acceptable=Count("pk", filter=Q(value=RatingValue.ACCEPTABLE)),
        rated_not_satisfied=Count("pk", filter=Q(value=RatingValue.NOT_SATISFIED)),
    ):
        merge({row.pop("level"): row})
    return {level: values for level, values in result.items() if any(values.values())}


def facts_recompute(*, agency_id: int, month: dt.date) -> int:
    """Rewrite the fact rows of one agency and reporting month from the live tables.

    Returns the number of rows written. (Contributions are left alone: use `facts_rebuild` to
    reset them together with the facts.)
    """
    counts = dossier_counts_live(agency_id=agency_id, month=month)
    with transaction.atomic():
        DossierMonthlyFact.objects.filter(agency_id=agency_id, month=month).delete()
        DossierMonthlyFact.objects.bulk_create(
            [
                DossierMonthlyFact(agency_id=agency_id, month=month, service_level=level, **values)
                for level, values in sorted(counts.items())
            ]
        )
    return len(counts)


def facts_rebuild(*, batch: int = 2000) -> int:
    """Throw the dossier facts away and rebuild facts and contributions from every dossier.

    For the demo's bulk-written data and after a change of the cut-off day. Returns the number
    of dossiers read.
    """
    totals: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    contributions: list[DossierContribution] = []
    n = 0
    with transaction.atomic():
        DossierContribution.objects.all().delete()
        DossierMonthlyFact.objects.all().delete()
        dossiers = Dossier.objects.select_related("procedure__service_level").order_by("pk")
        for chunk in chunked(dossiers.iterator(chunk_size=batch), batch):
            related = _Related.of([dossier.pk for dossier in chunk])
            for dossier in chunk:
                counts = dossier_counts(dossier, related)
                for key, values in counts.items():
                    for name, value in values.items():
                        totals[(dossier.agency_id, key)][name] += value
                contributions.append(
                    DossierContribution(
                        dossier_id=dossier.pk, agency_id=dossier.agency_id, counts=counts
                    )
                )
            n += len(chunk)
            DossierContribution.objects.bulk_create(contributions)
            contributions = []
        rows = []
        for (agency_id, key), values in totals.items():
            month, level = _split(key)
            rows.append(
                DossierMonthlyFact(agency_id=agency_id, month=month, service_level=level, **values)
            )
        DossierMonthlyFact.objects.bulk_create(rows, batch_size=batch)
    return n


def catalogue_snapshot(*, now: dt.datetime | None = None) -> int:
    """Write this reporting month's catalogue figures for every agency with procedures."""
    from egov.procedures.models import Procedure

    month = reporting_month(now or timezone.now())
    rows = (
        Procedure.objects.filter(agencies__isnull=False)
        .values(agency_id=F("agencies"))
        .annotate(
            procedures=Count("pk", distinct=True),
            published=Count("pk", filter=Q(is_published=True), distinct=True),
            full_online=Count(
                "pk", filter=Q(service_level__code="full_online", is_published=True), distinct=True
            ),
            partial_online=Count(
                "pk",
                filter=Q(service_level__code="partial_online", is_published=True),
                distinct=True,
            ),
            with_fees=Count("pk", filter=Q(fees__isnull=False), distinct=True),
        )
    )
    with transaction.atomic():
        for row in rows:
            agency_id = row.pop("agency_id")
            CatalogueFact.objects.update_or_create(agency_id=agency_id, month=month, defaults=row)
    return len(rows)
