"""Dashboards of the indicators (/app/chi-so/): figures read from fact tables only; each page
exports its tables with ?dinh_dang=xlsx or ?dinh_dang=pdf."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from egov.accounts.decorators import staff_required
from egov.core.errors import NotFound
from egov.core.files import file_response
from egov.indicators import charts, dashboards, selectors
from egov.indicators.models import Indicator
from egov.indicators.periods import KIND_LABELS, Period, parse_period
from egov.indicators.policy import (
    access_agency_figures_for_user,
    access_report_for_user,
    units_in_view,
)
from egov.policy.engine import can, subject_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def answers_not_found(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return wrapper


def _period(request: HttpRequest) -> Period:
    return parse_period(request.GET.get("ky"), request.GET.get("nam"), request.GET.get("so"))


def _period_query(period: Period) -> str:
    query: dict[str, str | int] = {"ky": period.kind, "nam": period.year, "so": period.index}
    return urlencode(query)


def _export(
    request: HttpRequest, data: dict[str, Any], title: str, stem: str
) -> HttpResponse | None:
    fmt = request.GET.get("dinh_dang")
    if fmt == "xlsx":
        from egov.indicators.exports import to_xlsx  # openpyxl, ReportLab: on first export

        response = HttpResponse(to_xlsx(data["tables"]), content_type=XLSX)
    elif fmt == "pdf":
        from egov.indicators.exports import to_pdf

        response = HttpResponse(to_pdf(data["tables"], title=title), content_type="application/pdf")
    else:
        return None
    response["Content-Disposition"] = f'attachment; filename="{stem}-{data["period"].slug}.{fmt}"'
    return response


def _context(request: HttpRequest, data: dict[str, Any], **extra: Any) -> dict[str, Any]:
    period: Period = data["period"]
    return {
        **data,
        **extra,
        "period_query": _period_query(period),
        "kinds": list(KIND_LABELS.items()),
        "prev_query": _period_query(period.shifted(-1)),
        "next_query": _period_query(period.shifted(1)),
    }


def _trend_svg(indicator: Indicator, trend: list[Any]) -> Any:
    return charts.line_chart(
        [(p.label, v.value) for p, v in trend],
        title=_("Xu hướng %(code)s") % {"code": indicator.code},
        width=160,
        height=40,
    )


def _trend(indicator: Indicator, trend: list[Any]) -> SafeString:
    """A line's trend: the small chart and its table (readable without the chart)."""
    return format_html(
        "{}{}", _trend_svg(indicator, trend), charts.trend_table(trend, title=_("Bảng số liệu"))
    )


@staff_required
@answers_not_found
def home(request: HttpRequest) -> HttpResponse:
    """City leaders get the city dashboard; agency heads their own agency's."""
    if can(request.user, "indicator.view_city"):
        return city(request)
    subject = subject_for(request.user)
    if subject.agency_id is not None:
        from egov.organisations.models import Agency

        agency = Agency.objects.filter(pk=subject.agency_id).only("code").first()
        if agency is not None and can(request.user, "indicator.view_agency", agency):
            url = reverse("workspace:indicators:agency", args=[agency.code])
            return HttpResponseRedirect(f"{url}?{request.GET.urlencode()}")
    raise NotFound()


@staff_required
@answers_not_found
def city(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "indicator.view_city"):
        raise NotFound()
    period = _period(request)
    data = dashboards.city_dashboard(period)
    exported = _export(
        request, data, _("Chỉ số toàn thành phố %(p)s") % {"p": period.label}, "chi-so-thanh-pho"
    )
    if exported:
        return exported
    for line in data["lines"]:
        line.svg = _trend(line.indicator, line.trend)
        line.cell = charts.value_cell(line.text, line.value)
    return render(request, "indicators/city.html", _context(request, data))


@staff_required
@answers_not_found
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    if not can(request.user, "indicator.view_city"):
        raise NotFound()
    found = selectors.indicators(codes=[code])
    if not found:
        raise NotFound()
    period = _period(request)
    data = dashboards.indicator_dashboard(found[0], period)
    exported = _export(request, data, f"{found[0].code} {period.label}", f"chi-so-{found[0].code}")
    if exported:
        return exported
    bars = charts.bar_chart(
        [(a.abbreviation or a.name, v.value, v.level) for a, v, _t, _tr in data["rows"]],
        title=_("Xếp hạng cơ quan: %(name)s") % {"name": found[0].name},
    )
    city_line = charts.line_chart(
        [(p.label, v.value) for p, v in data["city_trend"]],
        title=_("Toàn thành phố theo kỳ"),
        width=480,
        height=120,
    )
    rows = [
        {
            "agency": a,
            "value": v,
            "cell": charts.value_cell(t, v),
            "svg": _trend_svg(found[0], tr),
        }
        for a, v, t, tr in data["rows"]
    ]
    city_cell = charts.value_cell(data["city_text"], data["city"])
    return render(
        request,
        "indicators/indicator.html",
        _context(request, data, bars=bars, city_line=city_line, ranking=rows, city_cell=city_cell),
    )


@staff_required
@answers_not_found
def agency(request: HttpRequest, code: str) -> HttpResponse:
    target = access_agency_figures_for_user(request.user, code)
    period = _period(request)
    data = dashboards.agency_dashboard(target, period)
    scope = units_in_view(request.user, target)
    figures = (
        None
        if scope == set()
        else selectors.people_figures(agency=target, period=period, units=scope)
    )
    if figures is not None:
        data["tables"] += [_units_table(figures["units"]), _people_table(figures["people"])]
    exported = _export(request, data, f"{target.name} {period.label}", f"chi-so-{target.code}")
    if exported:
        return exported
    for line in data["lines"]:
        line.svg = _trend(line.indicator, line.trend)
        line.cell = charts.value_cell(line.text, line.value)
    return render(
        request,
        "indicators/agency.html",
        _context(
            request,
            data,
            is_city=can(request.user, "indicator.view_city"),
            figures=figures,
            whole_agency=scope is None,
        ),
    )


TRAINING_LABELS = {
    "advanced": "Đạt chuẩn nâng cao",
    "basic": "Đạt chuẩn cơ bản",
    "none": "Chưa đạt chuẩn",
    None: "Chưa có số liệu",
}


def _n(value: Any) -> str:
    return "—" if value is None else str(value)


def _pct(value: Any) -> str:
    return "—" if value is None else f"{value} %".replace(".", ",")


def _work_cells(row: dict[str, Any]) -> list[str]:
    """Assignments (done on time / late, rate, overdue open), dossier steps and incoming
    documents (on time / late, rate) of a unit's or a person's row."""
    a, d, t = row["assignments"], row["dossiers"], row["documents"]
    return [
        _n(a and a["done"]),
        _n(a and a["late"]),
        _pct(a and a["rate"]),
        _n(a and a["overdue_open"]),
        _n(d and d["done"]),
        _n(d and d["late"]),
        _pct(d and d["rate"]),
        _n(t and t["done"]),
        _n(t and t["late"]),
        _pct(t and t["rate"]),
    ]


def _work_headers() -> list[str]:
    return [
        _("Nhiệm vụ hoàn thành"),
        _("Nhiệm vụ hoàn thành quá hạn"),
        _("Nhiệm vụ đúng hạn (%)"),
        _("Nhiệm vụ quá hạn chưa hoàn thành"),
        _("Bước hồ sơ đã xử lý"),
        _("Bước hồ sơ quá hạn"),
        _("Bước hồ sơ đúng hạn (%)"),
        _("Văn bản đến đã xử lý"),
        _("Văn bản đến quá hạn"),
        _("Văn bản đến đúng hạn (%)"),
    ]


def _units_table(units: list[dict[str, Any]]) -> dashboards.Table:
    return dashboards.Table(
        _("Số liệu theo phòng, ban"),
        [
            _("Phòng, ban"),
            *_work_headers(),
            _("Cán bộ"),
            _("Đạt chuẩn cơ bản (%)"),
            _("Đạt chuẩn nâng cao (%)"),
        ],
        [
            [
                u["name"] or _("Không thuộc phòng, ban"),
                *_work_cells(u),
                str(u["staff_total"]),
                _pct(u["basic_share"]),
                _pct(u["advanced_share"]),
            ]
            for u in units
        ],
    )


def _people_table(people: list[dict[str, Any]]) -> dashboards.Table:
    return dashboards.Table(
        _("Số liệu theo cán bộ"),
        [_("Phòng, ban"), _("Cán bộ"), *_work_headers(), _("Chuẩn kỹ năng CNTT")],
        [
            [
                p["unit"] or "—",
                str(p["staff"].user),
                *_work_cells(p),
                _(TRAINING_LABELS[p["training"]]),
            ]
            for p in people
        ],
    )


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise NotFound()
    return int(raw)


@staff_required
@answers_not_found
def late(request: HttpRequest, code: str) -> HttpResponse:
    """The late items behind an agency's figures for the period (drill-down); with ?don_vi=
    (0: no unit) or ?can_bo=, those behind one unit's or one person's figures."""
    target = access_agency_figures_for_user(request.user, code)
    period = _period(request)
    unit_id, staff_id = _int_param(request, "don_vi"), _int_param(request, "can_bo")
    if unit_id is not None or staff_id is not None:
        return _late_for(request, target, period, unit_id=unit_id, staff_id=staff_id)
    dossiers = Paginator(
        selectors.late_dossiers(agency=target, period=period, user=request.user), 50
    )
    page = dossiers.get_page(request.GET.get("trang"))
    assignments = selectors.late_assignments(agency=target, period=period)
    data = {
        "period": period,
        "tables": [
            dashboards.Table(
                _("Hồ sơ giải quyết quá hạn – %(a)s – %(p)s")
                % {"a": target.name, "p": period.label},
                [_("Mã hồ sơ"), _("Thủ tục"), _("Hạn theo quy định"), _("Có kết quả lúc")],
                [
                    [
                        d.code,
                        d.procedure.name,
                        f"{d.legal_due_at:%d/%m/%Y %H:%M}" if d.legal_due_at else "",
                        f"{d.decided_at:%d/%m/%Y %H:%M}" if d.decided_at else "",
                    ]
                    for d in page.object_list
                ],
            ),
            _late_assignments_table(assignments, f"{target.name} – {period.label}"),
        ],
    }
    exported = _export(request, data, f"{target.name} {period.label}", f"tre-han-{target.code}")
    if exported:
        return exported
    return render(
        request,
        "indicators/late.html",
        _context(request, data, agency=target, page=page, assignments=assignments),
    )


def _late_assignments_table(assignments: list[Any] | None, where: str) -> dashboards.Table:
    return dashboards.Table(
        _("Nhiệm vụ quá hạn – %(w)s") % {"w": where},
        [_("Nhiệm vụ"), _("Hạn xử lý"), _("Hoàn thành lúc")],
        [
            [
                a.title,
                f"{a.due_at:%d/%m/%Y}",
                f"{a.completed_at:%d/%m/%Y}" if a.completed_at else _("Chưa hoàn thành"),
            ]
            for a in (assignments or [])
        ],
    )


def _late_for(
    request: HttpRequest, target: Any, period: Period, *, unit_id: int | None, staff_id: int | None
) -> HttpResponse:
    """The drill-down of one unit's or person's figures: only within the units in view."""
    from egov.organisations.models import StaffMember, Unit

    scope = units_in_view(request.user, target)
    if scope == set():
        raise NotFound()
    figures_scope = selectors.people_figures_scope(agency=target, units=scope)
    if staff_id is not None:
        member = StaffMember.objects.filter(pk=staff_id).select_related("user", "unit").first()
        if member is None:
            raise NotFound()
        if figures_scope is None:
            if member.agency_id != target.pk:
                raise NotFound()
        elif member.unit_id not in figures_scope:
            raise NotFound()
        who = str(member.user)
    else:
        assert unit_id is not None
        if unit_id == 0:
            if figures_scope is not None:
                raise NotFound()
            who = _("Không thuộc phòng, ban")
        else:
            found = Unit.objects.filter(pk=unit_id, agency=target).only("name").first()
            if found is None or (figures_scope is not None and unit_id not in figures_scope):
                raise NotFound()
            who = found.name
    items = selectors.late_for(agency=target, period=period, unit=unit_id, staff=staff_id)
    where = f"{who} – {target.name} – {period.label}"
    data = {
        "period": period,
        "tables": [
            _late_assignments_table(items["assignments"], where),
            dashboards.Table(
                _("Bước xử lý hồ sơ quá hạn – %(w)s") % {"w": where},
                [_("Mã hồ sơ"), _("Bước"), _("Hạn bước"), _("Chuyển lúc"), _("Người xử lý")],
                [
                    [
                        e.dossier_code,
                        e.step.name if e.step else "",
                        f"{e.step_due_at:%d/%m/%Y %H:%M}" if e.step_due_at else "",
                        f"{e.acted_at:%d/%m/%Y %H:%M}",
                        str(e.actor or ""),
                    ]
                    for e in (items["steps"] or [])
                ],
            ),
            dashboards.Table(
                _("Văn bản đến xử lý quá hạn – %(w)s") % {"w": where},
                [_("Số, ký hiệu"), _("Trích yếu"), _("Hạn giải quyết"), _("Hoàn thành lúc")],
                [
                    [
                        "/".join(x for x in (d.code_number, d.code_notation) if x),
                        d.subject,
                        f"{d.handling_due_at:%d/%m/%Y}" if d.handling_due_at else "",
                        f"{d.closed_at:%d/%m/%Y}" if d.closed_at else "",
                    ]
                    for d in (items["documents"] or [])
                ],
            ),
        ],
    }
    stem = f"tre-han-{target.code}-" + (f"cb{staff_id}" if staff_id is not None else f"dv{unit_id}")
    exported = _export(request, data, where, stem)
    if exported:
        return exported
    keep = [("can_bo", str(staff_id))] if staff_id is not None else [("don_vi", str(unit_id))]
    context = _context(request, data, agency=target, who=who, items=items, keep_params=keep)
    extra = "&" + urlencode(keep)
    for name in ("prev_query", "next_query"):
        context[name] += extra
    context["export_query"] = context["period_query"] + extra
    return render(request, "indicators/late_people.html", context)


@staff_required
@answers_not_found
def report(request: HttpRequest, public_id: str) -> Any:
    found = access_report_for_user(request.user, public_id)
    return file_response(found.file)
