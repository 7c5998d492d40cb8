"""The signing configuration, read from Django settings first, then the environment.

See docs/subsystems/signing.md ("Configuration") for the table of variables.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from egov.conf.env import env_str


def _setting(name: str, default: str = "") -> str:
    value: Any = getattr(settings, name, None)
    if value is None or value == "":
        return env_str(name, default)
    return str(value)


def keys_dir() -> Path:
    """``EGOV_SIGNING_KEYS_DIR``, default ``$EGOV_DATA_DIR/keys``."""
    raw = _setting("EGOV_SIGNING_KEYS_DIR")
    return Path(raw).expanduser() if raw else Path(settings.DATA_DIR) / "keys"


def trust_dir() -> Path:
    return keys_dir() / "trust"


def trust_root_paths() -> list[Path]:
    """Certificates (PEM or DER) whose holders egov trusts as roots.

    ``EGOV_SIGNING_TRUST_ROOTS`` (paths separated by ``os.pathsep``), plus every ``*.pem``,
    ``*.crt``, ``*.cer`` and ``*.der`` file in ``<keys dir>/trust/`` (where the demo CA goes).
    """
    paths = [
        Path(p).expanduser() for p in _setting("EGOV_SIGNING_TRUST_ROOTS").split(os.pathsep) if p
    ]
    folder = trust_dir()
    if folder.is_dir():
        paths += sorted(
            p for p in folder.iterdir() if p.suffix.lower() in {".pem", ".crt", ".cer", ".der"}
        )
    return paths


def tsa_url() -> str:
    """``EGOV_SIGNING_TSA_URL``: an RFC 3161 time-stamping service; set → PAdES B-T."""
    return _setting("EGOV_SIGNING_TSA_URL")


def key_source_name() -> str:
    """``EGOV_SIGNING_KEY_SOURCE``: ``pkcs12`` (files, default) or ``pkcs11`` (a token)."""
    return _setting("EGOV_SIGNING_KEY_SOURCE", "pkcs12").strip().lower()


def passphrase_env_name(key_name: str) -> str:
    """The per-file passphrase variable: ``EGOV_SIGNING_PASSPHRASE__<NAME>``, the key's name
    in upper case with every other character than letters and digits as ``_``."""
    return "EGOV_SIGNING_PASSPHRASE__" + re.sub(r"[^A-Z0-9]", "_", key_name.upper())


DEMO_PASSPHRASE_FILE = ".passphrase"  # noqa: S105 - a file name, not a secret


def passphrase_for(key_name: str) -> bytes:
    """The passphrase of ``<key_name>.p12``: its own variable, else ``EGOV_SIGNING_PASSPHRASE``,
    else the one the demo generated in ``<keys dir>/.passphrase``."""
    own = os.environ.get(passphrase_env_name(key_name))
    if own:
        return own.encode()
    shared = _setting("EGOV_SIGNING_PASSPHRASE")
    if shared:
        return shared.encode()
    demo = keys_dir() / DEMO_PASSPHRASE_FILE
    if demo.is_file():
        return demo.read_text(encoding="utf-8").strip().encode()
    return b""


def demo_passphrase() -> bytes:
    """The passphrase the demo protects its keys with (generated once, never committed)."""
    shared = _setting("EGOV_SIGNING_PASSPHRASE")
    if shared:
        return shared.encode()
    path = keys_dir() / DEMO_PASSPHRASE_FILE
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(24), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip().encode()


@dataclass(frozen=True)
class Pkcs11Config:
    """Where the token is: ``EGOV_PKCS11_LIB`` (the module, e.g. libsofthsm2.so), the slot
    (``EGOV_PKCS11_SLOT``, a number) or the token label (``EGOV_PKCS11_TOKEN_LABEL``), and the
    user PIN in ``EGOV_PKCS11_PIN`` (or in the variable named by ``EGOV_PKCS11_PIN_ENV``)."""

    lib: str
    slot: int | None = None
    token_label: str | None = None
    pin: str | None = None

    @classmethod
    def from_environ(cls, environ: dict[str, str] | None = None) -> Pkcs11Config:
        env = dict(os.environ if environ is None else environ)
        lib = env.get("EGOV_PKCS11_LIB", "").strip()
        if not lib:
            raise ValueError("EGOV_PKCS11_LIB is not set: the PKCS#11 module to load")
        raw_slot = env.get("EGOV_PKCS11_SLOT", "").strip()
        try:
            slot = int(raw_slot) if raw_slot else None
        except ValueError:
            raise ValueError(f"EGOV_PKCS11_SLOT must be a number, not {raw_slot!r}") from None
        label = env.get("EGOV_PKCS11_TOKEN_LABEL", "").strip() or None
        if slot is None and label is None:
            raise ValueError("set EGOV_PKCS11_SLOT or EGOV_PKCS11_TOKEN_LABEL")
        pin_var = env.get("EGOV_PKCS11_PIN_ENV", "").strip() or "EGOV_PKCS11_PIN"
        pin = env.get(pin_var) or None
        return cls(lib=lib, slot=slot, token_label=label, pin=pin)
