"""Key sources and their configuration (PKCS#12 names and passphrases, PKCS#11 settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from egov.signing import config
from egov.signing.keys import KeyMissing, Pkcs11KeySource, Pkcs12KeySource, key_source


def test_keys_dir_defaults_to_the_data_dir(settings: Any, tmp_path: Path) -> None:
    settings.EGOV_SIGNING_KEYS_DIR = ""
    settings.DATA_DIR = tmp_path
    assert config.keys_dir() == tmp_path / "keys"


def test_passphrase_per_file_then_shared_then_demo(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.EGOV_SIGNING_KEYS_DIR = str(tmp_path)
    settings.EGOV_SIGNING_PASSPHRASE = ""
    monkeypatch.delenv("EGOV_SIGNING_PASSPHRASE", raising=False)
    assert config.passphrase_for("000.00.01.H15") == b""
    generated = config.demo_passphrase()
    assert len(generated) >= 20
    assert (tmp_path / ".passphrase").stat().st_mode & 0o777 == 0o600
    assert config.passphrase_for("000.00.01.H15") == generated
    settings.EGOV_SIGNING_PASSPHRASE = "chung"
    assert config.passphrase_for("000.00.01.H15") == b"chung"
    assert config.passphrase_env_name("000.00.01.H15") == "EGOV_SIGNING_PASSPHRASE__000_00_01_H15"
    monkeypatch.setenv("EGOV_SIGNING_PASSPHRASE__000_00_01_H15", "rieng")
    assert config.passphrase_for("000.00.01.H15") == b"rieng"
    assert config.passphrase_for("nguyenvanan") == b"chung"


def test_key_names_cannot_leave_the_keys_dir(tmp_path: Path) -> None:
    source = Pkcs12KeySource(tmp_path)
    for name in ("../secret", "a/b", ".passphrase", ""):
        assert not source.has_key(name)
        with pytest.raises(KeyMissing):
            source.signer_for(name)


def test_pkcs11_configuration_parsing() -> None:
    parsed = config.Pkcs11Config.from_environ(
        {
            "EGOV_PKCS11_LIB": "/usr/lib/softhsm/libsofthsm2.so",
            "EGOV_PKCS11_SLOT": "3",
            "EGOV_PKCS11_PIN": "1234",
        }
    )
    assert parsed == config.Pkcs11Config("/usr/lib/softhsm/libsofthsm2.so", 3, None, "1234")
    by_label = config.Pkcs11Config.from_environ(
        {
            "EGOV_PKCS11_LIB": "/lib/token.so",
            "EGOV_PKCS11_TOKEN_LABEL": "SoNoiVu",
            "EGOV_PKCS11_PIN_ENV": "TOKEN_PIN",
            "TOKEN_PIN": "9999",
        }
    )
    assert (by_label.slot, by_label.token_label, by_label.pin) == (None, "SoNoiVu", "9999")
    for broken, message in (
        ({}, "EGOV_PKCS11_LIB"),
        ({"EGOV_PKCS11_LIB": "/lib/x.so"}, "EGOV_PKCS11_SLOT or EGOV_PKCS11_TOKEN_LABEL"),
        ({"EGOV_PKCS11_LIB": "/lib/x.so", "EGOV_PKCS11_SLOT": "một"}, "must be a number"),
    ):
        with pytest.raises(ValueError, match=message):
            config.Pkcs11Config.from_environ(broken)


def test_key_source_by_setting(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.EGOV_SIGNING_KEY_SOURCE = "pkcs12"
    assert isinstance(key_source(), Pkcs12KeySource)
    settings.EGOV_SIGNING_KEY_SOURCE = "pkcs11"
    monkeypatch.setenv("EGOV_PKCS11_LIB", "/nonexistent/libtoken.so")
    monkeypatch.setenv("EGOV_PKCS11_SLOT", "0")
    source = key_source()
    assert isinstance(source, Pkcs11KeySource)
    assert source.settings.slot == 0
    # The module cannot be loaded (or python-pkcs11 is missing): a missing key, not a crash.
    assert not source.has_key("000.00.01.H15")
    settings.EGOV_SIGNING_KEY_SOURCE = "usb"
    with pytest.raises(ValueError):
        key_source()
