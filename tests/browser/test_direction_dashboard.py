"""Direction and accountability end to end (issue 5, "Done when"), in a real browser:

a city leader records a meeting conclusion and turns it into three assignments; the first owner
reports progress and completion (accepted on time), the second asks for an extension and gets
it, the third lets the deadline pass and the escalation job reaches the owner's head; the city
dashboard shows the on-time completion rate change ("Chưa có số liệu" → 100 %) and the overdue
count, and drills down from the department's figure to the late task.

The escalation is the scheduled job (`escalate_overdue`) run from the test at an instant after
the third deadline, as the worker would; everything else is clicked. Waits are on text and URLs.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from egov.organisations.models import AgencyKind
from egov.organisations.models import RoleCode as R
from egov.organisations.testing import make_agency, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASKS = (
    "Rà soát hồ sơ tồn đọng tại bộ phận một cửa",
    "Xây dựng kế hoạch số hóa kết quả giải quyết",
    "Báo cáo tình hình triển khai thư công vụ",
)


def submit(page: Page, name: str) -> None:
    page.locator("main").get_by_role("button", name=name, exact=True).first.click()


def open_task(page: Page, base: str, title: str) -> None:
    page.goto(f"{base}/app/nhiem-vu/")
    page.locator("main").get_by_role("link", name=title).first.click()
    expect(page.locator("main")).to_contain_text(title)


def test_conclusion_to_dashboard(sign_in: Any, live_server: Any) -> None:
    from egov.assignments.models import Assignment
    from egov.assignments.services.assignments import escalate_overdue
    from egov.notifications.models import Notification

    base = live_server.url
    city = make_agency(name="UBND thành phố thử", kind=AgencyKind.PEOPLES_COMMITTEE)
    department = make_agency(name="Sở Thông tin thử", parent=city)
    leader = make_staff(agency=city, roles=[R.CITY_LEADER], full_name="Lãnh đạo Thành phố")
    head = make_staff(agency=department, roles=[R.AGENCY_LEADER], full_name="Giám đốc Sở")
    owners = [
        make_staff(agency=department, roles=[R.SPECIALIST], full_name=f"Chuyên viên {n}")
        for n in (1, 2, 3)
    ]

    # 1. The leader records the conclusion and gives its three assignments.
    lead = sign_in(leader.user)
    now = timezone.localtime()
    period = f"?ky=month&nam={now.year}&so={now.month}"
    lead.goto(f"{base}/app/chi-so/thanh-pho/{period}")
    expect(lead.locator("#ind-NV-1")).to_contain_text("Chưa có số liệu")

    lead.goto(f"{base}/app/nhiem-vu/ket-luan/moi/")
    form = lead.locator("main form").first
    form.get_by_label("Tên cuộc họp").fill("Giao ban chuyển đổi số tháng này")
    form.get_by_label("Nội dung kết luận").fill("Giao ba nhiệm vụ cho Sở Thông tin.")
    submit(lead, "Lưu")
    expect(lead).to_have_url(re.compile(r"/app/nhiem-vu/moi/\?ket_luan=\d+"))
    for title, owner, days in zip(TASKS, owners, ("10", "10", "1"), strict=True):
        form = lead.locator("main form").first
        form.get_by_label("Tên nhiệm vụ").fill(title)
        form.get_by_label("Cán bộ chủ trì").select_option(label=owner.user.full_name)
        form.get_by_label("Thời hạn (ngày làm việc)").fill(days)
        submit(lead, "Lưu")
        expect(lead.locator("body")).to_contain_text("Đã giao nhiệm vụ")
    assert Assignment.objects.filter(meeting__isnull=False).count() == 3

    # 2. The first owner reports progress, then completion; the leader accepts it on time.
    first = sign_in(owners[0].user)
    open_task(first, base, TASKS[0])
    form = first.locator("form", has_text="Gửi báo cáo")
    form.get_by_label("Nội dung").fill("Đã rà soát 40 hồ sơ")
    form.get_by_label("Tiến độ (%)").fill("60")
    submit(first, "Gửi báo cáo")
    expect(first.locator("main")).to_contain_text("Đã rà soát 40 hồ sơ")
    # The progress and completion forms both render id="id_text" (a duplicate id on the
    # assignments page), so the label finds the progress box: address the form by its action.
    first.locator("form[action$='/hoan-thanh/'] textarea[name=text]").fill(
        "Đã xử lý xong hồ sơ tồn đọng"
    )
    submit(first, "Báo cáo hoàn thành")
    expect(first.locator("form[action$='/hoan-thanh/']")).to_have_count(0)
    task1 = Assignment.objects.get(title=TASKS[0])
    lead.goto(f"{base}/app/nhiem-vu/{task1.public_id}/")
    submit(lead, "Công nhận hoàn thành")
    expect(lead.locator("main")).to_contain_text("Đã rà soát 40 hồ sơ")

    # 3. The second owner asks for an extension; the leader grants it.
    second = sign_in(owners[1].user)
    open_task(second, base, TASKS[1])
    task2 = Assignment.objects.get(title=TASKS[1])
    wanted = timezone.localtime(task2.due_at) + timedelta(days=7)
    form = second.locator("main")
    form.get_by_label("Hạn đề nghị").fill(wanted.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Lý do").fill("Chờ số liệu của các phường")
    submit(second, "Đề nghị gia hạn")
    expect(second.locator("main").get_by_label("Hạn đề nghị")).to_have_count(0)
    lead.goto(f"{base}/app/nhiem-vu/{task2.public_id}/")
    expect(lead.locator("main")).to_contain_text("Chờ số liệu của các phường")
    submit(lead, "Đồng ý gia hạn")
    task2.refresh_from_db()
    assert task2.due_at > task2.original_due_at

    # 4. The third deadline passes: the escalation job reaches the owner's head.
    task3 = Assignment.objects.get(title=TASKS[2])
    escalate_overdue(now=task3.due_at + timedelta(hours=1))
    assert Notification.objects.filter(recipient_user=head.user).exists()
    chief = sign_in(head.user)
    chief.goto(f"{base}/app/thong-bao/")
    expect(chief.locator("main")).to_contain_text(TASKS[2])

    # 5. The city dashboard: the on-time rate moved, the overdue task is one click away.
    lead.goto(f"{base}/app/chi-so/thanh-pho/{period}")
    expect(lead.locator("#ind-NV-1")).to_contain_text("100,0 %")
    due = timezone.localtime(task3.due_at)
    lead.goto(f"{base}/app/chi-so/thanh-pho/?ky=month&nam={due.year}&so={due.month}")
    lead.locator("#ind-NV-2").get_by_role("link").first.click()
    row = lead.locator("#ranking tr", has_text=department.name)
    expect(row).to_contain_text("Cần cố gắng")  # 1 overdue: amber (0 is the target)
    row.get_by_role("link", name="Việc trễ hạn").click()
    expect(lead.locator("#late-assignments")).to_contain_text(TASKS[2])
