"""Shared pieces of the benchmarks: the machine, a served egov, wrk, resident memory.

Every figure in BENCHMARKS.md comes from a script in this folder; each script prints the exact
commands it ran and writes its raw numbers to ``benchmarks/results/<name>.json``.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
RESULTS = BENCH / "results"
VENV_BIN = REPO / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
WRK_SCRIPT = BENCH / "wrk" / "paths.lua"


def log(message: str) -> None:
    print(message, flush=True)


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with contextlib.suppress(OSError):
        match = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
        mem_kb = int(match.group(1)) if match else 0
    info: dict[str, Any] = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    with contextlib.suppress(Exception):
        import django

        info["django"] = django.get_version()
    with contextlib.suppress(Exception):
        import granian

        info["granian"] = granian.__version__
    wrk = shutil.which("wrk")
    if wrk:
        out = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)
        info["wrk"] = (out.stdout or out.stderr).split("\n")[0].split(" [")[0]
    return info


def save(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": machine(), **data}
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    log(f"→ {path.relative_to(REPO)}")
    return path


def bench_env(**extra: str) -> dict[str, str]:
    """The environment of a served egov under benchmark: bench settings importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    env.setdefault("LOG_LEVEL", "ERROR")
    env.update(extra)
    return env


def http_get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (OSError, urllib.error.URLError):
        return 0


def wait_until_up(
    url: str, *, timeout: float = 60.0, proc: subprocess.Popen[Any] | None = None
) -> float:
    """Seconds until ``url`` answers 200 (raises after ``timeout``)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        if http_get(url, timeout=1.0) == 200:
            return time.monotonic() - started
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer 200 within {timeout:.0f} s")


@contextlib.contextmanager
def served(
    *, port: int, workers: int, env: dict[str, str], log_file: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """`egov serve` (granian, one blocking thread per worker) for the duration of the block.

    The server runs in its own process group, which is signalled (by its id) on the way out.
    """
    cmd = [
        PYTHON, "-m", "egov", "serve", "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers),
    ]  # fmt: skip
    log("$ " + " ".join(cmd[1:]))
    out = open(log_file, "wb") if log_file else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", proc=proc)
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        if log_file:
            out.close()  # type: ignore[union-attr]


def wrk(
    base_url: str,
    paths_file: Path,
    *,
    connections: int = 32,
    threads: int = 2,
    duration: int = 10,
    timeout: int = 5,
) -> dict[str, Any]:
    """Run wrk with the random-path script; returns its JSON summary plus req/s."""
    cmd = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", f"--timeout={timeout}s",
        "-s", str(WRK_SCRIPT.relative_to(REPO)), base_url, "--", str(paths_file),
    ]  # fmt: skip
    log("$ " + " ".join(cmd))
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=REPO)
    line = next(x for x in out.stdout.splitlines() if x.startswith("WRK_JSON "))
    result: dict[str, Any] = json.loads(line.removeprefix("WRK_JSON "))
    seconds = result["duration_us"] / 1e6
    result["rps"] = round(result["requests"] / seconds, 1)
    result["non_2xx_or_3xx"] = result["errors"]["status"]
    result["command"] = " ".join(cmd)
    result["loadavg_after"] = os.getloadavg()[0]
    lat = result["latency_us"]
    log(
        f"  {result['rps']:>9.1f} req/s  p50 {lat['p50'] / 1000:.1f} ms"
        f"  p99 {lat['p99'] / 1000:.1f} ms  errors {result['errors']}"
    )
    return result


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (granian's workers are its children)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS (resident now) and VmHWM (peak resident) of a process, in kB."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in {"VmRSS", "VmHWM", "RssAnon", "RssFile"}:
            fields[key] = int(value.split()[0])
    return fields


def cmdline(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    return ""


def login_cookie(base_url: str, username: str, password: str) -> str:
    """Sign in through the real login form; returns the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base_url}/accounts/login/", timeout=10) as response:
        page = response.read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        raise RuntimeError("no CSRF token on the login page")
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(
        f"{base_url}/accounts/login/", data=body, headers={"Referer": f"{base_url}/accounts/login/"}
    )
    with opener.open(request, timeout=10) as response:
        landed = response.geturl()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies or "/accounts/login" in landed:
        raise RuntimeError(f"login as {username} failed (landed on {landed})")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())
