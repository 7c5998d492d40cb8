"""Issue 3's whole path in a real browser (Done when):

"a citizen submits online, the one-stop officer accepts, the specialist processes, the leader
approves and signs, the result is returned, the citizen sees it and rates the service; another
asks for a supplement and shows the clock stopping."

The world is `egov.dossiers.testing.make_world`: a ward receives (its one-stop officer), a
department processes (specialist, then its leader approves and signs), a published procedure
of 5 working days whose process crosses the two (một cửa liên thông). Every actor signs in
through the login form in their own browser context and works through the pages only; the
model is read afterwards to check what the pages said.

The clock-stop scenario cannot wait working days in real time: once the supplement has been
requested through the page, the start of the pause is moved back a week in the database
("time travel"), then the citizen supplements through the page and the due must have moved by
exactly the working time of that week.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django.utils.dateformat import format as date_format
from playwright.sync_api import Page, expect

from egov.calendar.arithmetic import WorkingCalendar
from egov.dossiers import deadlines
from egov.dossiers.models import Dossier, DossierStatus, Rating, SupplementRequest
from egov.dossiers.testing import PDF_BYTES, World, make_world
from egov.workflow.models import Action, HistoryEntry, Instance

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_file(name: str, marker: str) -> dict[str, Any]:
    return {
        "name": name,
        "mimeType": "application/pdf",
        "buffer": PDF_BYTES + f"% {marker}\n".encode(),
    }


@pytest.fixture
def world(live_server: Any) -> World:
    # No fee: paying is its own browser test (test_payment_flow.py), and an unpaid fee
    # (rightly) blocks the return of the result.
    return make_world(fees=())


@pytest.fixture
def actors(sign_in: Any) -> Any:
    """`actors(user)`: a page signed in as that user (the shared `sign_in`)."""
    return sign_in


def shown(value: Any) -> str:
    """A datetime as the pages show it (H:i d/m/Y, local time)."""
    return date_format(timezone.localtime(value), "H:i d/m/Y")


def submit_online(page: Page, live_server: Any, world: World, marker: str) -> str:
    """From the procedure's public page to the confirmation; returns the dossier code."""
    page.goto(f"{live_server.url}/thu-tuc/{world.procedure.code}/")
    page.get_by_role("link", name=re.compile("Nộp (hồ sơ )?trực tuyến")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.procedure.name)
    agency = page.get_by_label("Cơ quan tiếp nhận hồ sơ")
    if agency.evaluate("el => el.tagName") == "SELECT":
        agency.select_option(world.ward.code)
    page.get_by_label("Họ và tên").fill("Trần Thị Hoa")
    page.get_by_label("Ngày sinh").fill("1990-05-17")
    page.get_by_label("Số bản").fill("2")
    first, second = world.papers[:2]
    page.get_by_label(first.name).set_input_files(pdf_file("to-khai.pdf", f"{marker}-1"))
    page.get_by_label(second.name).set_input_files(pdf_file("cccd.pdf", f"{marker}-2"))
    page.get_by_role("button", name="Xem lại hồ sơ").click()

    main = page.get_by_role("main")
    expect(main).to_contain_text("to-khai.pdf")
    expect(main).to_contain_text("cccd.pdf")
    expect(main).to_contain_text("Trần Thị Hoa")
    page.get_by_role("button", name="Nộp hồ sơ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ đã được nộp")
    code = page.locator(".dossier-code").inner_text().strip()
    assert re.fullmatch(rf"{re.escape(world.ward.code)}-\d{{6}}-\d{{4}}", code), code
    return code


def open_in_queue(page: Page, live_server: Any, queue: str, code: str) -> None:
    page.goto(f"{live_server.url}/app/ho-so/hang-doi/{queue}/")
    page.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)


def take(page: Page, label: str, *, fill: dict[str, str] | None = None, file: Any = None) -> None:
    """Open the action's panel, fill it, send it; wait for the confirmation message."""
    panel = page.locator("details.action").filter(
        has=page.locator("summary", has_text=re.compile(rf"^{re.escape(label)}$"))
    )
    panel.locator("summary").click()
    for field_label, value in (fill or {}).items():
        panel.get_by_label(field_label).fill(value)
    if file is not None:
        panel.locator('input[type="file"]').set_input_files(file)
    panel.get_by_role("button", name=label).click()
    expect(page.get_by_text(re.compile(rf"Đã thực hiện “{re.escape(label)}”"))).to_be_visible()


def control_sheet_actions(page: Page) -> list[str]:
    sheet = page.get_by_role("table").filter(has_text="Bên giao")
    return [c.strip() for c in sheet.locator("tbody tr td:nth-child(2)").all_inner_texts()]


def test_online_dossier_from_submission_to_rating(
    live_server: Any, world: World, actors: Any
) -> None:
    # A citizen submits online.
    citizen = actors(world.citizen)
    code = submit_online(citizen, live_server, world, "whole-path")
    expect(citizen.get_by_role("main")).to_contain_text("Chờ tiếp nhận")

    # The one-stop officer of the ward finds it in "to receive" and accepts it.
    officer = actors(world.officer.user)
    open_in_queue(officer, live_server, "to_receive", code)
    take(officer, "Tiếp nhận hồ sơ")
    expect(officer.locator("#dossier-live")).to_contain_text("Đang giải quyết")
    dossier = Dossier.objects.get(code=code)
    assert dossier.received_at is not None and dossier.due_at is not None
    expect(officer.locator("#dossier-live")).to_contain_text(shown(dossier.due_at))

    # The department's specialist appraises and forwards.
    specialist = actors(world.specialist.user)
    specialist.goto(f"{live_server.url}/app/ho-so/{dossier.public_id}/")
    expect(specialist.locator("#dossier-live")).to_contain_text("Thẩm định hồ sơ")
    take(specialist, "Chuyển xử lý", fill={"Ghi chú": "Hồ sơ đủ điều kiện."})

    # The leader attaches the result, approves and signs.
    leader = actors(world.leader.user)
    leader.goto(f"{live_server.url}/app/ho-so/{dossier.public_id}/")
    expect(leader.locator("#dossier-live")).to_contain_text("Phê duyệt")
    take(leader, "Đính kèm kết quả", file=pdf_file("giay-xac-nhan.pdf", "result"))
    take(leader, "Phê duyệt")
    take(leader, "Ký kết quả")
    expect(leader.locator("#dossier-live")).to_contain_text("Chờ trả kết quả")

    # The one-stop officer returns the result online.
    officer.reload()
    expect(officer.locator("#dossier-live")).to_contain_text("Chờ trả kết quả")
    officer.locator("details.action summary", has_text="Trả kết quả").click()
    officer.get_by_label("Hình thức trả kết quả").select_option("online")
    officer.locator("details.action").filter(has_text="Hình thức trả kết quả").get_by_role(
        "button", name="Trả kết quả"
    ).click()
    expect(officer.locator("#dossier-live")).to_contain_text("Đã trả kết quả")
    # The processing-control sheet shows every hand-over, in order.
    officer.reload()
    actions = control_sheet_actions(officer)
    assert len(actions) >= 6, actions
    assert Instance.objects.get(pk=dossier.workflow_instance_id).history.count() >= 6

    # The citizen sees the result, downloads it and rates the service.
    citizen.goto(f"{live_server.url}/dich-vu-cong/ho-so-cua-toi/{code}/")
    expect(citizen.get_by_role("main")).to_contain_text("Đã trả kết quả")
    results = citizen.get_by_role("region", name="Kết quả giải quyết")
    with citizen.expect_download() as downloaded:
        results.get_by_role("link").first.click()
    path = downloaded.value.path()
    assert path is not None and path.read_bytes()[:5] == b"%PDF-"
    rating = citizen.get_by_role("region", name="Đánh giá mức độ hài lòng")
    rating.get_by_label("Hài lòng", exact=True).check()
    rating.get_by_role("button", name="Gửi đánh giá").click()
    expect(citizen.get_by_text("Cảm ơn bạn đã đánh giá.")).to_be_visible()
    expect(citizen.get_by_role("main")).to_contain_text("Bạn đã đánh giá: Hài lòng")

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED
    assert Rating.objects.get(dossier=dossier).value == "satisfied"

    # Anyone can follow it publicly by its code.
    citizen.goto(f"{live_server.url}/tra-cuu/?code={code}")
    expect(citizen.get_by_role("heading", level=1)).to_contain_text(code)
    expect(citizen.get_by_role("main")).to_contain_text("Đã trả kết quả")


def test_supplement_request_stops_the_clock(
    live_server: Any, world: World, actors: Any, page: Page
) -> None:
    citizen = actors(world.citizen)
    code = submit_online(citizen, live_server, world, "clock-stop")
    officer = actors(world.officer.user)
    open_in_queue(officer, live_server, "to_receive", code)
    take(officer, "Tiếp nhận hồ sơ")
    dossier = Dossier.objects.get(code=code)
    due_before = dossier.due_at
    assert due_before is not None

    # The specialist asks for the complete list of what is missing.
    specialist = actors(world.specialist.user)
    specialist.goto(f"{live_server.url}/app/ho-so/{dossier.public_id}/")
    take(
        specialist,
        "Yêu cầu bổ sung",
        fill={
            "Nội dung cần bổ sung — đầy đủ, một lần (mỗi dòng một mục)": (
                "Bản sao giấy chứng nhận quyền sử dụng đất\nBản vẽ hiện trạng có chữ ký"
            )
        },
    )
    expect(specialist.locator("#dossier-live")).to_contain_text("Chờ bổ sung")

    # The public tracking page shows the wait, and the same due: the clock stands still.
    page.goto(f"{live_server.url}/tra-cuu/{code}/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Chờ bổ sung")
    due_shown = page.locator("dt", has_text="Hẹn trả kết quả").locator("xpath=../dd")
    expect(due_shown).to_have_text(shown(due_before))

    # A week of waiting: the pause started seven days ago.
    instance = Instance.objects.get(pk=Dossier.objects.get(code=code).workflow_instance_id)
    assert instance.paused_at is not None
    paused_from = instance.paused_at - timedelta(days=7)
    Instance.objects.filter(pk=instance.pk).update(paused_at=paused_from)
    SupplementRequest.objects.filter(dossier__code=code).update(requested_at=paused_from)

    # The citizen reads the list and supplements.
    citizen.goto(f"{live_server.url}/dich-vu-cong/ho-so-cua-toi/{code}/")
    expect(citizen.get_by_role("main")).to_contain_text("Chờ bổ sung")
    expect(citizen.get_by_role("main")).to_contain_text("Bản vẽ hiện trạng có chữ ký")
    citizen.get_by_role("link", name="Bổ sung hồ sơ").click()
    citizen.get_by_label("Tệp bổ sung").set_input_files(
        [pdf_file("so-do.pdf", "supplement-1"), pdf_file("ban-ve.pdf", "supplement-2")]
    )
    citizen.get_by_role("button", name="Gửi bổ sung").click()
    expect(citizen.get_by_text("Đã gửi hồ sơ bổ sung.")).to_be_visible()
    expect(citizen.get_by_role("main")).to_contain_text("Đang giải quyết")

    # The due moved by exactly the working time waited (a week: five working days or so).
    dossier = Dossier.objects.get(code=code)
    entry = HistoryEntry.objects.filter(instance=instance, action=Action.SUPPLEMENT).get()
    calendar = WorkingCalendar.for_agency(instance.agency)
    waited = calendar.working_duration_between(paused_from, entry.acted_at)
    assert entry.paused_working == waited
    assert waited >= timedelta(hours=8 * 3), waited
    assert dossier.due_at == deadlines.shift_due(world.ward, due_before, waited)
    assert dossier.due_at > due_before
    assert SupplementRequest.objects.get(dossier=dossier).paused_working == waited
    assert dossier.papers.filter(supplied_in_supplement__isnull=False).count() == 2

    page.reload()
    due_shown = page.locator("dt", has_text="Hẹn trả kết quả").locator("xpath=../dd")
    expect(due_shown).to_have_text(shown(dossier.due_at))
