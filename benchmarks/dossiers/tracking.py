"""Public tracking on a city-year, served (issue 3): p99 and req/s against a one-query baseline.

    .venv/bin/python benchmarks/dossiers/tracking.py [--db egov_bench] [--duration 10]

`egov serve` (granian, 2 workers, one blocking thread each) with the bench settings (the real
URLs plus `/bench/baseline/<code>`) and persistent database connections
(`DB_CONN_MAX_AGE=600`); wrk on loopback, 32 connections, each request a random code out of
20,000 sampled from the table. Rounds alternate baseline and tracking so a neighbour's load hits
both; the figure is the ratio of the median req/s, the target p99 ≤ 50 ms and ≥ 60 %.

Endpoints: `GET /api/v1/tracking/{code}` (the API) and `GET /tra-cuu/{code}/` (the page), against
`GET /bench/baseline/{code}` (one indexed query on the code, bare JSON view).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.common import bench_env, log, save, served, wrk

PG = "postgresql://postgres@127.0.0.1:5432"
DATA_DIR = Path("/tmp/egov-bench-pg")

ENDPOINTS = {
    "baseline": "/bench/baseline/{code}",
    "api": "/api/v1/tracking/{code}",
    "page": "/tra-cuu/{code}/",
}


IN_PROCESS = r"""
import json, os, sys, time, django
django.setup()
from django.test import Client
codes = json.loads(sys.stdin.read())
client = Client()
out = {}
for name, pattern in json.loads(os.environ["BENCH_ENDPOINTS"]).items():
    for code in codes[:20]:
        client.get(pattern.format(code=code))
    wall, cpu = time.perf_counter(), time.process_time()
    for code in codes[20:]:
        status = client.get(pattern.format(code=code)).status_code
    n = len(codes) - 20
    out[name] = {"wall_ms": round((time.perf_counter() - wall) * 1000 / n, 2),
                 "cpu_ms": round((time.process_time() - cpu) * 1000 / n, 2), "last_status": status}
print(json.dumps(out))
"""


def cpu_per_request(url: str, codes: list[str]) -> dict[str, Any]:
    """Each endpoint through Django's test client in one process: CPU ms per request.

    CPU time of the Python process does not count waiting for a core or for PostgreSQL, so it
    is the steadier figure on a busy machine (the served figures below depend on neighbours).
    """
    import json
    import subprocess

    from benchmarks.common import PYTHON

    env = bench_env(
        DATABASE_URL=url,
        EGOV_DATA_DIR=str(DATA_DIR),
        DJANGO_SETTINGS_MODULE="benchmarks.bench_settings",
        BENCH_ENDPOINTS=json.dumps(ENDPOINTS),
    )
    out = subprocess.run(
        [PYTHON, "-c", IN_PROCESS],
        input=json.dumps(codes),
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    for name, row in result.items():
        log(f"  in-process {name:<8} cpu {row['cpu_ms']:6.2f} ms  wall {row['wall_ms']:6.2f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="egov_bench")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--port", type=int, default=8181)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    url = f"{PG}/{args.db}"
    with psycopg.connect(url) as conn:
        codes = [
            r[0]
            for r in conn.execute(
                "SELECT code FROM dossiers_dossier TABLESAMPLE SYSTEM (3)"
                " ORDER BY random() LIMIT 20000"
            )
        ]
    log(f"{len(codes)} codes sampled from {args.db}")
    files: dict[str, Path] = {}
    for name, pattern in ENDPOINTS.items():
        files[name] = DATA_DIR / f"paths-{name}.txt"
        files[name].write_text("\n".join(pattern.format(code=c) for c in codes) + "\n")
    in_process = cpu_per_request(url, codes[:300])
    env = bench_env(
        DATABASE_URL=url,
        DB_CONN_MAX_AGE="600",
        EGOV_DATA_DIR=str(DATA_DIR),
        DJANGO_SETTINGS_MODULE="benchmarks.bench_settings",
    )
    base = f"http://127.0.0.1:{args.port}"
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in ENDPOINTS}
    log(
        f"$ DATABASE_URL={url} DB_CONN_MAX_AGE=600 DJANGO_SETTINGS_MODULE=benchmarks.bench_settings"
    )
    with served(port=args.port, workers=args.workers, env=env, log_file=DATA_DIR / "serve.log"):
        for name in ENDPOINTS:  # warm-up: connections open, code paths imported
            wrk(base, files[name], connections=32, duration=3)
        for _ in range(args.rounds):
            for name in ENDPOINTS:
                runs[name].append(wrk(base, files[name], connections=32, duration=args.duration))

    def median(xs: list[float]) -> float:
        xs = sorted(xs)
        mid = len(xs) // 2
        return xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2

    summary: dict[str, Any] = {}
    for name, rs in runs.items():
        summary[name] = {
            "rps_median": round(median([r["rps"] for r in rs]), 1),
            "rps_all": [r["rps"] for r in rs],
            "p99_ms_all": [r["latency_us"]["p99"] / 1000 for r in rs],
            "p50_ms_all": [r["latency_us"]["p50"] / 1000 for r in rs],
            "errors": [r["errors"] for r in rs],
        }
    for name in ("api", "page"):
        summary[name]["over_baseline"] = round(
            summary[name]["rps_median"] / summary["baseline"]["rps_median"], 3
        )
        log(
            f"  {name}: {summary[name]['rps_median']} req/s = "
            f"{summary[name]['over_baseline']:.0%} of baseline "
            f"({summary['baseline']['rps_median']} req/s); p99 {summary[name]['p99_ms_all']} ms"
        )
    save(
        "dossiers-tracking",
        {
            "command": f"benchmarks/dossiers/tracking.py --db {args.db} --duration {args.duration}"
            f" --rounds {args.rounds} --workers {args.workers}",
            "codes": len(codes),
            "in_process": in_process,
            "summary": summary,
            "runs": runs,
            "loadavg": os.getloadavg(),
        },
    )


if __name__ == "__main__":
    main()
