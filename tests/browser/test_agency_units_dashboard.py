"""The agency head's units and people (issue 5, item 7), in a real browser.

A department with two units: the leader gives three assignments through the services (one to
an official of each unit, one to the second unit itself); one is completed on time, the other
official's deadline passes and the escalation job flags it. The jobs run inline (as the worker
would, on commit). Then the department's head opens the indicators page, finds the units and
people tables, follows the late figure of the second unit to the late task, and exports the
page; the first unit's head sees their own unit only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from egov.jobs.queue import queue
from egov.organisations.models import AgencyKind
from egov.organisations.models import RoleCode as R
from egov.organisations.testing import make_agency, make_staff, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def jobs_inline() -> Iterator[None]:
    huey = queue()
    saved = huey.immediate
    huey.immediate = True
    try:
        yield
    finally:
        huey.immediate = saved


def test_agency_head_sees_units_and_people_and_drills_down(
    sign_in: Any, live_server: Any, jobs_inline: None
) -> None:
    from egov.assignments.models import Assignment
    from egov.assignments.services import assignments as services

    base = live_server.url
    department = make_agency(name="Sở Thông tin thử", kind=AgencyKind.DEPARTMENT)
    it_unit = make_unit(agency=department, name="Phòng Công nghệ thông tin")
    press_unit = make_unit(agency=department, name="Phòng Báo chí xuất bản")
    head = make_staff(agency=department, roles=[R.AGENCY_LEADER], full_name="Giám đốc Sở")
    it_head = make_staff(
        agency=department, unit=it_unit, roles=[R.UNIT_HEAD], full_name="Trưởng phòng CNTT"
    )
    prompt = make_staff(agency=department, unit=it_unit, full_name="Chuyên viên Đúng Hạn")
    slow = make_staff(agency=department, unit=press_unit, full_name="Chuyên viên Chậm Trễ")

    done = services.assignment_create(
        actor=head.user, title="Cập nhật cổng thông tin", owners=[("main", prompt)],
        working_days=5,
    )  # fmt: skip
    services.assignment_create(
        actor=head.user, title="Tổng hợp báo chí tuần", owners=[("main", press_unit)],
        working_days=5,
    )  # fmt: skip
    late = services.assignment_create(
        actor=head.user, title="Báo cáo cấp phép xuất bản", owners=[("main", slow)],
        working_days=1,
    )  # fmt: skip
    services.completion_report(actor=prompt.user, assignment=done, text="Đã cập nhật")
    services.completion_decide(actor=head.user, assignment=done, accept=True)
    services.escalate_overdue(now=late.due_at + timedelta(hours=1))
    assert Assignment.objects.get(pk=late.pk).overdue_since is not None

    due = timezone.localtime(late.due_at)
    period = f"?ky=month&nam={due.year}&so={due.month}"

    # The head: /app/chi-so/ leads to the department's page with its units and people.
    page = sign_in(head.user)
    page.goto(f"{base}/app/chi-so/{period}")
    expect(page.locator("h1")).to_contain_text("Sở Thông tin thử")
    units = page.locator("#units")
    expect(units).to_contain_text("Phòng Công nghệ thông tin")
    expect(units).to_contain_text("Phòng Báo chí xuất bản")
    people = page.locator("#people")
    expect(people.locator("tr", has_text="Chuyên viên Chậm Trễ")).to_be_visible()
    expect(people.locator("tr", has_text="Chuyên viên Đúng Hạn")).to_be_visible()
    # The press unit's overdue figure leads to the late task.
    press_row = units.locator(f"#unit-{press_unit.pk}")
    press_row.locator("a.late-link").first.click()
    expect(page).to_have_url(re.compile(rf"don_vi={press_unit.pk}"))
    expect(page.locator("h1")).to_contain_text("Phòng Báo chí xuất bản")
    expect(page.locator("#late-assignments")).to_contain_text("Báo cáo cấp phép xuất bản")
    expect(page.locator("#late-assignments")).not_to_contain_text("Cập nhật cổng thông tin")
    # The page exports the new tables.
    page.goto(f"{base}/app/chi-so/co-quan/{department.code}/{period}")
    with page.expect_download() as download:
        page.locator("main").get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # The IT unit's head: their unit and its people only.
    own = sign_in(it_head.user)
    own.goto(f"{base}/app/chi-so/co-quan/{department.code}/{period}")
    expect(own.locator("#units")).to_contain_text("Phòng Công nghệ thông tin")
    expect(own.locator("#units")).not_to_contain_text("Phòng Báo chí xuất bản")
    expect(own.locator("#people")).to_contain_text("Chuyên viên Đúng Hạn")
    expect(own.locator("#people")).not_to_contain_text("Chuyên viên Chậm Trễ")
    own.goto(f"{base}/app/chi-so/co-quan/{department.code}/tre-han/{period}&can_bo={slow.pk}")
    expect(own.locator("h1")).not_to_contain_text("Chuyên viên Chậm Trễ")
