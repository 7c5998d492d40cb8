"""The fact tables indicators read, in one place.

A source names a model by label, the field holding the month (None: a current snapshot with
no month, read for every period), the counters a formula may use, and the basis of its month
("reporting": keyed by reporting month with the configured cut-off; "calendar": calendar
months, as kept by the owning app). A source whose app is not installed yet, or whose model
lacks a field, yields "no data" with the reason, never zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.indicators.models import CATALOGUE_FACT_FIELDS, DOSSIER_FACT_FIELDS


@dataclass(frozen=True)
class Source:
    code: str
    label: str | Promise
    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]
    month_field: str | None = "month"
    basis: str = "reporting"  # or "calendar"

    def model_class(self) -> type[models.Model] | None:
        try:
            return apps.get_model(self.model)
        except (LookupError, ValueError):
            return None

    def available_fields(self) -> tuple[str, ...]:
        model = self.model_class()
        if model is None:
            return ()
        names = {f.name for f in model._meta.get_fields()}
        return tuple(f for f in self.fields if f in names)


SOURCES: dict[str, Source] = {
    s.code: s
    for s in (
        Source(
            "dossiers", _("Hồ sơ một cửa"), "indicators.DossierMonthlyFact", DOSSIER_FACT_FIELDS
        ),
        Source(
            "catalogue", _("Danh mục thủ tục"), "indicators.CatalogueFact", CATALOGUE_FACT_FIELDS
        ),
        Source(
            "documents",
            _("Văn bản"),
            "documents.DocumentMonthlyFact",
            (
                "sent_electronic",
                "sent_paper",
                "received_electronic",
                "received_paper",
                "digitally_signed",
                "incoming_on_time",
                "incoming_late",
            ),
            basis="calendar",
        ),
        Source(
            "assignments",
            _("Nhiệm vụ"),
            "assignments.AssignmentMonthlyFact",
            ("assigned", "done", "done_on_time", "done_late", "overdue_open"),
            basis="calendar",
        ),
        Source(
            "training",
            _("Đào tạo"),
            "training.TrainingFact",
            ("staff_total", "basic_met", "advanced_met"),
            month_field=None,
        ),
        Source(
            "infrastructure",
            _("Hạ tầng CNTT"),
            "infrastructure.InfrastructureFact",
            (
                "staff_total",
                "computers_in_use",
                "servers_in_use",
                "work_email_staff",
                "systems_in_use",
            ),
            month_field=None,
        ),
    )
}
