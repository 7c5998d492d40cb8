"""Online submission throughput on a city-year (issue 3): the real service, in parallel.

    .venv/bin/python benchmarks/dossiers/submit.py [--db egov_bench] [--processes 4] [--duration 15]

Each of N processes signs nobody in: it calls `egov.dossiers.services.dossier_submit_online`
directly, as the page and the API do after their checks, for a citizen with a valid personal
number, a published full-online procedure received by every ward, a random ward, a filled
form and **two small PDFs** (distinct bytes each time, so each paper is a new blob in the
content-addressed store). Target: ≥ 100 dossiers per second in total.

Baseline, in the same run and processes: the floor of "one dossier per transaction", a bare
`Dossier.objects.create` in `transaction.atomic()` (no code counter, papers, workflow or audit).

`--redis URL` (default `redis://127.0.0.1:6379/3`, a database of the benchmarks' own, emptied
before and after) runs the workers with `REDIS_URL` as in production: the two jobs a
submission enqueues on commit (the applicant's notification, the indicators' facts) go to
Redis. `--redis ""` keeps the development default, a SQLite job queue file, whose writes
(one transaction and fsync per job) all processes take turns on.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

PG = "postgresql://postgres@127.0.0.1:5432"
DATA_DIR = "/tmp/egov-bench-pg"


def _setup(db: str) -> None:
    os.environ["DATABASE_URL"] = f"{PG}/{db}"
    os.environ.setdefault("EGOV_DATA_DIR", DATA_DIR)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.conf.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("DB_CONN_MAX_AGE", "600")
    import django

    django.setup()


def fill(schema: list[dict[str, Any]], user: Any) -> dict[str, Any]:
    """Answers that pass each field's rules (the first choice, a past date, …)."""
    data: dict[str, Any] = {}
    for spec in schema:
        kind = spec.get("type")
        if kind == "number":
            value: Any = spec.get("min") if isinstance(spec.get("min"), int | float) else 1
        elif kind == "date":
            value = "1990-05-12"
        elif kind == "email":
            value = user.email
        elif kind == "phone":
            value = user.phone
        elif kind == "select":
            value = spec["choices"][0]["value"]
        elif kind == "checkbox":
            value = True
        elif kind == "citizen_id":
            value = user.citizen_id
        else:
            value = (user.full_name or "Nguyễn Văn An")[: int(spec.get("max") or 100)]
        data[spec["name"]] = value
    return data


def choose_procedure() -> Any:
    from egov.procedures.models import ApplicantType, Procedure, ReceivingScope

    candidates = (
        Procedure.objects.filter(
            is_published=True,
            receiving_scope=ReceivingScope.ALL_LOCAL,
            service_level__allows_online_submission=True,
            applicant_types__in=[ApplicantType.CITIZEN, ApplicantType.BOTH],
            process__isnull=False,
        )
        .prefetch_related("papers")
        .order_by("code")
    )
    for procedure in candidates:
        if sum(1 for p in procedure.papers.all() if p.required) <= 2:
            return procedure
    raise SystemExit("no full-online ward procedure with at most two required papers")


def ensure_users(n: int) -> list[int]:
    from egov.accounts.models import User, UserKind

    ids = []
    for i in range(n):
        user, _ = User.objects.get_or_create(
            username=f"bench.submit{i:03d}",
            defaults={
                "kind": UserKind.CITIZEN,
                "full_name": f"Lê Thị Bích {chr(65 + i % 26)}",
                "email": f"bench.submit{i}@example.com",
                "phone": f"0905{i:06d}",
                "citizen_id": f"0481{90 + i % 10:02d}{700000 + i:06d}",
                "password": "!",
            },
        )
        ids.append(user.pk)
    return ids


def worker(db: str, mode: str, seconds: float, user_id: int, seed: int) -> dict[str, Any]:
    _setup(db)
    from django.core.files.base import ContentFile
    from django.db import transaction
    from django.utils import timezone

    from egov.accounts.models import User
    from egov.dossiers import selectors, services
    from egov.dossiers.models import Channel, Dossier
    from egov.dossiers.testing import PDF_BYTES

    rng = random.Random(seed)
    user = User.objects.get(pk=user_id)
    procedure = choose_procedure()
    agencies = selectors.receiving_agencies(procedure)
    required = [p for p in procedure.papers.all() if p.required]
    form = fill(procedure.form_schema or [], user)
    # As in a served process that has been up a while: each agency's working calendar is
    # built and kept (per process; rebuilt only when the calendar changes).
    from egov.calendar.arithmetic import WorkingCalendar

    for agency in agencies:
        WorkingCalendar.for_agency(agency)
    done = errors = 0
    first_error = ""
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        agency = rng.choice(agencies)
        started = time.perf_counter()
        try:
            if mode == "service":
                keys: list[int | None] = [p.pk for p in required][:2]
                keys += [None] * (2 - len(keys))
                token = f"{seed}-{done}-{time.time_ns()}".encode()
                papers = [
                    (
                        key,
                        ContentFile(PDF_BYTES + b"%" + token + bytes([n]), name=f"giay-to-{n}.pdf"),
                    )
                    for n, key in enumerate(keys)
                ]
                services.dossier_submit_online(
                    actor=user, procedure=procedure, agency=agency, form_data=form, papers=papers
                )
            else:
                with transaction.atomic():
                    Dossier.objects.create(
                        code=f"BASE-{seed}-{time.time_ns()}",
                        procedure=procedure,
                        agency=agency,
                        applicant=user,
                        applicant_name=user.full_name,
                        channel=Channel.ONLINE,
                        submitted_at=timezone.now(),
                    )
            done += 1
            latencies.append((time.perf_counter() - started) * 1000)
        except Exception as exc:
            errors += 1
            first_error = first_error or f"{type(exc).__name__}: {exc}"[:300]
            if errors > 20 and done == 0:
                break
    return {"done": done, "errors": errors, "first_error": first_error, "latencies": latencies}


def run(db: str, mode: str, processes: int, seconds: float, users: list[int]) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--db", db, "--worker", mode, "--duration", str(seconds)]
    cmd += ["--redis", os.environ.get("REDIS_URL", "")]
    started = time.monotonic()
    procs = [
        subprocess.Popen([*cmd, "--user", str(users[i]), "--seed", str(i)], stdout=subprocess.PIPE)
        for i in range(processes)
    ]
    outs = [json.loads(p.communicate()[0].decode().strip().splitlines()[-1]) for p in procs]
    wall = time.monotonic() - started
    done = sum(o["done"] for o in outs)
    lat = sorted(x for o in outs for x in o["latencies"])
    # Rate over the measured window (each worker runs `seconds` after its own start-up).
    rate = done / seconds
    return {
        "mode": mode,
        "processes": processes,
        "seconds": seconds,
        "wall_seconds": round(wall, 1),
        "done": done,
        "errors": sum(o["errors"] for o in outs),
        "first_error": next((o["first_error"] for o in outs if o["first_error"]), ""),
        "per_second": round(rate, 1),
        "p50_ms": round(lat[len(lat) // 2], 1) if lat else None,
        "p95_ms": round(lat[int(len(lat) * 0.95)], 1) if lat else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="egov_bench")
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--worker", choices=["service", "baseline"])
    parser.add_argument("--user", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/3")
    args = parser.parse_args()
    if args.redis:
        os.environ["REDIS_URL"] = args.redis
        os.environ["EGOV_JOBS_QUEUE"] = "bench-submit"
    else:
        os.environ.pop("REDIS_URL", None)
    if args.worker:
        result = worker(args.db, args.worker, args.duration, args.user, args.seed)
        print(json.dumps(result))
        return
    _setup(args.db)
    from benchmarks.common import log, save

    def empty_redis() -> None:
        if args.redis:
            import redis

            redis.Redis.from_url(args.redis).flushdb()  # the benchmarks' own database

    empty_redis()
    procedure = choose_procedure()
    users = ensure_users(args.processes)
    log(f"procedure {procedure.code} {procedure.name[:60]}; {args.processes} processes")
    results = []
    for mode in ("baseline", "service", "baseline", "service"):
        r = run(args.db, mode, args.processes, args.duration, users)
        log(
            f"  {mode:<8} {r['per_second']:7.1f} dossiers/s  p50 {r['p50_ms']} ms"
            f"  p95 {r['p95_ms']} ms  errors {r['errors']} {r['first_error']}"
        )
        results.append(r)
    empty_redis()  # the jobs the submissions queued (no consumer runs here)
    best = {
        m: max(r["per_second"] for r in results if r["mode"] == m) for m in ("baseline", "service")
    }
    save(
        "dossiers-submit",
        {
            "command": f"benchmarks/dossiers/submit.py --db {args.db} --processes {args.processes}"
            f" --duration {args.duration} --redis '{args.redis}'",
            "procedure": procedure.code,
            "runs": results,
            "best_per_second": best,
            "service_over_baseline": round(best["service"] / best["baseline"], 3),
            "loadavg": os.getloadavg(),
        },
    )


if __name__ == "__main__":
    main()
