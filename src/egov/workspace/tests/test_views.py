"""The workspace home at /app/ and the chrome every workspace page wears."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from egov.accounts.models import User, UserKind
from egov.organisations.models import Delegation
from egov.organisations.models import RoleCode as R
from egov.organisations.testing import make_agency, make_citizen, make_staff, make_unit, role

pytestmark = [pytest.mark.django_db, pytest.mark.urls("egov.workspace.tests.urls")]


def nav_labels(html: str) -> list[str]:
    nav = re.search(r'<nav class="ws-nav".*?</nav>', html, re.S)
    assert nav is not None, "the workspace menu is missing"
    return re.findall(r"<span>([^<]+)</span></a>", nav.group(0))


def test_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get("/app/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/app/")


def test_citizen_is_sent_back_to_the_portal_with_a_message(client: Client) -> None:
    client.force_login(make_citizen())

    response = client.get("/app/", follow=True)

    assert response.redirect_chain == [("/", 302)]
    html = response.content.decode()
    assert "Không gian làm việc chỉ dành cho cán bộ, công chức." in html
    assert 'class="shell-portal' in html
    assert 'class="ws-nav"' not in html


def test_staff_account_without_staff_record_gets_403_page(client: Client) -> None:
    user = User.objects.create_user(username="lac-loai", password="x-x-x-x-1", kind=UserKind.STAFF)
    client.force_login(user)

    response = client.get("/app/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "Bạn không có quyền truy cập trang này" in html
    assert "Tài khoản của bạn chưa gắn với cơ quan nào." in html
    assert '<html lang="vi"' in html


def test_home_shows_the_official_their_agency_and_roles(client: Client) -> None:
    agency = make_agency(name="Sở Thông tin và Truyền thông")
    unit = make_unit(agency=agency, name="Phòng Bưu chính")
    staff = make_staff(
        agency=agency, unit=unit, roles=[R.SPECIALIST, R.CLERK], full_name="Nguyễn Thị Lan"
    )
    make_staff(agency=agency)
    make_staff(agency=make_agency())  # another agency's official is not counted
    client.force_login(staff.user)

    response = client.get("/app/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Không gian làm việc</h1>" in html
    assert "Xin chào, Nguyễn Thị Lan." in html
    assert "Sở Thông tin và Truyền thông" in html
    assert "Phòng Bưu chính" in html
    assert "Văn thư, Chuyên viên" in html  # the glossary's order, not the database's
    assert "Việc cần làm" in html
    card = re.search(r'id="card-agency_staff".*?</li>', html, re.S)
    assert card is not None
    assert '<p class="card__value">2</p>' in card.group(0)
    assert f'href="/app/co-quan/{agency.code}/"' in card.group(0)


def test_home_header_has_logout_form_and_language_switch(client: Client) -> None:
    staff = make_staff(agency=make_agency())
    client.force_login(staff.user)

    html = client.get("/app/").content.decode()

    logout = r'<form action="/accounts/logout/" method="post"[^>]*>\s*<input type="hidden"'
    assert re.search(logout + r' name="csrfmiddlewaretoken"', html)
    assert 'action="/i18n/setlang/"' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html


@pytest.mark.parametrize(
    ("roles", "shown", "hidden"),
    [
        (
            [R.SPECIALIST],
            [
                "Trang chủ",
                "Thông báo",
                "Hồ sơ một cửa",
                "Văn bản",
                "Nhiệm vụ",
                "Lịch công tác",
                "Đào tạo CNTT",
                "Hạ tầng CNTT",
                "Cơ quan &amp; cán bộ",
            ],
            ["Lịch làm việc", "Nhật ký", "Liên thông văn bản"],
        ),
        (
            [R.AGENCY_LEADER],
            [
                "Trang chủ",
                "Thông báo",
                "Hồ sơ một cửa",
                "Văn bản",
                "Nhiệm vụ",
                "Lịch công tác",
                "Đào tạo CNTT",
                "Hạ tầng CNTT",
                "Chỉ số",
                "Cơ quan &amp; cán bộ",
                "Nhật ký",
            ],
            ["Lịch làm việc", "Liên thông văn bản"],
        ),
        (
            [R.ADMINISTRATOR],
            [
                "Trang chủ",
                "Thông báo",
                "Hồ sơ một cửa",
                "Văn bản",
                "Liên thông văn bản",
                "Nhiệm vụ",
                "Lịch công tác",
                "Đào tạo CNTT",
                "Hạ tầng CNTT",
                "Cơ quan &amp; cán bộ",
                "Thủ tục hành chính",
                "Lịch làm việc",
                "Nhật ký",
            ],
            [],
        ),
    ],
)
def test_menu_shows_only_what_the_role_may_use(
    client: Client, roles: list[str], shown: list[str], hidden: list[str]
) -> None:
    client.force_login(make_staff(agency=make_agency(), roles=roles).user)

    labels = nav_labels(client.get("/app/").content.decode())

    assert labels == shown
    assert not set(hidden) & set(labels)


def test_delegated_role_is_marked(client: Client) -> None:
    agency = make_agency()
    leader = make_staff(agency=agency, roles=[R.AGENCY_LEADER])
    deputy = make_staff(agency=agency, roles=[R.SPECIALIST])
    now = timezone.now()
    Delegation.objects.create(
        delegator=leader,
        delegate=deputy,
        role=role(R.AGENCY_LEADER),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=1),
    )
    client.force_login(deputy.user)

    html = client.get("/app/").content.decode()

    assert "Lãnh đạo cơ quan (được ủy quyền)" in html
    assert "Nhật ký" in nav_labels(html)


def test_plain_page_under_app_wears_the_workspace_chrome(client: Client) -> None:
    client.force_login(make_staff(agency=make_agency()).user)

    html = client.get("/app/trang-thu/").content.decode()

    assert 'class="shell-workspace' in html
    assert 'class="ws-nav"' in html
    assert "<h1>Trang thử</h1>" in html
    assert "<title>Trang thử – Không gian làm việc" in html


def test_english_sets_lang_on_the_workspace(client: Client) -> None:
    client.force_login(make_staff(agency=make_agency()).user)

    client.post("/i18n/setlang/", {"language": "en", "next": "/app/"})
    html = client.get("/app/").content.decode()

    assert '<html lang="en"' in html
