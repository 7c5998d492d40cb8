"""A city-year on PostgreSQL: 1,000,000 dossiers and their history, in minutes.

    .venv/bin/python benchmarks/dossiers/generate.py [--dossiers 1000000] [--db egov_bench]

1. drops and recreates the database, migrates it with `egov migrate`;
2. loads the demo city and the demo catalogue through their loaders (real rows, real
   processes), plus two stored PDFs for the papers, in a Django subprocess;
3. generates everything else in PostgreSQL with `INSERT … SELECT generate_series` (no row
   travels through Python): applicant accounts, dossiers in every state over the past 365 days,
   their workflow instances, history rows (the processing-control sheets), two papers each,
   and the daily code counters; then ANALYZE.

The distribution is what matters for the queue and tracking figures, not each date's exactness:
dues are received_at + legal days × 1.4 calendar days (not the working calendar), and about 4 %
of the year's dossiers are open at the end (those submitted in the last weeks, plus ~1.5 % of
old ones stuck and overdue). `chuyenvien` (a specialist of Sở Xây dựng, a demo login) is given
a realistic personal queue; `queue.py` measures it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.common import PYTHON, bench_env, log, save

PG = "postgresql://postgres@127.0.0.1:5432"
DATA_DIR = Path("/tmp/egov-bench-pg")
BENCH_USER = "chuyenvien"
APPLICANTS = 20_000

SETUP = r"""
import django, io, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings")
django.setup()
from django.core.files.base import File
from egov.organisations.demo import load_demo_city
from egov.procedures.demo import load_demo_procedures
from egov.core.files import file_store
from egov.dossiers.demo import _tiny_pdf
load_demo_city()
load_demo_procedures()
for name in ("to-khai.pdf", "ban-sao.pdf"):
    file_store(upload=File(io.BytesIO(_tiny_pdf(name)), name=name), field="bench",
               allowed={"pdf"}, actor=None)
print("setup done")
"""

# Names as arrays: a dossier picks by hashing its id (deterministic, no random()).
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
          "Ngô", "Dương", "Lý", "Trương"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thu", "Thanh", "Quang", "Kim", "Xuân"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương",
         "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn",
         "Tâm", "Thảo", "Trang", "Trung", "Tuấn", "Vy", "Yến"]  # fmt: skip
WARDS = ["Hải Châu", "Hòa Cường", "Thanh Khê", "An Khê", "An Hải", "Sơn Trà", "Ngũ Hành Sơn",
         "Hòa Khánh", "Hải Vân", "Liên Chiểu", "Cẩm Lệ", "Hòa Xuân"]  # fmt: skip
STREETS = ["Lê Duẩn", "Trần Phú", "Nguyễn Văn Linh", "Hùng Vương", "Điện Biên Phủ", "Hoàng Diệu",
           "Bạch Đằng", "Ngô Quyền", "Tôn Đức Thắng", "Núi Thành"]  # fmt: skip


def h(expr: str, salt: int) -> str:
    """A deterministic pseudo-random non-negative bigint from an integer SQL expression."""
    return f"((({expr})::bigint * 2654435761 + {salt * 40503}) % 4294967296)"


def sql_steps(n: int) -> list[tuple[str, str]]:
    arr = lambda xs: "ARRAY[" + ",".join("'" + x + "'" for x in xs) + "]"  # noqa: E731
    return [
        (
            "applicant accounts",
            f"""
INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email,
  is_staff, is_active, date_joined, public_id, kind, full_name, phone, citizen_id, tax_code,
  email_verified_at)
SELECT '!', false, 'bench.cd' || lpad(i::text, 6, '0'), '', '',
  'bench' || i || '@example.com', false, true, now(), gen_random_uuid(), 'citizen',
  ({arr(FAMILY)})[1 + {h("i", 1)} % {len(FAMILY)}] || ' ' || ({arr(MIDDLE)})[1 + {h("i", 2)} % {len(MIDDLE)}]
    || ' ' || ({arr(GIVEN)})[1 + {h("i", 3)} % {len(GIVEN)}],
  '09' || lpad(({h("i", 4)} % 100000000)::text, 8, '0'),
  '048' || (i % 2) || lpad((60 + i % 40)::text, 2, '0') || lpad(i::text, 6, '0'), '', now()
FROM generate_series(1, {APPLICANTS}) AS i
""",
        ),
        (
            "receiving pairs",
            """
CREATE TABLE bench_pairs AS
WITH local AS (
  SELECT id, code FROM organisations_agency
  WHERE kind IN ('ward', 'commune', 'special_zone') AND is_active
), steps AS (
  SELECT process_id,
         array_agg(id ORDER BY "order") FILTER (WHERE NOT is_final) AS sids,
         array_agg(name ORDER BY "order") FILTER (WHERE NOT is_final) AS snames,
         array_agg(actor_agency_id ORDER BY "order") FILTER (WHERE NOT is_final) AS sagencies,
         max(id) FILTER (WHERE is_final) AS final_id
  FROM workflow_step GROUP BY process_id
), pairs AS (
  SELECT p.id AS procedure_id, a.id AS agency_id, a.code AS agency_code, false AS listed,
         p.process_id, p.legal_working_days AS days, p.code AS pcode, p.name AS pname
  FROM procedures_procedure p CROSS JOIN local a WHERE p.receiving_scope = 'all_local'
  UNION ALL
  SELECT p.id, a.id, a.code, true, p.process_id, p.legal_working_days, p.code, p.name
  FROM procedures_procedure p
  JOIN procedures_procedure_agencies pa ON pa.procedure_id = p.id
  JOIN organisations_agency a ON a.id = pa.agency_id
  WHERE p.receiving_scope = 'listed'
)
SELECT (row_number() OVER (PARTITION BY listed ORDER BY procedure_id, agency_id) - 1)::int AS idx,
       pairs.*, s.sids, s.snames, s.sagencies, s.final_id, cardinality(s.sids) AS nsteps
FROM pairs JOIN steps s USING (process_id)
WHERE cardinality(s.sids) >= 4
""",
        ),
        (
            "handlers",
            """
CREATE TABLE bench_handlers AS
SELECT s.agency_id, array_agg(s.id ORDER BY s.id) AS staff_ids
FROM organisations_staffmember s
JOIN organisations_staffmember_roles sr ON sr.staffmember_id = s.id
JOIN organisations_role r ON r.id = sr.role_id AND r.code = 'specialist'
WHERE s.is_active GROUP BY s.agency_id
""",
        ),
        (
            "dossier plan",
            f"""
CREATE UNLOGGED TABLE bench_plan AS
WITH base AS (
  SELECT i,
    now() - interval '365 days' * (1 - i::float8 / {n}) - interval '1 minute' * ({h("i", 5)} % 600)
      AS submitted_at,
    {h("i", 6)} % 100 AS r_pick, {h("i", 7)} AS r_pair, {h("i", 8)} % 1000 AS r_state,
    {h("i", 9)} % 1000 AS r_speed, {h("i", 10)} % 100 AS r_online
  FROM generate_series(1, {n}) AS i
), sizes AS (
  SELECT listed, count(*) AS n FROM bench_pairs GROUP BY listed
), paired AS (
  SELECT b.*, p.*
  FROM base b
  JOIN sizes z ON z.listed = (b.r_pick < 40)
  JOIN bench_pairs p ON p.listed = z.listed AND p.idx = b.r_pair % z.n
), aged AS (
  SELECT *, extract(epoch FROM now() - submitted_at) / 86400 AS age,
         greatest(days, 0.5) * 1.4 + 1 AS span
  FROM paired
)
SELECT *,
  CASE
    WHEN age < 0.6 AND r_state < 700 THEN 'submitted'
    WHEN age < span THEN CASE
      WHEN r_state < 70 THEN 'supplement_requested'
      WHEN r_state < 90 THEN 'suspended'
      WHEN age > span * 0.75 AND r_state < 400 THEN 'result_ready'
      ELSE 'processing' END
    WHEN r_state < 15 THEN 'processing'  -- stuck: open and overdue
    WHEN r_state < 60 THEN 'refused'
    WHEN r_state < 100 THEN 'withdrawn'
    WHEN r_state < 130 AND age < span * 4 THEN 'result_ready'
    ELSE 'returned' END AS status
FROM aged
""",
        ),
        (
            "dossiers",
            f"""
INSERT INTO dossiers_dossier (id, public_id, created_at, updated_at, code, procedure_id, agency_id,
  handling_agency_id, applicant_id, applicant_kind, applicant_name, applicant_id_number,
  applicant_phone, applicant_email, applicant_address, channel, form_data, status, submitted_at,
  received_at, received_by_id, due_at, original_due_at, legal_due_at, decided_at,
  finished_on_time, returned_at, result_channel, closed_at, workflow_instance_id,
  current_step_name, assignee_id, status_note, search_text)
WITH timed AS (
  SELECT pl.*,
    row_number() OVER (PARTITION BY pl.agency_id,
                       (pl.submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date ORDER BY pl.i) AS seq,
    CASE WHEN status IN ('submitted', 'withdrawn') AND r_speed < 500 THEN NULL
         ELSE submitted_at + interval '2 hours' END AS received_at,
    submitted_at + interval '2 hours' + interval '1 day' * span AS due_at,
    submitted_at + interval '2 hours' + interval '1 day' * span
       * (CASE WHEN r_speed < 80 THEN 1.15 + r_speed / 200.0 ELSE 0.3 + r_speed / 1400.0 END)
      AS decided_at,
    r_online < 62 AS online,
    hd.staff_ids
  FROM bench_plan pl
  LEFT JOIN bench_handlers hd ON hd.agency_id = coalesce(pl.sagencies[2], pl.agency_id)
)
SELECT i, gen_random_uuid(), submitted_at, submitted_at,
  agency_code || '-' || to_char(submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-'
    || lpad(seq::text, 4, '0'),
  procedure_id, agency_id,
  coalesce(sagencies[2], agency_id),
  CASE WHEN online THEN (SELECT min(id) FROM accounts_user WHERE username LIKE 'bench.cd%') + i % {APPLICANTS} END,
  'citizen',
  ({arr(FAMILY)})[1 + {h("i", 11)} % {len(FAMILY)}] || ' ' || ({arr(MIDDLE)})[1 + {h("i", 12)} % {len(MIDDLE)}]
    || ' ' || ({arr(GIVEN)})[1 + {h("i", 13)} % {len(GIVEN)}],
  '048' || ({h("i", 14)} % 2) || lpad((50 + {h("i", 20)} % 50)::text, 2, '0')
    || lpad(({h("i", 21)} % 1000000)::text, 6, '0'),
  '09' || lpad(({h("i", 15)} % 100000000)::text, 8, '0'),
  CASE WHEN online THEN 'bench' || i || '@example.com' ELSE '' END,
  (1 + {h("i", 16)} % 400) || ' ' || ({arr(STREETS)})[1 + {h("i", 17)} % {len(STREETS)}] || ', phường '
    || ({arr(WARDS)})[1 + {h("i", 18)} % {len(WARDS)}] || ', thành phố Đà Nẵng',
  CASE WHEN online THEN 'online' ELSE 'counter' END,
  '{{}}'::jsonb, status, submitted_at,
  received_at, NULL,
  CASE WHEN received_at IS NOT NULL THEN due_at END,
  CASE WHEN received_at IS NOT NULL THEN due_at END,
  CASE WHEN received_at IS NOT NULL THEN due_at END,
  CASE WHEN status IN ('result_ready', 'returned', 'refused') THEN least(decided_at, now()) END,
  CASE WHEN status IN ('result_ready', 'returned', 'refused') AND received_at IS NOT NULL
       THEN least(decided_at, now()) <= due_at END,
  CASE WHEN status = 'returned' THEN least(decided_at + interval '1 day', now()) END,
  CASE WHEN status = 'returned' THEN (CASE WHEN online THEN 'online' ELSE 'counter' END) ELSE '' END,
  CASE WHEN status IN ('returned', 'refused', 'withdrawn')
       THEN least(decided_at + interval '1 day', now()) END,
  i,
  CASE status WHEN 'submitted' THEN snames[1] WHEN 'supplement_requested' THEN snames[1]
              WHEN 'processing' THEN snames[2 + (r_speed % 2)] WHEN 'suspended' THEN snames[2]
              WHEN 'result_ready' THEN snames[nsteps] ELSE '' END,
  CASE WHEN status IN ('processing', 'suspended') AND staff_ids IS NOT NULL
       THEN staff_ids[1 + {h("i", 19)} % cardinality(staff_ids)] END,
  '',
  lower(agency_code || ' ' || pcode || ' ' || pname)
FROM timed
""",
        ),
        (
            "workflow instances",
            """
INSERT INTO workflow_instance (id, public_id, created_at, updated_at, process_id, subject_type,
  subject_id, agency_id, current_step_id, assignee_id, status, step_started_at, step_due_at,
  paused_at, due_at, paused_working)
SELECT d.id, gen_random_uuid(), d.submitted_at, d.submitted_at, p.process_id, 'dossiers.dossier',
  d.id, d.handling_agency_id,
  CASE d.status WHEN 'submitted' THEN p.sids[1] WHEN 'supplement_requested' THEN p.sids[1]
    WHEN 'processing' THEN p.sids[2] WHEN 'suspended' THEN p.sids[2]
    WHEN 'result_ready' THEN p.sids[p.nsteps] WHEN 'returned' THEN p.final_id END,
  d.assignee_id,
  CASE d.status WHEN 'supplement_requested' THEN 'waiting' WHEN 'suspended' THEN 'suspended'
    WHEN 'returned' THEN 'completed' WHEN 'refused' THEN 'refused'
    WHEN 'withdrawn' THEN 'withdrawn' ELSE 'active' END,
  coalesce(d.received_at, d.submitted_at), d.due_at,
  CASE WHEN d.status IN ('supplement_requested', 'suspended') THEN d.submitted_at + interval '3 hours' END,
  d.legal_due_at, interval '0'
FROM dossiers_dossier d JOIN bench_plan p ON p.i = d.id
""",
        ),
        (
            "history rows",
            """
INSERT INTO workflow_historyentry (instance_id, step_id, action, to_step_id, actor_id,
  actor_agency_id, to_agency_id, to_assignee_id, step_started_at, step_due_at, acted_at, outcome,
  paused_working, note)
WITH plan AS (
  SELECT d.id, d.status, d.submitted_at, d.received_at, d.handling_agency_id, d.assignee_id,
         coalesce(d.decided_at, now()) AS until, d.due_at, p.sids, p.nsteps, p.final_id,
         CASE d.status
           WHEN 'submitted' THEN ARRAY['submit']
           WHEN 'supplement_requested' THEN ARRAY['submit', 'request_supplement']
           WHEN 'processing' THEN ARRAY['submit', 'accept']
           WHEN 'suspended' THEN ARRAY['submit', 'accept', 'suspend']
           WHEN 'refused' THEN ARRAY['submit', 'accept', 'refuse']
           WHEN 'withdrawn' THEN ARRAY['submit', 'withdraw']
           WHEN 'result_ready' THEN ARRAY['submit', 'accept', 'forward', 'approve', 'sign_result']
           ELSE ARRAY['submit', 'accept', 'forward', 'approve', 'sign_result', 'return_result']
         END AS actions
  FROM dossiers_dossier d JOIN bench_plan p ON p.i = d.id
)
SELECT id,
  CASE WHEN k = 1 THEN NULL ELSE sids[least(k - 1, nsteps)] END,
  actions[k],
  CASE WHEN actions[k] IN ('refuse', 'withdraw') THEN NULL
       WHEN actions[k] IN ('request_supplement', 'suspend') THEN sids[least(k - 1, nsteps)]
       WHEN k > nsteps THEN final_id ELSE sids[k] END,
  NULL, handling_agency_id, handling_agency_id, assignee_id,
  CASE WHEN k > 1 THEN submitted_at + (until - submitted_at) * (k - 2) / cardinality(actions) END,
  CASE WHEN k > 1 THEN submitted_at + (due_at - submitted_at) * (k - 1) / cardinality(actions) END,
  submitted_at + (until - submitted_at) * (k - 1) / cardinality(actions),
  CASE WHEN k = 1 OR actions[k] IN ('request_supplement', 'suspend', 'withdraw') THEN ''
       WHEN submitted_at + (until - submitted_at) * (k - 1) / cardinality(actions)
            > submitted_at + (due_at - submitted_at) * (k - 1) / cardinality(actions) THEN 'late'
       ELSE 'early' END,
  NULL, ''
FROM plan CROSS JOIN LATERAL generate_series(1, cardinality(actions)) AS k
""",
        ),
        (
            "papers",
            """
INSERT INTO dossiers_dossierpaper (public_id, created_at, updated_at, dossier_id, required_paper_id,
  name, file_id, is_original, copies, uploaded_at, uploaded_by_id, supplied_in_supplement_id)
SELECT gen_random_uuid(), d.submitted_at, d.submitted_at, d.id, NULL,
  CASE WHEN k = 1 THEN 'Tờ khai' ELSE 'Bản sao giấy tờ tùy thân' END,
  (SELECT min(id) FROM core_storedfile) + (k - 1), k = 1, 1, d.submitted_at, d.applicant_id, NULL
FROM dossiers_dossier d CROSS JOIN generate_series(1, 2) AS k
""",
        ),
        (
            "code counters",
            """
INSERT INTO dossiers_dossiercounter (agency_id, day, last_value)
SELECT agency_id, (submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, count(*)
FROM dossiers_dossier GROUP BY 1, 2
""",
        ),
        (
            "sequences",
            """
SELECT setval(pg_get_serial_sequence('dossiers_dossier', 'id'), (SELECT max(id) FROM dossiers_dossier));
SELECT setval(pg_get_serial_sequence('workflow_instance', 'id'), (SELECT max(id) FROM workflow_instance));
DROP TABLE bench_plan; DROP TABLE bench_pairs; DROP TABLE bench_handlers;
""",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--db", default="egov_bench")
    args = parser.parse_args()
    url = f"{PG}/{args.db}"
    timings: dict[str, float] = {}
    started = time.monotonic()

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{args.db}"')
    env = bench_env(DATABASE_URL=url, EGOV_DATA_DIR=str(DATA_DIR), DB_CONN_MAX_AGE="0")
    t = time.monotonic()
    log(f"$ DATABASE_URL={url} egov migrate")
    subprocess.run([PYTHON, "-m", "egov", "migrate", "-v0"], env=env, check=True)
    timings["migrate"] = time.monotonic() - t
    t = time.monotonic()
    log("$ (load_demo_city, load_demo_procedures, two stored PDFs)")
    subprocess.run([PYTHON, "-c", SETUP], env=env, check=True)
    timings["demo city and catalogue"] = time.monotonic() - t

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SET work_mem = '256MB'")
        conn.execute("SET synchronous_commit = off")
        # Rows are consistent by construction (ids are the series); skip the per-row foreign
        # key triggers, which would otherwise check ~40 million references one by one.
        conn.execute("SET session_replication_role = replica")
        # One transaction: a failed run leaves nothing half-made.
        with conn.transaction():
            for name, sql in sql_steps(args.dossiers):
                t = time.monotonic()
                for statement in [s for s in sql.split(";\n") if s.strip()]:
                    conn.execute(statement)  # type: ignore[call-overload]
                timings[name] = time.monotonic() - t
                log(f"  {name:<22} {timings[name]:7.1f} s")
            t = time.monotonic()
        timings["commit"] = time.monotonic() - t
        t = time.monotonic()
        conn.execute("ANALYZE")
        timings["analyze"] = time.monotonic() - t
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            for table in (
                "dossiers_dossier",
                "workflow_instance",
                "workflow_historyentry",
                "dossiers_dossierpaper",
                "accounts_user",
            )
        }
        states: dict[str, int] = dict(
            conn.execute("SELECT status, count(*) FROM dossiers_dossier GROUP BY 1 ORDER BY 2 DESC")
        )
        size = conn.execute(f"SELECT pg_size_pretty(pg_database_size('{args.db}'))").fetchone()
    total = time.monotonic() - started
    log(f"generated in {total:.0f} s: {counts}, states {states}, size {size[0] if size else '?'}")
    save(
        "dossiers-generate",
        {
            "command": f"benchmarks/dossiers/generate.py --dossiers {args.dossiers} --db {args.db}",
            "seconds": round(total, 1),
            "steps_seconds": {k: round(v, 1) for k, v in timings.items()},
            "rows": counts,
            "states": states,
            "database_size": size[0] if size else None,
        },
    )


if __name__ == "__main__":
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    main()
