"""Issue 5, training and IT infrastructure: the agency office adds one module result and one
computer through the workspace forms, in a real browser, and sees the agency's figures move.

An official has passed IU01–IU05 (recorded beforehand); the clerk opens the agency's results
from the training page, adds IU06 through "Thêm" (a first attempt with a future date is
refused with its reason, nothing saved), and the page says one official now meets the basic
standard. Then, from the infrastructure page, the clerk adds a computer for that official and
the agency's line reads one computer for two officials. Every page on the way (lists, forms,
a form showing its errors) passes axe-core with no serious or critical violation. Waits are on
text and URLs.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from egov.organisations.models import RoleCode as R
from egov.organisations.testing import make_agency, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "matkhau-thu-123"  # organisations.testing.make_staff's default
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def assert_accessible(page: Page) -> None:
    """axe-core finds no serious or critical violation on the page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not found, f"{page.url}: {found}"


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    main = page.locator("main")
    main.get_by_label("Tên đăng nhập").fill(username)
    main.get_by_label("Mật khẩu").fill(PASSWORD)
    main.get_by_role("button", name="Đăng nhập").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_clerk_adds_a_result_and_a_computer(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    from egov.infrastructure.models import Computer, InfrastructureFact
    from egov.training import services
    from egov.training.models import ModuleResult, SkillModule, TrainingFact

    base = live_server.url
    agency = make_agency(name="Sở Thông tin thử")
    clerk = make_staff(agency=agency, roles=[R.CLERK], full_name="Văn thư Thử")
    person = make_staff(agency=agency, full_name="Nguyễn Văn Học", username="hoc.nv")
    for code in ("IU01", "IU02", "IU03", "IU04", "IU05"):
        services.result_record(
            actor=None, staff=person, module=code, taken_on=date(2025, 3, 10), passed=True
        )
    assert TrainingFact.objects.get(agency=agency).basic_met == 0
    main = page.locator("main")
    sign_in(page, base, clerk.user.username)

    # Training: the agency's results, "Thêm", one refused attempt, then the good one.
    page.goto(f"{base}/app/dao-tao/")
    main.get_by_role("link", name="Kết quả mô-đun của Sở Thông tin thử").click()
    expect(main).to_contain_text("IU05")
    main.get_by_role("link", name="Thêm", exact=True).click()
    expect(page.get_by_role("heading", name="Thêm kết quả mô-đun")).to_be_visible()
    main.get_by_label("Cán bộ").select_option(label="Nguyễn Văn Học (hoc.nv)")
    main.get_by_label("Mô-đun").select_option(value=str(SkillModule.objects.get(code="IU06").pk))
    future = timezone.localdate() + timedelta(days=3)
    main.get_by_label("Ngày kiểm tra").fill(future.isoformat())
    main.get_by_label("Đạt", exact=True).check()
    main.get_by_label("Điểm (0–100)").fill("82")
    main.get_by_role("button", name="Lưu").click()
    expect(main.get_by_role("alert")).to_contain_text("Ngày kiểm tra không được ở tương lai.")
    assert_accessible(page)
    assert not ModuleResult.objects.filter(module__code="IU06").exists()

    main.get_by_label("Ngày kiểm tra").fill("2025-04-02")
    main.get_by_role("button", name="Lưu").click()
    expect(page).to_have_url(re.compile(r"/ket-qua/$"))
    expect(page.locator("#messages")).to_contain_text("Đã thêm kết quả IU06 của Nguyễn Văn Học.")
    expect(main).to_contain_text("2 cán bộ; 1 đạt chuẩn cơ bản, 0 đạt chuẩn nâng cao.")
    expect(main.get_by_role("link", name="Sửa kết quả IU06 của Nguyễn Văn Học")).to_be_visible()
    assert TrainingFact.objects.get(agency=agency).basic_met == 1
    assert_accessible(page)

    # Infrastructure: own agency's inventory (no figures yet), "Thêm máy tính".
    page.goto(f"{base}/app/ha-tang/")
    main.get_by_role("link", name="Hạ tầng CNTT của Sở Thông tin thử").click()
    expect(main).to_contain_text("Chưa ghi máy tính nào.")
    main.get_by_role("link", name="Thêm máy tính").click()
    expect(page.get_by_role("heading", name="Thêm máy tính")).to_be_visible()
    assert_accessible(page)
    main.get_by_label("Mã tài sản").fill("MT-2025-01")
    main.get_by_label("Loại máy").select_option(label="Máy tính xách tay")
    main.get_by_label("Năm trang bị").fill("2024")
    main.get_by_label("Người sử dụng").select_option(label="Nguyễn Văn Học (hoc.nv)")
    main.get_by_label("Tình trạng").select_option(label="Đang sử dụng")
    main.get_by_role("button", name="Lưu").click()
    expect(page).to_have_url(re.compile(r"#may-tinh$"))
    expect(main).to_contain_text("1 máy tính đang dùng cho 2 cán bộ")
    expect(main.get_by_role("row", name=re.compile("MT-2025-01"))).to_contain_text("Nguyễn Văn Học")
    computer = Computer.objects.get(agency=agency)
    assert (computer.asset_tag, computer.serves_id) == ("MT-2025-01", person.pk)
    assert InfrastructureFact.objects.get(agency=agency).computers_in_use == 1
    assert_accessible(page)

    page.goto(f"{base}/app/ha-tang/")
    expect(main.get_by_role("row", name=re.compile("Sở Thông tin thử"))).to_contain_text("0,50 (1)")
