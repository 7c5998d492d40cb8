"""Where the time of the outgoing register export goes: timed runs next to their baseline, and a
profile.

    .venv/bin/python benchmarks/documents/export_profile.py [--db egov_bench_export]
        [--year 2026] [--runs 3] [--profile]

Needs a database with an outgoing register (`generate.py --db egov_bench_export
--documents 60000 --register-rows 50000 --register-year 2026`). Each run starts the real
command in its own process (RSS sampled from `/proc/<pid>/status`, VmHWM included, by
`export.measured`),

    egov registers export-register --agency <UBND> --year <year> --kind outgoing --format xlsx F

and, interleaved with it so machine load hits both alike, the baseline: the same rows read by
`selectors.outgoing_register_rows` and discarded. The ratio export/baseline is the figure to
compare on a loaded machine. `--profile` then runs `write_xlsx` once under cProfile and prints
the top functions by cumulative and by own time. Nothing is written to `benchmarks/results`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.common import PYTHON, bench_env, log
from benchmarks.documents.export import BASELINE_QUERY, PG, measured, xlsx_rows

OUT_DIR = Path("/tmp/egov-export")

PROFILE = r"""
import cProfile, os, pstats, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings")
django.setup()
from egov.documents import registers
reg = registers.REGISTERS["outgoing"]
prof = cProfile.Profile()
prof.enable()
n = registers.write_xlsx(reg, agency_id=int(sys.argv[1]), agency_name="UBND", year=int(sys.argv[2]),
                         out=sys.argv[3])
prof.disable()
print(n, "rows")
stats = pstats.Stats(prof)
stats.sort_stats("cumulative").print_stats(25)
stats.sort_stats("tottime").print_stats(25)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="egov_bench_export")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    url = f"{PG}/{args.db}"
    env = bench_env(DATABASE_URL=url, EGOV_DATA_DIR=str(OUT_DIR))
    out = OUT_DIR / "register.xlsx"

    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT id, code FROM organisations_agency WHERE kind = 'peoples_committee' "
            "ORDER BY id LIMIT 1"
        ).fetchone()
        assert row is not None
        agency_id, code = row

    export = [
        PYTHON, "-m", "egov", "registers", "export-register", "--agency", code,
        "--year", str(args.year), "--kind", "outgoing", "--format", "xlsx", str(out),
    ]  # fmt: skip
    baseline = [PYTHON, "-c", BASELINE_QUERY, str(agency_id), str(args.year)]
    log(f"$ DATABASE_URL={url} egov " + " ".join(export[3:]))
    exports, bases = [], []
    for _ in range(args.runs):
        exports.append(measured(export, env))
        log(f"  export:   {exports[-1]}")
        bases.append(measured(baseline, env))
        log(f"  baseline: {bases[-1]}")
    log(f"  file rows: {xlsx_rows(out) - 2}, {out.stat().st_size} bytes")
    e = statistics.median(r["wall_s"] for r in exports)
    b = statistics.median(r["wall_s"] for r in bases)
    log(
        f"export median {e:.2f} s, peak {max(r['peak_rss_mb'] for r in exports)} MB; "
        f"baseline median {b:.2f} s, peak {max(r['peak_rss_mb'] for r in bases)} MB; "
        f"ratio {e / b:.2f}; load {os.getloadavg()[0]:.1f}"
    )
    if args.profile:
        started = time.perf_counter()
        subprocess.run(
            [PYTHON, "-c", PROFILE, str(agency_id), str(args.year), str(OUT_DIR / "p.xlsx")],
            env=env,
            check=True,
            timeout=600,
        )
        log(f"profile run: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    main()
