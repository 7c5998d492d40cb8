"""notification_send, the delivery job and the in-app read state."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from huey.exceptions import RetryTask

from egov.audit.models import AuditEntry
from egov.core.errors import NotFound, ValidationFailed
from egov.notifications import selectors, services
from egov.notifications.jobs import notification_deliver
from egov.notifications.models import Channel, Delivery, DeliveryStatus, Notification
from egov.notifications.phones import phone_international, phone_is_valid, phone_normalise
from egov.notifications.sms import LogSmsProvider, sms_provider
from egov.organisations.testing import make_agency, make_staff

pytestmark = pytest.mark.django_db

SENT_SMS: list[tuple[str, str]] = []


class FailingSmsProvider:
    code = "failing"

    def send(self, phone: str, text: str) -> str:
        raise ConnectionError("gateway unreachable")


class RecordingSmsProvider:
    code = "recording"

    def send(self, phone: str, text: str) -> str:
        SENT_SMS.append((phone, text))
        return f"msg-{len(SENT_SMS)}"


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    settings.SITE_URL = "https://dichvucong.example.vn"
    SENT_SMS.clear()
    return tmp_path


def _send(**kwargs: Any) -> Notification:
    values: dict[str, Any] = {
        "event": "dossier.status_changed",
        "subject": "Hồ sơ 000.00.01.H15-260101-0001 đã được tiếp nhận",
        "body": "Hồ sơ của Ông/Bà đã được tiếp nhận.\nHạn trả kết quả: 15/01/2026.",
        "email": "nguyen.van.an@example.vn",
        "phone": "0905 123 456",
        "link": "/tra-cuu/ho-so/abc/",
    }
    values.update(kwargs)
    return services.notification_send(**values)


def _delivery(notification: Notification, channel: str) -> Delivery:
    return Delivery.objects.get(notification=notification, channel=channel)


# --- on commit, never on rollback -----------------------------------------------------------


def test_deliveries_wait_for_the_commit(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        notification = _send(channels=("email", "sms"))
        assert mail.outbox == []
        assert _delivery(notification, "email").status == DeliveryStatus.QUEUED
    assert len(callbacks) == 2  # one job per delivery
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert _delivery(notification, "email").status == DeliveryStatus.SENT
    assert _delivery(notification, "sms").status == DeliveryStatus.SENT


def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks: Any) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _send()
        raise RuntimeError("the caller's operation failed")
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


# --- e-mail ---------------------------------------------------------------------------------


def test_email_lands_in_the_outbox_when_the_job_runs(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = make_staff(agency=make_agency(), full_name="Nguyễn Văn An").user
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send(recipient_user=user, email=None, phone="", channels=("email",))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "Hồ sơ 000.00.01.H15-260101-0001 đã được tiếp nhận"
    assert "Kính gửi Ông/Bà Nguyễn Văn An" in message.body
    assert "Hạn trả kết quả: 15/01/2026." in message.body
    assert "https://dichvucong.example.vn/tra-cuu/ho-so/abc/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="https://dichvucong.example.vn/tra-cuu/ho-so/abc/"' in html
    assert "<br>" in html  # line breaks of the body kept
    delivery = _delivery(notification, "email")
    assert delivery.attempts == 1
    assert delivery.sent_at is not None
    assert delivery.provider_message_id == message.extra_headers["Message-ID"]


def test_html_escapes_the_body(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _send(body="<script>alert(1)</script>", channels=("email",))
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


# --- SMS ------------------------------------------------------------------------------------


def test_the_log_provider_writes_the_sms_log(
    django_capture_on_commit_callbacks: Any, _data_dir: Path, caplog: Any
) -> None:
    caplog.set_level("INFO", logger="egov.sms")
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send(channels=("sms",))
    log = (_data_dir / "sms.log").read_text(encoding="utf-8")
    assert "\t0905123456\tHồ sơ 000.00.01.H15-260101-0001 đã được tiếp nhận." in log
    assert len(log.splitlines()) == 1  # the body's line break is flattened
    delivery = _delivery(notification, "sms")
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.provider_message_id in log
    assert any("0905123456" in r.getMessage() for r in caplog.records if r.name == "egov.sms")


def test_the_provider_comes_from_the_setting(settings: Any) -> None:
    assert isinstance(sms_provider(), LogSmsProvider)
    settings.EGOV_SMS_PROVIDER = f"{__name__}.RecordingSmsProvider"
    assert sms_provider().code == "recording"
    settings.EGOV_SMS_PROVIDER = "egov.notifications.phones.phone_is_valid"
    with pytest.raises(TypeError):
        sms_provider()


def test_a_failing_provider_is_retried_then_recorded_failed(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EGOV_SMS_PROVIDER = f"{__name__}.FailingSmsProvider"
    settings.EGOV_NOTIFY_MAX_ATTEMPTS = 3
    settings.EGOV_NOTIFY_RETRY_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send(channels=("sms",))
    delivery = _delivery(notification, "sms")
    # The immediate queue ran the job once; its retry waits in the schedule.
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.QUEUED, 1)
    assert "ConnectionError: gateway unreachable" in delivery.last_error
    with pytest.raises(RetryTask) as retry:
        notification_deliver.call_local(delivery.pk)
    assert retry.value.delay == 120  # backoff doubles
    assert notification_deliver.call_local(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert delivery.sent_at is None
    entry = AuditEntry.objects.get(action="notification.undelivered")
    assert entry.after["attempts"] == 3
    # A failed delivery is not tried again.
    assert notification_deliver.call_local(delivery.pk) == "skipped"


def test_a_provider_that_recovers_sends_once(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EGOV_SMS_PROVIDER = f"{__name__}.FailingSmsProvider"
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send(channels=("sms",))
    settings.EGOV_SMS_PROVIDER = f"{__name__}.RecordingSmsProvider"
    delivery = _delivery(notification, "sms")
    assert notification_deliver.call_local(delivery.pk) == "sent"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert delivery.provider_message_id == "msg-1"


def test_an_invalid_phone_is_a_failed_delivery_not_an_error(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = _send(phone="12345", channels=("sms", "email"))
    assert len(callbacks) == 1  # only the e-mail is queued
    delivery = _delivery(notification, "sms")
    assert delivery.status == DeliveryStatus.FAILED
    assert "Số điện thoại không hợp lệ" in delivery.last_error


# --- idempotence ----------------------------------------------------------------------------


def test_a_sent_delivery_is_not_sent_twice(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EGOV_SMS_PROVIDER = f"{__name__}.RecordingSmsProvider"
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send(channels=("email", "sms"))
    for channel in ("email", "sms"):
        assert notification_deliver.call_local(_delivery(notification, channel).pk) == "skipped"
    assert len(mail.outbox) == 1
    assert len(SENT_SMS) == 1
    assert _delivery(notification, "sms").attempts == 1


def test_a_delivery_held_by_another_worker_is_skipped(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        notification = _send(channels=("email",))
    delivery = _delivery(notification, "email")
    Delivery.objects.filter(pk=delivery.pk).update(
        locked_until=timezone.now() + timedelta(minutes=1)
    )
    callbacks[0]()
    assert mail.outbox == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.QUEUED, 0)


def test_stale_queued_deliveries_are_queued_again(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks():  # the job is "lost": never run
        notification = _send(channels=("email",))
    assert services.deliveries_requeue_stale() == 0  # too recent to be lost
    Delivery.objects.filter(notification=notification).update(
        updated_at=timezone.now() - timedelta(hours=3)
    )
    assert services.deliveries_requeue_stale() == 1
    assert len(mail.outbox) == 1
    assert _delivery(notification, "email").status == DeliveryStatus.SENT


# --- what is recorded -----------------------------------------------------------------------


def test_send_writes_the_audit_row_and_skips_channels_with_nowhere_to_go() -> None:
    agency = make_agency()
    officer = make_staff(agency=agency).user
    notification = _send(phone="", actor=officer, agency=agency)
    assert notification.channels == ["email"]  # no phone, no user for in-app
    assert list(notification.deliveries.values_list("channel", flat=True)) == ["email"]
    entry = AuditEntry.objects.get(action="notification.send")
    assert entry.actor_id == officer.pk
    assert entry.agency_id == agency.pk
    assert entry.after["deliveries"] == {"email": "queued"}


def test_unknown_channel_or_empty_subject_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        _send(channels=("fax",))
    with pytest.raises(ValidationFailed):
        _send(subject="  ")
    assert not Notification.objects.exists()


# --- in-app ---------------------------------------------------------------------------------


def test_in_app_notifications_read_and_unread() -> None:
    agency = make_agency()
    user, other = make_staff(agency=agency).user, make_staff(agency=agency).user
    first = _send(recipient_user=user, email="", phone="", channels=("in_app",))
    second = _send(recipient_user=user, email="", phone="", channels=("in_app",), subject="Hai")
    _send(recipient_user=user, channels=("email",))  # not in-app: not in the centre
    _send(recipient_user=other, email="", phone="", channels=("in_app",))
    assert _delivery(first, Channel.IN_APP).status == DeliveryStatus.SENT
    assert list(selectors.notifications_for(user)) == [second, first]
    assert selectors.unread_count(user) == 2

    services.notification_mark_read(actor=user, notification=first)
    assert selectors.unread_count(user) == 1
    assert list(selectors.notifications_for(user, unread_only=True)) == [second]
    services.notification_mark_read(actor=user, notification=first)  # again: no new audit row
    assert AuditEntry.objects.filter(action="notification.read").count() == 1

    with pytest.raises(NotFound):
        services.notification_mark_read(actor=other, notification=second)
    assert services.notification_mark_all_read(actor=user) == 1
    assert selectors.unread_count(user) == 0
    assert selectors.unread_count(other) == 1


# --- phone numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "national"),
    [
        ("0905123456", "0905123456"),
        ("090 512 3456", "0905123456"),
        ("090.512.3456", "0905123456"),
        ("+84905123456", "0905123456"),
        ("+84 905 123 456", "0905123456"),
        ("84905123456", "0905123456"),
    ],
)
def test_valid_phone_numbers(raw: str, national: str) -> None:
    assert phone_normalise(raw) == national
    assert phone_international(raw) == "+84" + national[1:]


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "090512345",
        "09051234567",
        "1905123456",
        "+840905123456",
        "abc",
        "+1 905123456",
        "0236 3821 234",  # a landline (11 digits): it cannot receive SMS
    ],
)
def test_invalid_phone_numbers(raw: str) -> None:
    assert not phone_is_valid(raw)
    with pytest.raises(ValidationFailed):
        phone_normalise(raw)
