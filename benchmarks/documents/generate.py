"""Ten years of a city's official documents on PostgreSQL: 500,000 documents, in minutes.

    .venv/bin/python benchmarks/documents/generate.py [--documents 500000]
        [--register-rows 50000] [--db egov_bench_docs] [--rebuild-template]

1. a template database (`<db>_tpl`) is migrated with `egov migrate` and given the demo city
   (`load_demo_city`: 70 agencies, units, staff) once; later runs clone it (`CREATE DATABASE …
   TEMPLATE …`, seconds instead of a minute). `--rebuild-template` remakes it (after a migration
   lands);
2. everything else is generated inside PostgreSQL with `INSERT … SELECT generate_series` (no row
   travels through Python), in one transaction:
   * `--register-rows` outgoing documents of the city People's Committee (UBND) issued in the
     last full year, numbered 1…N: the year's outgoing register that `export.py` exports;
   * the rest over the past ten years across all agencies: about 60 % outgoing (every state:
     draft, in review, returned, approved, signed, issued, recalled), 40 % incoming (arrived,
     rejected, registered, submitted, assigned, processing, done, revoked), a few secret ones
     on their own series, some public, paper and electronic;
   * numbers and arrival numbers continuous per agency, year and series (`row_number()`), the
     notation built like `egov.documents.notation.build_notation` (`05/QĐ-UBND`,
     `12/UBND-VX`), the document identifier like `build_document_id`;
   * `search_text` filled the way the services fill it (`search_text_for`: number/notation,
     notation, subject, issuer, signer, position, arrival number, note), folded by the SQL
     `egov_fold` function the platform installs (the PostgreSQL twin of `core.search.fold`);
   * two recipients per issued outgoing document (a demo agency on the platform with its edXML
     status, an outside body through the exchange), the `NumberSeries` rows at the last number
     of each series (so the next issue continues without a gap), the monthly facts;
3. the document table's secondary indexes (the trigram index on `search_text` among them) are
   dropped before the load and rebuilt after it, then ANALYZE.

Subjects are realistic Vietnamese trích yếu built from a type-specific pattern, an action, a
topic and a place or period, so searches hit thousands of rows, not all or none.
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
from benchmarks.documents.vocabulary import (
    ACTIONS,
    EXTERNAL_BODIES,
    FAMILY,
    FIELDS,
    GIVEN,
    MIDDLE,
    PERIODS,
    PLACES,
    TOPICS,
)

PG = "postgresql://postgres@127.0.0.1:5432"
DATA_DIR = Path("/tmp/egov-docbench-pg")
YEARS = 10
# Weighted choice of the agency: the People's Committee writes most, departments more than wards.
WEIGHT = (
    "CASE a.kind WHEN 'peoples_committee' THEN 12 WHEN 'department' THEN 4 "
    "WHEN 'other' THEN 2 ELSE 1 END"
)

SETUP = r"""
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings")
django.setup()
from egov.organisations.demo import load_demo_city
load_demo_city()
print("setup done")
"""


def h(expr: str, salt: int) -> str:
    """A deterministic pseudo-random non-negative bigint from an integer SQL expression."""
    return f"((({expr})::bigint * 2654435761 + {salt * 40503}) % 4294967296)"


def pad2(expr: str) -> str:
    """`render_number` in SQL: a leading zero below 10 (lpad would cut 126 to "12")."""
    return f"(CASE WHEN {expr} < 10 THEN '0' || {expr} ELSE ({expr})::text END)"


def arr(xs: tuple[str, ...] | list[str]) -> str:
    return "ARRAY[" + ",".join("'" + x.replace("'", "''") + "'" for x in xs) + "]"


def pick(xs: tuple[str, ...] | list[str], expr: str, salt: int) -> str:
    return f"({arr(xs)})[1 + {h(expr, salt)} % {len(xs)}]"


def sql_steps(
    n: int, register_rows: int, register_year: int, ids: dict[str, int]
) -> list[tuple[str, str]]:
    rest = n - register_rows
    return [
        (
            "field abbreviations",
            # Agencies with no units write công văn notations with a field (UBND-VX).
            f"""
INSERT INTO documents_fieldabbreviation (agency_id, abbreviation, name, is_active)
SELECT a.id, f.abbr, f.name, true
FROM organisations_agency a
CROSS JOIN (SELECT unnest({arr([f[0] for f in FIELDS])}) AS abbr,
                   unnest({arr([f[1] for f in FIELDS])}) AS name) f
WHERE NOT EXISTS (SELECT 1 FROM organisations_unit u WHERE u.agency_id = a.id)
ON CONFLICT DO NOTHING
""",
        ),
        (
            "agency tables",
            f"""
CREATE TEMP TABLE b_agency AS
SELECT (row_number() OVER (ORDER BY a.id) - 1)::int AS idx, a.id, a.code, a.abbreviation AS abbr,
  a.name, a.kind,
  coalesce((SELECT array_agg(u.id ORDER BY u.id) FROM organisations_unit u WHERE u.agency_id = a.id),
           '{{}}') AS unit_ids,
  coalesce((SELECT array_agg(u.abbreviation ORDER BY u.id) FROM organisations_unit u WHERE u.agency_id = a.id),
           '{{}}') AS unit_abbrs,
  coalesce((SELECT array_agg(f.id ORDER BY f.id) FROM documents_fieldabbreviation f WHERE f.agency_id = a.id),
           '{{}}') AS field_ids,
  coalesce((SELECT array_agg(f.abbreviation ORDER BY f.id) FROM documents_fieldabbreviation f WHERE f.agency_id = a.id),
           '{{}}') AS field_abbrs
FROM organisations_agency a WHERE a.is_active;
-- Weighted choice: the People's Committee and its office write most, departments more than wards.
CREATE TEMP TABLE b_agency_pick AS
SELECT (row_number() OVER (ORDER BY a.idx, k) - 1)::int AS idx, a.id
FROM b_agency a
CROSS JOIN LATERAL generate_series(1, {WEIGHT}) AS k;
CREATE TEMP TABLE b_type AS SELECT id, code, abbreviation AS abbr, category FROM documents_documenttype
""",
        ),
        (
            "plan",
            f"""
CREATE UNLOGGED TABLE b_plan AS
WITH base AS (
  SELECT i, i <= {register_rows} AS reg,
    CASE WHEN i <= {register_rows}
      THEN make_timestamptz({register_year}, 1, 2, 7, 30, 0, 'Asia/Ho_Chi_Minh')
           + interval '362 days' * ((i - 1)::float8 / {register_rows})
      ELSE now() - interval '{YEARS * 365} days' * (1 - (i - {register_rows})::float8 / {max(rest, 1)})
    END + interval '1 minute' * ({h("i", 1)} % 540) AS at,
    {h("i", 2)} % 100 AS r_dir, {h("i", 3)} % 100 AS r_type, {h("i", 4)} % 1000 AS r_state,
    {h("i", 5)} % 10000 AS r_secret, {h("i", 6)} % 100 AS r_chan, {h("i", 7)} AS r_agency,
    {h("i", 8)} % 100 AS r_prio, {h("i", 9)} % 100 AS r_pub
  FROM generate_series(1, {n}) AS i
), placed AS (
  SELECT b.*,
    CASE WHEN reg OR r_dir < 60 THEN 'outgoing' ELSE 'incoming' END AS direction,
    CASE WHEN reg THEN {ids["ubnd"]} ELSE pk.id END AS agency0
  FROM base b JOIN b_agency_pick pk ON pk.idx = b.r_agency % {ids["picks"]}
), typed AS (
  SELECT p.*,
    -- the register year's outgoing register of UBND is the generated block alone
    CASE WHEN NOT reg AND direction = 'outgoing' AND agency0 = {ids["ubnd"]}
              AND extract(year FROM at AT TIME ZONE 'Asia/Ho_Chi_Minh') = {register_year}
         THEN {ids["vp"]} ELSE agency0 END AS agency_id,
    CASE WHEN r_type < 38 THEN 'cong-van' WHEN r_type < 56 THEN 'quyet-dinh'
         WHEN r_type < 63 THEN 'ke-hoach' WHEN r_type < 73 THEN 'bao-cao'
         WHEN r_type < 81 THEN 'giay-moi' WHEN r_type < 89 THEN 'thong-bao'
         WHEN r_type < 93 THEN 'to-trinh' WHEN r_type < 95 THEN 'chi-thi'
         WHEN r_type < 97 THEN 'huong-dan' WHEN r_type < 98 THEN 'chuong-trinh'
         WHEN r_type < 99 THEN 'cong-dien' ELSE 'bien-ban' END AS type_code,
    r_secret < 25 AND NOT reg AS secret,
    extract(epoch FROM now() - at) / 86400 AS age
  FROM placed p
)
SELECT t.*, ty.id AS type_id, ty.abbr AS type_abbr, ty.category AS type_cat,
  CASE
    WHEN direction = 'outgoing' AND (reg OR age > 20) THEN
      CASE WHEN r_state < 4 THEN 'recalled' ELSE 'issued' END
    WHEN direction = 'outgoing' THEN
      CASE WHEN r_state < 150 THEN 'draft' WHEN r_state < 350 THEN 'in_review'
           WHEN r_state < 420 THEN 'returned' WHEN r_state < 480 THEN 'approved'
           WHEN r_state < 580 THEN 'signed' ELSE 'issued' END
    WHEN age > 60 THEN
      CASE WHEN r_state < 5 THEN 'rejected' WHEN r_state < 8 THEN 'revoked'
           WHEN r_state < 30 THEN 'processing' ELSE 'done' END
    ELSE
      CASE WHEN r_state < 80 THEN 'arrived' WHEN r_state < 90 THEN 'rejected'
           WHEN r_state < 180 THEN 'registered' WHEN r_state < 260 THEN 'submitted'
           WHEN r_state < 420 THEN 'assigned' WHEN r_state < 650 THEN 'processing'
           ELSE 'done' END
  END AS status,
  CASE WHEN direction = 'incoming' AND r_chan < 55 THEN 'platform'
       WHEN direction = 'incoming' AND r_chan < 85 THEN 'exchange'
       WHEN direction = 'incoming' THEN 'paper' ELSE 'drafted' END AS source,
  CASE WHEN direction = 'incoming' AND r_chan >= 85 THEN 'paper'
       WHEN direction = 'outgoing' AND r_chan < greatest(2, 20 - (YEARS_AGO)) THEN 'paper'
       ELSE 'electronic' END AS channel
FROM (SELECT *, floor(age / 365)::int AS "years_ago" FROM typed) t
JOIN b_type ty ON ty.code = t.type_code
""".replace("(YEARS_AGO)", "2 * years_ago"),
        ),
        (
            "numbering",
            """
CREATE UNLOGGED TABLE b_num AS
SELECT i,
  CASE WHEN direction = 'outgoing' THEN (CASE WHEN secret THEN 'outgoing:secret' ELSE 'outgoing' END)
       ELSE (CASE WHEN secret THEN 'incoming:secret' ELSE 'incoming' END) END AS series_key,
  extract(year FROM at AT TIME ZONE 'Asia/Ho_Chi_Minh')::int AS series_year,
  row_number() OVER (PARTITION BY agency_id, direction, secret,
                     extract(year FROM at AT TIME ZONE 'Asia/Ho_Chi_Minh') ORDER BY at, i) AS series_number
FROM b_plan
WHERE (direction = 'outgoing' AND status IN ('issued', 'recalled'))
   OR (direction = 'incoming' AND status NOT IN ('arrived', 'rejected'))
""",
        ),
        (
            "documents",
            f"""
INSERT INTO documents_document (id, public_id, created_at, updated_at, direction, channel, source,
  status, organ_id, organ_name, code_number, code_notation, issued_date, subject, language,
  page_amount, description, signer_position, signer_full_name, issued_amount, due_date,
  arrival_date, arrival_number, to_places, trace_header_list, document_id, version, series_key,
  series_year, series_number, signed_at, issued_at, digitally_signed, arrived_at, registered_at,
  instruction, directed_at, handling_due_at, closed_at, closed_on_time, signature_status,
  signature_note, duplicate_of, frozen_at, revoke_reason, is_public, content_text, search_text,
  agency_id, unit_id, type_id, field_abbreviation_id, secrecy_id, signer_competence_id, priority_id)
WITH sub AS (
  SELECT p.*, a.code AS a_code, a.abbr AS a_abbr, a.name AS a_name, a.unit_ids, a.unit_abbrs,
    a.field_ids, a.field_abbrs, nm.series_key, nm.series_year, nm.series_number,
    (p.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS at_day,
    {pick(ACTIONS, "p.i", 11)} AS action, {pick(TOPICS, "p.i", 12)} AS topic,
    {pick(PLACES, "p.i", 13)} AS place, {pick(PERIODS, "p.i", 14)} AS period,
    {pick(FAMILY, "p.i", 15)} || ' ' || {pick(MIDDLE, "p.i", 16)} || ' ' || {pick(GIVEN, "p.i", 17)} AS person,
    {h("p.i", 18)} % 100 AS r_pos,
    -- incoming: the sender (another demo agency or an outside body) and its number
    x.code AS s_code, x.abbr AS s_abbr, x.name AS s_name,
    {h("p.i", 20)} % {len(EXTERNAL_BODIES)} AS r_ext
  FROM b_plan p
  JOIN b_agency a ON a.id = p.agency_id
  JOIN b_agency x ON x.idx = {h("p.i", 19)} % {ids["agencies"]}
  LEFT JOIN b_num nm ON nm.i = p.i
), shaped AS (
  SELECT s.*,
    CASE WHEN s.direction = 'outgoing' THEN
      CASE WHEN s.type_cat = 'official_letter' THEN
        s.a_abbr || '-' || CASE WHEN cardinality(s.unit_abbrs) > 0
          THEN s.unit_abbrs[1 + {h("s.i", 21)} % cardinality(s.unit_abbrs)]
          ELSE s.field_abbrs[1 + {h("s.i", 21)} % cardinality(s.field_abbrs)] END
      ELSE s.type_abbr || '-' || s.a_abbr END
    ELSE
      CASE WHEN s.source <> 'paper' AND s.r_ext >= 4 THEN
        CASE WHEN s.type_cat = 'official_letter' THEN s.s_abbr || '-VP'
             ELSE s.type_abbr || '-' || s.s_abbr END
      ELSE CASE WHEN s.type_cat = 'official_letter' THEN ({arr([e[2] for e in EXTERNAL_BODIES])})[1 + s.r_ext] || '-VP'
                ELSE s.type_abbr || '-' || ({arr([e[2] for e in EXTERNAL_BODIES])})[1 + s.r_ext] END
      END
    END AS notation,
    CASE WHEN s.direction = 'incoming' THEN
      CASE WHEN s.source <> 'paper' AND s.r_ext >= 4 THEN s.s_code ELSE ({arr([e[0] for e in EXTERNAL_BODIES])})[1 + s.r_ext] END
      ELSE s.a_code END AS org_id,
    CASE WHEN s.direction = 'incoming' THEN
      CASE WHEN s.source <> 'paper' AND s.r_ext >= 4 THEN s.s_name ELSE ({arr([e[1] for e in EXTERNAL_BODIES])})[1 + s.r_ext] END
      ELSE s.a_name END AS org_name,
    CASE WHEN s.direction = 'outgoing' AND s.series_number IS NOT NULL THEN {pad2("s.series_number")}
         WHEN s.direction = 'incoming' THEN {pad2("(s.i % 3000 + 1)")}
         ELSE '' END AS num,
    CASE WHEN s.direction = 'incoming' THEN s.at_day - (s.i % 4)::int
         WHEN s.series_number IS NOT NULL THEN s.at_day END AS doc_date,
    CASE s.type_code
      WHEN 'cong-van' THEN 'V/v ' || s.action || ' ' || s.topic || ' ' || s.place
      WHEN 'quyet-dinh' THEN 'Về việc ' || s.action || ' ' || s.topic || ' ' || s.place
      WHEN 'ke-hoach' THEN 'Triển khai ' || s.topic || ' ' || s.place || ' ' || s.period
      WHEN 'bao-cao' THEN 'Tình hình ' || s.topic || ' ' || s.period
      WHEN 'giay-moi' THEN 'Họp ' || s.action || ' ' || s.topic
      WHEN 'thong-bao' THEN 'Kết luận của lãnh đạo tại cuộc họp về ' || s.topic || ' ' || s.place
      WHEN 'to-trinh' THEN 'Đề nghị ' || s.action || ' ' || s.topic
      WHEN 'chi-thi' THEN 'Về tăng cường ' || s.topic || ' ' || s.place
      WHEN 'huong-dan' THEN 'Hướng dẫn thực hiện ' || s.topic || ' ' || s.period
      WHEN 'chuong-trinh' THEN 'Chương trình hành động về ' || s.topic || ' ' || s.period
      WHEN 'cong-dien' THEN 'Về việc chủ động ứng phó ' || s.topic
      ELSE 'Kiểm tra ' || s.topic || ' ' || s.place END AS subj,
    CASE WHEN s.r_pos < 35 THEN 'Chủ tịch' WHEN s.r_pos < 80 THEN 'Phó Chủ tịch'
         ELSE 'Chánh Văn phòng' END AS pos
  FROM sub s
)
SELECT i, gen_random_uuid(), at, at, direction, channel, source, status,
  org_id, org_name, num, notation, doc_date, subj, 'Tiếng Việt',
  1 + i % 12, '', pos, person, CASE WHEN direction = 'outgoing' THEN 2 + i % 20 END,
  CASE WHEN type_code IN ('cong-van', 'to-trinh') AND i % 3 = 0 THEN at_day + 15 END,
  CASE WHEN direction = 'incoming' THEN at_day END,
  CASE WHEN direction = 'incoming' THEN series_number END,
  '', '[]'::jsonb,
  CASE WHEN direction = 'outgoing' AND series_number IS NOT NULL
         THEN org_id || ',' || to_char(doc_date, 'YYYY/MM/DD') || ',' || num || '/' || notation
       WHEN direction = 'incoming' AND source <> 'paper'
         THEN org_id || ',' || to_char(doc_date, 'YYYY/MM/DD') || ',' || num || '/' || notation
       ELSE '' END,
  1, coalesce(series_key, ''), series_year, series_number,
  CASE WHEN direction = 'outgoing' AND status IN ('signed', 'issued', 'recalled') THEN at - interval '2 hours' END,
  CASE WHEN direction = 'outgoing' AND series_number IS NOT NULL THEN at END,
  direction = 'outgoing' AND series_number IS NOT NULL AND channel = 'electronic',
  CASE WHEN direction = 'incoming' THEN at END,
  CASE WHEN direction = 'incoming' AND series_number IS NOT NULL THEN at + interval '30 minutes' END,
  CASE WHEN direction = 'incoming' AND status IN ('assigned', 'processing', 'done', 'revoked')
       THEN 'Giao ' || {pick(["Văn phòng", "phòng Tổng hợp", "phòng Kinh tế", "phòng Văn hóa - Xã hội"], "i", 22)}
            || ' chủ trì, tham mưu xử lý; báo cáo kết quả trước hạn.' ELSE '' END,
  CASE WHEN direction = 'incoming' AND status IN ('assigned', 'processing', 'done', 'revoked') THEN at + interval '3 hours' END,
  CASE WHEN direction = 'incoming' AND status IN ('assigned', 'processing', 'done', 'revoked') THEN at + interval '10 days' END,
  CASE WHEN direction = 'incoming' AND status = 'done' THEN at + interval '1 day' * (2 + i % 11) END,
  CASE WHEN direction = 'incoming' AND status = 'done' THEN 2 + i % 11 <= 10 END,
  CASE WHEN direction = 'incoming' AND channel = 'electronic' THEN 'valid'
       WHEN direction = 'incoming' THEN 'unsigned' ELSE 'not_checked' END,
  '', '[]'::jsonb,
  CASE WHEN status IN ('recalled') THEN at + interval '3 days' END,
  CASE WHEN status IN ('revoked') THEN 'Cơ quan ban hành thu hồi văn bản để ban hành lại' ELSE '' END,
  direction = 'outgoing' AND status = 'issued' AND NOT secret
    AND type_code IN ('quyet-dinh', 'ke-hoach', 'thong-bao', 'chi-thi', 'huong-dan') AND r_pub < 25,
  '',
  egov_fold(concat_ws(' ', nullif(CASE WHEN num = '' THEN '' ELSE num || '/' || notation END, ''),
    nullif(CASE WHEN num = '' THEN '' ELSE notation END, ''), subj, nullif(org_name, ''), person, pos,
    CASE WHEN direction = 'incoming' THEN series_number::text END)),
  agency_id,
  CASE WHEN direction = 'outgoing' AND cardinality(unit_ids) > 0 THEN unit_ids[1 + {h("i", 21)} % cardinality(unit_ids)] END,
  type_id,
  CASE WHEN direction = 'outgoing' AND type_cat = 'official_letter' AND cardinality(unit_ids) = 0
       THEN field_ids[1 + {h("i", 21)} % cardinality(field_ids)] END,
  CASE WHEN NOT secret THEN 1 WHEN r_secret < 20 THEN 2 ELSE 3 END,
  CASE WHEN r_pos >= 35 AND r_pos < 80 THEN 2 END,
  CASE WHEN r_prio < 90 THEN 1 WHEN r_prio < 97 THEN 2 WHEN r_prio < 99 THEN 3 ELSE 4 END
FROM shaped
""",
        ),
        (
            "recipients",
            f"""
INSERT INTO documents_recipient (public_id, created_at, updated_at, document_id, agency_id, organ_id,
  organ_name, kind, channel, status, status_description, status_at, status_history, sent_at,
  incoming_document_id)
SELECT gen_random_uuid(), d.issued_at, d.issued_at, d.id,
  CASE WHEN k = 1 THEN r.id END,
  CASE WHEN k = 1 THEN r.code ELSE ({arr([e[0] for e in EXTERNAL_BODIES])})[1 + {h("d.id", 30)} % {len(EXTERNAL_BODIES)}] END,
  CASE WHEN k = 1 THEN r.name ELSE ({arr([e[1] for e in EXTERNAL_BODIES])})[1 + {h("d.id", 30)} % {len(EXTERNAL_BODIES)}] END,
  CASE WHEN k = 1 THEN 'main' ELSE 'for_information' END,
  CASE WHEN d.secrecy_id > 1 OR d.channel = 'paper' THEN 'paper' WHEN k = 1 THEN 'platform' ELSE 'exchange' END,
  CASE WHEN d.secrecy_id > 1 OR d.channel = 'paper' THEN ''
       WHEN d.issued_at > now() - interval '2 days' THEN '03' WHEN k = 2 THEN '01' ELSE '06' END,
  '', d.issued_at + interval '1 hour', '[]'::jsonb, d.issued_at, NULL
FROM documents_document d
CROSS JOIN generate_series(1, 2) AS k
JOIN b_agency own ON own.id = d.agency_id
JOIN b_agency r ON r.idx = ({h("d.id", 31)} + CASE WHEN {h("d.id", 31)} % {ids["agencies"]} = own.idx
  THEN 1 ELSE 0 END) % {ids["agencies"]}
WHERE d.direction = 'outgoing' AND d.series_number IS NOT NULL
""",
        ),
        (
            "number series",
            """
INSERT INTO documents_numberseries (agency_id, year, key, last)
SELECT agency_id, series_year, series_key, max(series_number)
FROM documents_document WHERE series_number IS NOT NULL GROUP BY 1, 2, 3
""",
        ),
        (
            "monthly facts",
            """
INSERT INTO documents_documentmonthlyfact (agency_id, month, sent_electronic, sent_paper,
  received_electronic, received_paper, digitally_signed, incoming_on_time, incoming_late)
SELECT agency_id, month, sum(se), sum(sp), sum(re), sum(rp), sum(ds), sum(ot), sum(lt)
FROM (
  SELECT agency_id, date_trunc('month', issued_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS month,
    (channel = 'electronic')::int AS se, (channel = 'paper')::int AS sp, 0 AS re, 0 AS rp,
    digitally_signed::int AS ds, 0 AS ot, 0 AS lt
  FROM documents_document WHERE direction = 'outgoing' AND issued_at IS NOT NULL
  UNION ALL
  SELECT agency_id, date_trunc('month', registered_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
    0, 0, (channel = 'electronic')::int, (channel = 'paper')::int, 0, 0, 0
  FROM documents_document WHERE direction = 'incoming' AND registered_at IS NOT NULL
  UNION ALL
  SELECT agency_id, date_trunc('month', closed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
    0, 0, 0, 0, 0, closed_on_time::int, (NOT closed_on_time)::int
  FROM documents_document WHERE direction = 'incoming' AND closed_at IS NOT NULL
) x GROUP BY 1, 2
""",
        ),
        (
            "sequences",
            """
SELECT setval(pg_get_serial_sequence('documents_document', 'id'), (SELECT max(id) FROM documents_document));
DROP TABLE b_plan; DROP TABLE b_num
""",
        ),
    ]


def one(conn: psycopg.Connection, sql: str) -> int:
    row = conn.execute(sql).fetchone()  # type: ignore[call-overload]
    assert row is not None and row[0] is not None, sql
    return int(row[0])


def secondary_indexes(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """(name, definition) of the document table's indexes that back no constraint."""
    rows = conn.execute(
        """
        SELECT c.relname, pg_get_indexdef(i.indexrelid)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = 'documents_document'::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        ORDER BY 1
        """
    ).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def ensure_template(template: str, *, rebuild: bool, timings: dict[str, float]) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [template]
        ).fetchone()
        if exists and not rebuild:
            log(f"template {template} exists (use --rebuild-template after a migration)")
            return
        admin.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{template}"')
    url = f"{PG}/{template}"
    env = bench_env(DATABASE_URL=url, EGOV_DATA_DIR=str(DATA_DIR), DB_CONN_MAX_AGE="0")
    t = time.monotonic()
    log(f"$ DATABASE_URL={url} egov migrate")
    subprocess.run([PYTHON, "-m", "egov", "migrate", "-v0"], env=env, check=True)
    timings["migrate (template)"] = time.monotonic() - t
    t = time.monotonic()
    log("$ (load_demo_city)")
    subprocess.run([PYTHON, "-c", SETUP], env=env, check=True)
    timings["demo city (template)"] = time.monotonic() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=500_000)
    parser.add_argument("--register-rows", type=int, default=50_000)
    parser.add_argument("--register-year", type=int, default=time.localtime().tm_year - 1)
    parser.add_argument("--db", default="egov_bench_docs")
    parser.add_argument("--rebuild-template", action="store_true")
    args = parser.parse_args()
    if args.register_rows > args.documents:
        parser.error("--register-rows cannot exceed --documents")
    template = f"{args.db}_tpl"
    url = f"{PG}/{args.db}"
    timings: dict[str, float] = {}
    started = time.monotonic()

    ensure_template(template, rebuild=args.rebuild_template, timings=timings)
    t = time.monotonic()
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{args.db}" TEMPLATE "{template}"')
    timings["clone template"] = time.monotonic() - t

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET work_mem = '256MB'")
        conn.execute("SET synchronous_commit = off")
        # JIT compiling the wide generating statements costs more than running them (11 s of
        # 13 s for 20,000 rows when measured).
        conn.execute("SET jit = off")
        # Rows are consistent by construction: skip the per-row foreign key triggers.
        conn.execute("SET session_replication_role = replica")
        indexes = secondary_indexes(conn)
        with conn.transaction():
            t = time.monotonic()
            for name, _definition in indexes:
                conn.execute(f'DROP INDEX "{name}"')  # type: ignore[call-overload]
            timings["drop indexes"] = time.monotonic() - t
            ids = {
                "ubnd": one(
                    conn,
                    "SELECT min(id) FROM organisations_agency WHERE kind = 'peoples_committee'",
                ),
                "vp": one(
                    conn, "SELECT min(id) FROM organisations_agency WHERE abbreviation = 'VP'"
                ),
                "agencies": one(conn, "SELECT count(*) FROM organisations_agency WHERE is_active"),
                "picks": one(
                    conn, f"SELECT sum({WEIGHT}) FROM organisations_agency a WHERE is_active"
                ),
            }
            steps = sql_steps(args.documents, args.register_rows, args.register_year, ids)
            for name, sql in steps:
                t = time.monotonic()
                for statement in [s for s in sql.split(";\n") if s.strip()]:
                    conn.execute(statement)  # type: ignore[call-overload]
                timings[name] = time.monotonic() - t
                log(f"  {name:<22} {timings[name]:7.1f} s")
            t = time.monotonic()
            for _name, definition in indexes:
                conn.execute(definition)  # type: ignore[call-overload]
            timings["rebuild indexes"] = time.monotonic() - t
            log(f"  {'rebuild indexes':<22} {timings['rebuild indexes']:7.1f} s ({len(indexes)})")
        t = time.monotonic()
        conn.execute("ANALYZE")
        timings["analyze"] = time.monotonic() - t
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            for table in (
                "documents_document",
                "documents_recipient",
                "documents_numberseries",
                "documents_documentmonthlyfact",
            )
        }
        states = {
            f"{d}:{s}": c
            for d, s, c in conn.execute(
                "SELECT direction, status, count(*) FROM documents_document GROUP BY 1, 2 ORDER BY 1, 3 DESC"
            )
        }
        register = conn.execute(
            """SELECT count(*), min(series_number), max(series_number) FROM documents_document d
               JOIN organisations_agency a ON a.id = d.agency_id AND a.kind = 'peoples_committee'
               WHERE d.direction = 'outgoing' AND d.series_key = 'outgoing' AND d.series_year = %s""",
            [args.register_year],
        ).fetchone()
        size = conn.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database()))"
        ).fetchone()
    total = time.monotonic() - started
    log(f"generated in {total:.0f} s: {counts}, size {size[0] if size else '?'}")
    log(f"register {args.register_year} of UBND: {register}")
    log(f"states: {states}")
    save(
        "documents-generate",
        {
            "command": (
                f"benchmarks/documents/generate.py --documents {args.documents} "
                f"--register-rows {args.register_rows} --register-year {args.register_year} "
                f"--db {args.db}"
            ),
            "seconds": round(total, 1),
            "steps_seconds": {k: round(v, 1) for k, v in timings.items()},
            "rows": counts,
            "states": states,
            "register": {"year": args.register_year, "rows": register[0] if register else None},
            "database_size": size[0] if size else None,
        },
    )


if __name__ == "__main__":
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    main()
