"""Demo keys: a demo root CA and a PKCS#12 file per demo agency and per demo signer.

`load_demo_keys()` is idempotent: the CA is made once (its key kept encrypted in
``<keys dir>/ca/``) and a file that exists is left alone. Everything goes to the data dir,
never to the repository; the passphrase is ``EGOV_SIGNING_PASSPHRASE`` or one generated into
``<keys dir>/.passphrase``. The CA's certificate goes to ``<keys dir>/trust/`` so that
verification trusts the demo's signatures (and nothing else of the demo's).
"""

from __future__ import annotations

from typing import Any, TextIO

from django.conf import settings

from egov.organisations.models import Agency, RoleCode, StaffMember
from egov.signing import config, pki
from egov.signing.keys import agency_key_name, user_key_name

CA_NAME = "egov Demo CA"
CA_FILE = "egov-demo-ca"
SIGNER_ROLES = (RoleCode.AGENCY_LEADER, RoleCode.CITY_LEADER, RoleCode.CLERK)


def demo_ca(*, passphrase: bytes) -> pki.Issued:
    """The demo CA, made on first use."""
    folder = config.keys_dir()
    cert_path = config.trust_dir() / f"{CA_FILE}.pem"
    key_path = folder / "ca" / f"{CA_FILE}.key.pem"
    if cert_path.is_file() and key_path.is_file():
        return pki.load_issued(cert_path.read_bytes(), key_path.read_bytes(), passphrase)
    ca = pki.make_ca(CA_NAME)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.parent.chmod(0o700)
    key_path.write_bytes(pki.key_pem(ca.key, passphrase))
    key_path.chmod(0o600)
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    cert_path.write_bytes(pki.cert_pem(ca.cert))
    return ca


def _write_p12(name: str, issued: pki.Issued, ca: pki.Issued, passphrase: bytes) -> None:
    path = config.keys_dir() / f"{name}.p12"
    path.write_bytes(pki.pkcs12_bytes(issued, ca.cert, name=name, passphrase=passphrase))
    path.chmod(0o600)


def load_demo_keys(*, stdout: TextIO | None = None) -> list[Any]:
    """Create the demo CA and the missing keys of demo agencies and signers (leaders, clerks)."""
    passphrase = config.demo_passphrase()
    folder = config.keys_dir()
    folder.mkdir(parents=True, exist_ok=True)
    ca = demo_ca(passphrase=passphrase)
    province = getattr(settings, "EGOV_PROVINCE_NAME", "")
    made = 0
    for agency in Agency.objects.filter(is_active=True).order_by("code"):
        name = agency_key_name(agency)
        if (folder / f"{name}.p12").is_file():
            continue
        issued = pki.issue(
            ca, agency.name, organisation=agency.name, locality=province, key_kind="ec"
        )
        _write_p12(name, issued, ca, passphrase)
        made += 1
    signers = (
        StaffMember.objects.filter(is_active=True, roles__code__in=SIGNER_ROLES)
        .select_related("user", "agency", "position")
        .distinct()
        .order_by("pk")
    )
    for staff in signers:
        name = user_key_name(staff.user)
        if (folder / f"{name}.p12").is_file():
            continue
        issued = pki.issue(
            ca,
            staff.user.full_name or name,
            organisation=staff.agency.name,
            title=staff.position.name if staff.position else "",
            locality=province,
            email=staff.user.email,
            key_kind="ec",
        )
        _write_p12(name, issued, ca, passphrase)
        made += 1
    if stdout is not None:
        stdout.write(f"    khóa ký số demo: {made} tệp mới trong {folder}\n")
    return []
