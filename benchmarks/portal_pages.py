"""Public portal pages, CPU per request in one process, against the one-query baseline.

    .venv/bin/python benchmarks/portal_pages.py [--db egov_bench] [--rounds 5] [--requests 50]

Through Django's test client (the whole middleware stack, no server): the home page, the
tracking form, one dossier's tracking page, and `/bench/baseline/<code>` (one indexed query,
bare JSON). CPU time of the process only, the smallest of `--rounds` rounds of `--requests`
requests each, so a neighbour's load moves it less than wall time. Read the pages' figures as
multiples of the baseline's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import PYTHON, bench_env, log, save

PG = "postgresql://postgres@127.0.0.1:5432"
DATA_DIR = Path("/tmp/egov-bench-pg")

IN_PROCESS = r"""
import json, sys, time, django
django.setup()
from django.db import connection
from django.test import Client
rounds, requests = int(sys.argv[1]), int(sys.argv[2])
with connection.cursor() as cursor:
    cursor.execute("SELECT code FROM dossiers_dossier WHERE status = 'returned' LIMIT 1")
    code = cursor.fetchone()[0]
client = Client()
pages = {"home": "/", "tracking_form": "/tra-cuu/", "tracking_page": f"/tra-cuu/{code}/",
         "baseline": f"/bench/baseline/{code}"}
out = {}
for name, url in pages.items():
    for _ in range(20):
        client.get(url)
    best = float("inf")
    for _ in range(rounds):
        cpu = time.process_time()
        for _ in range(requests):
            status = client.get(url).status_code
        best = min(best, (time.process_time() - cpu) * 1000 / requests)
    out[name] = {"cpu_ms": round(best, 2), "status": status}
print(json.dumps(out))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="egov_bench")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    env = bench_env(
        DATABASE_URL=f"{PG}/{args.db}",
        EGOV_DATA_DIR=str(DATA_DIR),
        DJANGO_SETTINGS_MODULE="benchmarks.bench_settings",
    )
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    run = subprocess.run(
        [PYTHON, "-c", IN_PROCESS, str(args.rounds), str(args.requests)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(run.stdout.strip().splitlines()[-1])
    base = result["baseline"]["cpu_ms"]
    for name, row in result.items():
        row["over_baseline"] = round(row["cpu_ms"] / base, 2)
        log(f"  {name:<14} cpu {row['cpu_ms']:6.2f} ms = {row['over_baseline']:5.2f} × baseline")
    save(
        "portal-pages",
        {
            "command": f"benchmarks/portal_pages.py --db {args.db} --rounds {args.rounds}"
            f" --requests {args.requests}",
            "pages": result,
        },
    )


if __name__ == "__main__":
    main()
