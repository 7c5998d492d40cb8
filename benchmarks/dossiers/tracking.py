"""Public tracking on a city-year, served (issue 3): p99 and req/s against a one-query baseline.

    .venv/bin/python benchmarks/dossiers/tracking.py [--db egov_bench] [--duration 10]
        [--redis redis://127.0.0.1:6379/3]

`egov serve` (granian, 2 workers, one blocking thread each) with the bench settings (the real
URLs plus `/bench/baseline/<code>`) and persistent database connections
(`DB_CONN_MAX_AGE=600`); wrk on loopback, 32 connections, each request a random code of a set
sampled from the table. Rounds alternate baseline and tracking so a neighbour's load hits
both; the figure is the ratio of the median req/s (and, steadier on a busy host, the median of
each round's ratio to the baseline run just before it), the target p99 ≤ 50 ms and ≥ 60 %.

The tracking answer is cached per code (`egov.dossiers.tracking`), in Redis as in production
(`--redis`, a database of its own, emptied at the start; `--redis ""` for the per-process
default). Two sets of codes, so that both paths are measured:

* **warm** (20,000 codes): each asked once before the rounds (the steady state of codes that
  are being followed: a cache hit, no query);
* **cold** (20,000 fresh codes per round, never asked before): nearly every request is a miss
  (one query, then cached), the worst case.

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
# Served rounds: (name, endpoint, code set).
ROUNDS = (
    ("baseline", "baseline", "warm"),
    ("api", "api", "warm"),
    ("api_cold", "api", "cold"),
    ("page", "page", "warm"),
)

PRIME = r"""
import json, sys, django
django.setup()
from egov.dossiers import tracking
codes = json.loads(sys.stdin.read())
print(sum(tracking.public_view(code) is not None for code in codes))
"""


IN_PROCESS = r"""
import json, os, sys, time, django
django.setup()
from django.test import Client
codes = json.loads(sys.stdin.read())
client = Client()
out = {}
for name, (pattern, which) in json.loads(os.environ["BENCH_ENDPOINTS"]).items():
    these = codes[which]
    for code in these[:20]:
        client.get(pattern.format(code=code))
    wall, cpu = time.perf_counter(), time.process_time()
    for code in these[20:]:
        status = client.get(pattern.format(code=code)).status_code
    n = len(these) - 20
    out[name] = {"wall_ms": round((time.perf_counter() - wall) * 1000 / n, 2),
                 "cpu_ms": round((time.process_time() - cpu) * 1000 / n, 2), "last_status": status}
print(json.dumps(out))
"""


def cpu_per_request(url: str, codes: dict[str, list[str]], redis: str) -> dict[str, Any]:
    """Each endpoint through Django's test client in one process: CPU ms per request.

    CPU time of the Python process does not count waiting for a core or for PostgreSQL, so it
    is the steadier figure on a busy machine (the served figures below depend on neighbours).
    """
    import json
    import subprocess

    from benchmarks.common import PYTHON

    endpoints = {
        "baseline": (ENDPOINTS["baseline"], "warm"),
        "api": (ENDPOINTS["api"], "warm"),
        "api_cold": (ENDPOINTS["api"], "cold"),
        "page": (ENDPOINTS["page"], "warm"),
    }
    env = bench_env(
        DATABASE_URL=url,
        EGOV_DATA_DIR=str(DATA_DIR),
        DJANGO_SETTINGS_MODULE="benchmarks.bench_settings",
        BENCH_ENDPOINTS=json.dumps(endpoints),
        REDIS_URL=redis,
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


def prime(url: str, codes: list[str], redis: str) -> int:
    """Ask every code once (in one process, through `tracking.public_view`): cached."""
    import json
    import subprocess

    from benchmarks.common import PYTHON

    env = bench_env(
        DATABASE_URL=url,
        EGOV_DATA_DIR=str(DATA_DIR),
        DJANGO_SETTINGS_MODULE="benchmarks.bench_settings",
        REDIS_URL=redis,
    )
    out = subprocess.run(
        [PYTHON, "-c", PRIME],
        input=json.dumps(codes),
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="egov_bench")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--port", type=int, default=8181)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/3")
    args = parser.parse_args()
    url = f"{PG}/{args.db}"
    per_set = 20000
    with psycopg.connect(url) as conn:
        sampled = [
            r[0]
            for r in conn.execute(
                "SELECT code FROM dossiers_dossier TABLESAMPLE SYSTEM (30)"
                " ORDER BY random() LIMIT %s",
                (per_set * (1 + args.rounds),),
            )
        ]
    warm = sampled[:per_set]
    colds = [sampled[per_set * (1 + i) : per_set * (2 + i)] for i in range(args.rounds)]
    log(f"{len(sampled)} codes sampled from {args.db}: {len(warm)} warm, {args.rounds} cold sets")
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()  # the benchmark's own database
        log(f"cache: {args.redis} (emptied)")
    DATA_DIR.mkdir(parents=True, exist_ok=True)

    def paths(name: str, pattern: str, codes: list[str]) -> Path:
        path = DATA_DIR / f"paths-{name}.txt"
        path.write_text("\n".join(pattern.format(code=c) for c in codes) + "\n")
        return path

    primed = prime(url, warm, args.redis)
    log(f"primed {primed} warm codes (each asked once)")
    # In-process: warm codes for baseline/api/page; the cold API on codes not asked before.
    in_process = cpu_per_request(url, {"warm": warm[:300], "cold": colds[0][-300:]}, args.redis)
    env = bench_env(
        DATABASE_URL=url,
        DB_CONN_MAX_AGE="600",
        EGOV_DATA_DIR=str(DATA_DIR),
        DJANGO_SETTINGS_MODULE="benchmarks.bench_settings",
        REDIS_URL=args.redis,
    )
    base = f"http://127.0.0.1:{args.port}"
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in ROUNDS}
    log(
        f"$ DATABASE_URL={url} DB_CONN_MAX_AGE=600 REDIS_URL={args.redis}"
        " DJANGO_SETTINGS_MODULE=benchmarks.bench_settings"
    )
    with served(port=args.port, workers=args.workers, env=env, log_file=DATA_DIR / "serve.log"):
        for endpoint in ("baseline", "api", "page"):  # connections open, code paths imported
            wrk(base, paths(f"warmup-{endpoint}", ENDPOINTS[endpoint], warm), duration=3)
        for n in range(args.rounds):
            for name, endpoint, which in ROUNDS:
                codes = warm if which == "warm" else colds[n]
                file = paths(name, ENDPOINTS[endpoint], codes)
                runs[name].append(wrk(base, file, connections=32, duration=args.duration))

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
            "loadavg_after": [r["loadavg_after"] for r in rs],
        }
    for name in ("api", "api_cold", "page"):
        summary[name]["over_baseline"] = round(
            summary[name]["rps_median"] / summary["baseline"]["rps_median"], 3
        )
        # Each round's ratio to the baseline run just before it: a neighbour's load that
        # slows one round slows both sides of its ratio.
        paired = [r["rps"] / b["rps"] for r, b in zip(runs[name], runs["baseline"], strict=True)]
        summary[name]["over_baseline_by_round"] = [round(x, 3) for x in paired]
        summary[name]["over_baseline_paired_median"] = round(median(paired), 3)
        log(
            f"  {name}: {summary[name]['rps_median']} req/s = "
            f"{summary[name]['over_baseline']:.0%} of baseline "
            f"({summary['baseline']['rps_median']} req/s); by round "
            f"{', '.join(f'{x:.0%}' for x in paired)}; p99 {summary[name]['p99_ms_all']} ms"
        )
    save(
        "dossiers-tracking",
        {
            "command": f"benchmarks/dossiers/tracking.py --db {args.db} --duration {args.duration}"
            f" --rounds {args.rounds} --workers {args.workers} --redis {args.redis}",
            "codes": {"warm": len(warm), "cold_per_round": per_set, "primed": primed},
            "in_process": in_process,
            "summary": summary,
            "runs": runs,
            "loadavg": os.getloadavg(),
        },
    )


if __name__ == "__main__":
    main()
