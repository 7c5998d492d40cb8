"""Signing a PDF result with the signer's personal key (egov.signing, pyHanko)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import PdfFileWriter

from egov.core.files import file_open
from egov.dossiers import services
from egov.dossiers.models import DossierStatus
from egov.dossiers.testing import make_world, pdf
from egov.signing import pki
from egov.signing.verification import verify_pdf

pytestmark = pytest.mark.django_db
PASSPHRASE = "mat-khau-thu"


def one_page_pdf() -> bytes:
    writer = PdfFileWriter()
    content = writer.add_object(generic.StreamObject(stream_data=b""))
    page = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/MediaBox"): generic.ArrayObject(
                [generic.NumberObject(v) for v in (0, 0, 595, 842)]
            ),
            generic.NameObject("/Resources"): generic.DictionaryObject(),
            generic.NameObject("/Contents"): content,
        }
    )
    writer.insert_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _received_at_signing_step(world: Any) -> Any:
    dossier = services.dossier_submit_online(
        actor=world.citizen,
        procedure=world.procedure,
        agency=world.ward,
        form_data={"ho_ten": "A"},
        papers=world.uploads(),
    )
    services.dossier_accept(actor=world.officer.user, dossier=dossier)
    services.dossier_act(actor=world.specialist.user, dossier=dossier, action="forward")
    services.dossier_act(actor=world.leader.user, dossier=dossier, action="approve")
    return dossier


def test_pdf_result_is_signed_with_the_leaders_key(settings: Any, tmp_path: Path) -> None:
    world = make_world()
    ca = pki.make_ca("egov Test CA")
    (tmp_path / "trust").mkdir()
    (tmp_path / "trust" / "ca.pem").write_bytes(pki.cert_pem(ca.cert))
    name = world.leader.user.get_username()
    person = pki.issue(ca, "Lãnh đạo Sở", organisation="Sở Xây dựng thử", key_kind="ec")
    (tmp_path / f"{name}.p12").write_bytes(
        pki.pkcs12_bytes(person, ca.cert, name=name, passphrase=PASSPHRASE.encode())
    )
    settings.EGOV_SIGNING_KEYS_DIR = str(tmp_path)
    settings.EGOV_SIGNING_PASSPHRASE = PASSPHRASE
    settings.EGOV_SIGNING_TRUST_ROOTS = ""
    settings.EGOV_SIGNING_TSA_URL = ""
    settings.EGOV_SIGNING_KEY_SOURCE = "pkcs12"

    dossier = _received_at_signing_step(world)
    services.dossier_attach_result(
        actor=world.leader.user,
        dossier=dossier,
        upload=ContentFile(one_page_pdf(), name="giay-phep.pdf"),
    )
    result = services.dossier_sign_result(actor=world.leader.user, dossier=dossier)
    assert result.signed and result.signed_file is not None
    assert result.signed_file.original_name == "giay-phep-da-ky.pdf"
    with file_open(result.signed_file) as handle:
        verdict = verify_pdf(handle.read())
    assert verdict.is_valid, verdict
    assert verdict.signer_names == ["Lãnh đạo Sở"]
    assert dossier.status == DossierStatus.RESULT_READY


def test_without_a_key_the_signing_step_is_recorded_unsigned(settings: Any, tmp_path: Path) -> None:
    settings.EGOV_SIGNING_KEYS_DIR = str(tmp_path)
    settings.EGOV_SIGNING_KEY_SOURCE = "pkcs12"
    world = make_world()
    dossier = _received_at_signing_step(world)
    services.dossier_attach_result(actor=world.leader.user, dossier=dossier, upload=pdf())
    result = services.dossier_sign_result(actor=world.leader.user, dossier=dossier)
    assert result.signed and result.signed_file is None
