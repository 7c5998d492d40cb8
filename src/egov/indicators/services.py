"""Writes of the indicators: the monthly report per agency (generated, stored, sent once).

The fact tables are written by `egov.indicators.facts` (jobs and recomputation), not here.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from egov.audit.services import audit_record
from egov.core.files import file_store
from egov.indicators import dashboards, selectors
from egov.indicators.models import MonthlyReport
from egov.indicators.periods import Period, last_closed_month
from egov.notifications.services import notification_send
from egov.organisations.models import Agency, RoleCode, StaffMember

log = logging.getLogger(__name__)


def _heads(agency: Agency) -> list[StaffMember]:
    return list(
        StaffMember.objects.filter(
            agency=agency, is_active=True, roles__code=RoleCode.AGENCY_LEADER
        )
        .select_related("user")
        .distinct()
        .order_by("pk")
    )


def monthly_report_pdf(*, agency: Agency, month: dt.date, **preloaded: Any) -> bytes:
    period = Period(month.year, "month", month.month)
    data = dashboards.agency_dashboard(agency, period, **preloaded)
    title = _("Báo cáo chỉ số tháng %(p)s – %(a)s") % {"p": period.label, "a": agency.name}
    from egov.indicators.exports import to_pdf  # ReportLab: loaded by the job, not every process

    return to_pdf(data["tables"], title=title)


def monthly_report_send(
    *, agency: Agency, month: dt.date, actor: Any = None, **preloaded: Any
) -> MonthlyReport | None:
    """Generate, store and send one agency's report for a reporting month, once.

    Returns None when it was already sent (or the agency has no head to send it to).
    """
    if MonthlyReport.objects.filter(agency=agency, month=month).exists():
        return None
    heads = _heads(agency)
    if not heads:
        return None
    pdf = monthly_report_pdf(agency=agency, month=month, **preloaded)
    name = f"bao-cao-chi-so-{agency.code}-{month:%Y-%m}.pdf"
    try:
        with transaction.atomic():
            stored = file_store(
                upload=ContentFile(pdf, name=name), field="report", allowed={"pdf"}, actor=actor
            )
            report = MonthlyReport.objects.create(
                agency=agency, month=month, file=stored, recipients=len(heads)
            )
            audit_record(
                actor=actor,
                action="indicator.monthly_report",
                target=report,
                summary=_("Gửi báo cáo chỉ số tháng %(m)s của %(a)s tới %(n)s lãnh đạo")
                % {"m": f"{month:%m/%Y}", "a": agency.name, "n": len(heads)},
                after={"month": month.isoformat(), "file_sha256": stored.sha256},
                agency_id=agency.pk,
            )
            link = reverse("workspace:indicators:report", args=[report.public_id])
            for head in heads:
                notification_send(
                    event="indicators.monthly_report",
                    subject=_("Báo cáo chỉ số tháng %(m)s – %(a)s")
                    % {"m": f"{month:%m/%Y}", "a": agency.abbreviation or agency.name},
                    body=_(
                        "Báo cáo chỉ số tháng %(m)s của %(a)s đã sẵn sàng. Mở liên kết để tải "
                        "bản PDF."
                    )
                    % {"m": f"{month:%m/%Y}", "a": agency.name},
                    recipient_user=head.user,
                    link=link,
                    agency=agency,
                )
    except IntegrityError:  # another worker sent it first
        return None
    return report


def monthly_reports_send(*, month: dt.date | None = None) -> int:
    """Every agency's report for the last closed reporting month (the scheduled job)."""
    month = month or last_closed_month()
    period = Period(month.year, "month", month.month)
    items = selectors.indicators()
    facts = selectors.load_facts(
        sources={i.source for i in items}, periods=period.trend(dashboards.TREND)
    )
    done = set(MonthlyReport.objects.filter(month=month).values_list("agency_id", flat=True))
    sent = 0
    for agency in Agency.objects.filter(is_active=True).exclude(pk__in=done).order_by("pk"):
        try:
            if monthly_report_send(agency=agency, month=month, items=items, facts=facts):
                sent += 1
        except Exception:  # one agency's failure must not stop the others
            log.exception("monthly report failed for agency %s", agency.pk)
    return sent
