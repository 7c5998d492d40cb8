"""The committed sample files (docs/samples/procedures.*) import into the demo city, and the
two formats say the same thing."""

from __future__ import annotations

from pathlib import Path

import pytest

from egov.organisations.demo import load_demo_city
from egov.procedures import catalogue, services
from egov.procedures.models import Procedure
from egov.procedures.testing import levels

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[4] / "docs" / "samples"


def test_the_samples_import_and_agree() -> None:
    load_demo_city()
    levels()
    parsed = catalogue.read_json((SAMPLES / "procedures.json").read_bytes())
    report = services.catalogue_import(
        actor=None, rows=parsed.rows, fields=parsed.fields, errors=parsed.errors
    )
    assert len(report.created) == Procedure.objects.count() >= 5
    parsed = catalogue.read_xlsx((SAMPLES / "procedures.xlsx").read_bytes())
    report = services.catalogue_import(
        actor=None, rows=parsed.rows, fields=parsed.fields, errors=parsed.errors
    )
    assert report.total == len(report.unchanged) == Procedure.objects.count()
