"""The search pages' query path (`search.results_page`): the same rows, order, counts and page
boundaries as Django's `Paginator` on `search.search` (the path before), on a fixture with
shared dates, missing dates, accents, public and secret documents; the count capped; the
index-free text condition finding the same rows as the ``LIKE`` one."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from egov.core.search import fold
from egov.documents import search, selectors
from egov.documents.models import Direction, Document, DocumentStatus
from egov.documents.tests.factories import World, doc_type, make_world, secrecy, urgency

pytestmark = pytest.mark.django_db

SUBJECTS = (
    "Quyết định về đất đai",
    "Kế hoạch chuyển đổi số năm",
    "Công văn về giải phóng mặt bằng",
    "Báo cáo chuyển đổi số quý",
    "Thông báo phòng cháy chữa cháy",
)


def _fixture() -> World:
    """43 documents of agency A (and 5 of B): dates shared by pairs, every fifth one without a
    date, subjects cycling over five, every third one public, two secret ones."""
    w = make_world()
    types = [doc_type("quyet-dinh"), doc_type("cong-van"), doc_type("ke-hoach")]
    ordinary, secret, normal = secrecy("thuong"), secrecy("mat"), urgency()
    start = date(2025, 1, 1)
    rows = []
    for i in range(48):
        side = w.a if i < 43 else w.b
        subject = f"{SUBJECTS[i % len(SUBJECTS)]} {i}"
        issued = None if i % 5 == 4 else start + timedelta(days=i // 2)
        rows.append(
            Document(
                agency=side.agency,
                direction=Direction.OUTGOING if i % 4 else Direction.INCOMING,
                status=DocumentStatus.ISSUED if issued else DocumentStatus.DRAFT,
                type=types[i % len(types)],
                priority=normal,
                secrecy=secret if i in (7, 21) else ordinary,
                subject=subject,
                issued_date=issued,
                arrival_number=(i * 7) % 11 or None,
                is_public=i % 3 == 0,
                search_text=fold(subject),
            )
        )
    Document.objects.bulk_create(rows)
    return w


def _ids(rows: Any) -> list[int]:
    return [d.pk for d in rows]


CASES: list[dict[str, Any]] = [
    {},
    {"q": "chuyen doi so"},
    {"q": "chuyển đổi số"},
    {"q": "đất"},
    {"q": "quyet dinh dat"},
    {"q": "khong co dau"},
    {"q": "so", "direction": "outgoing"},
    {"q": "", "sort": "cu-nhat"},
    {"q": "ve", "sort": "so-den"},
    {"q": "", "sort": "trich-yeu"},
    {"date_from": date(2025, 1, 5), "date_to": date(2025, 1, 15)},
]


@pytest.mark.parametrize("case", CASES, ids=[str(c) for c in CASES])
@pytest.mark.parametrize("cap", [1000, 7])
def test_results_page_is_the_paginator_page_of_the_old_path(case: dict[str, Any], cap: int) -> None:
    w = _fixture()
    user = w.a.clerk.user
    params = search.SearchParams(**case)
    per_page = 4
    old = Paginator(search.search(selectors.visible_documents(user), params), per_page)
    for number in (1, 2, 3, old.num_pages, old.num_pages + 5, "x", None):
        new = search.results_page(
            selectors.visible_documents(user), params, number, per_page, cap=cap
        )
        expected = old.get_page(number)
        if old.count > cap:
            # Capped: the count says "more than cap"; pages up to the cap are the same.
            assert new.paginator.count == cap + 1 and new.paginator.capped
            if expected.number <= new.paginator.num_pages:
                assert new.number == expected.number
                assert _ids(new) == _ids(expected)
        else:
            assert new.paginator.count == old.count and not new.paginator.capped
            assert new.number == expected.number
            assert _ids(new) == _ids(expected)


def test_the_portal_scope_and_secret_documents() -> None:
    w = _fixture()
    params = search.SearchParams(q="chuyen doi")
    public = search.results_page(selectors.public_documents(), params, 1, 50)
    assert _ids(public) == _ids(search.search(selectors.public_documents(), params))
    assert all(d.is_public and d.status == "issued" and not d.secrecy.level for d in public)
    # The secret ones (7 and 21) are not on another clerk's pages; the drafter is not named.
    other = search.results_page(selectors.visible_documents(w.a.specialist.user),
                                search.SearchParams(), 1, 100)  # fmt: skip
    assert {d.subject.split()[-1] for d in other}.isdisjoint({"7", "21"})
    assert len(other) == 41


def test_index_free_text_condition_finds_the_same_rows() -> None:
    _fixture()
    for q in ("chuyen doi so", "đất", "quyet", "x y z", "", "5"):
        with_index = Document.objects.filter(search.text_condition(q)).order_by("pk")
        without = Document.objects.filter(search.text_condition(q, text_index=False)).order_by("pk")
        assert _ids(without) == _ids(with_index), q


def test_rows_keep_the_order_and_leave_the_big_columns() -> None:
    _fixture()
    ids = list(Document.objects.order_by("?").values_list("pk", flat=True)[:10])
    rows = search.rows_in_order(ids)
    assert _ids(rows) == ids
    assert {"content_text", "search_text"} <= rows[0].get_deferred_fields()
    with CaptureQueriesContext(connection) as ctx:
        for d in rows:
            _ = (d.type.name, d.agency.name, d.priority.name, d.secrecy.level)
    assert len(ctx.captured_queries) == 0


def test_a_page_is_read_in_two_statements_when_the_count_is_within_the_cap() -> None:
    w = _fixture()
    params = search.SearchParams(q="chuyen doi so")
    scope = selectors.visible_documents(w.a.clerk.user)
    with CaptureQueriesContext(connection) as ctx:
        page = search.results_page(scope, params, 1, 4)
        list(page)
    assert len(ctx.captured_queries) == 2  # count and page ids in one, then the rows
    with CaptureQueriesContext(connection) as ctx:
        page = search.results_page(scope, params, 1, 4, cap=3)
        list(page)
    assert page.paginator.capped
    assert len(ctx.captured_queries) == 3  # + the page in sort order


def test_search_page_says_more_than_the_cap() -> None:
    w = _fixture()
    kind, ordinary, normal = doc_type("cong-van"), secrecy("thuong"), urgency()
    Document.objects.bulk_create(
        Document(
            agency=w.a.agency,
            direction=Direction.INCOMING,
            status=DocumentStatus.DONE,
            type=kind,
            priority=normal,
            secrecy=ordinary,
            subject=f"Hồ sơ {i}",
            search_text=f"ho so {i}",
        )
        for i in range(search.COUNT_CAP + 1)
    )
    client = Client()
    client.force_login(w.a.clerk.user)
    html = client.get("/app/van-ban/tim-kiem/", {"q": "ho so"}).content.decode()
    assert f"Hơn {search.COUNT_CAP} văn bản" in html
    html = client.get("/app/van-ban/tim-kiem/", {"q": "phong chay"}).content.decode()
    assert "Thông báo phòng cháy chữa cháy" in html
    assert f"Hơn {search.COUNT_CAP} văn bản" not in html
