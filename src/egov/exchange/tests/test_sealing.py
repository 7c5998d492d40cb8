"""`Partner.token_out` at rest: sealed with Fernet in the database, clear in Python; keys from
EGOV_FIELD_KEY (rotation) or derived from SECRET_KEY; the migration seals existing values."""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from egov.exchange import services
from egov.exchange.models import OutboundStatus, Partner
from egov.exchange.sealing import PREFIX, SealError, Unreadable, reseal, seal, unseal
from egov.exchange.tests.conftest import PartnerServer, issued_document, make_here, partner

pytestmark = pytest.mark.django_db

TOKEN = "egovx_their-secret-token-123"


def stored(p: Partner) -> str:
    """The column as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT token_out FROM exchange_partner WHERE id = %s", [p.pk])
        return str(cursor.fetchone()[0])


def write_raw(p: Partner, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE exchange_partner SET token_out = %s WHERE id = %s", [value, p.pk])


def test_token_out_is_sealed_in_the_database_and_clear_in_python() -> None:
    p, _ = partner(token_out=TOKEN)

    raw = stored(p)

    assert raw.startswith(PREFIX) and TOKEN not in raw
    assert Partner.objects.get(pk=p.pk).token_out == TOKEN
    assert Partner.objects.values_list("token_out", flat=True).get(pk=p.pk) == TOKEN


def test_sealing_is_randomised_and_empty_stays_empty() -> None:
    assert seal(TOKEN) != seal(TOKEN)
    assert unseal(seal(TOKEN)) == TOKEN
    assert seal("") == "" and unseal("") == ""
    p, _ = partner(token_out="")
    assert stored(p) == ""


def test_a_clear_value_is_not_accepted_as_sealed() -> None:
    with pytest.raises(SealError):
        unseal(TOKEN)


def test_updating_the_token_reseals_it() -> None:
    p, _ = partner(token_out=TOKEN)
    before = stored(p)

    services.partner_set_token_out(actor=None, partner=p, token_out="new-token")

    assert stored(p) != before and "new-token" not in stored(p)
    assert Partner.objects.get(pk=p.pk).token_out == "new-token"


def test_field_key_rotation(settings: Any) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.EGOV_FIELD_KEY = old
    p, _ = partner(token_out=TOKEN)
    sealed_with_old = stored(p)

    # The new key first, the old one still listed: old values read, new ones use the new key.
    settings.EGOV_FIELD_KEY = f"{new},{old}"
    assert Partner.objects.get(pk=p.pk).token_out == TOKEN
    write_raw(p, reseal(sealed_with_old))
    settings.EGOV_FIELD_KEY = new
    assert Partner.objects.get(pk=p.pk).token_out == TOKEN


def test_values_sealed_with_the_secret_key_still_read_after_setting_a_field_key(
    settings: Any,
) -> None:
    settings.EGOV_FIELD_KEY = ""
    p, _ = partner(token_out=TOKEN)

    settings.EGOV_FIELD_KEY = Fernet.generate_key().decode()

    assert Partner.objects.get(pk=p.pk).token_out == TOKEN


def test_a_malformed_field_key_is_refused_with_how_to_make_one(settings: Any) -> None:
    settings.EGOV_FIELD_KEY = "not-a-key"

    with pytest.raises(SealError, match="EGOV_FIELD_KEY không hợp lệ"):
        seal(TOKEN)


def test_unreadable_after_a_key_change_keeps_the_row_and_says_why_on_delivery(
    settings: Any, partner_server: PartnerServer
) -> None:
    here = make_here()
    settings.EGOV_FIELD_KEY = Fernet.generate_key().decode()
    p, _ = partner(url=partner_server.url, token_out=TOKEN)
    sealed = stored(p)

    settings.EGOV_FIELD_KEY = Fernet.generate_key().decode()
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    loaded = Partner.objects.get(pk=p.pk)
    assert isinstance(loaded.token_out, Unreadable) and not loaded.token_out

    # Saving the row (here: an edit of its name) writes the sealed value back unchanged.
    services.partner_update(actor=None, partner=loaded, name="Tên mới", url=p.url)
    assert stored(p) == sealed

    document, recipient = issued_document(here)
    outbound = services.outbox_enqueue(document_id=document.pk, recipient_id=recipient.pk)
    outcome = services.outbound_attempt(outbound_id=outbound.pk, force=True)
    outbound.refresh_from_db()
    assert outcome.status == "retry"
    assert outbound.status == OutboundStatus.QUEUED
    assert "Không giải mã được mã truy cập" in outbound.last_error
    assert partner_server.received == []  # nothing sent with a wrong token


def test_the_migration_seals_clear_values_and_unseals_going_back() -> None:
    migration = importlib.import_module("egov.exchange.migrations.0002_seal_partner_token_out")
    p, _ = partner(token_out=TOKEN)
    q, _ = partner(organ_id="000.00.00.H49", token_out="")
    write_raw(p, TOKEN)  # as it was before the migration
    editor = SimpleNamespace(connection=connection)

    migration.seal_clear_tokens(None, editor)
    assert stored(p).startswith(PREFIX) and unseal(stored(p)) == TOKEN
    assert stored(q) == ""
    again = stored(p)
    migration.seal_clear_tokens(None, editor)  # idempotent
    assert stored(p) == again

    migration.unseal_tokens(None, editor)
    assert stored(p) == TOKEN


def test_reseal_command_after_a_key_rotation(settings: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.EGOV_FIELD_KEY = old
    p, _ = partner(token_out=TOKEN)
    settings.EGOV_FIELD_KEY = f"{new},{old}"
    out = StringIO()

    call_command("exchange", "partner", "reseal", stdout=out)

    assert "Đã mã hóa lại 1 mã truy cập." in out.getvalue()
    settings.EGOV_FIELD_KEY = new  # the old key dropped: still readable
    assert Partner.objects.get(pk=p.pk).token_out == TOKEN
