"""Secrets kept encrypted at rest: `seal`/`unseal` and the model field that uses them.

The token a partner gave us for its inbox (`Partner.token_out`) must be presented in clear, so
it cannot be hashed like the tokens we issue; it is encrypted instead, with Fernet (AES-128-CBC
and HMAC-SHA256, from `cryptography`). In the database it reads ``fernet:<token>``; in Python
the field gives the clear text back, so the code that sends it does not change.

Keys (`config.field_keys`): ``EGOV_FIELD_KEY`` when set — one Fernet key, or several separated
by commas: the first encrypts, all decrypt, so keys can be rotated (see docs/subsystems/
exchange.md) — and always, last, a key derived from ``SECRET_KEY`` (HKDF-SHA256), which is
the only key when ``EGOV_FIELD_KEY`` is unset. Changing ``SECRET_KEY`` without an
``EGOV_FIELD_KEY`` makes the sealed values unreadable: they then read as `Unreadable` (empty,
falsy), saving the row keeps the sealed value as it was, and sending to that partner fails with
a message saying so, until an administrator enters the token again.

A second app needing the same can move this module to `core` as it is.
"""

from __future__ import annotations

import base64
import logging
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

from egov.exchange import config

logger = logging.getLogger(__name__)

PREFIX = "fernet:"
_DERIVATION_INFO = b"egov field encryption v1"


class SealError(Exception):
    """A sealed value that cannot be read with the keys configured (or a key that is wrong)."""


class Unreadable(str):
    """What a sealed column reads as when no configured key opens it: empty and falsy for
    code that only asks "is a token set", carrying the sealed text so that saving the row
    writes it back unchanged."""

    sealed: str

    def __new__(cls, sealed: str) -> Unreadable:
        value = super().__new__(cls, "")
        value.sealed = sealed
        return value


def derived_key(secret_key: str) -> bytes:
    """The Fernet key derived from Django's SECRET_KEY."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_DERIVATION_INFO).derive(
        secret_key.encode()
    )
    return base64.urlsafe_b64encode(raw)


def _fernet() -> MultiFernet:
    return _fernet_for(tuple(config.field_keys()), str(settings.SECRET_KEY))


@lru_cache(maxsize=4)
def _fernet_for(field_keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    keys: list[Fernet] = []
    for key in field_keys:
        try:
            keys.append(Fernet(key.encode()))
        except ValueError as exc:
            raise SealError(
                "EGOV_FIELD_KEY không hợp lệ: mỗi khóa là 32 byte mã hóa base64 url-safe "
                "(tạo bằng: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())')."
            ) from exc
    keys.append(Fernet(derived_key(secret_key)))
    return MultiFernet(keys)


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def seal(plain: str) -> str:
    """``fernet:<token>`` for a non-empty text, "" for an empty one."""
    if not plain:
        return ""
    return PREFIX + _fernet().encrypt(plain.encode()).decode("ascii")


def unseal(stored: str) -> str:
    """The clear text of a sealed value; SealError when no configured key opens it."""
    if not stored:
        return ""
    if not is_sealed(stored):
        raise SealError("Giá trị không được mã hóa (thiếu tiền tố fernet:).")
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode()
    except (InvalidToken, ValueError) as exc:
        raise SealError(
            "Không giải mã được: khóa EGOV_FIELD_KEY hoặc SECRET_KEY đã thay đổi."
        ) from exc


def reseal(stored: str) -> str:
    """The same secret sealed with the current first key (key rotation)."""
    return seal(unseal(stored))


class SealedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column stored sealed, read in clear. Not for lookups: sealing is randomised."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        try:
            return unseal(value)
        except SealError as exc:
            logger.error("sealed column %s unreadable: %s", self.name, exc)
            return Unreadable(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, Unreadable):
            return value.sealed
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return seal(str(value))
