"""Where signing keys come from: PKCS#12 files (default) or a PKCS#11 token, one interface.

A key is named: an agency's by its electronic identifier code (``000.00.01.H15``), a person's
by their username. `key_source()` returns the configured source; `signer_for(name)` gives a
pyHanko `Signer` or raises `KeyMissing`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from django.utils.translation import gettext as _
from pyhanko.sign.signers import Signer, SimpleSigner

from egov.core.errors import AppError
from egov.signing import config


class KeyMissing(AppError):
    status = 409

    def __init__(self, name: str) -> None:
        super().__init__(
            "signing_key_missing",
            _("Chưa có khóa ký số cho %(name)s: liên hệ quản trị hệ thống.") % {"name": name},
            extra={"key": name},
        )


class KeySource(Protocol):
    code: str

    def signer_for(self, name: str) -> Signer: ...

    def has_key(self, name: str) -> bool: ...


class Pkcs12KeySource:
    """``<keys dir>/<name>.p12``, passphrase from `config.passphrase_for`."""

    code = "pkcs12"

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or config.keys_dir()

    def path_for(self, name: str) -> Path:
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise KeyMissing(name)
        return self.directory / f"{name}.p12"

    def has_key(self, name: str) -> bool:
        try:
            return self.path_for(name).is_file()
        except KeyMissing:
            return False

    def signer_for(self, name: str) -> Signer:
        path = self.path_for(name)
        if not path.is_file():
            raise KeyMissing(name)
        signer = SimpleSigner.load_pkcs12(str(path), passphrase=config.passphrase_for(name) or None)
        if signer is None:  # pyHanko logs the cause (wrong passphrase, damaged file)
            raise AppError(
                "signing_key_unreadable",
                _("Không mở được khóa ký số của %(name)s (sai mật khẩu hoặc tệp hỏng).")
                % {"name": name},
                status=409,
            )
        return signer


class Pkcs11KeySource:
    """Keys on a PKCS#11 token (HSM, USB token, SoftHSM), labelled with the key's name.

    Needs ``python-pkcs11`` (``pip install 'pyhanko[pkcs11]'``); configured by
    `config.Pkcs11Config` (``EGOV_PKCS11_LIB``, ``EGOV_PKCS11_SLOT`` or
    ``EGOV_PKCS11_TOKEN_LABEL``, ``EGOV_PKCS11_PIN``). The certificate and the private key on
    the token carry the same label: the agency code or the username.
    """

    code = "pkcs11"

    def __init__(self, settings: config.Pkcs11Config | None = None) -> None:
        self.settings = settings or config.Pkcs11Config.from_environ()
        self._session: Any = None

    def _open(self) -> Any:
        if self._session is None:
            from pyhanko.config.pkcs11 import TokenCriteria
            from pyhanko.sign.pkcs11 import open_pkcs11_session

            self._session = open_pkcs11_session(
                self.settings.lib,
                slot_no=self.settings.slot,
                token_criteria=(
                    TokenCriteria(label=self.settings.token_label)
                    if self.settings.token_label
                    else None
                ),
                user_pin=self.settings.pin,
            )
        return self._session

    def has_key(self, name: str) -> bool:
        try:
            self.signer_for(name)
        except (KeyMissing, Exception):
            return False
        return True

    def signer_for(self, name: str) -> Signer:
        from pyhanko.sign.pkcs11 import PKCS11Signer

        try:
            signer = PKCS11Signer(self._open(), cert_label=name, key_label=name)
            signer.signing_cert  # noqa: B018 - fetch now, so a missing key fails here
        except Exception as exc:  # the token's errors are of many kinds
            raise KeyMissing(name) from exc
        return signer

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None


def key_source() -> KeySource:
    name = config.key_source_name()
    if name == "pkcs11":
        return Pkcs11KeySource()
    if name == "pkcs12":
        return Pkcs12KeySource()
    raise ValueError(f"EGOV_SIGNING_KEY_SOURCE must be pkcs12 or pkcs11, not {name!r}")


def agency_key_name(agency: Any) -> str:
    return str(agency.code)


def user_key_name(user: Any) -> str:
    return str(user.get_username())
