"""Every periodic job named in SCHEDULE resolves to a callable that takes no arguments."""

from __future__ import annotations

import inspect

import pytest
from django.utils.module_loading import import_string

from egov.jobs.schedule import PERIODIC, SCHEDULE


@pytest.mark.parametrize("name", sorted(SCHEDULE))
def test_schedule_target_is_a_plain_callable(name: str) -> None:
    _when, target = SCHEDULE[name]
    function = import_string(target)
    required = [
        p
        for p in inspect.signature(function).parameters.values()
        if p.default is inspect.Parameter.empty
        and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]
    assert not required, f"{target} needs arguments: {required}"
    assert name in PERIODIC
