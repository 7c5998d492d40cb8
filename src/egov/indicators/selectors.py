"""Read queries of the indicators: fact tables only for figures; live tables only for the
drill-down lists (one agency's late items), scoped by the policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connections
from django.db.models import Case, F, IntegerField, Q, QuerySet, Sum, When
from django.utils.translation import gettext as _

from egov.indicators.compute import FactSet
from egov.indicators.models import Indicator, MonthlyReport
from egov.indicators.periods import Period
from egov.indicators.sources import SOURCES
from egov.organisations.models import Agency


def indicators(*, codes: Iterable[str] | None = None) -> list[Indicator]:
    qs = Indicator.objects.filter(is_active=True)
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    return list(qs.order_by("order", "code"))


def agencies_for_ranking() -> list[Agency]:
    return list(Agency.objects.filter(is_active=True).only("id", "code", "name", "abbreviation"))


def load_facts(
    *,
    sources: Iterable[str],
    periods: Iterable[Period],
    agency_ids: Iterable[int] | None = None,
    agencies_for: Iterable[Period] | None = None,
    whole: Iterable[int] = (),
) -> FactSet:
    """One aggregate query per source over the months the periods cover.

    `agencies_for`: the periods whose per-agency figures are needed (None: every period).
    For the other months only the city's totals are read, one row per month instead of one
    per agency (the city page ranks agencies for one period and trends the city over six);
    asking an agency's figure there raises `FactsNotLoaded` — except for the agencies in
    `whole`, whose rows are read for every month (an agency's page: its own trend, the city
    for the period).
    """
    if agency_ids is not None and agencies_for is not None:
        raise ValueError("city totals need every agency's rows: agency_ids or agencies_for")
    periods = list(periods)
    months = sorted({m for p in periods for m in p.months})
    detail = None if agencies_for is None else {m for p in agencies_for for m in p.months}
    facts = FactSet()
    wanted_agencies = list(agency_ids) if agency_ids is not None else None
    whole = sorted(set(whole))
    for code in sorted(set(sources)):
        source = SOURCES.get(code)
        if source is None:
            continue
        model = source.model_class()
        if model is None:
            facts.unavailable[code] = _("Nguồn số liệu “%(s)s” chưa sẵn sàng.") % {
                "s": source.label
            }
            continue
        fields = source.available_fields()
        facts.fields[code] = fields
        qs: QuerySet[Any] = model._default_manager.all()
        if wanted_agencies is not None:
            qs = qs.filter(agency_id__in=wanted_agencies)
        group = ["agency_id"]
        city_only: set[dt.date] = set()
        if source.month_field:
            qs = qs.filter(**{f"{source.month_field}__in": months})
            if detail is not None and not detail.issuperset(months):
                # The agency, or NULL for a month where only the city's total is wanted.
                city_only = set(months) - detail
                kept = Q(**{f"{source.month_field}__in": sorted(detail)})
                if whole:
                    kept |= Q(agency_id__in=whole)
                qs = qs.annotate(
                    b_agency=Case(
                        When(kept, then=F("agency_id")), default=None, output_field=IntegerField()
                    )
                )
                group = ["b_agency"]
            group.append(source.month_field)
        sums = {f"s_{f}": Sum(f) for f in fields}
        rows: dict[tuple[int, dt.date | None], dict[str, int]] = {}
        city_rows: dict[dt.date | None, dict[str, int]] = {}
        # Plain tuples straight from the cursor: ~2,000 rows of up to 18 sums on a city page,
        # where the ORM's per-value converters cost more than the query.
        query = qs.values(*group).annotate(**sums).values_list(*group, *sums).query
        compiler = query.get_compiler(using=qs.db)
        sql, params = compiler.as_sql()
        names = [alias for _e, _s, alias in compiler.select]
        if names != [*group, *sums]:  # pragma: no cover - the ORM keeps the order asked
            raise RuntimeError(f"unexpected column order {names}")
        with connections[qs.db].cursor() as cursor:
            cursor.execute(sql, params)
            for agency_id, *rest in cursor.fetchall():
                month = _as_date(rest.pop(0)) if source.month_field else None
                counts = {f: n or 0 for f, n in zip(fields, rest, strict=True)}
                if agency_id is None:
                    city_rows[month] = counts
                else:
                    rows[(agency_id, month)] = counts
        facts.rows[code] = rows
        if city_only:
            facts.city_rows[code] = city_rows
            facts.city_only[code] = city_only
    facts.whole = set(whole)
    return facts


def _as_date(value: Any) -> dt.date:
    """A month as read from the cursor (SQLite answers a date as text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def late_dossiers(*, agency: Agency, period: Period, user: Any) -> QuerySet[Any]:
    """The dossiers decided late in the period (reporting months) behind an agency's figure."""
    from egov.dossiers.models import Dossier
    from egov.policy.engine import agency_filter

    start, end = period.bounds
    return (
        Dossier.objects.filter(agency_filter(user, "dossier.view"))
        .filter(agency=agency, finished_on_time=False, decided_at__gte=start, decided_at__lt=end)
        .select_related("procedure")
        .order_by("-decided_at", "-id")
    )


def late_assignments(*, agency: Agency, period: Period) -> list[Any] | None:
    """Assignments of the agency (main owner) due in the period's calendar months and late:
    overdue now, or completed after the due (None while the assignments app is not there)."""
    from django.apps import apps

    try:
        model = apps.get_model("assignments", "Assignment")
    except LookupError:
        return None
    start, end = period.calendar_bounds
    qs = model._default_manager.filter(
        Q(overdue_since__isnull=False) | Q(on_time=False),
        owner_agency=agency,
        due_at__gte=start,
        due_at__lt=end,
    )
    return list(qs.order_by("due_at", "pk")[:200])


def monthly_report(*, public_id: Any) -> MonthlyReport | None:
    return (
        MonthlyReport.objects.filter(public_id=public_id).select_related("agency", "file").first()
    )


PeopleSums = dict[str, dict[str, int]]  # source -> field -> n


def _rate(on_time: int, done: int) -> Any:
    from decimal import ROUND_HALF_UP, Decimal

    if not done:
        return None
    return (Decimal(100 * on_time) / Decimal(done)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _figures(sums: PeopleSums) -> dict[str, Any]:
    """What a unit's or person's row shows, from its sums per source (None: no row counts)."""
    out: dict[str, Any] = {}
    for source in ("assignments", "dossiers", "documents"):
        part = sums.get(source)
        if part is None:
            out[source] = None
            continue
        out[source] = {
            **part,
            "rate": _rate(part.get("on_time", 0), part.get("done", 0)),
        }
    return out


def _with_sub_units(all_units: list[Any], units: set[int] | None) -> set[int] | None:
    if units is None:
        return None
    scope = set(units)
    while True:  # sub-units of the units in view
        more = {u.pk for u in all_units if u.parent_id in scope} - scope
        if not more:
            return scope
        scope |= more


def people_figures_scope(*, agency: Agency, units: set[int] | None) -> set[int] | None:
    """The units in view with their sub-units (None: every unit)."""
    from egov.organisations.models import Unit

    if units is None:
        return None
    return _with_sub_units(list(Unit.objects.filter(agency=agency).only("id", "parent_id")), units)


def people_figures(*, agency: Agency, period: Period, units: set[int] | None) -> dict[str, Any]:
    """An agency's figures per unit and per person for a period, from `PeopleMonthlyFact`
    (one aggregate query) with the agency's units and staff (one query each) and each person's
    IT-skill standing (`StaffTrainingStatus`, the training app's per-person fact, read with the
    staff). `units`: the units in view (None: all; a unit head's unit grows its sub-units).

    Returns {"units": [...], "people": [...], "scope": set|None}; a unit row counts every row
    counted for the unit (its people's included), a person's row their own rows (for a unit
    head: those counted while in the head's units)."""
    from django.apps import apps

    from egov.indicators.models import PEOPLE_FACT_FIELDS, PeopleMonthlyFact
    from egov.organisations.models import StaffMember, Unit

    all_units = list(
        Unit.objects.filter(agency=agency)
        .only("id", "name", "parent_id", "is_active")
        .order_by("name", "pk")
    )
    scope = _with_sub_units(all_units, units)

    rows = (
        PeopleMonthlyFact.objects.filter(agency=agency, month__in=period.months)
        .values("source", "unit_ref", "staff_ref")
        .annotate(**{f: Sum(f) for f in PEOPLE_FACT_FIELDS})
        .order_by()
    )
    by_unit: dict[int, PeopleSums] = {}
    by_staff: dict[int, PeopleSums] = {}
    for row in rows:
        source, unit, staff = row.pop("source"), row.pop("unit_ref"), row.pop("staff_ref")
        if scope is not None and unit not in scope:
            continue
        values = {f: n or 0 for f, n in row.items()}
        targets = [by_unit.setdefault(unit, {})]
        if staff:
            targets.append(by_staff.setdefault(staff, {}))
        for target in targets:
            part = target.setdefault(source, dict.fromkeys(PEOPLE_FACT_FIELDS, 0))
            for name, n in values.items():
                part[name] += n

    staff_q = Q(agency=agency, is_active=True)
    if scope is not None:
        staff_q &= Q(unit_id__in=scope)
    staff_q |= Q(pk__in=sorted(by_staff))
    related = ["user"]
    has_training = apps.is_installed("egov.training")
    if has_training:
        related.append("training_status")
    staff_rows = list(
        StaffMember.objects.filter(staff_q)
        .select_related(*related)
        .order_by("user__full_name", "pk")
    )
    names = {u.pk: u.name for u in all_units}
    training_by_unit: dict[int, dict[str, int]] = {}
    people = []
    for member in staff_rows:
        status = getattr(member, "training_status", None) if has_training else None
        standing = (
            None
            if status is None
            else "advanced"
            if status.advanced_met
            else "basic"
            if status.basic_met
            else "none"
        )
        if member.agency_id == agency.pk and member.is_active:
            t = training_by_unit.setdefault(
                member.unit_id or 0, {"staff": 0, "basic": 0, "advanced": 0}
            )
            t["staff"] += 1
            t["basic"] += standing in ("basic", "advanced")
            t["advanced"] += standing == "advanced"
        people.append(
            {
                "staff": member,
                "unit_id": member.unit_id or 0,
                "unit": names.get(member.unit_id or 0, ""),
                "training": standing,
                **_figures(by_staff.get(member.pk, {})),
            }
        )
    people.sort(key=lambda p: (p["unit"] == "", p["unit"], str(p["staff"].user), p["staff"].pk))

    unit_rows = []
    shown = [u for u in all_units if (scope is None or u.pk in scope)]
    slots: list[tuple[int, str]] = [(u.pk, u.name) for u in shown if u.is_active or u.pk in by_unit]
    if scope is None and (0 in by_unit or 0 in training_by_unit):
        slots.append((0, ""))
    for pk, name in slots:
        training = training_by_unit.get(pk, {"staff": 0, "basic": 0, "advanced": 0})
        unit_rows.append(
            {
                "id": pk,
                "name": name,
                **_figures(by_unit.get(pk, {})),
                "staff_total": training["staff"],
                "basic_met": training["basic"],
                "advanced_met": training["advanced"],
                "basic_share": _rate(training["basic"], training["staff"]),
                "advanced_share": _rate(training["advanced"], training["staff"]),
            }
        )
    return {"units": unit_rows, "people": people, "scope": scope}


def _slot_filter(unit_path: str, staff_path: str, *, unit: int | None, staff: int | None) -> Q:
    """Items counted for one unit (its slot: the unit, else the person's unit) or person."""
    if staff is not None:
        return Q(**{staff_path: staff})
    return Q(**{unit_path: unit}) if unit else Q(**{f"{unit_path}__isnull": True})


def late_for(
    *, agency: Agency, period: Period, unit: int | None = None, staff: int | None = None
) -> dict[str, list[Any] | None]:
    """The late items behind a unit's or a person's figures (drill-down; lists bounded at 200
    each; None when the app is not there): assignments completed late in the period or open
    and overdue with a due in it (main owner), dossier steps finished late (the actor), incoming
    documents closed late (main handler) — the same rules as `people.py` counts."""
    from django.apps import apps
    from django.db.models.functions import Coalesce

    out: dict[str, list[Any] | None] = {"assignments": None, "steps": None, "documents": None}
    if apps.is_installed("egov.assignments"):
        from egov.assignments.models import OPEN_STATUSES, AssignmentOwner

        start, end = period.calendar_bounds
        late_q = Q(
            assignment__on_time=False,
            assignment__completed_at__gte=start,
            assignment__completed_at__lt=end,
        ) | Q(
            assignment__status__in=OPEN_STATUSES,
            assignment__overdue_since__isnull=False,
            assignment__due_at__gte=start,
            assignment__due_at__lt=end,
        )
        out["assignments"] = [
            owner.assignment
            for owner in AssignmentOwner.objects.annotate(
                slot_unit=Coalesce("unit_id", "staff__unit_id")
            )
            .filter(
                _slot_filter("slot_unit", "staff_id", unit=unit, staff=staff),
                late_q,
                kind="main",
                assignment__owner_agency=agency,
                assignment__is_series=False,
            )
            .select_related("assignment")
            .order_by("assignment__due_at", "assignment_id")[:200]
        ]
    if apps.is_installed("egov.dossiers"):
        from egov.dossiers.models import Dossier
        from egov.workflow.models import HistoryEntry, Outcome

        start, end = period.bounds
        steps: list[Any] = list(
            HistoryEntry.objects.annotate(
                slot_unit=Coalesce("actor__staff__unit_id", "step__actor_unit_id")
            )
            .filter(
                _slot_filter("slot_unit", "actor__staff__id", unit=unit, staff=staff),
                actor_agency=agency,
                actor__isnull=False,
                outcome=Outcome.LATE,
                acted_at__gte=start,
                acted_at__lt=end,
            )
            .select_related("step", "instance", "actor")
            .order_by("-acted_at", "-pk")[:200]
        )
        found = {
            instance: (public_id, code)
            for instance, public_id, code in Dossier.objects.filter(
                workflow_instance_id__in=[e.instance_id for e in steps]
            ).values_list("workflow_instance_id", "public_id", "code")
        }
        for entry in steps:
            entry.dossier_public_id, entry.dossier_code = found.get(entry.instance_id, (None, ""))
        out["steps"] = [e for e in steps if e.dossier_public_id is not None]
    if apps.is_installed("egov.documents"):
        from egov.documents.models import Direction, Handling

        start, end = period.calendar_bounds
        out["documents"] = [
            handling.document
            for handling in Handling.objects.annotate(
                slot_unit=Coalesce("unit_id", "staff__unit_id")
            )
            .filter(
                _slot_filter("slot_unit", "staff_id", unit=unit, staff=staff),
                role="main",
                document__agency=agency,
                document__direction=Direction.INCOMING,
                document__closed_on_time=False,
                document__closed_at__gte=start,
                document__closed_at__lt=end,
            )
            .select_related("document")
            .order_by("-document__closed_at", "-document_id")[:200]
        ]
    return out
