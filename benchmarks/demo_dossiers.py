"""The demo's loaders, each timed, on a fresh SQLite data dir (the dossier demo: ≤ 60 s).

    .venv/bin/python benchmarks/demo_dossiers.py

Migrates a fresh data dir, then runs every loader of `egov.operations.demo.LOADERS` in order in
one process, reporting wall and CPU seconds of each: the other loaders are the baseline the
dossier loader reads against, and CPU seconds show what the machine's neighbours cost.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import PYTHON, bench_env, log, save

DATA = Path("/tmp/egov-bench-demo-dossiers")

TIMED = r"""
import json, os, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings")
django.setup()
from django.utils.module_loading import import_string
from egov.operations.demo import LOADERS
out = []
for dotted in LOADERS:
    wall, cpu = time.perf_counter(), time.process_time()
    import_string(dotted)()
    out.append({"loader": dotted, "wall_s": round(time.perf_counter() - wall, 2),
                "cpu_s": round(time.process_time() - cpu, 2)})
from egov.dossiers.models import Dossier
from egov.workflow.models import HistoryEntry
print(json.dumps({"loaders": out, "dossiers": Dossier.objects.count(),
                  "history_rows": HistoryEntry.objects.count(), "loadavg": os.getloadavg()}))
"""


def main() -> None:
    shutil.rmtree(DATA, ignore_errors=True)
    env = bench_env(EGOV_DATA_DIR=str(DATA))
    log(f"$ EGOV_DATA_DIR={DATA} egov migrate && (each loader of LOADERS, timed)")
    subprocess.run([PYTHON, "-m", "egov", "migrate", "-v0"], env=env, check=True)
    out = subprocess.run([PYTHON, "-c", TIMED], env=env, check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    for row in result["loaders"]:
        log(f"  {row['loader']:<45} wall {row['wall_s']:6.1f} s  cpu {row['cpu_s']:6.1f} s")
    log(f"  {result['dossiers']} dossiers, {result['history_rows']} history rows")
    result["command"] = "benchmarks/demo_dossiers.py"
    result["budget_s"] = 60
    save("demo-dossiers", result)
    shutil.rmtree(DATA, ignore_errors=True)
    os.environ.pop("EGOV_DATA_DIR", None)


if __name__ == "__main__":
    main()
