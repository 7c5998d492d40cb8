"""Number allocation by parallel clerks: issues per second, no gap, no duplicate (issue 4).

    .venv/bin/python benchmarks/documents/numbering.py [--db egov_bench_docs]
        [--workers 2,4,8] [--transactions 2000] [--issues 600]

Needs `generate.py` first (its agencies, clerks and number series). Each worker is its own
process (its own database connection, as clerks on separate web workers are); all start at
the same instant (once every one has started Django and connected) and each runs its share
of transactions.
Throughput = transactions / (last worker's end − start). Three kinds of transaction:

* **baseline**: `transaction.atomic()` + one trivial INSERT (worker, 0) into a scratch table —
  what any write transaction costs on this machine;
* **allocate**: `transaction.atomic()` + the real `numbering.allocate_number` (SXD, a year
  with no documents, series `outgoing`) + the same INSERT of the number got. After each run the
  numbers in the scratch table must be exactly 1…M and the series' `last` must be M;
* **issue**: the real `services.document_issue(actor=clerk, document=…)` on prepared signed
  paper documents of SXD (this year: the series continues from the generator's last number):
  locks and reads the document, checks it, then allocates the number and writes the document
  and the monthly figures (one statement on PostgreSQL) and the audit row (the agency's hash
  chain). Checked: the new numbers are exactly last+1…last+M, no duplicate. Worker 0 counts
  the statements of one issue (`CaptureQueriesContext`, the caller's read included).

Target: ≥ 200 issues per second with no gap and no duplicate.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.common import PYTHON, bench_env, log, save

PG = "postgresql://postgres@127.0.0.1:5432"
DATA_DIR = Path("/tmp/egov-docbench-pg")
BENCH_YEAR = 2099  # a year with no documents: allocate mode starts its series at 1

WORKER = r"""
import json, os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings")
django.setup()
from django.db import connection, transaction
mode, worker, rendezvous = sys.argv[1], int(sys.argv[2]), sys.argv[3]
items = json.loads(sys.argv[4])
from egov.documents.numbering import allocate_number
from egov.documents.models import Document
from egov.documents.services import document_issue
from egov.organisations.models import Agency
from django.contrib.auth import get_user_model
agency = Agency.objects.get(pk=items["agency"])
actor = get_user_model().objects.get(pk=items["actor"]) if items.get("actor") else None
with connection.cursor() as c:
    c.execute("SELECT 1")  # connect before the start
open(f"{rendezvous}.ready{worker}", "w").close()
go = f"{rendezvous}.go"
deadline = time.time() + 300
while not os.path.exists(go) and time.time() < deadline:
    time.sleep(0.005)
start_at = float(open(go).read())
while time.time() < start_at:
    time.sleep(0.001)
t0 = time.time()
if mode == "baseline":
    for _ in range(items["count"]):
        with transaction.atomic(), connection.cursor() as c:
            c.execute("INSERT INTO bench_alloc (worker, number) VALUES (%s, 0)", [worker])
elif mode == "allocate":
    for _ in range(items["count"]):
        with transaction.atomic():
            n = allocate_number(agency=agency, year=items["year"], series_key="outgoing")
            with connection.cursor() as c:
                c.execute("INSERT INTO bench_alloc (worker, number) VALUES (%s, %s)", [worker, n])
else:
    from django.test.utils import CaptureQueriesContext
    statements = None
    for i, pk in enumerate(items["ids"]):
        if i == 1 and worker == 0:  # one issue's statements (after the first warmed up)
            with CaptureQueriesContext(connection) as ctx:
                document_issue(actor=actor, document=Document.objects.get(pk=pk))
            statements = len(ctx.captured_queries)
        else:
            document_issue(actor=actor, document=Document.objects.get(pk=pk))
    if statements is not None:
        print(json.dumps({"statements_per_issue": statements}))
print(json.dumps({"start": t0, "end": time.time()}))
"""


def run_workers(
    mode: str, workers: int, per_worker: list[dict[str, Any]], env: dict[str, str]
) -> dict[str, Any]:
    # Rendezvous: every worker starts Django and connects, says so with a file, then waits
    # for the common start instant the parent writes once all are ready.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    rendezvous = DATA_DIR / f"numbering-{os.getpid()}-{mode}-{workers}"
    for old in DATA_DIR.glob(f"{rendezvous.name}.*"):
        old.unlink()
    procs = [
        subprocess.Popen(
            [PYTHON, "-c", WORKER, mode, str(w), str(rendezvous), json.dumps(per_worker[w])],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for w in range(workers)
    ]
    deadline = time.time() + 240
    while time.time() < deadline and not all(
        Path(f"{rendezvous}.ready{w}").exists() for w in range(workers)
    ):
        time.sleep(0.02)
    start_at = time.time() + 0.5
    # Written aside then renamed: a worker never reads a half-written file.
    Path(f"{rendezvous}.go-tmp").write_text(str(start_at))
    Path(f"{rendezvous}.go-tmp").rename(f"{rendezvous}.go")
    ends: list[float] = []
    extra: dict[str, Any] = {}
    late = 0.0
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        if proc.returncode != 0:
            raise RuntimeError(f"worker failed: {err.decode()[-3000:]}")
        lines = out.decode().strip().splitlines()
        times = json.loads(lines[-1])
        for line in lines[:-1]:
            if line.startswith('{"statements_per_issue"'):
                extra.update(json.loads(line))
        ends.append(times["end"])
        late = max(late, times["start"] - start_at)
    for old in DATA_DIR.glob(f"{rendezvous.name}.*"):
        old.unlink()
    return {"seconds": round(max(ends) - start_at, 2), "late_start_s": round(late, 3), **extra}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="egov_bench_docs")
    parser.add_argument("--workers", default="2,4,8")
    parser.add_argument("--transactions", type=int, default=2000)
    parser.add_argument("--issues", type=int, default=600)
    args = parser.parse_args()
    url = f"{PG}/{args.db}"
    env = bench_env(DATABASE_URL=url, EGOV_DATA_DIR=str(DATA_DIR))
    workers_list = [int(w) for w in args.workers.split(",")]

    import psycopg

    conn = psycopg.connect(url, autocommit=True)
    conn.execute("DROP TABLE IF EXISTS bench_alloc")
    conn.execute("CREATE TABLE bench_alloc (id bigserial PRIMARY KEY, worker int, number int)")
    # Sở Xây dựng: a busy department with a clerk (văn thư) in the demo city.
    agency_id, clerk_user = conn.execute(
        """SELECT s.agency_id, s.user_id FROM organisations_staffmember s
           JOIN organisations_agency a ON a.id = s.agency_id AND a.abbreviation = 'SXD'
           JOIN organisations_staffmember_roles sr ON sr.staffmember_id = s.id
           JOIN organisations_role r ON r.id = sr.role_id AND r.code = 'clerk'
           WHERE s.is_active ORDER BY s.id LIMIT 1"""
    ).fetchone()  # type: ignore[misc]

    results: list[dict[str, Any]] = []
    m = args.transactions
    for workers in workers_list:
        share = [m // workers + (1 if w < m % workers else 0) for w in range(workers)]
        for mode in ("baseline", "allocate"):
            conn.execute("TRUNCATE bench_alloc")
            conn.execute(
                "DELETE FROM documents_numberseries WHERE agency_id = %s AND year = %s",
                [agency_id, BENCH_YEAR],
            )
            timing = run_workers(
                mode,
                workers,
                [{"count": s, "year": BENCH_YEAR, "agency": agency_id} for s in share],
                env,
            )
            row: dict[str, Any] = {
                "loadavg_1m_after": round(os.getloadavg()[0], 2),
                "mode": mode,
                "workers": workers,
                "transactions": m,
                **timing,
                "per_second": round(m / timing["seconds"], 1),
            }
            if mode == "allocate":
                numbers = [
                    r[0] for r in conn.execute("SELECT number FROM bench_alloc ORDER BY number")
                ]
                last = conn.execute(
                    "SELECT last FROM documents_numberseries WHERE agency_id = %s AND year = %s "
                    "AND key = 'outgoing'",
                    [agency_id, BENCH_YEAR],
                ).fetchone()
                row["numbers_exactly_1_to_m"] = numbers == list(range(1, m + 1))
                row["series_last"] = last[0] if last else None
            results.append(row)
            log(f"  {row}")

        # The full service: prepared signed paper documents of SXD, issued this year.
        n_issue = args.issues
        ids = prepare_signed(conn, agency_id, n_issue)
        year = time.localtime().tm_year
        before = conn.execute(
            "SELECT coalesce(max(last), 0) FROM documents_numberseries WHERE agency_id = %s "
            "AND year = %s AND key = 'outgoing'",
            [agency_id, year],
        ).fetchone()[0]  # type: ignore[index]
        per = [
            {"ids": ids[w::workers], "actor": clerk_user, "agency": agency_id}
            for w in range(workers)
        ]
        timing = run_workers("issue", workers, per, env)
        numbers = [
            r[0]
            for r in conn.execute(
                "SELECT series_number FROM documents_document WHERE id = ANY(%s) "
                "AND status = 'issued' ORDER BY series_number",
                [ids],
            )
        ]
        row = {
            "loadavg_1m_after": round(os.getloadavg()[0], 2),
            "mode": "issue (document_issue)",
            "workers": workers,
            "transactions": n_issue,
            **timing,
            "per_second": round(n_issue / timing["seconds"], 1),
            "numbers_continue_without_gap": numbers
            == list(range(before + 1, before + n_issue + 1)),
            "first_number": numbers[0] if numbers else None,
            "last_number": numbers[-1] if numbers else None,
        }
        results.append(row)
        log(f"  {row}")

    conn.execute("DROP TABLE IF EXISTS bench_alloc")
    ok = all(
        r.get("numbers_exactly_1_to_m", True) and r.get("numbers_continue_without_gap", True)
        for r in results
    )
    best_alloc = max(r["per_second"] for r in results if r["mode"] == "allocate")
    best_issue = max(r["per_second"] for r in results if r["mode"].startswith("issue"))
    summary = {
        "no_gap_no_duplicate": ok,
        "allocate_best_per_second": best_alloc,
        "issue_best_per_second": best_issue,
        "target_per_second": 200,
        "target_met_allocate": ok and best_alloc >= 200,
        "target_met_issue": ok and best_issue >= 200,
    }
    log(f"numbering: {summary}")
    save(
        "documents-numbering",
        {
            "command": (
                f"benchmarks/documents/numbering.py --db {args.db} --workers {args.workers} "
                f"--transactions {args.transactions} --issues {args.issues}"
            ),
            "summary": summary,
            "runs": results,
        },
    )


def prepare_signed(conn: Any, agency_id: int, n: int) -> list[int]:
    """`n` signed, unnumbered paper documents of the agency (copies of an issued one's fields)."""
    rows = conn.execute(
        """
        INSERT INTO documents_document (public_id, created_at, updated_at, direction, channel,
          source, status, organ_id, organ_name, code_number, code_notation, subject, language,
          page_amount, description, signer_position, signer_full_name, issued_amount,
          to_places, trace_header_list, document_id, version, series_key, digitally_signed,
          instruction, signature_status, signature_note, duplicate_of, revoke_reason, is_public,
          content_text, search_text, agency_id, type_id, secrecy_id, priority_id, signed_at,
          signer_competence_id)
        SELECT gen_random_uuid(), now(), now(), 'outgoing', 'paper', 'drafted', 'signed',
          d.organ_id, d.organ_name, '', '', d.subject || ' (bench ' || k || ')', d.language,
          d.page_amount, '', d.signer_position, d.signer_full_name, d.issued_amount, '',
          '[]'::jsonb, '', 1, '', false, '', 'not_checked', '', '[]'::jsonb, '', false, '', '',
          d.agency_id, d.type_id, d.secrecy_id, d.priority_id, now(), d.signer_competence_id
        FROM generate_series(1, %s) AS k
        CROSS JOIN LATERAL (
          SELECT * FROM documents_document x
          WHERE x.agency_id = %s AND x.direction = 'outgoing' AND x.status = 'issued'
            AND x.secrecy_id = 1 AND x.type_id = (SELECT id FROM documents_documenttype
                                                 WHERE code = 'quyet-dinh')
          LIMIT 1) d
        RETURNING id
        """,
        [n, agency_id],
    ).fetchall()
    return sorted(r[0] for r in rows)


if __name__ == "__main__":
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    main()
