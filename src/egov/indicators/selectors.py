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


def people_of(*, agency: Agency, period: Period) -> list[dict[str, Any]]:
    """The agency's active staff with their units, assignments as main owner (open, overdue
    now, completed in the period's calendar months on time / late) and IT-skill standing.

    One aggregate query (a list bounded by the agency's staff, like the drill-down lists; the
    figures themselves come from the fact tables). Empty columns when an app is not there.
    """
    from django.apps import apps
    from django.db.models import Count
    from django.utils import timezone

    from egov.organisations.models import StaffMember

    qs: QuerySet[Any] = StaffMember.objects.filter(agency=agency, is_active=True)
    related = ["user", "unit"]
    has_training = apps.is_installed("egov.training")
    if has_training:
        related.append("training_status")
    annotations: dict[str, Any] = {}
    if apps.is_installed("egov.assignments"):
        from egov.assignments.models import OPEN_STATUSES

        start, end = period.calendar_bounds
        main = Q(
            assignment_ownerships__kind="main", assignment_ownerships__assignment__is_series=False
        )
        prefix = "assignment_ownerships__assignment__"
        open_q = main & Q(**{f"{prefix}status__in": OPEN_STATUSES})
        done_q = main & Q(**{f"{prefix}completed_at__gte": start, f"{prefix}completed_at__lt": end})
        annotations = {
            "open_count": Count("assignment_ownerships", filter=open_q),
            "overdue_count": Count(
                "assignment_ownerships",
                filter=open_q & Q(**{f"{prefix}due_at__lt": timezone.now()}),
            ),
            "done_on_time": Count(
                "assignment_ownerships", filter=done_q & Q(**{f"{prefix}on_time": True})
            ),
            "done_late": Count(
                "assignment_ownerships", filter=done_q & Q(**{f"{prefix}on_time": False})
            ),
        }
    rows = []
    for staff in (
        qs.select_related(*related)
        .annotate(**annotations)
        .order_by("unit__name", "user__full_name", "pk")
    ):
        status = getattr(staff, "training_status", None) if has_training else None
        rows.append(
            {
                "staff": staff,
                "unit": staff.unit.name if staff.unit_id else "",
                "open": getattr(staff, "open_count", None),
                "overdue": getattr(staff, "overdue_count", None),
                "done_on_time": getattr(staff, "done_on_time", None),
                "done_late": getattr(staff, "done_late", None),
                "training": (
                    None
                    if status is None
                    else "advanced"
                    if status.advanced_met
                    else "basic"
                    if status.basic_met
                    else "none"
                ),
            }
        )
    return rows
