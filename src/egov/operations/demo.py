"""The demo city: every capability adds its loader to LOADERS; `egov demo` runs them in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string

# Order matters: later loaders use the agencies and staff made by earlier ones.
LOADERS: list[str] = [
    "egov.organisations.demo.load_demo_city",
    "egov.signing.demo.load_demo_keys",
    "egov.procedures.demo.load_demo_procedures",
    "egov.dossiers.demo.load_demo_dossiers",
    "egov.documents.demo.load_demo_documents",
    "egov.training.demo.load_demo_training",
    "egov.infrastructure.demo.load_demo_infrastructure",
    "egov.assignments.demo.load_demo_assignments",
    "egov.indicators.demo.load_demo_facts",  # keep last: facts from every loader above
]


@dataclass(frozen=True)
class LoaderResult:
    name: str
    logins: list[Any]


def run_loaders(*, stdout: Any = None) -> list[LoaderResult]:
    results: list[LoaderResult] = []
    for dotted in LOADERS:
        loader: Callable[..., Any] = import_string(dotted)
        if stdout is not None:
            stdout.write(f"  • {dotted} …\n")
            stdout.flush()
        logins = loader(stdout=stdout) or []
        results.append(LoaderResult(dotted, list(logins)))
    return results
