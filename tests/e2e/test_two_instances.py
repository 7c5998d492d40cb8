"""Two instances of the platform on loopback exchange a signed document over edXML.

Instance A (Đà Nẵng, H15) and instance B (Quảng Trị, H48) are real `egov serve` processes, each
with its own data dir and database (a SQLite file each; with ``DATABASE_URL`` on PostgreSQL,
two databases created here and dropped after). They are registered as each other's partners
with `egov exchange partner add` (tokens captured from its output and handed over with
`partner set-token-out`, as administrators would). A issues a PAdES-signed document to B and
delivers it with `egov exchange outbox --deliver-now`; B answers 01 over HTTP; B's clerk
registers it (03) and that status goes back to A through B's outbox; the same message sent
again leaves B with one document.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

A_CODE = "000.00.00.H15"
B_CODE = "000.00.00.H48"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Instance:
    name: str
    env: dict[str, str]
    port: int
    log: Path
    server: subprocess.Popen[bytes] | None = None

    @property
    def inbox(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1/exchange/edxml"

    def egov(self, *args: str, timeout: float = 60) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "egov", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert result.returncode == 0, (
            f"{self.name}: egov {' '.join(args[:3])} failed:\n{result.stdout}\n{result.stderr}"
        )
        return result.stdout

    def run(self, script: str) -> dict:  # type: ignore[type-arg]
        """Run Python in the instance's Django; the script sets `out` (printed as JSON)."""
        code = "import json\nout = {}\n" + script + "\nprint('@@' + json.dumps(out, default=str))"
        stdout = self.egov("shell", "--no-imports", "-c", code)
        line = [x for x in stdout.splitlines() if x.startswith("@@")][-1]
        return json.loads(line[2:])  # type: ignore[no-any-return]

    def start(self) -> None:
        with self.log.open("wb") as out:
            self.server = subprocess.Popen(
                [sys.executable, "-m", "egov", "serve", "--port", str(self.port)],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self, deadline: float) -> None:
        url = f"http://127.0.0.1:{self.port}/healthz"
        while time.monotonic() < deadline:
            assert self.server is not None and self.server.poll() is None, self.output()
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # answering (even 503 while the worker is absent)
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"{self.name} did not start:\n{self.output()}")

    def stop(self) -> None:
        if self.server is None or self.server.poll() is not None:
            return
        self.server.send_signal(signal.SIGINT)
        try:
            self.server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


def parallel(*calls: Callable[[], object]) -> list[object]:
    """Run independent steps of the two instances at the same time (each is a process)."""
    with ThreadPoolExecutor(len(calls)) as pool:
        return [f.result() for f in [pool.submit(c) for c in calls]]


def _postgres_admin() -> tuple[str, object] | None:
    """With DATABASE_URL on PostgreSQL: (the URL, a connection to create databases with)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg

    parts = urlsplit(url)
    return url, psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def _scratch_dir(tmp_path: Path) -> Path:
    """Memory-backed when the machine has /dev/shm: SQLite migrations on a busy disk take
    minutes, in memory seconds."""
    shm = Path("/dev/shm")  # noqa: S108 - a private mkdtemp below it
    if shm.is_dir() and os.access(shm, os.W_OK):
        import tempfile

        return Path(tempfile.mkdtemp(prefix="egov-e2e-", dir=shm))
    return tmp_path


SEED = """
from django.db import transaction
from egov.organisations.models import AgencyKind, RoleCode
from egov.organisations.testing import make_agency, make_staff
agency = make_agency(code="{code}", name="{name}", abbreviation="UBND",
                     kind=AgencyKind.PEOPLES_COMMITTEE, address="{place}")
clerk = make_staff(agency=agency, roles=[RoleCode.CLERK], username="vanthu",
                   full_name="Văn thư {place}")
out["agency"] = agency.pk
"""

ISSUE = """
import datetime as dt
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from egov.core.files import file_store
from egov.documents.models import (Document, DocumentFile, DocumentType, Recipient,
    SecrecyLevel, Urgency)
from egov.documents.tests.factories import pdf_bytes
from egov.exchange.services import outbox_enqueue
from egov.organisations.models import Agency
from egov.signing.demo import load_demo_keys
from egov.signing.services import sign_pdf
from egov.signing.verification import verify_pdf

agency = Agency.objects.get(code="{a}")
load_demo_keys()
signed = sign_pdf(pdf_bytes=pdf_bytes("Cong van lien thong"), agency=agency,
                  reason="Ban hành văn bản", location="Đà Nẵng")
out["local_verdict"] = verify_pdf(signed).status
with transaction.atomic():
    today = timezone.localdate()
    document = Document.objects.create(
        agency=agency, direction="outgoing", source="drafted", status="issued",
        organ_id=agency.code, organ_name=agency.name,
        type=DocumentType.objects.get(code="cong-van"), code_number="07",
        code_notation="UBND-VP", issued_date=today,
        subject="V/v phối hợp kiểm tra liên thông văn bản giữa hai tỉnh",
        priority=Urgency.objects.get(edxml_code=0), secrecy=SecrecyLevel.objects.get(level=0),
        signer_position="Chủ tịch", signer_full_name="Nguyễn Văn A", digitally_signed=True,
        document_id=f"{{agency.code}},{{today:%Y/%m/%d}},07/UBND-VP", issued_at=timezone.now())
    stored = file_store(upload=ContentFile(signed, name="07-UBND-VP.pdf"), field="files",
                        allowed={{"pdf"}}, actor=None)
    DocumentFile.objects.create(document=document, stored_file=stored, kind="main",
                                version=1, signed=True)
    recipient = Recipient.objects.create(document=document, organ_id="{b}",
        organ_name="UBND tỉnh Quảng Trị", channel="exchange")
    outbound = outbox_enqueue(document_id=document.pk, recipient_id=recipient.pk)
out.update(document_id=document.document_id, outbound=outbound.pk, recipient=recipient.pk)
"""


CHECK_B = """
from egov.documents.models import Document
from egov.exchange.models import InboundMessage
docs = list(Document.objects.filter(direction="incoming"))
out["count"] = len(docs)
out["status"] = docs[0].status if docs else None
out["document_id"] = docs[0].document_id if docs else None
out["files"] = [f.stored_file.original_name for f in docs[0].files.all()] if docs else []
out["inbound"] = list(InboundMessage.objects.order_by("pk").values_list("result", "status_sent"))
"""

RECIPIENT_STATUS = """
from egov.documents.models import Recipient
from egov.exchange.models import OutboundMessage
r = Recipient.objects.get(pk={recipient})
out["status"] = r.status
out["history"] = [h["code"] for h in r.status_history]
out["outbound"] = list(OutboundMessage.objects.values_list("status", "response_code"))
"""

RESEND = """
from egov.exchange.edxml import parse_status
from egov.exchange.models import OutboundMessage, Partner
from egov.exchange.transport import HttpPushTransport
m = OutboundMessage.objects.get(pk={outbound})
p = Partner.objects.get(organ_id="{b}")
reply = HttpPushTransport(url=p.url, token=p.token_out).send_edoc(bytes(m.message))
out["http"] = reply.http_status
out["code"] = parse_status(reply.body).code
"""

REGISTER = """
from egov.accounts.models import User
from egov.documents.models import Document
from egov.documents.services import incoming_register
doc = Document.objects.get(direction="incoming")
clerk = User.objects.get(username="vanthu")
registered = incoming_register(actor=clerk, agency=doc.agency, source="exchange", document=doc)
out["arrival_number"] = registered.arrival_number
"""


@pytest.fixture
def instances(tmp_path: Path) -> Iterator[tuple[Instance, Instance]]:
    import shutil

    suffix = uuid.uuid4().hex[:8]
    postgres = _postgres_admin()
    scratch = _scratch_dir(tmp_path)
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    made = []
    names = []
    for name, code, province in [("A", "H15", "Đà Nẵng"), ("B", "H48", "Quảng Trị")]:
        data = scratch / name
        data.mkdir()
        env = {
            **base,
            "DJANGO_SETTINGS_MODULE": "egov.conf.settings",
            "EGOV_DATA_DIR": str(data),
            "EGOV_PROVINCE_CODE": code,
            "EGOV_PROVINCE_NAME": province,
            "EGOV_JOBS_IMMEDIATE": "0",  # no worker: the test delivers with --deliver-now
            "EGOV_JOBS_QUEUE": f"e2e-{suffix}-{name}",
            "EGOV_LOGIN_THROTTLE": "0",
            "SECRET_KEY": f"e2e-{suffix}-{name}",
        }
        if postgres is not None:
            database = f"egov_e2e_{name.lower()}_{suffix}"
            names.append(database)
            env["DATABASE_URL"] = urlunsplit(urlsplit(postgres[0])._replace(path=f"/{database}"))
        made.append(Instance(name, env, free_port(), tmp_path / f"{name}.log"))
    a, b = made
    try:
        # Migrate A once; B starts from a copy (a file copy on SQLite, a template database
        # on PostgreSQL): the same schema, in half the time.
        if postgres is not None:
            postgres[1].execute(f'CREATE DATABASE "{names[0]}"')  # type: ignore[attr-defined]
        a.egov("migrate", "--noinput", timeout=300)
        if postgres is not None:
            postgres[1].execute(  # type: ignore[attr-defined]
                f'CREATE DATABASE "{names[1]}" TEMPLATE "{names[0]}"'
            )
        else:
            for item in Path(a.env["EGOV_DATA_DIR"]).glob("egov.sqlite3*"):
                shutil.copy(item, Path(b.env["EGOV_DATA_DIR"]) / item.name)
        yield a, b
    finally:
        for instance in made:
            instance.stop()
        if postgres is not None:
            for database in names:
                postgres[1].execute(  # type: ignore[attr-defined]
                    f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'
                )
            postgres[1].close()  # type: ignore[attr-defined]
        if scratch != tmp_path:
            shutil.rmtree(scratch, ignore_errors=True)


def test_a_signed_document_goes_from_one_instance_to_the_other_and_statuses_come_back(
    instances: tuple[Instance, Instance],
) -> None:
    a, b = instances

    # Seed each instance (A also issues its signed document, queued in its outbox), and
    # each registers the other and prints the token the other must use; tokens are then
    # handed over (an administrator would send them by a secure channel).
    seed_a = SEED.format(code=A_CODE, name="Ủy ban nhân dân thành phố Đà Nẵng", place="Đà Nẵng")
    seed_b = SEED.format(code=B_CODE, name="Ủy ban nhân dân tỉnh Quảng Trị", place="Quảng Trị")
    issued, _, token_b_uses = parallel(
        lambda: a.run(seed_a + ISSUE.format(a=A_CODE, b=B_CODE)),
        lambda: b.run(seed_b),
        lambda: a.egov(
            "exchange", "partner", "add", "Hệ thống QLVB tỉnh Quảng Trị",
            "--organ-id", B_CODE, "--url", b.inbox,
        ).strip().splitlines()[-1],
    )  # fmt: skip
    assert isinstance(issued, dict) and isinstance(token_b_uses, str)
    token_a_uses = b.egov(
        "exchange", "partner", "add", "Hệ thống QLVB thành phố Đà Nẵng",
        "--organ-id", A_CODE, "--url", a.inbox, "--token-out", token_b_uses,
    ).strip().splitlines()[-1]  # fmt: skip
    assert token_b_uses.startswith("egovx_") and token_a_uses.startswith("egovx_")
    a.start()
    b.start()
    a.egov("exchange", "partner", "set-token-out", B_CODE, token_a_uses)
    deadline = time.monotonic() + 30
    a.wait_ready(deadline)
    b.wait_ready(deadline)

    # A's signed document goes to B.
    assert issued["local_verdict"] == "valid"
    delivered = a.egov("exchange", "outbox", "--deliver-now")
    assert f"{issued['outbound']}\tdelivered" in delivered, delivered + b.output()

    # B has it as an arrived incoming document (checked, then its clerk registers it: 03),
    # and A recorded the 01 that B answered with.
    at_b, at_a = parallel(
        lambda: b.run(CHECK_B + REGISTER),
        lambda: a.run(RECIPIENT_STATUS.format(recipient=issued["recipient"])),
    )
    assert isinstance(at_b, dict) and isinstance(at_a, dict)
    assert at_b["count"] == 1
    assert at_b["status"] == "arrived"
    assert at_b["document_id"] == issued["document_id"]
    assert at_b["files"] == ["07-UBND-VP.pdf"]
    assert at_b["inbound"] == [["accepted", "01"]]
    assert at_b["arrival_number"] == 1
    assert at_a["status"] == "01" and at_a["outbound"] == [["delivered", "01"]]

    # The 03 goes back to A through B's outbox.
    sent_back = b.egov("exchange", "outbox", "--deliver-now")
    assert "\tdelivered" in sent_back, sent_back + a.output()

    # At A: the recipient is at 03; then the same message is sent again (a retry after a
    # lost answer): B answers 01 again and still has one document.
    at_a = a.run(
        RECIPIENT_STATUS.format(recipient=issued["recipient"])
        + RESEND.format(outbound=issued["outbound"], b=B_CODE)
    )
    assert at_a["status"] == "03", at_a
    assert at_a["history"] == ["01", "03"]
    assert (at_a["http"], at_a["code"]) == (200, "01")
    at_b = b.run(CHECK_B)
    assert at_b["count"] == 1
    assert at_b["status"] == "registered"
    assert at_b["inbound"] == [["accepted", "01"], ["duplicate", "01"]]
