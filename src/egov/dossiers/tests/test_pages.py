"""Pages at the HTTP boundary: online submission, my dossiers, tracking, officer workspace."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from egov.dossiers import services
from egov.dossiers.models import Dossier, DossierStatus
from egov.dossiers.testing import PDF_BYTES, PNG_BYTES, World, make_world
from egov.dossiers.tracking import TRACKING_ATTEMPTS_PER_HOUR
from egov.organisations.models import RoleCode
from egov.organisations.testing import make_agency, make_citizen, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def world() -> World:
    return make_world()


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submitted(world: World, **kw: Any) -> Dossier:
    return services.dossier_submit_online(
        actor=world.citizen,
        procedure=world.procedure,
        agency=world.ward,
        form_data={"ho_ten": "Nguyễn Văn Bình", "so_ban": 2},
        papers=dict((pid, up) for pid, up in world.uploads()[:2]),
        **kw,
    )


def processing(world: World) -> Dossier:
    dossier = submitted(world)
    services.dossier_accept(actor=world.officer.user, dossier=dossier)
    return dossier


def form_post(world: World, **over: Any) -> dict[str, Any]:
    papers = world.papers
    data: dict[str, Any] = {
        "agency": world.ward.code,
        "f-ho_ten": "Nguyễn Văn Bình",
        "f-so_ban": "2",
        f"paper_{papers[0].pk}": SimpleUploadedFile("to-khai.pdf", PDF_BYTES, "application/pdf"),
        f"paper_{papers[1].pk}": SimpleUploadedFile("cccd.png", PNG_BYTES, "image/png"),
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


# --- online submission ---------------------------------------------------------------------


def test_submission_form_renders_schema_fields_and_one_input_per_paper(world: World) -> None:
    client = login(world.citizen)
    response = client.get(reverse("portal:dossiers:submit", args=[world.procedure.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="f-ho_ten"' in html and 'aria-required="true"' in html
    for paper in world.papers:
        assert f'name="paper_{paper.pk}"' in html
    assert 'accept=".pdf,application/pdf"' in html  # the first paper takes PDF only


def test_anonymous_is_sent_to_login(world: World) -> None:
    response = Client().get(reverse("portal:dossiers:submit", args=[world.procedure.code]))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_staff_cannot_submit_online(world: World) -> None:
    response = login(world.officer.user).get(
        reverse("portal:dossiers:submit", args=[world.procedure.code])
    )
    assert response.status_code == 403


def test_submit_review_confirm_gives_the_code_at_once(world: World) -> None:
    client = login(world.citizen)
    url = reverse("portal:dossiers:submit", args=[world.procedure.code])
    response = client.post(url, form_post(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    review = client.get(response["Location"])
    assert review.status_code == 200
    assert "to-khai.pdf" in review.content.decode() and Dossier.objects.count() == 0
    done = client.post(response["Location"])
    assert done.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.applicant == world.citizen and dossier.papers.count() == 2
    page = client.get(done["Location"])
    assert dossier.code in page.content.decode()
    receipt = client.get(reverse("portal:dossiers:receipt", args=[dossier.code]))
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"


def test_errors_next_to_fields_nothing_saved_and_good_papers_kept(world: World) -> None:
    client = login(world.citizen)
    url = reverse("portal:dossiers:submit", args=[world.procedure.code])
    bad = form_post(world, **{"f-ho_ten": "", "f-so_ban": "99"})
    response = client.post(url, bad)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="error-summary"' in html and 'href="#id_f-ho_ten"' in html
    assert 'id="id_f-ho_ten_error"' in html and 'id="id_f-so_ban_error"' in html
    assert "được giữ lại" in html  # the valid uploads are kept
    assert Dossier.objects.count() == 0
    # Resubmitting without choosing the files again works: the kept papers are used.
    fixed = {"agency": world.ward.code, "f-ho_ten": "Nguyễn Văn Bình", "f-so_ban": "2"}
    response = client.post(url, fixed)
    assert response.status_code == 302
    client.post(response["Location"])
    assert Dossier.objects.get().papers.count() == 2


def test_a_paper_of_a_wrong_kind_is_refused_with_the_reason(world: World) -> None:
    client = login(world.citizen)
    paper = world.papers[0]  # PDF only
    data = form_post(
        world, **{f"paper_{paper.pk}": SimpleUploadedFile("a.png", PNG_BYTES, "image/png")}
    )
    response = client.post(reverse("portal:dossiers:submit", args=[world.procedure.code]), data)
    assert response.status_code == 422
    assert "không đúng định dạng" in response.content.decode()
    assert Dossier.objects.count() == 0


# --- my dossiers ---------------------------------------------------------------------------


def test_my_dossiers_lists_only_my_own(world: World) -> None:
    mine = submitted(world)
    other = make_citizen(phone="0911222333")
    response = login(other).get(reverse("portal:dossiers:mine"))
    assert response.status_code == 200 and mine.code not in response.content.decode()
    response = login(world.citizen).get(reverse("portal:dossiers:mine"))
    assert mine.code in response.content.decode()
    assert (
        login(other).get(reverse("portal:dossiers:my_dossier", args=[mine.code])).status_code == 404
    )


def test_applicant_withdraws_before_decision(world: World) -> None:
    dossier = submitted(world)
    client = login(world.citizen)
    page = client.get(reverse("portal:dossiers:my_dossier", args=[dossier.code]))
    assert "Rút hồ sơ" in page.content.decode()
    client.post(reverse("portal:dossiers:my_withdraw", args=[dossier.code]), {"reason": "Nộp nhầm"})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWN


# --- public tracking -----------------------------------------------------------------------


def test_tracking_shows_status_but_no_personal_data_to_the_public(world: World) -> None:
    dossier = processing(world)
    response = Client().get(reverse("portal:tracking:dossier", args=[dossier.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đang giải quyết" in html and "Tiếp nhận hồ sơ" in html
    assert dossier.applicant_name not in html
    assert world.officer.user.full_name not in html  # no officer names publicly


def test_tracking_says_the_clock_is_stopped_while_waiting_for_a_supplement(world: World) -> None:
    dossier = submitted(world)
    url = reverse("portal:tracking:dossier", args=[dossier.code])
    assert 'id="clock-stopped"' not in Client().get(url).content.decode()
    services.dossier_request_supplement(
        actor=world.officer.user, dossier=dossier, items=["Bản sao CCCD bị mờ"], note=""
    )
    html = Client().get(url).content.decode()
    assert 'id="clock-stopped"' in html and "Tạm dừng tính thời hạn." in html


def test_tracking_unknown_code_is_a_plain_404() -> None:
    response = Client().get(reverse("portal:tracking:dossier", args=["KHONG-CO"]))
    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ" in response.content.decode()


def test_tracking_form_redirects_to_the_dossier(world: World) -> None:
    dossier = submitted(world)
    response = Client().get(reverse("portal:tracking:form"), {"code": dossier.code.lower()})
    assert response.status_code == 302 and dossier.code in response["Location"]


def test_tracking_personal_data_for_the_applicant(world: World) -> None:
    dossier = submitted(world)
    response = login(world.citizen).get(reverse("portal:tracking:dossier", args=[dossier.code]))
    assert dossier.applicant_name in response.content.decode()


def test_tracking_second_factor_unlocks_personal_data(world: World) -> None:
    dossier = submitted(world)
    client = Client()
    url = reverse("portal:tracking:dossier", args=[dossier.code])
    wrong = client.post(url, {"phone_last4": "0000"})
    assert wrong.status_code == 403 and dossier.applicant_name not in wrong.content.decode()
    right = client.post(url, {"phone_last4": "3456"})
    assert right.status_code == 302
    assert dossier.applicant_name in client.get(url).content.decode()


def test_tracking_second_factor_is_rate_limited(world: World) -> None:
    dossier = submitted(world)
    client = Client()
    url = reverse("portal:tracking:dossier", args=[dossier.code])
    for _ in range(TRACKING_ATTEMPTS_PER_HOUR):
        assert client.post(url, {"phone_last4": "0000"}).status_code == 403
    blocked = client.post(url, {"phone_last4": "3456"})  # right digits, too late
    assert blocked.status_code == 429
    assert dossier.applicant_name not in blocked.content.decode()


# --- officer workspace ---------------------------------------------------------------------


def test_queue_pages_answer_for_staff(world: World) -> None:
    processing(world)
    client = login(world.specialist.user)
    for key in ("mine", "unit", "due_soon", "overdue", "waiting", "all"):
        response = client.get(reverse("workspace:dossiers:queue", args=[key]))
        assert response.status_code == 200, key
    assert client.get(reverse("workspace:dossiers:queue", args=["nope"])).status_code == 404


def test_to_receive_queue_lists_online_dossiers_for_one_stop_officers(world: World) -> None:
    dossier = submitted(world)
    response = login(world.officer.user).get(
        reverse("workspace:dossiers:queue", args=["to_receive"])
    )
    assert dossier.code in response.content.decode()
    # A specialist without the intake role is refused.
    refused = login(world.ward_specialist.user).get(
        reverse("workspace:dossiers:queue", args=["to_receive"])
    )
    assert refused.status_code == 403


def test_queue_is_policy_scoped(world: World) -> None:
    dossier = submitted(world)
    stranger = make_staff(agency=make_agency(), roles=[RoleCode.ONE_STOP_OFFICER])
    response = login(stranger.user).get(reverse("workspace:dossiers:queue", args=["all"]))
    assert response.status_code == 200 and dossier.code not in response.content.decode()


def test_queue_query_count_does_not_grow_with_page_size(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for _ in range(12):
        submitted(world)
    client = login(world.officer.user)
    url = reverse("workspace:dossiers:queue", args=["to_receive"])
    client.get(url)  # warm the session and the calendar
    with django_assert_max_num_queries(12) as small:
        client.get(url, {"so-dong": 20})
    with django_assert_max_num_queries(12) as large:
        response = client.get(url, {"so-dong": 100})
    assert response.status_code == 200
    assert response.content.decode().count("/app/ho-so/") >= 12
    assert len(large.captured_queries) == len(small.captured_queries)
    with django_assert_max_num_queries(12):
        filtered = client.get(
            url, {"so-dong": 100, "q": "nguyen", "sort": "-submitted", "procedure": "x"}
        )
    assert filtered.status_code == 200


def test_detail_for_own_agency_and_404_for_another(world: World) -> None:
    dossier = processing(world)
    url = reverse("workspace:dossiers:detail", args=[dossier.public_id])
    response = login(world.specialist.user).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phiếu kiểm soát" in html and "Chuyển xử lý" in html
    stranger = make_staff(agency=make_agency(), roles=[RoleCode.AGENCY_LEADER])
    assert login(stranger.user).get(url).status_code == 404
    assert login(world.citizen).get(url).status_code == 403


def test_officer_accepts_with_htmx_and_refused_action_changes_nothing(world: World) -> None:
    dossier = submitted(world)
    url = reverse("workspace:dossiers:act", args=[dossier.public_id])
    client = login(world.officer.user)
    response = client.post(url, {"action": "accept"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="dossier-live"' in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING and dossier.due_at is not None
    # The one-stop officer may not approve at the department's appraisal step.
    client.post(url, {"action": "approve"})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING


def test_pdfs_of_the_dossier(world: World) -> None:
    dossier = processing(world)
    client = login(world.officer.user)
    for kind in ("giay-tiep-nhan", "phieu-kiem-soat"):
        response = client.get(reverse("workspace:dossiers:pdf", args=[dossier.public_id, kind]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), kind
    missing = client.get(reverse("workspace:dossiers:pdf", args=[dossier.public_id, "tu-choi"]))
    assert missing.status_code == 404


def test_counter_intake_creates_a_received_dossier(world: World) -> None:
    client = login(world.officer.user)
    url = reverse("workspace:dossiers:intake")
    assert client.get(url, {"thu-tuc": world.procedure.code}).status_code == 200
    papers = world.papers
    response = client.post(
        url,
        {
            "thu-tuc": world.procedure.code,
            "kind": "citizen",
            "name": "Lê Thị Hoa",
            "phone": "0905111222",
            "f-ho_ten": "Lê Thị Hoa",
            f"paper_{papers[0].pk}": SimpleUploadedFile("a.pdf", PDF_BYTES),
            f"paper_{papers[1].pk}": SimpleUploadedFile("b.png", PNG_BYTES),
        },
    )
    html = response.content.decode()
    assert response.status_code == 302, html[html.find("<main") :][:3000]
    dossier = Dossier.objects.get()
    assert dossier.channel == "counter" and dossier.received_at is not None


def test_workspace_home_card_counts_dossiers_to_receive(world: World) -> None:
    submitted(world)
    response = login(world.officer.user).get(reverse("workspace:home"))
    html = response.content.decode()
    assert (
        "Hồ sơ chờ tiếp nhận" in html
        and reverse("workspace:dossiers:queue", args=["to_receive"]) in html
    )


def test_dossier_page_carries_the_work_exchange_thread(world: World) -> None:
    dossier = processing(world)
    page = reverse("workspace:dossiers:detail", args=[dossier.public_id])
    post = reverse("workspace:assignments:comment", args=["dossier", dossier.public_id])
    client = login(world.specialist.user)
    assert 'id="trao-doi"' in client.get(page).content.decode()
    response = client.post(post, {"body": "Đề nghị bổ sung bản vẽ mặt bằng."})
    assert response.status_code in (200, 302)
    assert "Đề nghị bổ sung bản vẽ mặt bằng." in client.get(page).content.decode()
    stranger = make_staff(agency=make_agency(), roles=[RoleCode.AGENCY_LEADER])
    refused = login(stranger.user).post(post, {"body": "Không được phép"})
    assert refused.status_code == 404
    assert "Không được phép" not in client.get(page).content.decode()
