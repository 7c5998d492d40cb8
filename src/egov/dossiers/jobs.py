"""Background jobs of the dossiers: thin, take ids, idempotent enough to retry."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.dossiers.models import Dossier
from egov.jobs import job

# Events that concern the applicant, and the sentence that tells them.
EVENT_TEXT = {
    "submitted": "Hồ sơ %(code)s đã được nộp và đang chờ tiếp nhận.",
    "received": ("Hồ sơ %(code)s đã được tiếp nhận. Ngày hẹn trả kết quả: %(due)s."),
    "supplement_requested": (
        "Hồ sơ %(code)s cần bổ sung, hoàn thiện. Vui lòng xem nội dung cần bổ sung và nộp bổ sung."
    ),
    "supplemented": "Hồ sơ %(code)s đã được bổ sung và tiếp tục được giải quyết.",
    "refused": "Hồ sơ %(code)s bị từ chối giải quyết. Vui lòng xem lý do trên trang tra cứu.",
    "suspended": "Hồ sơ %(code)s tạm dừng giải quyết.",
    "resumed": "Hồ sơ %(code)s tiếp tục được giải quyết. Ngày hẹn trả kết quả: %(due)s.",
    "apology": (
        "Cơ quan giải quyết xin lỗi vì hồ sơ %(code)s chậm so với hẹn; ngày hẹn trả kết quả "
        "mới: %(due)s."
    ),
    "result_ready": "Hồ sơ %(code)s đã có kết quả, đang chờ trả.",
    "returned": "Kết quả giải quyết hồ sơ %(code)s đã được trả. Mời bạn đánh giá mức độ hài lòng.",
    "withdrawn": "Hồ sơ %(code)s đã được rút theo đề nghị của bạn.",
    "payment_confirmed": "Khoản nộp phí, lệ phí của hồ sơ %(code)s đã được xác nhận.",
}


def _link(code: str) -> str | None:
    try:
        return reverse("portal:tracking:dossier", args=[code])
    except NoReverseMatch:
        return None


@job(retries=3, retry_delay=60)
def dossier_notify(dossier_id: int, event: str) -> None:
    """Tell the applicant about `event` on the dossier (email, and SMS through the provider)."""
    from egov.notifications.services import notification_send

    dossier = Dossier.objects.select_related("applicant", "agency").filter(pk=dossier_id).first()
    if dossier is None or event not in EVENT_TEXT:
        return
    due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y") if dossier.due_at else ""
    body = _(EVENT_TEXT[event]) % {"code": dossier.code, "due": due}
    subject = _("[%(agency)s] Hồ sơ %(code)s") % {
        "agency": dossier.agency.abbreviation or dossier.agency.name,
        "code": dossier.code,
    }
    notification_send(
        event=f"dossier.{event}",
        subject=subject,
        body=body,
        recipient_user=dossier.applicant,
        email=dossier.applicant_email or None,
        phone=dossier.applicant_phone or None,
        link=_link(dossier.code),
        agency=dossier.agency,
    )
