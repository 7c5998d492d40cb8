"""The architecture rules for views, applied to this app's audience-split view modules.

tests/test_architecture.py finds views by room name ("views"); `views_portal` and
`views_workspace` have their own room names there, so the same checks run here on them.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

HERE = Path(__file__).resolve()
APP = HERE.parent.parent
RULES = APP.parent.parent.parent / "tests" / "test_architecture.py"
MODULES = [*sorted(APP.glob("views_*.py")), APP / "api.py"]


def _rules() -> ModuleType:
    spec = importlib.util.spec_from_file_location("egov_architecture_rules", RULES)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_views_and_api_write_nothing_directly(path: Path) -> None:
    rules = _rules()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = path.read_text(encoding="utf-8").splitlines()
    writes = [f"{path.name}:{n}: {lines[n - 1].strip()}" for n, _ in rules.write_calls(tree)]
    assert not writes


@pytest.mark.parametrize("path", sorted(APP.glob("views_*.py")), ids=lambda p: p.name)
def test_every_view_is_gated(path: Path) -> None:
    rules = _rules()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert rules.unprotected_views(tree, f"egov.dossiers.{path.stem}") == []


def test_the_split_modules_are_found() -> None:
    assert {p.name for p in MODULES} >= {"views_portal.py", "views_workspace.py", "api.py"}
