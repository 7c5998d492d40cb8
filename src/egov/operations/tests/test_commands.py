"""The `egov` entry point as a newcomer uses it: real subprocesses on a fresh data dir."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

EGOV = [sys.executable, "-m", "egov"]


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["EGOV_DATA_DIR"] = str(data_dir)
    env.pop("EGOV_JOBS_IMMEDIATE", None)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_demo_loads_city_and_prints_one_login_per_role(tmp_path: Path) -> None:
    result = subprocess.run(
        [*EGOV, "demo", "--no-serve"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    for username in (
        "vanthu",
        "motcua",
        "chuyenvien",
        "truongphong",
        "lanhdao",
        "chutich",
        "quantri",
    ):
        assert f" {username} " in out, out
    assert (tmp_path / "egov.sqlite3").exists()
    assert (tmp_path / "secret_key").exists(), "the demo generates its own secret"
    # Running it again does not fail nor duplicate (idempotent loaders).
    again = subprocess.run(
        [*EGOV, "demo", "--no-serve"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr[-3000:]


def test_serve_answers_health_check(tmp_path: Path) -> None:
    env = _env(tmp_path)
    subprocess.run([*EGOV, "migrate", "-v0"], env=env, check=True, timeout=120)
    port = _free_port()
    proc = subprocess.Popen(
        [*EGOV, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        body = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                    body = json.loads(resp.read())
                    break
            except OSError:
                time.sleep(0.3)
        assert body is not None, "egov serve did not answer within 30 s"
        assert body["database"] == "ok"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize(
    "command", [["demo"], ["serve"], ["worker"], ["import"], ["calendar"], ["audit"]]
)
def test_every_command_has_help(command: list[str], tmp_path: Path) -> None:
    result = subprocess.run(
        [*EGOV, *command, "--help"], env=_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "usage" in result.stdout.lower()
