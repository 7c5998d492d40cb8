"""The public portal's home page, its chrome, the error pages and the language switch."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import loader
from django.test import Client, RequestFactory

from egov.organisations.models import AgencyKind
from egov.organisations.testing import make_agency, make_citizen, make_staff
from egov.portal import navigation
from egov.portal.navigation import Link

pytestmark = pytest.mark.django_db


def test_home_is_vietnamese_and_has_the_landmarks(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi"' in html
    assert '<a class="skip-link" href="#main">Bỏ qua, đến nội dung chính</a>' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert 'role="status"' in html
    assert "Cổng dịch vụ công thành phố Đà Nẵng" in html
    assert 'class="shell-portal' in html


def test_home_has_a_labelled_procedure_search(client: Client) -> None:
    html = client.get("/").content.decode()

    assert re.search(r'<form class="search" role="search" method="get"', html)
    assert '<label class="search__label" for="q">' in html
    assert 'id="q" name="q"' in html


def test_search_box_submits_to_the_procedure_catalogue(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'action="/thu-tuc/"' in html
    found = client.get("/thu-tuc/", {"q": "<b>khai sinh</b>"})
    assert found.status_code == 200
    assert "<b>khai sinh</b>" not in found.content.decode()


def test_links_only_to_pages_that_exist(client: Client) -> None:
    html = client.get("/").content.decode()

    hrefs = set(re.findall(r'href="(/[^"#]*)"', html))
    hrefs -= {h for h in hrefs if h.startswith("/static/")}
    for href in hrefs:
        assert client.get(href).status_code != 404, href
    assert "/accounts/login/" in hrefs


def test_link_to_a_missing_page_is_left_out() -> None:
    links = (
        Link("Trang chủ", "portal:home"),
        Link("Chưa có", "/chua-co-trang-nay/"),
        Link("Chưa có", "portal:chua_co"),
    )

    assert [link.href for link in navigation.shown(links)] == ["/"]


def test_footer_shows_the_city_committee_contact(client: Client) -> None:
    make_agency(
        kind=AgencyKind.PEOPLES_COMMITTEE,
        name="Ủy ban nhân dân thành phố Đà Nẵng",
        address="24 Trần Phú, phường Hải Châu, thành phố Đà Nẵng",
        phone="0236 3821 111",
        email="ubnd@danang.gov.vn",
    )

    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]

    assert "Ủy ban nhân dân thành phố Đà Nẵng" in footer
    assert "24 Trần Phú, phường Hải Châu" in footer
    assert 'href="tel:02363821111"' in footer
    assert 'href="mailto:ubnd@danang.gov.vn"' in footer


def test_footer_without_data_names_the_committee_only(client: Client) -> None:
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]

    assert "Ủy ban nhân dân thành phố Đà Nẵng" in footer
    assert "tel:" not in footer


def test_footer_contact_is_read_once_and_an_edit_shows_at_once(client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    committee = make_agency(
        kind=AgencyKind.PEOPLES_COMMITTEE, name="Ủy ban nhân dân thành phố", phone="0236 1"
    )
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert not [q for q in queries.captured_queries if "organisations_agency" in q["sql"]]
    committee.phone = "0236 3821 999"
    committee.save()  # as the agency services do: the kept contact is forgotten
    footer = client.get("/").content.decode().split("<footer", 1)[1]
    assert 'href="tel:02363821999"' in footer


def test_language_switch_sets_lang_to_english_and_back(client: Client) -> None:
    html = client.get("/").content.decode()
    assert re.search(r'<form class="lang-switch" action="/i18n/setlang/" method="post">', html)
    assert 'name="language" value="en"' in html

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    assert 'name="language" value="vi"' in html
    assert "Tiếng Việt</button>" in html  # composed (NFC), as typed, not Django's decomposed form

    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert '<html lang="vi"' in client.get("/").content.decode()


def test_signed_in_official_sees_the_way_to_the_workspace(client: Client) -> None:
    client.force_login(make_staff(agency=make_agency()).user)

    html = client.get("/").content.decode()

    assert '<a href="/app/">Không gian làm việc</a>' in html
    assert 'action="/accounts/logout/"' in html
    footer = html[html.index("<footer") :]
    assert 'href="/accounts/login/"' not in footer


def test_signed_in_citizen_gets_no_workspace_link(client: Client) -> None:
    client.force_login(make_citizen())

    html = client.get("/").content.decode()

    assert 'href="/app/"' not in html
    assert 'action="/accounts/logout/"' in html


def test_404_page_is_vietnamese(client: Client) -> None:
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang bạn yêu cầu" in html
    assert '<main id="main"' in html


def test_500_page_renders_without_request_or_database() -> None:
    html = loader.get_template("500.html").render()

    assert "Hệ thống đang gặp sự cố" in html
    assert "Cổng dịch vụ công thành phố Đà Nẵng" in html
    assert '<html lang="vi"' in html


def test_403_page_is_vietnamese() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = loader.get_template("403.html").render({}, request)

    assert "Bạn không có quyền truy cập trang này" in html


@pytest.mark.urls("egov.workspace.tests.urls")
def test_plain_page_extending_base_gets_the_portal_look(client: Client) -> None:
    html = client.get("/trang-thu/").content.decode()

    assert 'class="shell-portal' in html
    assert "<h1>Trang thử</h1>" in html
    assert "<title>Trang thử – Cổng dịch vụ công thành phố Đà Nẵng</title>" in html
    assert 'class="ws-nav"' not in html


def test_shell_assets_are_found_by_staticfiles() -> None:
    from django.contrib.staticfiles import finders

    for asset in ("egov/css/egov.css", "egov/js/egov.js", "egov/js/htmx.min.js"):
        assert finders.find(asset), (
            f"{asset} is not collected: src/egov/static needs "
            'STATICFILES_DIRS = [BASE_DIR / "static"] in egov/conf/settings.py'
        )
