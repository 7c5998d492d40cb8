"""Verifying the signatures of a received PDF: valid, invalid, or unknown signer.

`verify_pdf` never raises on bad input: garbage, a damaged file or a signature pyHanko cannot
read is ``invalid`` with a reason. The rules, strictest first:

1. no signature at all → ``invalid`` (reason code ``unsigned``);
2. a signature whose bytes changed or whose cryptography fails → ``invalid``;
3. the file as a whole must be covered: the last signature must cover the entire file (only
   validation data — DSS, document time stamps — may follow it), and every earlier signature
   may be followed only by signatures and form filling. An edit appended after signing is
   reported by pyHanko as "not covering the entire file" and makes the result ``invalid``
   (poppler's ``pdfsig`` still calls such a file valid: do not rely on it);
4. a sound signature whose certificate does not chain to a configured trust root (or whose
   certificate is expired or not for signing) → ``unknown_signer``;
5. otherwise ``valid``.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from egov.signing import config

logger = logging.getLogger(__name__)

VALID = "valid"
INVALID = "invalid"
UNKNOWN_SIGNER = "unknown_signer"

# What may follow a signature without making it "not covering" the document.
_AFTER_LAST = {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES}
_AFTER_EARLIER = {
    ModificationLevel.NONE,
    ModificationLevel.LTA_UPDATES,
    ModificationLevel.FORM_FILLING,
}


@dataclass(frozen=True)
class SignatureInfo:
    field_name: str
    status: str  # valid / invalid / unknown_signer
    reason: str
    signer_name: str
    signer_subject: str
    signing_time: datetime | None
    intact: bool
    trusted: bool
    covers_whole_file: bool
    modification: str


@dataclass(frozen=True)
class VerificationResult:
    status: str
    reason: str
    reason_code: str = ""
    signatures: list[SignatureInfo] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return self.status == VALID

    @property
    def signer_names(self) -> list[str]:
        return [s.signer_name for s in self.signatures]

    @property
    def signing_times(self) -> list[datetime | None]:
        return [s.signing_time for s in self.signatures]

    @property
    def covers_whole_file(self) -> bool:
        return any(s.covers_whole_file for s in self.signatures)


def _load_certificate(path: Path) -> list[asn1_x509.Certificate]:
    data = path.read_bytes()
    if pem.detect(data):
        return [asn1_x509.Certificate.load(der) for _type, _hdr, der in pem.unarmor(data, True)]
    return [asn1_x509.Certificate.load(data)]


@cache
def _roots_from(paths: tuple[Path, ...]) -> tuple[asn1_x509.Certificate, ...]:
    roots: list[asn1_x509.Certificate] = []
    for path in paths:
        try:
            roots += _load_certificate(path)
        except Exception:
            logger.warning("trust root %s is not a readable certificate", path)
    return tuple(roots)


def trust_roots() -> tuple[asn1_x509.Certificate, ...]:
    paths = tuple(config.trust_root_paths())
    stamp = tuple((p, p.stat().st_mtime_ns) for p in paths if p.exists())
    return _roots_from(tuple(p for p, _m in stamp))


def validation_context() -> ValidationContext:
    # No fetching: CRL/OCSP servers are not reachable from every deployment; revocation is
    # checked when the information is embedded ("soft-fail" otherwise).
    return ValidationContext(
        trust_roots=list(trust_roots()), allow_fetching=False, revocation_mode="soft-fail"
    )


def _common_name(subject: asn1_x509.Name) -> str:
    try:
        native = subject.native
        return str(native.get("common_name") or subject.human_friendly)
    except Exception:
        return ""


def _invalid(reason: str, code: str) -> VerificationResult:
    return VerificationResult(status=INVALID, reason=reason, reason_code=code)


def verify_pdf(pdf_bytes: bytes) -> VerificationResult:
    """Check every signature of the file against the configured trust roots."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:
        logger.info("unreadable PDF: %s", exc)
        return _invalid(_("Tệp không phải là PDF đọc được."), "unreadable")
    if not embedded:
        return _invalid(_("Tệp không có chữ ký số."), "unsigned")
    context = validation_context()
    infos: list[SignatureInfo] = []
    last = len(embedded) - 1
    for index, sig in enumerate(embedded):
        name = str(getattr(sig, "field_name", "") or "")
        try:
            status = validate_pdf_signature(sig, context)
        except Exception as exc:
            logger.info("signature %s could not be validated: %s", name, exc)
            infos.append(
                SignatureInfo(
                    name,
                    INVALID,
                    _("Chữ ký không đọc được."),
                    "",
                    "",
                    None,
                    False,
                    False,
                    False,
                    "",
                )
            )
            continue
        cert = status.signing_cert
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        level = status.modification_level
        allowed = _AFTER_LAST if index == last else _AFTER_EARLIER
        followed_ok = whole or (
            status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
            and level in allowed
            and status.docmdp_ok is not False
        )
        if not (status.intact and status.valid):
            verdict, reason = INVALID, _("Nội dung đã bị thay đổi sau khi ký hoặc chữ ký sai.")
        elif not followed_ok:
            verdict, reason = (
                INVALID,
                _("Tệp đã bị sửa đổi sau khi ký (chữ ký không bao trùm toàn bộ tệp)."),
            )
        elif not status.trusted:
            verdict, reason = (
                UNKNOWN_SIGNER,
                _("Không xác định được người ký: chứng thư số không do tổ chức tin cậy cấp."),
            )
        else:
            verdict, reason = VALID, _("Chữ ký hợp lệ.")
        signed_at = status.signer_reported_dt
        if status.timestamp_validity is not None:
            signed_at = status.timestamp_validity.timestamp
        infos.append(
            SignatureInfo(
                field_name=name,
                status=verdict,
                reason=reason,
                signer_name=_common_name(cert.subject) if cert else "",
                signer_subject=cert.subject.human_friendly if cert else "",
                signing_time=signed_at,
                intact=bool(status.intact and status.valid),
                trusted=bool(status.trusted),
                covers_whole_file=whole,
                modification=level.name if level is not None else "",
            )
        )
    for wanted, code in ((INVALID, "invalid_signature"), (UNKNOWN_SIGNER, "unknown_signer")):
        bad = [s for s in infos if s.status == wanted]
        if bad:
            return VerificationResult(wanted, bad[0].reason, code, infos)
    return VerificationResult(VALID, _("Mọi chữ ký hợp lệ và bao trùm toàn bộ tệp."), "", infos)
