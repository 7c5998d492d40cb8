#!/usr/bin/env bash
# Run egov's benchmarks. Every figure in BENCHMARKS.md comes from one of these.
#   benchmarks/run.sh foundation          demo time, web process memory, /healthz vs a bare view
#   benchmarks/run.sh foundation-clone    … plus a fresh clone: install, then time to serve
#   benchmarks/run.sh demo-dossiers       the dossier demo loader (10,000) on SQLite, timed
#   benchmarks/run.sh dossiers-generate   1,000,000 dossiers on PostgreSQL (database egov_bench)
#   benchmarks/run.sh dossiers-queue      officer queues, in-process (needs dossiers-generate)
#   benchmarks/run.sh dossiers-tracking   public tracking served, wrk (needs dossiers-generate)
#   benchmarks/run.sh dossiers-submit     online submission throughput (needs dossiers-generate)
#   benchmarks/run.sh dossiers            generate + queue + tracking + submit
# Needs: the project venv (.venv), wrk (apt-get install -y wrk), PostgreSQL on 127.0.0.1:5432
# (user postgres, trust) for the dossiers-* targets. Servers run on loopback, bounded in time,
# and are stopped at the end of each step. Raw results: benchmarks/results/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export LOG_LEVEL=ERROR

need_wrk() {
  command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
}

case "${1:-help}" in
  foundation) need_wrk; $PY benchmarks/foundation.py ;;
  foundation-clone) need_wrk; $PY benchmarks/foundation.py --clone ;;
  demo-dossiers) $PY benchmarks/demo_dossiers.py ;;
  dossiers-generate) $PY benchmarks/dossiers/generate.py "${@:2}" ;;
  dossiers-queue) $PY benchmarks/dossiers/queues.py "${@:2}" ;;
  dossiers-tracking) need_wrk; $PY benchmarks/dossiers/tracking.py "${@:2}" ;;
  dossiers-submit) $PY benchmarks/dossiers/submit.py "${@:2}" ;;
  dossiers)
    need_wrk
    $PY benchmarks/dossiers/generate.py
    $PY benchmarks/dossiers/queues.py
    $PY benchmarks/dossiers/tracking.py
    $PY benchmarks/dossiers/submit.py
    ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
esac
