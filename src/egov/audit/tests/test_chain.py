import pytest
from django.db import connection, transaction

from egov.audit.models import AuditEntry
from egov.audit.services import audit_record
from egov.audit.verify import verify_chain
from egov.organisations.testing import make_agency

pytestmark = pytest.mark.django_db


def _write(n: int) -> list[AuditEntry]:
    agency = make_agency()
    entries = []
    for i in range(n):
        with transaction.atomic():
            entries.append(audit_record(actor=None, action="test.touch", target=agency, summary=f"lần {i}"))
    return entries


def test_intact_chain_verifies():
    _write(5)
    result = verify_chain()
    assert result.ok and result.checked == 5


def test_edited_row_is_named():
    entries = _write(5)
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditentry SET summary = %s WHERE id = %s", ["sửa trái phép", entries[2].id])
    result = verify_chain()
    assert not result.ok and result.broken_id == entries[2].id


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


@pytest.mark.django_db(transaction=True)
def test_outside_transaction_is_refused():
    agency = make_agency()
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="x", target=agency)
