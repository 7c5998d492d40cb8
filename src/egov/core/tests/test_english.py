"""The English catalogue: Vietnamese is the source language, English the translation (ADR 0003).

The completeness checks look only at the committed catalogue (every entry translated, none
fuzzy, the .mo compiled from this .po), not at the source tree: new Vietnamese strings are
added all the time and reach the catalogue on the next `egov makemessages` run; until then
they show in Vietnamese, which is the accepted fallback.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _

from egov.organisations.models import RoleCode
from egov.organisations.testing import make_agency, make_staff

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sdif]|%[sdif]|\{[A-Za-z_0-9]*\}")


# --- a tiny .po reader -------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[str, str] = field(default_factory=dict)  # "msgstr" or "msgstr[n]" → text
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def _entries(text: str) -> list[Entry]:
    """The entries of a .po file, the header first."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry, key, seen = Entry(), "", False
        for line in block.splitlines():
            if line.startswith("#~"):
                entry.obsolete = True
            elif line.startswith("#,"):
                entry.flags |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                _add(entry, key, ast.literal_eval(line))
            else:
                key, _sep, value = line.partition(" ")
                seen = seen or key == "msgid"
                _add(entry, key, ast.literal_eval(value))
        if seen:
            entries.append(entry)
    return entries


def _add(entry: Entry, key: str, text: str) -> None:
    if key == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    elif key == "msgid":
        entry.msgid += text
    elif key == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    elif key.startswith("msgstr"):
        entry.msgstr[key] = entry.msgstr.get(key, "") + text


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return _entries(PO.read_text(encoding="utf-8"))


def _without_creation_date(catalogue: dict[object, str]) -> dict[object, str]:
    # msgfmt leaves the POT-Creation-Date header line out of the .mo.
    header = re.sub(r"^POT-Creation-Date: .*\n", "", catalogue.get("", ""), flags=re.M)
    return {**catalogue, "": header}


def _catalogue(entries: list[Entry]) -> dict[object, str]:
    """The .po as Python's gettext sees a .mo: msgid → msgstr, (msgid, n) → plural form."""
    catalogue: dict[object, str] = {}
    for e in entries:
        if e.obsolete or "fuzzy" in e.flags:
            continue
        # A context (pgettext) is stored as "context\x04msgid", as msgfmt writes it.
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is not None:
            for n in range(2):
                catalogue[(key, n)] = e.msgstr[f"msgstr[{n}]"]
        else:
            catalogue[key] = e.msgstr["msgstr"]
    return _without_creation_date(catalogue)


def _mo_catalogue(path: Path) -> dict[object, str]:
    with path.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    return _without_creation_date(dict(catalogue))


# --- the catalogue is complete and compiled -----------------------------------------------------


def test_header_declares_english_and_its_plural_rule(entries: list[Entry]) -> None:
    header = entries[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header.msgstr["msgstr"]
    assert "charset=UTF-8" in header.msgstr["msgstr"]


def test_every_entry_is_translated_and_none_is_fuzzy(entries: list[Entry]) -> None:
    live = [e for e in entries[1:] if not e.obsolete]
    assert len(live) > 500  # the catalogue was generated, not left empty
    untranslated = [e.msgid for e in live if not e.msgstr or not all(e.msgstr.values())]
    fuzzy = [e.msgid for e in live if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_plural_entries_have_both_forms(entries: list[Entry]) -> None:
    plurals = [e for e in entries[1:] if e.msgid_plural is not None]
    assert all(set(e.msgstr) == {"msgstr[0]", "msgstr[1]"} for e in plurals)


def test_translations_keep_the_placeholders(entries: list[Entry]) -> None:
    wrong = []
    for e in entries[1:]:
        for key, text in e.msgstr.items():
            source = e.msgid_plural if key == "msgstr[1]" and e.msgid_plural else e.msgid
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                wrong.append((e.msgid, text))
    assert not wrong, wrong


def test_the_committed_mo_is_compiled_from_the_committed_po(entries: list[Entry]) -> None:
    # Needs no gettext tools: Python reads the .mo, the little reader above reads the .po.
    assert _mo_catalogue(MO) == _catalogue(entries), (
        "django.mo is out of date: run `egov compilemessages` (see docs/guides/translating.md)"
    )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_msgfmt_accepts_the_po_and_gives_the_committed_mo(tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(fresh), str(PO)],
        check=True,
        capture_output=True,
    )
    assert _mo_catalogue(fresh) == _mo_catalogue(MO)


# --- key strings in English -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vietnamese", "english"),
    [
        ("Đăng nhập", "Sign in"),
        ("Đăng xuất", "Sign out"),
        ("Không gian làm việc", "Workspace"),
        ("Xác thực hai lớp", "Two-factor authentication"),
        ("Lịch làm việc", "Working calendar"),
        ("Nhật ký hệ thống", "Audit log"),
        ("Ủy quyền", "Delegation"),
        ("Hồ sơ quy trình", "Workflow instance"),
    ],
)
def test_key_strings_translate(vietnamese: str, english: str) -> None:
    with translation.override("en"):
        assert _(vietnamese) == english
    with translation.override("vi"):
        assert _(vietnamese) == vietnamese


def test_role_labels_are_the_glossary_names() -> None:
    expected = {
        RoleCode.CLERK: "Clerk",
        RoleCode.ONE_STOP_OFFICER: "One-stop officer",
        RoleCode.SPECIALIST: "Specialist",
        RoleCode.UNIT_HEAD: "Unit head",
        RoleCode.AGENCY_LEADER: "Agency leader",
        RoleCode.CITY_LEADER: "City leader",
        RoleCode.ADMINISTRATOR: "Administrator",
    }
    assert set(expected) == set(RoleCode)
    with translation.override("en"):
        assert {code: str(code.label) for code in RoleCode} == expected


def test_placeholders_survive_translation() -> None:
    with translation.override("en"):
        text = _("Trang %(number)s/%(total)s") % {"number": 2, "total": 7}
    assert text == "Page 2 of 7"


def test_a_string_missing_from_the_catalogue_falls_back_to_vietnamese() -> None:
    with translation.override("en"):
        assert _("Chuỗi mới chưa được dịch") == "Chuỗi mới chưa được dịch"


# --- pages in English ---------------------------------------------------------------------------


@pytest.fixture
def english_client(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_the_portal_home_page_in_english(english_client: Client) -> None:
    response = english_client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Skip to main content" in html
    assert "Search administrative procedures" in html
    assert f"{settings.EGOV_PROVINCE_NAME} City Public Service Portal" in html
    assert "Tra cứu thủ tục hành chính" not in html


@pytest.mark.django_db
def test_the_login_page_in_english(english_client: Client) -> None:
    response = english_client.get("/accounts/login/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "<title>Sign in" in html
    assert "Username" in html
    assert "Password" in html
    assert "Register an account" in html
    assert "Tên đăng nhập" not in html
    assert "Mật khẩu" not in html


@pytest.mark.django_db
def test_without_the_cookie_the_login_page_stays_vietnamese(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()

    assert '<html lang="vi"' in html
    assert "Tên đăng nhập" in html


@pytest.mark.django_db
def test_the_workspace_in_english_shows_english_roles(english_client: Client) -> None:
    staff = make_staff(agency=make_agency(), roles=[RoleCode.SPECIALIST])
    english_client.force_login(staff.user)

    response = english_client.get("/app/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Workspace" in html
    assert "Specialist" in html
    assert "Chuyên viên" not in html
