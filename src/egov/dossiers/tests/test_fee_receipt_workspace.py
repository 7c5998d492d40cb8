"""The one-stop officer downloads the fee receipt from the workspace dossier page too."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from egov.dossiers import services
from egov.dossiers.models import Payment
from egov.dossiers.testing import make_world
from egov.procedures.inputs import FeeInput

pytestmark = pytest.mark.django_db


def test_officer_sees_the_receipt_link_once_a_payment_is_confirmed() -> None:
    world = make_world(fees=(FeeInput(name="Lệ phí", counter_amount=50000, online_amount=30000),))
    dossier = services.dossier_submit_online(
        actor=world.citizen,
        procedure=world.procedure,
        agency=world.ward,
        form_data={"ho_ten": "Trần Thị Mai"},
        papers=world.uploads(),
    )
    officer = Client()
    officer.force_login(world.officer.user)
    page = reverse("workspace:dossiers:detail", args=[dossier.public_id])
    receipt = reverse("workspace:dossiers:pdf", args=[dossier.public_id, "bien-lai-phi"])

    assert receipt not in officer.get(page).content.decode()
    assert officer.get(receipt).status_code == 404  # nothing paid yet

    services.payment_record(
        actor=world.citizen,
        dossier=dossier,
        provider="bank_transfer",
        reference="FT-0001",
        amount=30000,
    )
    services.payment_confirm(actor=world.officer.user, payment=Payment.objects.get())

    assert officer.get(page).content.decode().count(receipt) == 1
    pdf = officer.get(receipt)
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
