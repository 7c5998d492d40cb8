"""A test PKI: a trusted CA with an agency key and a person's key, and an unknown CA."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import PdfFileWriter

from egov.signing import pki

PASSPHRASE = "mat-khau-thu"
AGENCY_CODE = "000.00.02.H15"
SIGNER = "nguyenvanan"
STRANGER = "nguoila"


@dataclass(frozen=True)
class Pki:
    keys_dir: Path
    ca: pki.Issued


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    keys = tmp_path_factory.mktemp("keys")
    (keys / "trust").mkdir()
    ca = pki.make_ca("egov Test CA")
    (keys / "trust" / "test-ca.pem").write_bytes(pki.cert_pem(ca.cert))
    agency = pki.issue(ca, "Sở Nội vụ", organisation="Sở Nội vụ", key_kind="ec")
    person = pki.issue(ca, "Nguyễn Văn Ấn", organisation="Sở Nội vụ", key_kind="ec")
    unknown_ca = pki.make_ca("Không ai tin CA")
    stranger = pki.issue(unknown_ca, "Người Lạ", key_kind="ec")
    for name, issued, issuer in (
        (AGENCY_CODE, agency, ca),
        (SIGNER, person, ca),
        (STRANGER, stranger, unknown_ca),
    ):
        (keys / f"{name}.p12").write_bytes(
            pki.pkcs12_bytes(issued, issuer.cert, name=name, passphrase=PASSPHRASE.encode())
        )
    return Pki(keys, ca)


@pytest.fixture(autouse=True)
def _signing_settings(settings: Any, test_pki: Pki) -> None:
    settings.EGOV_SIGNING_KEYS_DIR = str(test_pki.keys_dir)
    settings.EGOV_SIGNING_PASSPHRASE = PASSPHRASE
    settings.EGOV_SIGNING_TRUST_ROOTS = ""
    settings.EGOV_SIGNING_TSA_URL = ""
    settings.EGOV_SIGNING_KEY_SOURCE = "pkcs12"


def blank_pdf(pages: int = 1, *, width: int = 595, height: int = 842) -> bytes:
    """An A4 PDF with a line of text per page (written by pyHanko, no other library)."""
    writer = PdfFileWriter()
    font = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Font"),
                generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
                generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
            }
        )
    )
    for n in range(pages):
        content = writer.add_object(
            generic.StreamObject(
                stream_data=f"BT /F1 14 Tf 72 760 Td (Trang {n + 1}) Tj ET".encode()
            )
        )
        page = generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Page"),
                generic.NameObject("/MediaBox"): generic.ArrayObject(
                    [generic.NumberObject(v) for v in (0, 0, width, height)]
                ),
                generic.NameObject("/Resources"): generic.DictionaryObject(
                    {
                        generic.NameObject("/Font"): generic.DictionaryObject(
                            {generic.NameObject("/F1"): font}
                        )
                    }
                ),
                generic.NameObject("/Contents"): content,
            }
        )
        writer.insert_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
