"""A year's outgoing register (50,000 rows) exported to XLSX: time and resident memory.

    .venv/bin/python benchmarks/documents/export.py [--db egov_bench_docs] [--year 2025]
        [--runs 3]

Needs `generate.py` first (it gives UBND exactly 50,000 outgoing documents in the register
year). Each run starts the real export in its own process,

    egov registers export-register --agency <UBND code> --year <year> --kind outgoing \
        --format xlsx /tmp/egov-docbench-pg/register.xlsx

and samples its memory from `/proc/<pid>/status` every 10 ms (VmRSS, and VmHWM — the kernel's
own peak — read last just before the process exits, so no short spike is missed). Reported:
wall time of the process (interpreter and Django start included), the command's own time, peak
resident memory. The file is then opened (read-only) and its rows counted.

Baseline, in the same run and the same way (own process, same sampling): the same rows read by
the same selector (`selectors.outgoing_register_rows`, `values_list(...).iterator(2000)`) and
discarded — the time of the query alone — and a process that only starts Django (the memory
floor every Django process pays). Diagnosis: the register's rows as `registers.outgoing_rows`
builds them (recipients' names, dates formatted), discarded — what is left is the XLSX writer.

Targets: ≤ 10 s, ≤ 200 MB resident, flat (the peak must not grow with the row count; the
`--rows-check` run exports the register of a year with a tenth of the rows to compare).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.common import PYTHON, bench_env, log, save

PG = "postgresql://postgres@127.0.0.1:5432"
DATA_DIR = Path("/tmp/egov-docbench-pg")
OUT = DATA_DIR / "register.xlsx"

BASELINE_QUERY = r"""
import os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings")
django.setup()
from egov.documents import selectors
t = time.perf_counter()
n = 0
for _row in selectors.outgoing_register_rows(int(sys.argv[1]), int(sys.argv[2])):
    n += 1
print(f"{n} rows in {time.perf_counter() - t:.2f} s")
"""

BASELINE_ROWS = r"""
import os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings")
django.setup()
from egov.documents import registers
t = time.perf_counter()
n = 0
for _row in registers.outgoing_rows(int(sys.argv[1]), int(sys.argv[2])):
    n += 1
print(f"{n} rows in {time.perf_counter() - t:.2f} s")
"""

BASELINE_START = r"""
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings")
django.setup()
from egov.documents import registers  # noqa: F401
print("started")
"""


def _status_kb(pid: int) -> dict[str, int]:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    return {k: int(v) for k, v in re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", text, re.M)}


def measured(cmd: list[str], env: dict[str, str], timeout: float = 300) -> dict[str, Any]:
    """Run `cmd`, sampling its memory until it exits; wall time, peak RSS, last output line."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak_rss = 0
    hwm = 0
    samples: list[int] = []
    deadline = started + timeout
    while proc.poll() is None:
        status = _status_kb(proc.pid)
        if status:
            peak_rss = max(peak_rss, status.get("VmRSS", 0))
            hwm = max(hwm, status.get("VmHWM", 0))
            samples.append(status.get("VmRSS", 0))
        if time.perf_counter() > deadline:
            proc.kill()
            raise TimeoutError(" ".join(cmd))
        time.sleep(0.01)
    wall = time.perf_counter() - started
    output = proc.stdout.read().decode() if proc.stdout else ""
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output}")
    return {
        "wall_s": round(wall, 2),
        "peak_rss_mb": round(max(peak_rss, hwm) / 1024, 1),
        "samples": len(samples),
        "output": output.strip().splitlines()[-1] if output.strip() else "",
    }


def xlsx_rows(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    sheet = book.worksheets[-1]
    count = sum(1 for _ in sheet.iter_rows(values_only=True))
    book.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="egov_bench_docs")
    parser.add_argument("--year", type=int, default=time.localtime().tm_year - 1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    url = f"{PG}/{args.db}"
    env = bench_env(DATABASE_URL=url, EGOV_DATA_DIR=str(DATA_DIR))

    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT id, code FROM organisations_agency WHERE kind = 'peoples_committee' LIMIT 1"
        ).fetchone()
        assert row is not None
        agency_id, code = row
        expected = conn.execute(
            """SELECT count(*) FROM documents_document d JOIN documents_secrecylevel s
               ON s.id = d.secrecy_id AND s.level = 0
               WHERE d.agency_id = %s AND d.direction = 'outgoing' AND d.series_year = %s
                 AND d.series_number IS NOT NULL""",
            [agency_id, args.year],
        ).fetchone()[0]  # type: ignore[index]
        # A smaller register of the same agency (another year) for the flatness check.
        small_year, small_rows = conn.execute(
            """SELECT series_year, count(*) FROM documents_document
               WHERE agency_id = %s AND direction = 'outgoing' AND series_number IS NOT NULL
                 AND series_year <> %s GROUP BY 1 ORDER BY 2 DESC LIMIT 1""",
            [agency_id, args.year],
        ).fetchone() or (None, 0)

    def export_cmd(year: int) -> list[str]:
        return [
            PYTHON, "-m", "egov", "registers", "export-register", "--agency", code,
            "--year", str(year), "--kind", "outgoing", "--format", "xlsx", str(OUT),
        ]  # fmt: skip

    log(f"$ DATABASE_URL={url} " + " ".join(export_cmd(args.year)[1:]))
    runs = []
    for _ in range(args.runs):
        result = measured(export_cmd(args.year), env)
        runs.append(result)
        log(f"  export: {result}")
    rows_in_file = xlsx_rows(OUT) - 2  # header row and the row of column numbers
    file_bytes = OUT.stat().st_size
    log(f"  file rows: {rows_in_file} (expected {expected}), size {file_bytes} bytes")

    small: dict[str, Any] = {}
    if small_year:
        small = measured(export_cmd(small_year), env)
        small["year"], small["rows"] = small_year, small_rows
        log(f"  export of {small_year} ({small_rows} rows): {small}")

    baseline_query = [
        measured([PYTHON, "-c", BASELINE_QUERY, str(agency_id), str(args.year)], env)
        for _ in range(args.runs)
    ]
    for b in baseline_query:
        log(f"  baseline (same rows, values_list, discarded): {b}")
    rows_built = measured([PYTHON, "-c", BASELINE_ROWS, str(agency_id), str(args.year)], env)
    log(f"  diagnosis (the register's rows built, recipients and dates, no XLSX): {rows_built}")
    baseline_start = measured([PYTHON, "-c", BASELINE_START], env)
    log(f"  baseline (Django started, nothing read): {baseline_start}")

    wall = statistics.median(r["wall_s"] for r in runs)
    peak = max(r["peak_rss_mb"] for r in runs)
    summary = {
        "rows": expected,
        "rows_in_file": rows_in_file,
        "file_bytes": file_bytes,
        "export_wall_s_median": wall,
        "export_command_reported": runs[len(runs) // 2]["output"],
        "export_peak_rss_mb": peak,
        "smaller_register_peak_rss_mb": small.get("peak_rss_mb"),
        "baseline_query_wall_s_median": statistics.median(b["wall_s"] for b in baseline_query),
        "baseline_query_reported": baseline_query[len(baseline_query) // 2]["output"],
        "baseline_query_peak_rss_mb": max(b["peak_rss_mb"] for b in baseline_query),
        "rows_built_without_xlsx": rows_built["output"],
        "baseline_start_wall_s": baseline_start["wall_s"],
        "baseline_start_peak_rss_mb": baseline_start["peak_rss_mb"],
        "target_met": wall <= 10 and peak <= 200 and rows_in_file == expected,
    }
    log(f"export: {summary}")
    save(
        "documents-export",
        {
            "command": (
                f"benchmarks/documents/export.py --db {args.db} --year {args.year} "
                f"--runs {args.runs}"
            ),
            "export_command": "egov " + " ".join(export_cmd(args.year)[3:]),
            "summary": summary,
            "runs": runs,
            "smaller_register": small,
            "baseline_query_runs": baseline_query,
            "baseline_start": baseline_start,
        },
    )


if __name__ == "__main__":
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    main()
