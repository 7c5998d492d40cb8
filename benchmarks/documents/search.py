"""Accent-insensitive document search with filters on 500,000 documents (issue 4, §7).

    .venv/bin/python benchmarks/documents/search.py [--db egov_bench_docs] [--iterations 5]

Needs `generate.py` first (and `egov migrate` after it, for the documents' search indexes).
In-process, the real code path of the search pages: for each case,
``search.results_page(search.search(scope, SearchParams(...)), 1, per_page)`` and its rows,
i.e. the capped COUNT, the page's ids and the 20/30 rows that the staff search page
(`views.search_page`, 30 a page) and the portal list (`views_portal.public_list`, 20) run, on

* **staff**: `selectors.visible_documents(clerk)` of UBND's chairman (their agency's documents,
  secret ones only when named: the policy's scope), and of a department clerk;
* **portal**: `selectors.public_documents()` (the `GET /api/v1/public/documents?q=` scope);
* **city**: every document (no scope), the filters alone choosing the agency: the worst case.

The queries are what people type, with and without accents ("chuyển đổi số" and
"chuyen doi so" must cost and find the same), a notation, a name, a rare phrase, a short word,
with agency, type, direction and date-range filters. Each case runs `--iterations` times after
one warm-up; p50/p95/p99 are over all timed runs of all cases. Target: p95 ≤ 100 ms.

Baseline, in the same run: the same page without the text condition (filters only) — what
the text search adds to a filtered list.

EXPLAIN (ANALYZE, BUFFERS) of the slowest case's queries is saved with the figures in
`benchmarks/results/documents-search.json`.

`--variant legacy` measures the path before the fix, for comparison (Django's `Paginator` on
the same queryset: exact COUNT, the page with its four joins); its results go to
`documents-search-legacy.json`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

PG = "postgresql://postgres@127.0.0.1:5432"

# (label, query) — accented and folded twins side by side.
QUERIES: tuple[tuple[str, str], ...] = (
    ("topic, accents", "chuyển đổi số"),
    ("topic, no accents", "chuyen doi so"),
    ("phrase, accents", "giải phóng mặt bằng"),
    ("phrase, no accents", "giai phong mat bang"),
    ("two words", "phòng cháy"),
    ("place", "Hải Châu"),
    ("place, no accents", "hoa vang"),
    ("type words (not in text)", "quyết định"),
    ("notation", "15/QĐ-UBND"),
    ("person", "Nguyễn Văn Hùng"),
    ("rare phrase", "trung tâm tài chính quốc tế"),
    ("short word", "đất"),
    ("empty (filters only)", ""),
)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="egov_bench_docs")
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument(
        "--variant",
        choices=("page", "legacy"),
        default="page",
        help="page: the product's path (the figure). legacy: the path before, for comparison",
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{PG}/{args.db}"
    os.environ.setdefault("EGOV_DATA_DIR", "/tmp/egov-docbench-pg")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmarks.common import log, save
    from egov.documents import search, selectors, views, views_portal
    from egov.documents.models import Document, DocumentType
    from egov.organisations.models import Agency, RoleCode, StaffMember

    ubnd = Agency.objects.get(kind="peoples_committee")
    dept = Agency.objects.filter(kind="department", abbreviation="SXD").first()
    assert dept is not None
    qd = DocumentType.objects.get(code="quyet-dinh")
    cv = DocumentType.objects.get(code="cong-van")
    this_year = date.today().year

    def staff_of(agency: Agency, roles: tuple[str, ...]) -> Any:
        staff = (
            StaffMember.objects.filter(agency=agency, is_active=True, roles__code__in=roles)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        assert staff is not None, f"no {roles} in {agency}"
        return staff.user

    # UBND has leaders and no clerk in the demo city: its chairman searches; SXD's clerk.
    ubnd_clerk = staff_of(ubnd, (RoleCode.CLERK, RoleCode.CITY_LEADER))
    dept_clerk = staff_of(dept, (RoleCode.CLERK,))
    scopes: dict[str, Any] = {
        "staff UBND": lambda: selectors.visible_documents(ubnd_clerk),
        "staff department": lambda: selectors.visible_documents(dept_clerk),
        "portal": selectors.public_documents,
        "city": lambda: Document.objects.select_related(*selectors.LIST_RELATED),
    }
    # (scope, filters) — each combined with every query.
    filter_sets: list[tuple[str, str, dict[str, Any]]] = [
        ("staff UBND", "no filter", {}),
        ("staff UBND", "type QĐ, last year", {
            "type_id": qd.pk, "date_from": date(this_year - 1, 1, 1),
            "date_to": date(this_year - 1, 12, 31)}),
        ("staff UBND", "outgoing, one quarter", {
            "direction": "outgoing", "date_from": date(this_year - 1, 4, 1),
            "date_to": date(this_year - 1, 6, 30)}),
        ("staff department", "incoming, this year", {
            "direction": "incoming", "date_from": date(this_year, 1, 1)}),
        ("portal", "no filter", {}),
        ("portal", "agency + type", {"agency_id": ubnd.pk, "type_id": qd.pk}),
        ("city", "agency + direction", {"agency_id": dept.pk, "direction": "outgoing"}),
        ("city", "type công văn, one month", {
            "type_id": cv.pk, "date_from": date(this_year - 1, 3, 1),
            "date_to": date(this_year - 1, 3, 31)}),
        ("city", "no filter", {}),
    ]  # fmt: skip

    def per_page(scope: str) -> int:
        return views_portal.PAGE_SIZE if scope == "portal" else views.PAGE_SIZE

    def run(scope: str, params: Any) -> tuple[float, int, int]:
        started = time.perf_counter()
        if args.variant == "legacy":
            page = Paginator(search.search(scopes[scope](), params), per_page(scope)).get_page(1)
        else:
            page = search.results_page(scopes[scope](), params, 1, per_page(scope))
        out = [(d.number_notation, d.subject, d.type.name, d.agency.name) for d in page]
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, page.paginator.count, len(out)

    cases: list[dict[str, Any]] = []
    all_ms: list[float] = []
    base_ms: list[float] = []
    for scope, fname, filters in filter_sets:
        base_params = search.SearchParams(**filters)
        run(scope, base_params)
        base = [run(scope, base_params)[0] for _ in range(args.iterations)]
        base_ms.extend(base)
        for label, q in QUERIES:
            if not q:
                continue
            params = search.SearchParams(q=q, **filters)
            run(scope, params)  # warm-up
            times: list[float] = []
            found = 0
            for _ in range(args.iterations):
                ms, found, _n = run(scope, params)
                times.append(ms)
            all_ms.extend(times)
            case = {
                "scope": scope,
                "filters": fname,
                "query": q,
                "label": label,
                "found": found,
                "median_ms": round(statistics.median(times), 1),
                "max_ms": round(max(times), 1),
                "baseline_median_ms": round(statistics.median(base), 1),
            }
            cases.append(case)
            log(
                f"  {scope:<16} {fname:<26} {q!r:<32} {found:>7} found  "
                f"{case['median_ms']:7.1f} ms (filters only {case['baseline_median_ms']:.1f})"
            )

    slowest = max(cases, key=lambda c: c["median_ms"])
    params = search.SearchParams(
        q=slowest["query"], **next(f for s, n, f in filter_sets if (s, n) == (
            slowest["scope"], slowest["filters"]))
    )  # fmt: skip
    with CaptureQueriesContext(connection) as ctx:
        run(slowest["scope"], params)
    explain: list[str] = []
    with connection.cursor() as cursor:
        for captured in ctx.captured_queries:
            sql = captured["sql"]
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            explain.append(sql + "\n" + "\n".join(r[0] for r in cursor.fetchall()))
    summary = {
        "runs": len(all_ms),
        "p50_ms": round(percentile(all_ms, 50), 1),
        "p95_ms": round(percentile(all_ms, 95), 1),
        "p99_ms": round(percentile(all_ms, 99), 1),
        "max_ms": round(max(all_ms), 1),
        "baseline_filters_only_p50_ms": round(percentile(base_ms, 50), 1),
        "baseline_filters_only_p95_ms": round(percentile(base_ms, 95), 1),
        "queries_per_search": len(ctx.captured_queries),
        "target_p95_ms": 100,
    }
    summary["target_met"] = summary["p95_ms"] <= 100
    log(f"search: {summary}")
    log(f"slowest: {slowest}")
    for text in explain:
        log(text)
    name = "documents-search" if args.variant == "page" else "documents-search-legacy"
    save(
        name,
        {
            "command": (
                f"benchmarks/documents/search.py --db {args.db} --iterations {args.iterations}"
                f" --variant {args.variant}"
            ),
            "documents": Document.objects.count(),
            "summary": summary,
            "slowest": slowest,
            "explain_slowest": explain,
            "cases": cases,
        },
    )


if __name__ == "__main__":
    main()
