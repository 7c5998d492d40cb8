"""Fixtures of the exchange tests: agencies, partners, an issued document, a partner server.

`partner_server` is a real HTTP server on 127.0.0.1 (a thread in the test process) standing for
another system's inbox: it records what it receives and answers what the test tells it to.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from egov.core.files import file_store
from egov.documents.models import (
    Direction,
    Document,
    DocumentFile,
    DocumentStatus,
    DocumentType,
    Recipient,
    RecipientChannel,
    SecrecyLevel,
    Source,
    Urgency,
)
from egov.exchange import services
from egov.exchange.models import Partner
from egov.jobs.queue import queue
from egov.organisations.models import Agency, AgencyKind
from egov.organisations.testing import make_agency


@pytest.fixture(autouse=True)
def _jobs_run_immediately() -> Iterator[None]:
    huey = queue()
    saved = huey.immediate
    huey.immediate = True
    try:
        yield
    finally:
        huey.immediate = saved


@pytest.fixture(autouse=True)
def _signing_keys(settings: Any, tmp_path: Path) -> None:
    settings.EGOV_SIGNING_KEYS_DIR = str(tmp_path / "keys")
    settings.EGOV_SIGNING_PASSPHRASE = "mat-khau-thu"


def make_here(code: str = "000.00.00.H15", name: str = "UBND thành phố Đà Nẵng") -> Agency:
    return make_agency(code=code, name=name, abbreviation="UBND", kind=AgencyKind.PEOPLES_COMMITTEE)


def partner(
    organ_id: str = "000.00.00.H48",
    url: str = "",
    token_out: str = "their-token",  # noqa: S107
) -> tuple[Partner, str]:
    return services.partner_add(
        actor=None,
        name="Hệ thống QLVB tỉnh Quảng Trị",
        organ_id=organ_id,
        url=url,
        token_out=token_out,
    )


def issued_document(
    agency: Agency,
    *,
    recipient_organ_id: str = "000.00.00.H48",
    pdf: bytes | None = None,
    secret: bool = False,
    number: str = "13",
) -> tuple[Document, Recipient]:
    """An issued outgoing document of `agency` for one recipient outside the platform."""
    from egov.documents.tests.factories import pdf_bytes

    issued = dt.date(2025, 3, 14)
    document = Document.objects.create(
        agency=agency,
        direction=Direction.OUTGOING,
        source=Source.DRAFTED,
        status=DocumentStatus.ISSUED,
        organ_id=agency.code,
        organ_name=agency.name,
        type=DocumentType.objects.get(code="cong-van"),
        code_number=number,
        code_notation="UBND-VP",
        issued_date=issued,
        subject="V/v phối hợp tổ chức hội chợ thương mại",
        priority=Urgency.objects.get(edxml_code=1),
        secrecy=SecrecyLevel.objects.get(level=1 if secret else 0),
        signer_position="Phó Chủ tịch",
        signer_full_name="Nguyễn Văn A",
        document_id=f"{agency.code},{issued:%Y/%m/%d},{number}/UBND-VP",
        issued_at=timezone.now(),
    )
    stored = file_store(
        upload=ContentFile(pdf or pdf_bytes("Cong van"), name=f"{number}-UBND-VP.pdf"),
        field="files",
        allowed={"pdf"},
        actor=None,
    )
    DocumentFile.objects.create(document=document, stored_file=stored, kind="main", version=1)
    recipient = Recipient.objects.create(
        document=document,
        organ_id=recipient_organ_id,
        organ_name="UBND tỉnh Quảng Trị",
        channel=RecipientChannel.EXCHANGE,
    )
    return document, recipient


@dataclass
class PartnerServer:
    """A stand-in for a partner's inbox: `answer(body) -> (http_status, body)`."""

    url: str
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    answer: Callable[[bytes], tuple[int, bytes]] = lambda body: (500, b"down")


@pytest.fixture
def partner_server() -> Iterator[PartnerServer]:
    state = PartnerServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            state.received.append((dict(self.headers.items()), body))
            status, reply = state.answer(body)
            self.send_response(status)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/api/v1/exchange/edxml"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
