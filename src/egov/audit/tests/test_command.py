"""`egov audit verify`: through call_command, and through the real entry point on a file DB."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from egov.audit.models import AuditEntry
from egov.audit.services import audit_record
from egov.organisations.testing import make_agency

EGOV = Path(sys.executable).parent / "egov"


def _write(n: int) -> list[AuditEntry]:
    agency = make_agency()
    out = []
    for i in range(n):
        with transaction.atomic():
            out.append(audit_record(actor=None, action="test.touch", target=agency, summary=str(i)))
    return out


@pytest.mark.django_db
def test_intact_chain_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    _write(4)
    call_command("audit", "verify", "--no-progress")
    assert "Chuỗi nhật ký toàn vẹn: 4 bản ghi." in capsys.readouterr().out


@pytest.mark.django_db
def test_broken_chain_exits_one_and_names_the_row(capsys: pytest.CaptureFixture[str]) -> None:
    entries = _write(4)
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditentry SET actor_label = 'x' WHERE id = %s", [entries[1].id])
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify", "--no-progress")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert f"#{entries[1].id}" in err and "test.touch" in err and "bị sửa" in err


@pytest.mark.django_db
def test_record_option_writes_the_check_into_the_chain(capsys: pytest.CaptureFixture[str]) -> None:
    _write(2)
    call_command("audit", "verify", "--no-progress", "--record")
    last = AuditEntry.objects.order_by("-id").first()
    assert last is not None and last.action == "audit.verify" and last.after["ok"] is True
    call_command("audit", "verify", "--no-progress")
    assert "3 bản ghi" in capsys.readouterr().out


def test_help_is_plain_words() -> None:
    out = subprocess.run(
        [str(EGOV), "audit", "verify", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "mã băm" in out and "thoát với mã 1" in out


# --- the real entry point against a SQLite file ----------------------------------------------

WRITE_ROWS = """
from django.db import transaction
from egov.audit.services import audit_record
from egov.organisations.models import Agency
agency = Agency.objects.create(
    code="000.00.99.H15", name="Sở thử", abbreviation="ST", kind="department"
)
for i in range(5):
    with transaction.atomic():
        audit_record(actor=None, action="thu.ghi", target=agency, summary=f"lần {i}",
                     after={"i": i, "giá": 1.0, "tên": "Đà Nẵng"})
"""


@pytest.fixture(scope="module")
def chain_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("egov-cli")
    env = _env(data)
    subprocess.run([str(EGOV), "migrate", "-v0"], env=env, check=True, timeout=300)
    subprocess.run([str(EGOV), "shell", "-c", WRITE_ROWS], env=env, check=True, timeout=120)
    return data


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["EGOV_DATA_DIR"] = str(data)
    env["DATABASE_URL"] = f"sqlite:///{data / 'egov.sqlite3'}"
    return env


def _copy(src: Path, dst: Path) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(src / "egov.sqlite3")
    target = sqlite3.connect(dst / "egov.sqlite3")
    source.backup(target)
    source.close()
    target.close()
    return dst


def _verify(data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EGOV), "audit", "verify", "--no-progress"],
        env=_env(data),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _sql(data: Path, statement: str) -> None:
    db = sqlite3.connect(data / "egov.sqlite3")
    db.execute(statement)
    db.commit()
    db.close()


def test_entry_point_intact(chain_db: Path, tmp_path: Path) -> None:
    done = _verify(_copy(chain_db, tmp_path))
    assert done.returncode == 0, done.stderr
    assert "Chuỗi nhật ký toàn vẹn: 5 bản ghi." in done.stdout


def test_entry_point_update_is_caught(chain_db: Path, tmp_path: Path) -> None:
    data = _copy(chain_db, tmp_path)
    _sql(data, "UPDATE audit_auditentry SET summary = 'sửa lén' WHERE id = 3")
    done = _verify(data)
    assert done.returncode == 1
    assert "#3" in done.stderr and "thu.ghi" in done.stderr and "bị sửa" in done.stderr


def test_entry_point_json_update_is_caught(chain_db: Path, tmp_path: Path) -> None:
    data = _copy(chain_db, tmp_path)
    _sql(data, """UPDATE audit_auditentry SET "after" = '{"i": 9}' WHERE id = 2""")
    done = _verify(data)
    assert done.returncode == 1 and "#2" in done.stderr


def test_entry_point_delete_is_caught(chain_db: Path, tmp_path: Path) -> None:
    data = _copy(chain_db, tmp_path)
    _sql(data, "DELETE FROM audit_auditentry WHERE id = 2")
    done = _verify(data)
    assert done.returncode == 1
    assert "#3" in done.stderr and "đứt" in done.stderr


def test_entry_point_delete_of_the_last_row_is_caught(chain_db: Path, tmp_path: Path) -> None:
    data = _copy(chain_db, tmp_path)
    _sql(data, "DELETE FROM audit_auditentry WHERE id = 5")
    done = _verify(data)
    assert done.returncode == 1 and "cuối chuỗi" in done.stderr
