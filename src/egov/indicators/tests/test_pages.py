"""Dashboards: fact tables only, a bounded number of queries, policy, exports, drill-down."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from egov.dossiers.models import Dossier
from egov.dossiers.testing import make_dossier
from egov.indicators.models import DossierMonthlyFact
from egov.organisations.models import RoleCode as R
from egov.organisations.testing import make_agency, make_staff

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = {"ky": "month", "nam": "2026", "so": "3"}


def login(client: Any, staff: Any) -> Any:
    client.force_login(staff.user)
    return client


def facts_for(agencies: list[Any]) -> None:
    for n, agency in enumerate(agencies):
        for month in (1, 2, 3):
            DossierMonthlyFact.objects.create(
                agency=agency,
                month=dt.date(2026, month, 1),
                service_level="full_online",
                received=10,
                received_online=n % 10,
                decided=10,
                decided_on_time=10 - n % 10,
                decided_late=n % 10,
            )


def test_city_dashboard_reads_facts_only_in_constant_queries(client: Any) -> None:
    city = make_agency(name="UBND thành phố")
    leader = make_staff(agency=city, roles=[R.CITY_LEADER])
    few = [make_agency() for _ in range(2)]
    facts_for(few)
    login(client, leader)
    url = reverse("workspace:indicators:city")

    with CaptureQueriesContext(connection) as small:
        assert client.get(url, MARCH).status_code == 200
    facts_for([make_agency() for _ in range(10)])
    with CaptureQueriesContext(connection) as large:
        response = client.get(url, MARCH)

    assert response.status_code == 200
    assert len(large) == len(small) <= 20
    sql = " ".join(q["sql"] for q in large.captured_queries)
    assert "dossiers_dossier" not in sql
    page = response.content.decode()
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn" in page
    assert "<svg" in page and "<table" in page
    assert "Chưa có số liệu" in page  # the national-portal indicator has no source


def test_city_dashboard_within_the_query_budget(
    client: Any, django_assert_max_num_queries: Any
) -> None:
    leader = make_staff(agency=make_agency(), roles=[R.CITY_LEADER])
    facts_for([make_agency() for _ in range(5)])
    login(client, leader)
    with django_assert_max_num_queries(20):
        client.get(reverse("workspace:indicators:indicator", args=["766-2.1"]), MARCH)


def test_indicator_page_ranks_agencies_with_labels(client: Any) -> None:
    leader = make_staff(agency=make_agency(), roles=[R.CITY_LEADER])
    good, bad = make_agency(name="Sở Tốt"), make_agency(name="Sở Chậm")
    DossierMonthlyFact.objects.create(
        agency=good, month=dt.date(2026, 3, 1), decided=10, decided_on_time=10
    )
    DossierMonthlyFact.objects.create(
        agency=bad, month=dt.date(2026, 3, 1), decided=10, decided_on_time=7, decided_late=3
    )
    login(client, leader)

    page = client.get(
        reverse("workspace:indicators:indicator", args=["766-2.1"]), MARCH
    ).content.decode()

    assert page.index("Sở Tốt") < page.index("Sở Chậm")
    assert "100,0 %" in page and "70,0 %" in page
    assert "Đạt" in page and "Chưa đạt" in page  # text labels, not colour alone


def test_agency_head_sees_own_agency_only(client: Any) -> None:
    own, other = make_agency(), make_agency()
    head = make_staff(agency=own, roles=[R.AGENCY_LEADER])
    login(client, head)

    assert client.get(reverse("workspace:indicators:agency", args=[own.code])).status_code == 200
    for name in ("agency", "late"):
        assert (
            client.get(reverse(f"workspace:indicators:{name}", args=[other.code])).status_code
            == 404
        )
    assert client.get(reverse("workspace:indicators:city")).status_code == 404
    home = client.get(reverse("workspace:indicators:home"))
    assert home.status_code == 302 and own.code in home["Location"]


def test_specialist_sees_nothing(client: Any) -> None:
    agency = make_agency()
    login(client, make_staff(agency=agency, roles=[R.SPECIALIST]))
    assert client.get(reverse("workspace:indicators:home")).status_code == 404
    assert client.get(reverse("workspace:indicators:agency", args=[agency.code])).status_code == 404


def test_drill_down_lists_the_late_dossiers_behind_the_figure(client: Any) -> None:
    city = make_agency()
    leader = make_staff(agency=city, roles=[R.CITY_LEADER])
    ward = make_agency()
    decided = dt.datetime(2026, 3, 2, 10, tzinfo=VN)
    late = make_dossier(
        agency=ward,
        decided_at=decided,
        finished_on_time=False,
        legal_due_at=decided - dt.timedelta(days=2),
    )
    on_time = make_dossier(agency=ward, decided_at=decided, finished_on_time=True)
    login(client, leader)

    page = client.get(
        reverse("workspace:indicators:late", args=[ward.code]), MARCH
    ).content.decode()

    assert late.code in page
    assert on_time.code not in page
    assert Dossier.objects.count() == 2


@pytest.mark.parametrize("name,args", [("city", []), ("indicator", ["766-2.1"]), ("late", None)])
def test_exports_open(client: Any, name: str, args: list[str] | None) -> None:
    city = make_agency()
    leader = make_staff(agency=city, roles=[R.CITY_LEADER])
    facts_for([make_agency()])
    login(client, leader)
    url = reverse(f"workspace:indicators:{name}", args=args if args is not None else [city.code])

    xlsx = client.get(url, {**MARCH, "dinh_dang": "xlsx"})
    pdf = client.get(url, {**MARCH, "dinh_dang": "pdf"})

    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    book = load_workbook(BytesIO(xlsx.content))
    assert book.worksheets[0].max_row >= 2
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_agency_page_exports(client: Any) -> None:
    own = make_agency()
    facts_for([own])
    login(client, make_staff(agency=own, roles=[R.AGENCY_LEADER]))
    url = reverse("workspace:indicators:agency", args=[own.code])
    response = client.get(url, {**MARCH, "dinh_dang": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    on_time = next(r for r in rows if r[0] == "766-2.1")
    assert on_time[2] == "100,0 %"
    assert client.get(url, {**MARCH, "dinh_dang": "pdf"}).content.startswith(b"%PDF")


def test_agency_page_lists_units_and_people_in_constant_queries(client: Any) -> None:
    from egov.organisations.testing import make_unit
    from egov.training.models import StaffTrainingStatus

    own = make_agency()
    unit = make_unit(agency=own, name="Phòng Tin học")
    head = make_staff(agency=own, roles=[R.AGENCY_LEADER], full_name="Trưởng cơ quan")
    trained = make_staff(agency=own, unit=unit, full_name="Cán bộ đạt chuẩn")
    StaffTrainingStatus.objects.update_or_create(
        staff=trained, defaults={"agency": own, "basic_met": True, "basic_passed": 6}
    )
    login(client, head)
    url = reverse("workspace:indicators:agency", args=[own.code])

    with CaptureQueriesContext(connection) as few:
        page = client.get(url, MARCH).content.decode()
    for n in range(4):
        make_staff(agency=own, unit=unit, full_name=f"Cán bộ thêm {n}")
    with CaptureQueriesContext(connection) as more:
        client.get(url, MARCH)

    assert len(more) == len(few)
    assert "Phòng Tin học" in page and "Cán bộ đạt chuẩn" in page
    assert "Đạt chuẩn cơ bản" in page
    people = load_workbook(
        BytesIO(client.get(url, {**MARCH, "dinh_dang": "xlsx"}).content)
    ).worksheets[2]
    names = [row[1].value for row in people.iter_rows()]
    assert "Cán bộ đạt chuẩn" in names
