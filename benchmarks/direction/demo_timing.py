"""The assignments demo loader timed on a fresh SQLite data dir (target: ≤ 20 s).

    .venv/bin/python benchmarks/direction/demo_timing.py [--count 3000] [--with-documents]

`egov migrate`, then the loaders it needs (`load_demo_city`, and with `--with-documents` the
documents demo whose incoming documents it links), then `load_demo_assignments` timed, wall
and CPU; the same run times `load_demo_training` (a loader of the same kind) as the baseline.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.common import PYTHON, bench_env, log, save

DATA_DIR = Path("/tmp/egov-bench-dir-demo")

CHILD = r"""
import json, os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings")
django.setup()
from egov.organisations.demo import load_demo_city
from egov.assignments.demo import load_demo_assignments
from egov.assignments.models import Assignment
from egov.training.demo import load_demo_training
count, with_documents = int(sys.argv[1]), sys.argv[2] == "1"
load_demo_city()
if with_documents:
    from egov.signing.demo import load_demo_keys
    from egov.documents.demo import load_demo_documents
    load_demo_keys(); load_demo_documents()
def timed(fn, **kw):
    wall, cpu = time.perf_counter(), time.process_time()
    fn(**kw)
    return {"wall_s": round(time.perf_counter() - wall, 2),
            "cpu_s": round(time.process_time() - cpu, 2)}
out = {"baseline_training": timed(load_demo_training),
       "assignments": timed(load_demo_assignments, count=count),
       "rows": Assignment.objects.count(),
       "linked_documents": Assignment.objects.filter(source_document__isnull=False).count(),
       "loadavg": os.getloadavg()}
print("RESULT " + json.dumps(out))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--with-documents", action="store_true")
    args = parser.parse_args()
    shutil.rmtree(DATA_DIR, ignore_errors=True)
    DATA_DIR.mkdir(parents=True)
    env = bench_env(EGOV_DATA_DIR=str(DATA_DIR))
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    log(f"$ EGOV_DATA_DIR={DATA_DIR} egov migrate")
    subprocess.run([PYTHON, "-m", "egov", "migrate", "-v0"], env=env, check=True)
    flag = "1" if args.with_documents else "0"
    out = subprocess.run(
        [PYTHON, "-c", CHILD, str(args.count), flag],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = [x for x in out.stdout.splitlines() if x.startswith("RESULT ")][-1]
    result = json.loads(line[len("RESULT ") :])
    result["command"] = " ".join(sys.argv)
    log(json.dumps(result, indent=1))
    save("direction-demo", result)
    shutil.rmtree(DATA_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
