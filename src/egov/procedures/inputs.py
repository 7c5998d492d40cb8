"""What the catalogue services take: one procedure as a whole, as plain frozen data.

`catalogue` reads files into these and writes them out again; `services` checks and writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import time
from decimal import Decimal
from typing import Any

from egov.organisations.models import Agency
from egov.procedures.models import (
    ApplicantType,
    FeeKind,
    Field,
    PaperForm,
    ReceivingScope,
    ServiceLevel,
)


@dataclass(frozen=True)
class PaperInput:
    name: str
    copies: int = 1
    form: str = PaperForm.ORIGINAL
    required: bool = True
    template_name: str = ""
    allowed_kinds: tuple[str, ...] = ("pdf", "jpeg", "png")
    note: str = ""


@dataclass(frozen=True)
class FeeInput:
    name: str
    kind: str = FeeKind.CHARGE
    counter_amount: int = 0
    online_amount: int = 0
    note: str = ""


@dataclass(frozen=True)
class ProcedureInput:
    """Everything about one procedure, as the services take it."""

    code: str
    name: str
    field: Field | None
    level: str
    legal_working_days: Decimal | Any
    result_type: str
    service_level: ServiceLevel | None
    agencies: tuple[Agency, ...] = ()
    receiving_scope: str = ReceivingScope.LISTED
    time_note: str = ""
    cutoff_time: time | None = None
    applicant_types: str = ApplicantType.CITIZEN
    legal_basis: str = ""
    description: str = ""
    conditions: str = ""
    form_schema: Any = dataclass_field(default_factory=list)
    papers: tuple[PaperInput, ...] = ()
    fees: tuple[FeeInput, ...] = ()
    # The processing workflow in the format of `egov.workflow.services.process_define`
    # (code, name, description, steps, transitions); None keeps the current process.
    process: Mapping[str, Any] | None = None
    is_published: bool = False
