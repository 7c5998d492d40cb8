"""Foundation figures (issue 2): demo load time, fresh-clone time to serve, web process memory,
and served throughput of /healthz against a bare Django view.

    .venv/bin/python benchmarks/foundation.py                 # demo, rss, baseline
    .venv/bin/python benchmarks/foundation.py --clone         # … plus a fresh clone + install
    .venv/bin/python benchmarks/foundation.py --only rss      # one step

Everything runs on SQLite (the embedded default) in data dirs under /tmp/egov-bench-found*.
Servers are started in their own process group and stopped at the end of each step.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    PYTHON,
    REPO,
    bench_env,
    cmdline,
    descendants,
    log,
    login_cookie,
    memory_kb,
    save,
    served,
    wait_until_up,
    wrk,
)

DATA = Path("/tmp/egov-bench-found")
DEMO_PASSWORD = "Demo@2026"
RSS_TARGET_MB = 150
CLONE_SERVE_TIMEOUT = 900


def step_demo() -> dict[str, Any]:
    """`egov demo --no-serve` on an empty data dir: migrate + every demo loader."""
    shutil.rmtree(DATA, ignore_errors=True)
    cmd = [PYTHON, "-m", "egov", "demo", "--no-serve"]
    log(f"$ EGOV_DATA_DIR={DATA} egov demo --no-serve")
    started = time.monotonic()
    out = subprocess.run(
        cmd, env=bench_env(EGOV_DATA_DIR=str(DATA)), capture_output=True, text=True, check=True
    )
    seconds = time.monotonic() - started
    log(out.stdout[-1500:])
    log(f"  egov demo --no-serve: {seconds:.1f} s")
    return {"command": f"EGOV_DATA_DIR={DATA} egov demo --no-serve", "seconds": round(seconds, 2)}


def step_clone(port: int) -> dict[str, Any]:
    """A fresh clone: `make venv` (install, empty pip cache) then `egov demo` until it serves.

    `make demo` is `make venv` followed by `.venv/bin/egov demo`; the second half is run by hand
    so that it can listen on a free port instead of 8000.
    """
    work = Path(tempfile.mkdtemp(prefix="egov-bench-clone-"))
    clone = work / "egov"
    data = work / "data"
    try:
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
        head = subprocess.run(
            ["git", "-C", str(clone), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("VIRTUAL_ENV", "PYTHON", "DJANGO"))
        }
        env.update(PIP_NO_CACHE_DIR="1", EGOV_DATA_DIR=str(data), LOG_LEVEL="ERROR")
        log(
            f"$ git clone {REPO} {clone} && cd {clone}"
            f" && PIP_NO_CACHE_DIR=1 make venv   # at {head}"
        )
        started = time.monotonic()
        subprocess.run(["make", "venv"], cwd=clone, env=env, check=True, capture_output=True)
        install = time.monotonic() - started
        log(f"  install (make venv, no pip cache): {install:.1f} s")
        cmd = [str(clone / ".venv/bin/egov"), "demo", "--port", str(port)]
        log(f"$ EGOV_DATA_DIR={data} .venv/bin/egov demo --port {port}   # the rest of make demo")
        started = time.monotonic()
        proc = subprocess.Popen(
            cmd,
            cwd=clone,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        to_serve: float | None = None
        try:
            wait_until_up(f"http://127.0.0.1:{port}/", timeout=CLONE_SERVE_TIMEOUT, proc=proc)
            to_serve = time.monotonic() - started
        except TimeoutError:
            log(f"  not serving after {CLONE_SERVE_TIMEOUT} s")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        if to_serve is not None:
            log(f"  egov demo until the home page answers: {to_serve:.1f} s")
        return {
            "commit": head,
            "install_seconds": round(install, 1),
            "demo_to_serving_seconds": round(to_serve, 1) if to_serve is not None else None,
            "gave_up_after_seconds": None if to_serve is not None else CLONE_SERVE_TIMEOUT,
            "total_seconds": round(install + to_serve, 1) if to_serve is not None else None,
            "target_seconds": 300,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _warm_paths(base: str, cookie: str) -> list[str]:
    """Pages across the shells: portal, directory, login, workspace (signed in), API, health."""
    import sqlite3

    with sqlite3.connect(DATA / "egov.sqlite3") as db:
        codes = [
            r[0] for r in db.execute("SELECT code FROM organisations_agency ORDER BY id LIMIT 40")
        ]
    public = [
        "/",
        "/co-quan/",
        "/accounts/login/",
        "/healthz",
        "/api/v1/agencies",
        "/api/v1/agencies/tree",
    ]
    public += [f"/co-quan/{c}/" for c in codes[:20]] + [f"/api/v1/agencies/{c}" for c in codes[20:]]
    staff = ["/app/", "/app/co-quan/"]
    return public + [f"{p}\t{cookie}" for p in staff for _ in range(6)]


def step_rss(port: int) -> dict[str, Any]:
    """Resident memory of `egov serve` (one worker, as the demo runs it) after warming up."""
    if not (DATA / "egov.sqlite3").exists():
        step_demo()
    env = bench_env(EGOV_DATA_DIR=str(DATA))
    base = f"http://127.0.0.1:{port}"
    result: dict[str, Any] = {"rounds": []}
    with served(port=port, workers=1, env=env) as proc:
        workers = [
            p for p in descendants(proc.pid) if "python" in cmdline(p) or "egov" in cmdline(p)
        ]
        log(f"  server pid {proc.pid}, processes below it: {workers}")

        def snapshot() -> dict[str, Any]:
            return {str(pid): memory_kb(pid) for pid in [proc.pid, *workers]}

        result["after_start"] = snapshot()
        # Signing in hashes a password with argon2 (memory-hard): the peak (VmHWM) shows it.
        cookie = login_cookie(base, "chuyenvien", DEMO_PASSWORD)
        result["after_one_login"] = snapshot()
        log(
            f"  memory after start {result['after_start']},"
            f" after one sign-in {result['after_one_login']}"
        )
        paths_file = DATA / "warm-paths.txt"
        paths_file.write_text("\n".join(_warm_paths(base, cookie)) + "\n")
        for round_no in (1, 2, 3):
            load = wrk(base, paths_file, connections=8, threads=2, duration=10)
            snap = snapshot()
            log(f"  round {round_no}: {load['requests']} requests, memory {snap}")
            result["rounds"].append(
                {
                    "requests": load["requests"],
                    "non_2xx": load["non_2xx_or_3xx"],
                    "rps": load["rps"],
                    "memory_kb": snap,
                    "command": load["command"],
                }
            )
    # The granian worker is the process below the server that serves requests; report the largest.
    last = result["rounds"][-1]["memory_kb"]
    worker_pids = [pid for pid in last if int(pid) != proc.pid] or list(last)
    worst = max(worker_pids, key=lambda pid: last[pid]["VmRSS"])
    result["worker_vmrss_mb"] = round(last[worst]["VmRSS"] / 1024, 1)
    result["worker_vmhwm_mb"] = round(last[worst]["VmHWM"] / 1024, 1)
    result["server_main_vmrss_mb"] = round(last[str(proc.pid)]["VmRSS"] / 1024, 1)
    result["total_requests"] = sum(r["requests"] for r in result["rounds"])
    result["target_mb"] = RSS_TARGET_MB
    log(
        f"  worker VmRSS {result['worker_vmrss_mb']} MB (peak {result['worker_vmhwm_mb']} MB)"
        f" after {result['total_requests']} requests"
    )
    return result


def step_baseline(port: int) -> dict[str, Any]:
    """/healthz against a bare Django JSON view, 2 granian workers, wrk 32 connections 10 s.

    Rounds alternate (plain, healthz, plain, healthz) so that a neighbour's load on the shared
    machine hits both sides; the figure is the ratio of the medians. A second pass keeps SQLite
    connections open between requests (diagnosis: what the per-request connection costs).
    """
    if not (DATA / "egov.sqlite3").exists():
        step_demo()
    base = f"http://127.0.0.1:{port}"
    out: dict[str, Any] = {}
    for variant, extra in (
        ("product", {}),
        ("sqlite_persistent", {"BENCH_SQLITE_CONN_MAX_AGE": "600"}),
    ):
        env = bench_env(
            EGOV_DATA_DIR=str(DATA), DJANGO_SETTINGS_MODULE="benchmarks.bench_settings", **extra
        )
        runs: dict[str, list[dict[str, Any]]] = {"plain": [], "healthz": []}
        log(f"  -- {variant} {extra or ''}")
        with served(port=port, workers=2, env=env):
            for name, path in (("plain", "/bench/plain"), ("healthz", "/healthz")):
                (DATA / f"{name}.txt").write_text(path + "\n")
                wrk(base, DATA / f"{name}.txt", connections=32, duration=3)  # warm-up, not kept
            for name in ("plain", "healthz", "plain", "healthz"):
                runs[name].append(wrk(base, DATA / f"{name}.txt", connections=32, duration=10))
        summary = {name: _median_run(r) for name, r in runs.items()}
        summary["healthz_over_plain"] = round(
            summary["healthz"]["rps"] / summary["plain"]["rps"], 3
        )
        summary["runs"] = runs
        log(f"  {variant}: /healthz = {summary['healthz_over_plain']:.0%} of the bare view's req/s")
        out[variant] = summary
        if variant == "product" and os.environ.get("BENCH_SKIP_DIAGNOSIS"):
            break
    return out


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    rps = sorted(r["rps"] for r in runs)
    p99 = sorted(r["latency_us"]["p99"] for r in runs)
    return {
        "rps": rps[len(rps) // 2] if len(rps) % 2 else sum(rps) / len(rps),
        "rps_all": rps,
        "p99_ms_all": [x / 1000 for x in p99],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", choices=["demo", "clone", "rss", "baseline"], action="append")
    parser.add_argument("--clone", action="store_true", help="also time a fresh clone + install")
    parser.add_argument("--port", type=int, default=8161)
    args = parser.parse_args()
    steps = args.only or ["demo", *(["clone"] if args.clone else []), "rss", "baseline"]
    results: dict[str, Any] = {}
    name = "foundation" if not args.only else "foundation-" + "-".join(steps)
    try:
        _run_steps(steps, args.port, results)
    finally:
        save(name, results)


def _run_steps(steps: list[str], port: int, results: dict[str, Any]) -> None:
    for step in steps:
        log(f"== {step}")
        if step == "demo":
            results["demo"] = step_demo()
        elif step == "clone":
            results["clone"] = step_clone(port + 1)
        elif step == "rss":
            results["rss"] = step_rss(port)
        elif step == "baseline":
            results["baseline"] = step_baseline(port)


if __name__ == "__main__":
    main()
