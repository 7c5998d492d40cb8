from datetime import UTC, datetime

import pytest
from django.db import connection, transaction

from egov.audit.chain import canonical_json, json_safe
from egov.audit.models import AuditChainHead, AuditEntry
from egov.audit.services import audit_record, chain_for
from egov.audit.verify import verify_chain
from egov.organisations.testing import make_agency

pytestmark = pytest.mark.django_db


def _write(n: int, **kwargs) -> list[AuditEntry]:
    agency = make_agency()
    entries = []
    for i in range(n):
        with transaction.atomic():
            entries.append(
                audit_record(
                    actor=None,
                    action="test.touch",
                    target=agency,
                    summary=f"lần {i}",
                    **kwargs,
                )
            )
    return entries


def test_intact_chain_verifies():
    _write(5)
    result = verify_chain()
    assert result.ok and result.checked == 5
    assert result.describe() == "Chuỗi nhật ký toàn vẹn: 5 bản ghi."


def test_empty_chain_verifies():
    assert verify_chain().ok


def test_edited_row_is_named():
    entries = _write(5)
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_auditentry SET summary = %s WHERE id = %s",
            ["sửa trái phép", entries[2].id],
        )
    result = verify_chain()
    assert not result.ok and result.broken_id == entries[2].id
    assert result.broken_action == "test.touch" and result.broken_at is not None
    assert f"#{entries[2].id}" in result.describe()
    assert result.checked == 2


def test_edited_json_is_detected():
    entries = _write(3, after={"trạng_thái": "đã duyệt"})
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_auditentry SET after = %s WHERE id = %s",
            ['{"trạng_thái": "từ chối"}', entries[1].id],
        )
    result = verify_chain()
    assert not result.ok and result.broken_id == entries[1].id


def test_deleted_middle_row_is_detected():
    entries = _write(5)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].id])
    result = verify_chain()
    assert not result.ok and result.broken_id == entries[2].id


def test_deleted_last_row_is_detected():
    entries = _write(3)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[-1].id])
    assert not verify_chain().ok


def test_deleted_head_is_detected():
    _write(2)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditchainhead")
    assert not AuditChainHead.objects.exists()
    assert not verify_chain().ok


def test_rehashed_suffix_without_the_head_is_detected():
    # Someone rewrites the last row and recomputes its hash, but cannot move the head.
    entries = _write(3)
    last = entries[-1]
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_auditentry SET summary = %s, hash = %s WHERE id = %s",
            ["giả", "f" * 64, last.id],
        )
    result = verify_chain()
    assert not result.ok and result.broken_id == last.id


def test_entries_are_append_only_through_the_orm():
    entry = _write(1)[0]
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


@pytest.mark.django_db(transaction=True)
def test_outside_transaction_is_refused():
    agency = make_agency()
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="x", target=agency)


# --- what the database gives back must hash the same (SQLite text JSON, PostgreSQL jsonb) ----

AWKWARD_VALUES = {
    "số_nguyên": 42,
    "số_lớn": 12345678901234567890,
    "âm": -7,
    "thực": 0.1,
    "thực_dài": 1.2345678901234567,
    "thực_nguyên": 1.0,
    "mũ_lớn": 1e20,
    "mũ_rất_lớn": 3e300,
    "mũ_nhỏ": 1.5e-7,
    "âm_không": -0.0,
    "nan": float("nan"),
    "vô_cực": float("inf"),
    "tiếng_việt": "Quyết định số 13/CT-UBND – Đà Nẵng “ngoặc” 😀",
    "nul": "a\x00b",
    "lồng": {"z": [1, 2.0, {"b": None, "a": True}], "a": []},
    "khóa_số": {1: "một", 2: "hai"},
    "bộ": (1, "hai"),
}


def test_awkward_json_round_trips_and_verifies():
    entry = _write(1, before={"x": 1}, after=AWKWARD_VALUES)[0]
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.after == json_safe(AWKWARD_VALUES)
    assert canonical_json(stored.after) == canonical_json(entry.after)
    assert stored.after["mũ_lớn"] == 10**20 and stored.after["thực_nguyên"] == 1
    assert stored.after["nul"] == "a\ufffdb" and stored.after["nan"] == "nan"
    assert verify_chain().ok


def test_reordered_keys_do_not_break_the_chain():
    entry = _write(1, after={"b": 1, "a": {"d": 2, "c": 3}})[0]
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_auditentry SET after = %s WHERE id = %s",
            ['{"a": {"c": 3, "d": 2}, "b": 1}', entry.id],
        )
    assert verify_chain().ok


def test_occurred_at_keeps_microseconds():
    entry = _write(1)[0]
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.occurred_at == entry.occurred_at
    assert stored.occurred_at.astimezone(UTC).microsecond == entry.occurred_at.microsecond


def test_canonical_json_is_stable():
    assert canonical_json({"b": 1.0, "a": [1e20, -0.0]}) == '{"a":[100000000000000000000,0],"b":1}'
    assert canonical_json([datetime(2026, 1, 1, tzinfo=UTC).isoformat()]) == (
        '["2026-01-01T00:00:00+00:00"]'
    )


@pytest.mark.django_db(transaction=True)
def test_each_agency_has_its_own_chain_and_a_transaction_keeps_to_one():
    first, second = make_agency(), make_agency()
    with transaction.atomic():
        audit_record(actor=None, action="thu.mot", target=first)
        # Same transaction, another agency: still the first chain (one head lock each).
        audit_record(actor=None, action="thu.hai", target=second)
    with transaction.atomic():
        audit_record(actor=None, action="thu.ba", target=second)
    with transaction.atomic():
        audit_record(actor=None, action="thu.bon", target=first)
    chains = dict(AuditEntry.objects.values_list("action", "chain"))
    assert chains == {
        "thu.mot": chain_for(first.pk),
        "thu.hai": chain_for(first.pk),
        "thu.ba": chain_for(second.pk),
        "thu.bon": chain_for(first.pk),
    }
    # Each entry still names its own agency.
    assert AuditEntry.objects.get(action="thu.hai").agency_id == second.pk
    heads = dict(AuditChainHead.objects.values_list("name", "entry_count"))
    assert heads == {chain_for(first.pk): 3, chain_for(second.pk): 1}
    assert verify_chain().ok and verify_chain().checked == 4


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_does_not_pin_the_next_one_to_its_chain():
    first, second = make_agency(), make_agency()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="thu.huy", target=first)
        raise RuntimeError("the service failed")
    with transaction.atomic():
        audit_record(actor=None, action="thu.sau", target=second)
    assert AuditEntry.objects.get().chain == chain_for(second.pk)
    assert verify_chain().ok


def test_entry_moved_to_another_chain_is_detected():
    entries = _write(3)
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditentry SET chain = %s WHERE id = %s", ["main", entries[1].id])
    result = verify_chain()
    assert not result.ok and result.broken_id == entries[1].id
