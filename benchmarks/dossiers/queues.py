"""Officer queues on a city-year (issue 3): the real selector, in-process, many iterations.

    .venv/bin/python benchmarks/dossiers/queues.py [--db egov_bench] [--iterations 200]

For one user (`chuyenvien`, a specialist of Sở Xây dựng; `motcua` as the one-stop officer) and
each queue, one iteration is what the queue page does: `selectors.queue(...)` sorted by due
date, the page's rows (`[:size]`, touching the columns the page shows) and the capped count.
Reported per queue and page size (20 and 100): p50/p95/p99 in ms and the queries per page;
the target is p95 ≤ 50 ms with a query count that does not grow with the page size.

The baseline, in the same run: the cheapest possible page of the same size, one indexed query
(`Dossier.objects.filter(agency=…, status="processing").order_by("due_at")[:size]`, read in
order from the `(agency, status, due_at)` index) with no policy, no joins, no count.
Each row also gives the Python process's CPU time (p50): on a shared machine, wall time minus
CPU time is mostly waiting for a core or for PostgreSQL.

EXPLAIN ANALYZE of each queue's page query is saved with the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

PG = "postgresql://postgres@127.0.0.1:5432"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="egov_bench")
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--users", default="chuyenvien,motcua")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{PG}/{args.db}"
    os.environ.setdefault("EGOV_DATA_DIR", "/tmp/egov-bench-pg")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmarks.common import log, save
    from egov.accounts.models import User
    from egov.dossiers import selectors
    from egov.dossiers.models import Dossier

    results: dict[str, Any] = {"iterations": args.iterations, "queues": [], "explain": {}}
    results["loadavg_start"] = os.getloadavg()
    total = Dossier.objects.count()
    log(f"{total} dossiers in {args.db}")
    results["dossiers"] = total

    def run_page(user: Any, key: str, size: int) -> tuple[int, int, bool]:
        # As in a request: the policy subject (staff, roles, delegations) is resolved anew.
        user.__dict__.pop("_egov_subject", None)
        qs = selectors.queue(user=user, key=key)
        rows = list(qs[:size])
        for row in rows:  # what the page shows
            _ = (row.code, row.procedure.name, row.agency.name, row.due_at, row.status)
            _ = row.assignee.user.full_name if row.assignee is not None else ""
        count, more = selectors.capped_count(qs)
        return len(rows), count, more

    def baseline_page(agency_id: int, size: int) -> int:
        # Served in order by the (agency, status, due_at) index: no sort, no joins, no count.
        qs = Dossier.objects.filter(agency_id=agency_id, status="processing").order_by("due_at")
        return len(list(qs[:size]))

    def measure(fn: Any, *fn_args: Any) -> dict[str, Any]:
        for _ in range(5):  # warm-up: plans cached, pages in memory
            fn(*fn_args)
        times: list[float] = []
        cpu: list[float] = []
        with CaptureQueriesContext(connection) as ctx:
            fn(*fn_args)
        queries = len(ctx.captured_queries)
        out = None
        for _ in range(args.iterations):
            started, cpu_started = time.perf_counter(), time.process_time()
            out = fn(*fn_args)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        return {
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(percentile(times, 95), 2),
            "p99_ms": round(percentile(times, 99), 2),
            "cpu_p50_ms": round(statistics.median(cpu), 2),
            "queries": queries,
            "result": out,
        }

    for username in args.users.split(","):
        user = User.objects.get(username=username)
        staff = user.staff  # type: ignore[attr-defined]
        for key in ("mine", "all", "overdue", "due_soon", "waiting", "to_receive"):
            for size in (20, 100):
                m = measure(run_page, user, key, size)
                rows, count, more = m.pop("result")
                row = {"user": username, "queue": key, "page_size": size, "rows": rows,
                       "count": f"{count}{'+' if more else ''}", **m}  # fmt: skip
                results["queues"].append(row)
                log(
                    f"  {username:<11} {key:<10} page {size:>3}: p50 {m['p50_ms']:6.2f} ms"
                    f"  p95 {m['p95_ms']:6.2f}  p99 {m['p99_ms']:6.2f}  cpu {m['cpu_p50_ms']:5.2f}"
                    f"  queries {m['queries']}  rows {rows} of {row['count']}"
                )
            qs = selectors.queue(user=user, key=key)[:20]
            results["explain"][f"{username}/{key}"] = qs.explain(analyze=True, buffers=True)
        for size in (20, 100):
            m = measure(baseline_page, staff.agency_id, size)
            m.pop("result")
            results["queues"].append({"user": username, "queue": "baseline: one indexed query",
                                      "page_size": size, **m})  # fmt: skip
            log(
                f"  {username:<11} baseline   page {size:>3}: p50 {m['p50_ms']:6.2f} ms"
                f"  p95 {m['p95_ms']:6.2f}  p99 {m['p99_ms']:6.2f}  queries {m['queries']}"
            )
    results["command"] = (
        f"benchmarks/dossiers/queues.py --db {args.db} --iterations {args.iterations}"
    )
    results["loadavg"] = os.getloadavg()
    save("dossiers-queue", results)


if __name__ == "__main__":
    main()
