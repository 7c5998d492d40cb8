"""The documents demo loader (20,000 documents) on a fresh SQLite data dir, timed (≤ 60 s).

    .venv/bin/python benchmarks/documents/demo_timing.py [--count 20000]

Migrates a fresh data dir, then in one process runs the loaders the documents demo needs —
`load_demo_city`, `load_demo_keys` — and `load_demo_documents`, reporting wall and CPU seconds
of each (the other loaders are the baseline it reads against; CPU seconds show what the
machine's neighbours cost) and what was loaded. The procedures and dossiers loaders, which run
between them in `egov demo`, are left out: the documents loader reads none of their rows.
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

DATA = Path("/tmp/egov-docbench-demo")

TIMED = r"""
import json, os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings")
django.setup()
from egov.organisations.demo import load_demo_city
from egov.signing.demo import load_demo_keys
from egov.documents.demo import load_demo_documents
count = int(sys.argv[1])
out = []
for name, fn in (("load_demo_city", load_demo_city), ("load_demo_keys", load_demo_keys),
                 ("load_demo_documents",
                  lambda: load_demo_documents(stdout=sys.stderr, count=count))):
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    out.append({"loader": name, "wall_s": round(time.perf_counter() - wall, 2),
                "cpu_s": round(time.process_time() - cpu, 2)})
from egov.audit.models import AuditEntry
entry = AuditEntry.objects.get(action="documents.demo_load")
print(json.dumps({"loaders": out, "counts": entry.after.get("counts"), "loadavg": os.getloadavg()}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=20_000)
    args = parser.parse_args()
    shutil.rmtree(DATA, ignore_errors=True)
    env = bench_env(EGOV_DATA_DIR=str(DATA))
    log(f"$ EGOV_DATA_DIR={DATA} egov migrate && (city, keys, documents loaders, timed)")
    subprocess.run([PYTHON, "-m", "egov", "migrate", "-v0"], env=env, check=True)
    done = subprocess.run(
        [PYTHON, "-c", TIMED, str(args.count)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=900,
    )
    log(done.stderr.strip())
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for row in result["loaders"]:
        log(f"  {row['loader']:<22} wall {row['wall_s']:6.1f} s  cpu {row['cpu_s']:6.1f} s")
    log(f"  loaded: {result['counts']}")
    result["command"] = f"benchmarks/documents/demo_timing.py --count {args.count}"
    result["budget_s"] = 60
    save("documents-demo", result)
    shutil.rmtree(DATA, ignore_errors=True)


if __name__ == "__main__":
    main()
