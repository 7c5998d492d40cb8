"""Issue 5 on PostgreSQL: a city-year of fact rows, the city dashboard, freshness, monthly reports.

    .venv/bin/python benchmarks/direction/bench.py [--db egov_bench_dir] [--requests 200]
        [--skip-generate] [--steps dashboard,freshness,reports]

generate  clone of `egov_bench_docs_tpl` when it exists (migrated demo city), else `egov
          migrate` + `load_demo_city`; `egov migrate` again (new migrations); then in SQL, one
          transaction, nothing through Python: the fact rows a city-year produces (per agency x
          12 months: `DossierMonthlyFact` per service level for ~1,000,000 dossiers,
          `DocumentMonthlyFact` for ~500,000 documents, `CatalogueFact`), 100,000
          `Assignment` rows with their main owner (the dashboards' drill-down reads them) and
          the `AssignmentMonthlyFact` rows aggregated FROM those rows (consistent by
          construction); training and infrastructure facts by their demo loaders (real staff).
dashboard `GET /app/chi-so/thanh-pho/` in-process (Django test client), signed in as the demo
          city chairman (TOTP device verified in the session, the real two-factor path),
          p50/p95/p99, CPU and query count; the same for the last calendar month, one
          department's page, one indicator's ranking and the department's drill-down (late
          items); baselines in the same run, same client: `/bench/plain` (bare view) and
          `/bench/signed-in` (trivial view behind `staff_required`), before, between and
          after; a cProfile of ten dashboard requests goes to the data dir. To measure an
          older checkout with this script (the "before" of a change, same data, same run):
          `git worktree add /tmp/old <commit>` then `PYTHONPATH=/tmp/old/src … --out
          direction-before` (the results record which `egov` was imported).
freshness a real `egov worker` on Redis (REDIS_URL=redis://127.0.0.1:6379/10): (1) one
          dossier is submitted (a row written now) and the indicators' hook `dossier_changed`
          called in its transaction; the agency's `DossierMonthlyFact.submitted` for this
          reporting month is polled until it moves; (2) `assignment_create` (the real service);
          the agency's `AssignmentMonthlyFact.assigned` polled the same way.
reports   `egov.indicators.services.monthly_reports_send` (the scheduled job's function) for
          every agency, last closed month, timed end to end, PDFs stored, notifications queued.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.common import PYTHON, REPO, bench_env, log, save

PG = "postgresql://postgres@127.0.0.1:5432"
DATA_DIR = Path("/tmp/egov-bench-dir")
REDIS = "redis://127.0.0.1:6379/10"
TEMPLATE = "egov_bench_docs_tpl"

SETUP = r"""
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings")
django.setup()
from egov.organisations.demo import load_demo_city
load_demo_city()
"""

FACTS = r"""
import django, os, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings")
django.setup()
from egov.training.demo import load_demo_training
from egov.infrastructure.demo import load_demo_infrastructure
t = time.monotonic(); load_demo_training(); load_demo_infrastructure()
print(f"training+infrastructure facts {time.monotonic() - t:.1f} s")
"""

# deterministic pseudo-random from integers
H = "(((({x})::bigint * 2654435761 + {s}) % 4294967296)::float8 / 4294967296)"


def h(x: str, s: int) -> str:
    return H.format(x=x, s=s * 40503)


def sql_steps(dossiers: int, documents: int, assignments: int) -> list[tuple[str, str]]:
    return [
        (
            "agencies and months",
            """
CREATE TEMP TABLE b_ag AS
SELECT a.id, (row_number() OVER (ORDER BY a.id))::int AS idx,
  CASE a.kind WHEN 'peoples_committee' THEN 6 WHEN 'department' THEN 3 ELSE 1 END AS w,
  (SELECT min(s.id) FROM organisations_staffmember s WHERE s.agency_id = a.id) AS staff_id
FROM organisations_agency a WHERE a.is_active;
CREATE TEMP TABLE b_month AS
SELECT (date_trunc('month', (now() AT TIME ZONE 'Asia/Ho_Chi_Minh'))
        - make_interval(months => k))::date AS month, k
FROM generate_series(0, 12) AS k;
CREATE TEMP TABLE b_level (code, share) AS
VALUES ('full_online', 0.45), ('partial_online', 0.35), ('information', 0.20)
""",
        ),
        (
            "dossier facts",
            f"""
DELETE FROM indicators_dossiermonthlyfact;
INSERT INTO indicators_dossiermonthlyfact (agency_id, month, service_level, submitted,
  submitted_online, received, received_online, received_digitised, decided, decided_on_time,
  decided_late, late_with_apology, returned, returned_online, results_signed,
  payments_confirmed, payments_online, rated, rated_satisfied, rated_acceptable,
  rated_not_satisfied)
SELECT agency_id, month, code, n, n * po, n, n * po, n * 0.7, d, d - late, late, late * 0.6,
  d * 0.95, d * 0.95 * po, d * 0.8, d * 0.5, d * 0.5 * po, d * 0.3, d * 0.3 * 0.85,
  d * 0.3 * 0.1, d * 0.3 * 0.05
FROM (
  SELECT g.id AS agency_id, m.month, l.code,
    round({dossiers}::numeric / 12 * g.w / (SELECT sum(w) FROM b_ag) * l.share
          * (0.8 + 0.4 * {h("g.idx * 31 + m.k", 1)}))::int AS n,
    round({dossiers}::numeric / 12 * g.w / (SELECT sum(w) FROM b_ag) * l.share * 0.97)::int AS d,
    round({dossiers}::numeric / 12 * g.w / (SELECT sum(w) FROM b_ag) * l.share * 0.97
          * 0.12 * {h("g.idx", 2)})::int AS late,
    CASE l.code WHEN 'full_online' THEN 0.9 WHEN 'partial_online' THEN 0.5 ELSE 0.05 END AS po
  FROM b_ag g CROSS JOIN b_month m CROSS JOIN b_level l
) x
""",
        ),
        (
            "catalogue facts",
            """
DELETE FROM indicators_cataloguefact;
INSERT INTO indicators_cataloguefact (agency_id, month, procedures, published, full_online,
  partial_online, with_fees)
SELECT g.id, m.month, 40 * g.w, 38 * g.w, 20 * g.w, 12 * g.w, 15 * g.w
FROM b_ag g CROSS JOIN b_month m
""",
        ),
        (
            "document facts",
            f"""
DELETE FROM documents_documentmonthlyfact;
INSERT INTO documents_documentmonthlyfact (agency_id, month, sent_electronic, sent_paper,
  received_electronic, received_paper, digitally_signed, incoming_on_time, incoming_late)
SELECT agency_id, month, out_n * 0.95, out_n * 0.05, in_n * 0.85, in_n * 0.15, out_n * 0.9,
  in_n * (0.75 + 0.2 * r), in_n * (0.25 - 0.2 * r)
FROM (
  SELECT g.id AS agency_id, m.month, {h("g.idx", 3)} AS r,
    round({documents}::numeric / 12 * 0.6 * g.w / (SELECT sum(w) FROM b_ag))::int AS out_n,
    round({documents}::numeric / 12 * 0.4 * g.w / (SELECT sum(w) FROM b_ag))::int AS in_n
  FROM b_ag g CROSS JOIN b_month m
) x
""",
        ),
        (
            "assignments",
            f"""
DELETE FROM assignments_assignmentowner;
DELETE FROM assignments_assignment;
CREATE TEMP TABLE b_pick AS
SELECT (row_number() OVER (ORDER BY g.idx, k) - 1)::int AS idx, g.id, g.staff_id
FROM b_ag g CROSS JOIN LATERAL generate_series(1, g.w) AS k WHERE g.staff_id IS NOT NULL;
INSERT INTO assignments_assignment (public_id, created_at, updated_at, agency_id,
  owner_agency_id, title, description, source_kind, assigner_id, priority, assigned_at,
  due_at, original_due_at, status, percent, completed_at, on_time, overdue_since, escalated_at,
  recurrence, is_series)
SELECT gen_random_uuid(), at, at, (SELECT min(id) FROM b_ag), p.id,
  'Nhiệm vụ số ' || i || ' theo kết luận giao ban', '', 'own', p.staff_id, 'normal', at,
  due, due,
  CASE WHEN cls = 'done' THEN 'done' ELSE 'in_progress' END,
  CASE WHEN cls = 'done' THEN 100 ELSE 50 END,
  CASE WHEN cls = 'done' THEN done_at END,
  CASE WHEN cls = 'done' THEN done_at <= due END,
  CASE WHEN cls = 'overdue' THEN due + interval '1 hour' END,
  CASE WHEN cls = 'overdue' THEN due + interval '1 hour' END,
  '', false
FROM (
  SELECT i, at, due, done_at,
    CASE WHEN due > now() THEN 'open' WHEN r < 0.9 THEN 'done' ELSE 'overdue' END AS cls,
    pick
  FROM (
    SELECT i, now() - interval '365 days' * {h("i", 4)} AS at,
      {h("i", 5)} AS r, {h("i", 6)} AS r2, (({h("i", 7)}) * 1e9)::bigint AS pick
    FROM generate_series(1, {assignments}) AS i
  ) a0
  CROSS JOIN LATERAL (SELECT at + interval '1 day' * (7 + 38 * r2) AS due) d
  CROSS JOIN LATERAL (SELECT least(now() - interval '1 hour',
      at + (due - at) * (0.5 + 0.7 * r2)) AS done_at) c
) a
JOIN b_pick p ON p.idx = a.pick % (SELECT count(*) FROM b_pick);
INSERT INTO assignments_assignmentowner (assignment_id, kind, agency_id)
SELECT id, 'main', owner_agency_id FROM assignments_assignment
""",
        ),
        (
            "assignment facts",
            """
DELETE FROM assignments_assignmentmonthlyfact;
INSERT INTO assignments_assignmentmonthlyfact (agency_id, month, assigned, done, done_on_time,
  done_late, overdue_open)
SELECT agency_id, month, sum(assigned), sum(done), sum(on_time), sum(late), sum(overdue)
FROM (
  SELECT owner_agency_id AS agency_id,
    date_trunc('month', assigned_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS month,
    1 AS assigned, 0 AS done, 0 AS on_time, 0 AS late, 0 AS overdue
  FROM assignments_assignment WHERE NOT is_series
  UNION ALL
  SELECT owner_agency_id, date_trunc('month', completed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
    0, 1, (on_time IS TRUE)::int, (on_time IS FALSE)::int, 0
  FROM assignments_assignment WHERE status = 'done' AND NOT is_series
  UNION ALL
  SELECT owner_agency_id, date_trunc('month', due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
    0, 0, 0, 0, 1
  FROM assignments_assignment
  WHERE status IN ('open', 'in_progress', 'extension_requested', 'completion_reported')
    AND overdue_since IS NOT NULL AND NOT is_series
) x GROUP BY agency_id, month
""",
        ),
    ]


def env_for(db: str, **extra: str) -> dict[str, str]:
    return bench_env(
        DATABASE_URL=f"{PG}/{db}",
        EGOV_DATA_DIR=str(DATA_DIR),
        DB_CONN_MAX_AGE="0",
        DJANGO_SETTINGS_MODULE="benchmarks.direction.settings",
        **extra,
    )


def generate(db: str, *, dossiers: int, documents: int, assignments: int) -> dict[str, object]:
    timings: dict[str, float] = {}
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    env = env_for(db)
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        t = time.monotonic()
        cloned = False
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [TEMPLATE]).fetchone():
            try:
                admin.execute(f'CREATE DATABASE "{db}" TEMPLATE "{TEMPLATE}"')
                cloned = True
            except psycopg.Error as exc:  # template busy: build from scratch
                log(f"clone failed ({exc}); migrating from scratch")
        if not cloned:
            admin.execute(f'CREATE DATABASE "{db}"')
        timings["create database"] = time.monotonic() - t
    t = time.monotonic()
    log(f"$ DATABASE_URL={PG}/{db} egov migrate")
    subprocess.run([PYTHON, "-m", "egov", "migrate", "-v0"], env=env, check=True)
    timings["migrate"] = time.monotonic() - t
    if not cloned:
        t = time.monotonic()
        subprocess.run([PYTHON, "-c", SETUP], env=env, check=True)
        timings["demo city"] = time.monotonic() - t
    with psycopg.connect(f"{PG}/{db}", autocommit=True) as conn:
        conn.execute("SET jit = off")
        conn.execute("SET synchronous_commit = off")
        with conn.transaction():
            for name, sql in sql_steps(dossiers, documents, assignments):
                t = time.monotonic()
                for statement in [s for s in sql.split(";\n") if s.strip()]:
                    conn.execute(statement)  # type: ignore[call-overload]
                timings[name] = time.monotonic() - t
                log(f"  {name:<22} {timings[name]:7.1f} s")
        t = time.monotonic()
        subprocess.run([PYTHON, "-c", FACTS], env=env, check=True)
        timings["training+infrastructure"] = time.monotonic() - t
        conn.execute("ANALYZE")
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            for table in (
                "organisations_agency",
                "indicators_dossiermonthlyfact",
                "documents_documentmonthlyfact",
                "assignments_assignment",
                "assignments_assignmentmonthlyfact",
                "training_trainingfact",
                "infrastructure_infrastructurefact",
            )
        }
        sums = conn.execute(
            "SELECT (SELECT sum(submitted) FROM indicators_dossiermonthlyfact WHERE month > Y),"
            " (SELECT sum(sent_electronic + sent_paper + received_electronic + received_paper)"
            "  FROM documents_documentmonthlyfact WHERE month > Y)".replace(
                "Y", "(now() - interval '12 months')::date"
            )
        ).fetchone()
    assert sums is not None
    log(f"  rows: {counts}; dossiers/year {sums[0]}, documents/year {sums[1]}")
    return {
        "timings_s": timings,
        "rows": counts,
        "dossiers_year": sums[0],
        "documents_year": sums[1],
    }


# --- in-process steps (run in a child with Django set up) --------------------------------------

CHILD = r"""
import json, os, statistics, sys, time
import django
django.setup()
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from egov.organisations.models import StaffMember, RoleCode, Agency
step = sys.argv[1]
out = {}

def pct(xs, q):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))]

def city_client():
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice
    leader = (StaffMember.objects.filter(roles__code=RoleCode.CITY_LEADER, is_active=True)
              .select_related("user").order_by("pk").first())
    device, _ = TOTPDevice.objects.get_or_create(user=leader.user, name="bench",
                                                 defaults={"confirmed": True})
    client = Client()
    client.force_login(leader.user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client, leader

if step == "dashboard":
    n = int(sys.argv[2])
    client, leader = city_client()
    out["user"] = leader.user.username
    def measure(url):
        for _ in range(5):
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code, r.get("Location"))
        times = []
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        queries = len(ctx.captured_queries)
        cpu0 = time.process_time()
        for _ in range(n):
            t = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        cpu = (time.process_time() - cpu0) / n * 1000
        return {"url": url, "n": n, "p50_ms": pct(times, 50), "p95_ms": pct(times, 95),
                "p99_ms": pct(times, 99), "mean_ms": statistics.mean(times), "cpu_ms": cpu,
                "queries": queries, "bytes": len(r.content)}
    # interleave: baseline, dashboard, baseline again (load drifts on a shared machine)
    out["baseline"] = measure("/bench/plain")
    out["baseline_signed_in"] = measure("/bench/signed-in")
    out["city"] = measure("/app/chi-so/thanh-pho/")
    out["baseline_signed_in_after"] = measure("/bench/signed-in")
    out["city_last_month"] = measure(
        "/app/chi-so/thanh-pho/?ky=month&nam=%d&so=%d" % tuple(json.loads(sys.argv[3])))

elif step == "freshness":
    from django.utils import timezone
    from egov.assignments.models import AssignmentMonthlyFact
    from egov.assignments.facts import month_of
    from egov.assignments.services.assignments import assignment_create
    from egov.indicators.models import DossierMonthlyFact
    from egov.indicators.periods import reporting_month
    from egov.indicators.events import dossier_changed
    from egov.dossiers.testing import make_dossier
    from django.db.models import Sum
    agency = Agency.objects.filter(kind="ward", is_active=True).order_by("pk").first()
    def dossier_figure():
        rows = DossierMonthlyFact.objects.filter(
            agency=agency, month=reporting_month(timezone.now()))
        return rows.aggregate(s=Sum("submitted"))["s"] or 0
    results = []
    for attempt in range(3):
        before = dossier_figure()
        t0 = time.perf_counter()
        with transaction.atomic():
            d = make_dossier(agency=agency, submitted_at=timezone.now())
            dossier_changed(dossier_id=d.pk, event="submitted")
        committed = time.perf_counter() - t0
        deadline = time.perf_counter() + 120
        while dossier_figure() == before and time.perf_counter() < deadline:
            time.sleep(0.05)
        moved = dossier_figure() != before
        results.append({"seconds": time.perf_counter() - t0, "commit_s": committed, "moved": moved,
                        "before": before, "after": dossier_figure()})
    out["dossier_via_worker"] = results
    leader = (StaffMember.objects.filter(roles__code=RoleCode.CITY_LEADER, is_active=True)
              .select_related("user", "agency").order_by("pk").first())
    target = Agency.objects.filter(parent=leader.agency, is_active=True).order_by("pk").first()
    def asg_figure():
        f = AssignmentMonthlyFact.objects.filter(
            agency=target, month=month_of(timezone.now())).first()
        return f.assigned if f else 0
    before = asg_figure()
    t0 = time.perf_counter()
    assignment_create(actor=leader.user, title="Nhiệm vụ đo độ tươi số liệu",
                      owners=[("main", target)], working_days=5)
    while asg_figure() == before and time.perf_counter() - t0 < 60:
        time.sleep(0.05)
    out["assignment_service"] = {"seconds": time.perf_counter() - t0, "before": before,
                                  "after": asg_figure()}

elif step == "reports":
    from egov.indicators.models import MonthlyReport
    from egov.indicators.periods import last_closed_month
    from egov.indicators.services import monthly_reports_send
    month = last_closed_month()
    MonthlyReport.objects.filter(month=month).delete()
    agencies = Agency.objects.filter(is_active=True).count()
    with CaptureQueriesContext(connection) as ctx:
        t = time.perf_counter(); cpu0 = time.process_time()
        sent = monthly_reports_send(month=month)
        wall = time.perf_counter() - t; cpu = time.process_time() - cpu0
    out.update({"month": month.isoformat(), "agencies": agencies, "sent": sent,
                "wall_s": wall, "cpu_s": cpu, "queries": len(ctx.captured_queries),
                "per_report_ms": wall / max(sent, 1) * 1000})
if step == "dashboard":
    # The other pages of the dashboards, as the city chairman: one agency (a department, the
    # heaviest weight), one indicator's ranking, and the drill-down to the agency's late items.
    dept = Agency.objects.filter(kind="department", is_active=True).order_by("pk").first()
    out["agency_code"] = dept.code
    out["agency_page"] = measure(f"/app/chi-so/co-quan/{dept.code}/")
    out["indicator_page"] = measure("/app/chi-so/chi-tieu/766-2.1/")
    out["late_page"] = measure(f"/app/chi-so/co-quan/{dept.code}/tre-han/")
    out["baseline_signed_in_end"] = measure("/bench/signed-in")

if step == "dashboard":
    import cProfile, io, pstats
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(10):
        client.get("/app/chi-so/thanh-pho/")
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
    print(buf.getvalue()[-6000:], file=sys.stderr)
    (__import__("pathlib").Path(os.environ["EGOV_DATA_DIR"]) / "city-profile.txt").write_text(
        buf.getvalue())
print("RESULT " + json.dumps(out, default=str))
"""


def child(step: str, db: str, *args: str, **env_extra: str) -> dict[str, object]:
    env = env_for(db, **env_extra)
    log(
        f"$ DATABASE_URL={PG}/{db} {' '.join(f'{k}={v}' for k, v in env_extra.items())} "
        f"python -c <{step}> {' '.join(args)}"
    )
    out = subprocess.run(
        [PYTHON, "-c", CHILD, step, *args], env=env, capture_output=True, text=True, timeout=900
    )
    if out.returncode != 0:
        log(out.stdout[-3000:] + out.stderr[-5000:])
        raise SystemExit(f"{step} failed")
    line = [x for x in out.stdout.splitlines() if x.startswith("RESULT ")][-1]
    result: dict[str, object] = json.loads(line[len("RESULT ") :])
    log(json.dumps(result, indent=1, ensure_ascii=False))
    return result


def freshness(db: str) -> dict[str, object]:
    env = env_for(db, REDIS_URL=REDIS)
    log(f"$ REDIS_URL={REDIS} egov worker")
    logf = open(DATA_DIR / "worker.log", "wb")  # noqa: SIM115
    worker = subprocess.Popen(
        [PYTHON, "-m", "egov", "worker"], env=env, stdout=logf, stderr=subprocess.STDOUT,
        start_new_session=True, cwd=REPO,
    )  # fmt: skip
    try:
        time.sleep(5)
        if worker.poll() is not None:
            raise SystemExit("worker exited: see " + str(DATA_DIR / "worker.log"))
        return child("freshness", db, REDIS_URL=REDIS)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=5)
        logf.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="egov_bench_dir")
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--documents", type=int, default=500_000)
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--steps", default="dashboard,freshness,reports")
    parser.add_argument("--out", default="direction", help="results file name (no .json)")
    args = parser.parse_args()
    results: dict[str, object] = {"command": " ".join(sys.argv), "db": args.db}
    results["loadavg_before"] = os.getloadavg()
    if not args.skip_generate:
        results["generate"] = generate(
            args.db, dossiers=args.dossiers, documents=args.documents, assignments=args.assignments
        )
    steps = args.steps.split(",")
    if "dashboard" in steps:
        lt = time.localtime()
        last = [lt.tm_year - (lt.tm_mon == 1), (lt.tm_mon - 2) % 12 + 1]
        results["dashboard"] = child("dashboard", args.db, str(args.requests), json.dumps(last))
    if "freshness" in steps:
        results["freshness"] = freshness(args.db)
    if "reports" in steps:
        results["reports"] = child("reports", args.db)
    results["loadavg_after"] = os.getloadavg()
    results["egov_from"] = subprocess.run(
        [PYTHON, "-c", "import egov; print(egov.__path__[0])"],
        env=env_for(args.db), capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    save(args.out, results)
    _ = statistics  # (kept for readers extending the script)


if __name__ == "__main__":
    main()
