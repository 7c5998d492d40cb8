"""Read queries of the catalogue; joins chosen here, so pages and the API build no queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from egov.core.errors import NotFound
from egov.core.search import search_filter
from egov.organisations.models import Agency, AgencyKind
from egov.procedures.models import Field, Procedure, ReceivingScope, RequiredPaper, ServiceLevel

# Agencies that receive `ReceivingScope.ALL_LOCAL` procedures.
LOCAL_KINDS = (AgencyKind.WARD, AgencyKind.COMMUNE, AgencyKind.SPECIAL_ZONE)


def _base(*, published_only: bool) -> QuerySet[Procedure]:
    rows = Procedure.objects.select_related("field", "service_level")
    return rows.filter(is_published=True) if published_only else rows


def catalogue_search(
    *,
    q: str = "",
    field: str = "",
    agency: str = "",
    level: str = "",
    published_only: bool = True,
) -> QuerySet[Procedure]:
    """Procedures matching an accent-insensitive query and the filters (codes; empty = any).

    An agency filter finds what the agency implements and, for a ward, commune or special
    zone, every procedure received by all of them.
    """
    rows = _base(published_only=published_only).filter(search_filter("search_text", q))
    if field:
        rows = rows.filter(field__code=field)
    if level:
        rows = rows.filter(service_level__code=level)
    if agency:
        target = Agency.objects.filter(code=agency).only("pk", "kind").first()
        if target is None:
            return rows.none()
        implemented = Procedure.agencies.through.objects.filter(agency_id=target.pk).values(
            "procedure_id"
        )
        condition = Q(pk__in=implemented)
        if target.kind in LOCAL_KINDS:
            condition |= Q(receiving_scope=ReceivingScope.ALL_LOCAL)
        rows = rows.filter(condition)
    return rows.prefetch_related(
        Prefetch("agencies", queryset=Agency.objects.only("pk", "code", "name"))
    ).order_by("field__order", "name", "code")


def procedure_detail(*, code: str, published_only: bool = True) -> Procedure:
    """One procedure with its papers (and templates), fees, agencies and process steps;
    `NotFound` when missing or unpublished (for the public)."""
    procedure = (
        _base(published_only=published_only)
        .select_related("process")
        .prefetch_related(
            Prefetch("papers", queryset=RequiredPaper.objects.select_related("template")),
            "fees",
            Prefetch("agencies", queryset=Agency.objects.order_by("name")),
            "process__steps__actor_agency",
        )
        .filter(code=code)
        .first()
    )
    if procedure is None:
        raise NotFound("Không tìm thấy thủ tục hành chính.")
    return procedure


def paper_template(*, code: str, paper_id: int, published_only: bool = True) -> RequiredPaper:
    paper = (
        RequiredPaper.objects.select_related("template", "procedure")
        .filter(pk=paper_id, procedure__code=code, template__isnull=False)
        .filter(Q(procedure__is_published=True) if published_only else Q())
        .first()
    )
    if paper is None:
        raise NotFound("Không tìm thấy mẫu đơn, tờ khai.")
    return paper


@dataclass(frozen=True)
class FilterOptions:
    fields: list[Field]
    levels: list[ServiceLevel]
    agencies: list[Agency]


def filter_options() -> FilterOptions:
    """Choices of the catalogue's filters: fields, service levels, and the agencies that
    implement a procedure or receive every commune-level one."""
    implementing = Procedure.agencies.through.objects.values("agency_id")
    agencies = (
        Agency.objects.filter(Q(pk__in=implementing) | Q(kind__in=LOCAL_KINDS), is_active=True)
        .only("pk", "code", "name", "kind")
        .order_by("kind", "name")
    )
    return FilterOptions(
        fields=list(Field.objects.all()),
        levels=list(ServiceLevel.objects.all()),
        agencies=list(agencies),
    )


def procedures_for_export(*, codes: list[str] | None = None) -> QuerySet[Procedure]:
    rows = (
        Procedure.objects.select_related("field", "service_level", "process")
        .prefetch_related("agencies", "papers", "fees")
        .order_by("field__order", "code")
    )
    return rows.filter(code__in=codes) if codes is not None else rows


def fields_and_levels() -> tuple[list[Field], list[ServiceLevel]]:
    return list(Field.objects.all()), list(ServiceLevel.objects.all())


def agency_choices() -> list[Agency]:
    return list(Agency.objects.filter(is_active=True).only("pk", "code", "name").order_by("code"))
