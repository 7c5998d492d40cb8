"""Making certificates with `cryptography`: the demo CA, agency and personal certificates.

For the demo and the tests only: production keys come from a real CA (in Việt Nam, the
Government CA of the Ban Cơ yếu Chính phủ for agencies and officials) as PKCS#12 files or on
tokens.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

KEY_SIZE = 2048
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")  # Microsoft document signing
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class Issued:
    key: PrivateKey
    cert: x509.Certificate


def new_key(kind: str = "rsa") -> PrivateKey:
    """RSA 2048 (what Vietnamese CAs issue) or, ``"ec"``, P-256 (fast: the demo's keys)."""
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def _clip(value: str, limit: int = 64) -> str:
    """X.520 caps a name at 64 (which `cryptography` counts in UTF-8 bytes): long Vietnamese
    agency names exceed it, so they are cut and end with "…"."""
    if len(value.encode()) <= limit:
        return value
    while len((value + "…").encode()) > limit:
        value = value[:-1]
    return value.rstrip(" ,") + "…"


def _name(common_name: str, **parts: str) -> x509.Name:
    common_name = _clip(common_name)
    parts = {key: _clip(value) for key, value in parts.items()}
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if parts.get("locality"):
        attributes.append(x509.NameAttribute(NameOID.LOCALITY_NAME, parts["locality"]))
    if parts.get("organisation"):
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, parts["organisation"]))
    if parts.get("title"):
        attributes.append(x509.NameAttribute(NameOID.TITLE, parts["title"]))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def make_ca(common_name: str, *, years: int = 10, now: dt.datetime | None = None) -> Issued:
    now = now or dt.datetime.now(dt.UTC)
    key = new_key("rsa")
    name = _name(common_name, organisation=common_name)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(key, cert)


def issue(
    ca: Issued,
    common_name: str,
    *,
    organisation: str = "",
    title: str = "",
    locality: str = "",
    email: str = "",
    years: int = 3,
    now: dt.datetime | None = None,
    key_kind: str = "rsa",
) -> Issued:
    """A signing certificate (non-repudiation, document signing) issued by `ca`."""
    now = now or dt.datetime.now(dt.UTC)
    key = new_key(key_kind)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation=organisation, title=title, locality=locality))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage(
                [
                    ExtendedKeyUsageOID.EMAIL_PROTECTION,
                    x509.ObjectIdentifier("1.3.6.1.4.1.311.10.3.12"),
                ]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
        )
    return Issued(key, builder.sign(ca.key, hashes.SHA256()))


def pkcs12_bytes(issued: Issued, ca: x509.Certificate, *, name: str, passphrase: bytes) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        name.encode(),
        issued.key,
        issued.cert,
        [ca],
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption(),
    )


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def key_pem(key: PrivateKey, passphrase: bytes) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    )


def load_issued(cert_pem_bytes: bytes, key_pem_bytes: bytes, passphrase: bytes) -> Issued:
    key = serialization.load_pem_private_key(key_pem_bytes, password=passphrase)
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise TypeError("the CA key must be RSA or EC")
    return Issued(key, x509.load_pem_x509_certificate(cert_pem_bytes))
