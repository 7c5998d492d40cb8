"""The monthly report: generated and sent once per agency and month, to its heads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from egov.indicators.models import DossierMonthlyFact, MonthlyReport
from egov.indicators.services import monthly_reports_send
from egov.notifications.models import Notification
from egov.organisations.models import RoleCode as R
from egov.organisations.testing import make_agency, make_staff

pytestmark = pytest.mark.django_db


def test_reports_are_sent_once_per_agency_and_month(client: Any) -> None:
    a, b, headless = make_agency(), make_agency(), make_agency()
    head_a = make_staff(agency=a, roles=[R.AGENCY_LEADER])
    make_staff(agency=b, roles=[R.AGENCY_LEADER])
    make_staff(agency=b, roles=[R.AGENCY_LEADER])
    DossierMonthlyFact.objects.create(
        agency=a, month=dt.date(2026, 3, 1), decided=10, decided_on_time=7, decided_late=3
    )
    march = dt.date(2026, 3, 1)

    assert monthly_reports_send(month=march) == 2
    assert monthly_reports_send(month=march) == 0

    assert MonthlyReport.objects.filter(month=march).count() == 2
    assert not MonthlyReport.objects.filter(agency=headless).exists()
    sent = Notification.objects.filter(event="indicators.monthly_report")
    assert sent.count() == 3
    report = MonthlyReport.objects.get(agency=a)
    link = reverse("workspace:indicators:report", args=[report.public_id])
    assert sent.filter(recipient_user=head_a.user, link=link).exists()

    client.force_login(head_a.user)
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    other = MonthlyReport.objects.get(agency=b)
    assert (
        client.get(reverse("workspace:indicators:report", args=[other.public_id])).status_code
        == 404
    )
