"""The applicant's fees over REST (/api/v1/dossiers/{code}/payments), twin of the page: the same
service, the same refusals as problem documents, nothing recorded on bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from egov.dossiers import services
from egov.dossiers.models import Dossier, Payment, PaymentStatus
from egov.dossiers.testing import World, make_world
from egov.organisations.testing import make_citizen
from egov.procedures.inputs import FeeInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world(
        fees=(FeeInput(name="Lệ phí cấp giấy", counter_amount=50000, online_amount=25000),)
    )


@pytest.fixture
def dossier(world: World) -> Dossier:
    return services.dossier_submit_online(
        actor=world.citizen,
        procedure=world.procedure,
        agency=world.ward,
        form_data={"ho_ten": "Nguyễn Văn Bình"},
        papers=world.uploads(),
    )


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(dossier: Dossier, tail: str = "") -> str:
    return f"/api/v1/dossiers/{dossier.code}/payments{tail}"


def record(client: Client, dossier: Dossier, **body: Any) -> Any:
    return client.post(url(dossier), json.dumps(body), content_type="application/json")


def test_fees_instructions_record_confirm_receipt(world: World, dossier: Dossier) -> None:
    client = login(world.citizen)

    fees = client.get(url(dossier)).json()
    assert fees["items"] == [{"name": "Lệ phí cấp giấy", "amount": 25000}]
    assert (fees["total_due"], fees["outstanding"], fees["is_paid"]) == (25000, 25000, False)
    assert fees["instructions"]["transfer_note"] == dossier.code
    assert fees["instructions"]["amount"] == 25000
    assert fees["receipt_available"] is False

    created = record(client, dossier, reference="FT-API-1", amount=25000)
    assert created.status_code == 201
    assert created.json()["status"] == "pending" and created.json()["reference"] == "FT-API-1"
    assert client.get(url(dossier)).json()["instructions"] is None  # nothing left to claim
    assert client.get(url(dossier, "/receipt")).status_code == 404

    services.payment_confirm(actor=world.officer.user, payment=Payment.objects.get())
    fees = client.get(url(dossier)).json()
    assert fees["is_paid"] and fees["receipt_available"]
    assert fees["payments"][0]["status_label"] == "Đã xác nhận"
    receipt = client.get(url(dossier, "/receipt"))
    assert receipt.status_code == 200 and receipt.content[:5] == b"%PDF-"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"reference": "", "amount": 25000}, 422, "reference"),
        ({"reference": "X" * 101, "amount": 25000}, 422, "reference"),
        ({"reference": "FT-1", "amount": 0}, 422, "amount"),
        ({"reference": "FT-1", "amount": 25001}, 422, "amount"),
        ({"reference": "FT-1", "amount": 1000, "provider": "counter"}, 422, "provider"),
    ],
)
def test_bad_input_is_a_problem_and_records_nothing(
    world: World, dossier: Dossier, body: dict[str, Any], status: int, field: str
) -> None:
    response = record(login(world.citizen), dossier, **body)

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]
    assert not Payment.objects.exists()


def test_a_paid_dossier_takes_no_more(world: World, dossier: Dossier) -> None:
    client = login(world.citizen)
    record(client, dossier, reference="FT-1", amount=25000)
    services.payment_confirm(actor=world.officer.user, payment=Payment.objects.get())

    response = record(client, dossier, reference="FT-2", amount=1)

    assert response.status_code == 422
    assert "0 đồng" in response.json()["title"]
    assert Payment.objects.filter(status=PaymentStatus.CONFIRMED).count() == 1
    assert Payment.objects.count() == 1


def test_not_the_applicant_answers_404(world: World, dossier: Dossier) -> None:
    for user in (make_citizen(), world.officer.user):
        client = login(user)
        assert client.get(url(dossier)).status_code == 404
        assert record(client, dossier, reference="FT-1", amount=1000).status_code == 404
        assert client.get(url(dossier, "/receipt")).status_code == 404
    assert Client().get(url(dossier)).status_code == 401
    assert not Payment.objects.exists()
