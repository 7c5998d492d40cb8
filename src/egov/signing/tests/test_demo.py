"""The demo PKI: a CA, agency and signer keys, idempotent, trusted by verification."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from egov.organisations.models import RoleCode
from egov.organisations.testing import make_agency, make_staff
from egov.signing import demo
from egov.signing.services import sign_pdf
from egov.signing.tests.conftest import blank_pdf
from egov.signing.verification import VALID, verify_pdf

pytestmark = pytest.mark.django_db


def test_demo_keys_are_made_once_and_verify(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = tmp_path / "keys"
    settings.EGOV_SIGNING_KEYS_DIR = str(keys)
    settings.EGOV_SIGNING_PASSPHRASE = ""
    monkeypatch.delenv("EGOV_SIGNING_PASSPHRASE", raising=False)
    agency = make_agency(name="Ủy ban nhân dân phường Hải Châu")
    leader = make_staff(agency=agency, roles=[RoleCode.AGENCY_LEADER], username="lanhdao").user
    make_staff(agency=agency, roles=[RoleCode.CLERK], username="vanthu")
    make_staff(agency=agency, roles=[RoleCode.SPECIALIST], username="chuyenvien")

    demo.load_demo_keys()
    files = sorted(p.name for p in keys.glob("*.p12"))
    assert files == sorted([f"{agency.code}.p12", "lanhdao.p12", "vanthu.p12"])
    assert (keys / "trust" / "egov-demo-ca.pem").is_file()
    assert (keys / "ca" / "egov-demo-ca.key.pem").stat().st_mode & 0o777 == 0o600
    assert b"ENCRYPTED" in (keys / "ca" / "egov-demo-ca.key.pem").read_bytes()
    before = {p.name: p.read_bytes() for p in keys.glob("*.p12")}
    ca_before = (keys / "trust" / "egov-demo-ca.pem").read_bytes()

    demo.load_demo_keys()  # again: nothing changes
    assert {p.name: p.read_bytes() for p in keys.glob("*.p12")} == before
    assert (keys / "trust" / "egov-demo-ca.pem").read_bytes() == ca_before

    signed = sign_pdf(pdf_bytes=blank_pdf(), signer_user=leader, reason="Ký", location="Đà Nẵng")
    signed = sign_pdf(pdf_bytes=signed, agency=agency, reason="Đóng dấu", location="Đà Nẵng")
    result = verify_pdf(signed)
    assert result.status == VALID, result.reason
    assert result.signer_names == [leader.full_name, "Ủy ban nhân dân phường Hải Châu"]
