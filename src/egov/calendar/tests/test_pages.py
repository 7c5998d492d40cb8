"""The workspace page /app/lich/ and the API twin GET /api/v1/calendar/due."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from egov.audit.models import AuditEntry
from egov.calendar.models import CalendarException
from egov.calendar.services import calendar_exception_set
from egov.organisations.models import Agency, RoleCode
from egov.organisations.testing import make_agency, make_staff

pytestmark = pytest.mark.django_db

PAGE = "/app/lich/"
SET = "/app/lich/dat-ngay/"
CLEAR = "/app/lich/bo-ngay/"
DUE = "/api/v1/calendar/due"


def _client(agency: Agency, role: str = RoleCode.ADMINISTRATOR) -> Client:
    client = Client()
    client.force_login(make_staff(agency=agency, roles=[role]).user)
    return client


@pytest.fixture
def agency() -> Agency:
    return make_agency()


def test_urls_are_named() -> None:
    assert reverse("workspace:calendar:year") == PAGE
    assert reverse("workspace:calendar:exception_set") == SET
    assert reverse("workspace:calendar:exception_clear") == CLEAR


def test_anonymous_goes_to_login(client: Client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302 and "next=" in response["Location"]


@pytest.mark.parametrize("role", [RoleCode.SPECIALIST, RoleCode.CLERK, RoleCode.AGENCY_LEADER])
def test_roles_without_calendar_manage_are_refused(agency: Agency, role: str) -> None:
    client = _client(agency, role)
    assert client.get(PAGE).status_code == 403
    data = {"day": "2027-03-05", "kind": "off", "reason": "x", "scope": "shared"}
    assert client.post(SET, data).status_code == 403
    assert not CalendarException.objects.exists()


def test_page_lists_the_years_days_and_the_table(agency: Agency) -> None:
    calendar_exception_set(
        actor=None, day=date(2026, 9, 4), working=False, reason="Nghỉ thêm", legal_reference="CV 7"
    )
    response = _client(agency).get(PAGE, {"nam": "2026"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lịch làm việc" in body and "2026" in body
    assert "Làm bù cho ngày nghỉ 31/08/2026" in body
    assert "Nghỉ thêm" in body and "CV 7" in body
    assert 'name="reason"' in body


def test_page_query_count_does_not_grow_with_rows(agency: Agency) -> None:
    client = _client(agency)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(PAGE, {"nam": "2027"}).status_code == 200
        return len(context)

    calendar_exception_set(actor=None, day=date(2027, 3, 1), working=False, reason="N 1")
    few = queries()
    for day in range(2, 20):
        calendar_exception_set(actor=None, day=date(2027, 3, day), working=False, reason=f"N {day}")
    assert queries() == few <= 15


def test_add_and_clear_through_the_page(agency: Agency) -> None:
    client = _client(agency)
    data = {
        "day": "2027-03-13",
        "kind": "working",
        "reason": "Làm bù",
        "legal_reference": "TB 3",
        "scope": "agency",
    }
    response = client.post(SET, data)
    assert response.status_code == 302 and response["Location"].endswith("?nam=2027")
    row = CalendarException.objects.get()
    assert (row.agency, row.is_working, row.legal_reference) == (agency, True, "TB 3")
    assert "2027-03-13" in client.get(PAGE, {"nam": "2027"}).content.decode()
    response = client.post(CLEAR, {"day": "2027-03-13", "scope": "agency"})
    assert response.status_code == 302
    assert not CalendarException.objects.exists()
    assert AuditEntry.objects.filter(action__startswith="calendar.").count() == 2


def test_bad_input_shows_form_errors_and_changes_nothing(agency: Agency) -> None:
    client = _client(agency)
    data = {"day": "1900-01-01", "kind": "off", "reason": "x", "scope": "shared"}
    response = client.post(SET, data)
    assert response.status_code == 422
    assert "1995" in response.content.decode()
    data = {"day": "2027-03-05", "kind": "off", "reason": "", "scope": "shared"}
    response = client.post(SET, data)
    assert response.status_code == 422
    assert not CalendarException.objects.exists()


def test_clearing_a_missing_row_says_so(agency: Agency) -> None:
    response = _client(agency).post(CLEAR, {"day": "2027-03-05", "scope": "shared"}, follow=True)
    assert "Không có ngày ngoại lệ" in response.content.decode()


# --- API ----------------------------------------------------------------------------------------


def test_api_due_in_working_days(client: Client) -> None:
    response = client.get(DUE, {"from": "2027-03-03T09:00", "working_days": 3})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["due"] == "2027-03-08T17:00:00+07:00"
    assert body["received_on"] == "2027-03-03"
    assert body["agency"] is None


def test_api_due_with_agency_and_hours(client: Client) -> None:
    make_agency(code="000.00.03.H15", cutoff_time=time(15))
    late = {"from": "2027-03-03T16:00+07:00", "working_days": 3, "agency": "000.00.03.H15"}
    body = client.get(DUE, late).json()
    assert body["due"] == "2027-03-09T17:00:00+07:00" and body["received_on"] == "2027-03-04"
    hours = client.get(DUE, {"from": "2027-03-03T09:00", "working_hours": 3}).json()
    assert hours["due"] == "2027-03-03T14:00:00+07:00"


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"from": "2027-03-03T09:00", "working_days": 3, "agency": "999.99.99.H15"}, 404),
        ({"from": "2027-03-03T09:00"}, 422),
        ({"from": "2027-03-03T09:00", "working_days": 1, "working_hours": 1}, 422),
        ({"from": "2027-03-03T09:00", "working_days": -1}, 422),
        ({"from": "2027-03-03T09:00", "working_days": 0}, 422),
        ({"from": "ngày mai", "working_days": 1}, 422),
    ],
)
def test_api_refusals_are_problems(client: Client, params: dict, status: int) -> None:
    response = client.get(DUE, params)
    assert response.status_code == status, response.content
