"""Architecture rules (docs/architecture.md), checked by reading the source with `ast`.

They run over every app under src/egov/, so they keep holding as apps are added:

a. views and API modules never write models: they call a service;
b. imports follow the allowed directions (rooms inside an app; mechanisms never import
   domain apps; `core` imports nothing of ours);
c. every service that writes also writes the audit row (`audit_record`);
d. every view is behind a gate (login/staff decorator, a policy call) or listed as public.

Exceptions are listed here, each with its reason. A new exception is a decision: add it with
the reason, or fix the code.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "egov"


@dataclass(frozen=True)
class Module:
    path: Path
    app: str  # first package under egov/
    name: str  # dotted module name, e.g. "egov.audit.views"
    tree: ast.Module

    @property
    def rel(self) -> str:
        return str(self.path.relative_to(SRC.parent))

    @property
    def room(self) -> str:
        """The room of the app: "views", "services", "models"… (a package counts as its room)."""
        parts = self.name.split(".")[2:]
        if not parts:
            return "__init__"
        if parts[0] == "management":
            return "management"
        return _normalise_room(parts[0])


@cache
def modules() -> tuple[Module, ...]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent)
        if "tests" in rel.parts or "migrations" in rel.parts or len(rel.parts) < 3:
            continue
        name = ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found.append(Module(path, rel.parts[1], name, tree))
    return tuple(found)


def in_room(*rooms: str) -> list[Module]:
    return [m for m in modules() if m.room in rooms]


def imports(module: Module) -> Iterator[tuple[int, str]]:
    """Every `egov…` module imported (also inside functions, relative ones resolved)."""
    package = module.name if module.path.name == "__init__.py" else module.name.rsplit(".", 1)[0]
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("egov."):
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            if not source.startswith("egov."):
                continue
            yield node.lineno, source
            for alias in node.names:  # `from egov.audit import services`
                yield node.lineno, f"{source}.{alias.name}"


def call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def test_the_scan_sees_the_apps() -> None:
    apps = {m.app for m in modules()}
    assert {"core", "audit", "policy", "organisations", "accounts"} <= apps
    assert in_room("views") and in_room("services") and in_room("models")


# --- a. views and API modules never write models ------------------------------------------------

ALWAYS_WRITES = {
    "save",
    "delete",
    "bulk_create",
    "bulk_update",
    "update_or_create",
    "get_or_create",
}
# These are writes when called on a manager, a queryset or a related manager (`X.objects.create`,
# `X.objects.filter(…).update`, `staff.roles.set`), not on a plain name (`data.update`, `seen.add`).
MANAGER_WRITES = {"create", "update", "set", "add", "remove", "clear"}

# (module, line text fragment) -> reason
DIRECT_WRITE_ALLOWED: dict[tuple[str, str], str] = {}


def write_calls(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        attr, receiver = node.func.attr, node.func.value
        if attr in ALWAYS_WRITES:
            yield node.lineno, attr
        elif attr in MANAGER_WRITES and isinstance(receiver, ast.Attribute | ast.Call):
            if attr in {"set", "add", "remove", "clear"} and _is_session_or_messages(receiver):
                continue
            yield node.lineno, attr


def _is_session_or_messages(node: ast.AST) -> bool:
    text = ast.unparse(node)
    return "session" in text or "messages" in text or "headers" in text or "cookies" in text


def test_views_and_api_do_not_write_models() -> None:
    problems = []
    for module in in_room("views", "api"):
        lines = module.path.read_text(encoding="utf-8").splitlines()
        for lineno, attr in write_calls(module.tree):
            line = lines[lineno - 1].strip()
            if any(m == module.name and fragment in line for (m, fragment) in DIRECT_WRITE_ALLOWED):
                continue
            problems.append(f"{module.rel}:{lineno}: .{attr}(…) — {line}")
    assert not problems, (
        "Views/API ghi thẳng vào model (phải gọi một hàm trong services.py):\n"
        + "\n".join(problems)
    )


def test_write_detection_catches_the_usual_forms() -> None:
    source = (
        "def v(request):\n"
        "    form.save()\n"
        "    Dossier.objects.create(a=1)\n"
        "    Dossier.objects.filter(a=1).update(b=2)\n"
        "    Dossier.objects.get_or_create(a=1)\n"
        "    staff.roles.set([])\n"
        "    data.update({})\n"
        "    seen.add(1)\n"
        "    request.session.clear()\n"
    )
    assert [attr for _, attr in write_calls(ast.parse(source))] == [
        "save",
        "create",
        "update",
        "get_or_create",
        "set",
    ]


# --- b. import directions -------------------------------------------------------------------

# Rooms that must not import these rooms of any app (own or other).
ROOM_MAY_NOT_IMPORT: dict[str, set[str]] = {
    "models": {"views", "api", "services", "selectors", "forms", "jobs", "policy", "urls"},
    "selectors": {"views", "api", "services", "forms", "jobs", "urls"},
    "services": {"views", "api", "forms", "urls"},
    "policy": {"views", "api", "services", "forms", "jobs", "urls"},
    "jobs": {"views", "api", "forms", "urls"},
}

# Shared mechanisms: they serve the domain apps and never depend on them.
MECHANISMS = {"core", "audit", "policy", "calendar", "jobs", "workflow", "printing", "signing"}
# What a mechanism may still import from a domain app, and why.
MECHANISM_IMPORT_EXCEPTIONS: dict[str, str] = {
    "egov.organisations.models": (
        "the tenant: agencies, staff, roles and delegations (Agency, RoleCode…). The policy "
        "engine resolves a user's roles from them, the calendar is per agency, and every "
        "app's policy.py names roles with RoleCode"
    ),
    "egov.accounts.decorators": (
        "the sign-in gate (login, staff only, two-factor) that every workspace page uses, "
        "the mechanisms' own pages included"
    ),
}
# `core` is the bottom: it imports nothing of ours but itself and the settings helpers.
CORE_MAY_IMPORT = ("egov.core", "egov.conf")


def _normalise_room(name: str) -> str:
    """An app may split a room by audience: views_portal.py is views, urls_workspace.py is urls."""
    if name.startswith("views_"):
        return "views"
    if name.startswith("urls_") or name.endswith("_urls"):
        return "urls"
    return name


def _room_of(dotted: str) -> str | None:
    parts = dotted.split(".")
    return _normalise_room(parts[2]) if len(parts) > 2 else None


def test_rooms_import_in_the_allowed_direction() -> None:
    problems = []
    for module in modules():
        forbidden = ROOM_MAY_NOT_IMPORT.get(module.room)
        if not forbidden:
            continue
        for lineno, target in imports(module):
            if _room_of(target) in forbidden:
                problems.append(f"{module.rel}:{lineno}: {module.room} → {target}")
    assert not problems, "Hướng import không được phép:\n" + "\n".join(sorted(set(problems)))


def test_mechanisms_do_not_import_domain_apps() -> None:
    problems = []
    for module in modules():
        if module.app not in MECHANISMS:
            continue
        for lineno, target in imports(module):
            app = target.split(".")[1]
            if app in MECHANISMS or app == "conf":
                continue
            if any(target == e or target.startswith(e + ".") for e in MECHANISM_IMPORT_EXCEPTIONS):
                continue
            problems.append(f"{module.rel}:{lineno}: {module.app} → {target}")
    assert not problems, "Cơ chế dùng chung import ứng dụng nghiệp vụ:\n" + "\n".join(
        sorted(set(problems))
    )


def test_core_imports_nothing_of_ours() -> None:
    problems = [
        f"{m.rel}:{lineno}: core → {target}"
        for m in modules()
        if m.app == "core"
        for lineno, target in imports(m)
        if not target.startswith(CORE_MAY_IMPORT)
    ]
    assert not problems, "\n".join(problems)


def test_only_url_maps_and_views_import_views() -> None:
    # A view is reached through a URL map (urls.py, or portal_urls.py and the like); only url
    # maps and other views (sharing a gate
    # decorator) import a views module. Settings name view callables by string, not import.
    problems = [
        f"{m.rel}:{lineno}: {m.room} → {target}"
        for m in modules()
        if m.room not in {"urls", "views"} and not m.room.endswith("_urls")
        for lineno, target in imports(m)
        if _room_of(target) == "views"
    ]
    assert not problems, "\n".join(problems)


# --- c. services that write, audit ----------------------------------------------------------

SERVICE_NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
# "module.function" -> reason it writes without its own audit row.
SERVICE_AUDIT_EXCEPTIONS: dict[str, str] = {
    "egov.audit.services.audit_record": "it is the audit row",
}


def _functions(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


def _closure(funcs: dict[str, ast.AST], direct: set[str]) -> set[str]:
    """Functions that do something directly or by calling a same-module function that does."""
    calls = {
        name: {call_name(c) for c in ast.walk(node) if isinstance(c, ast.Call)} & funcs.keys()
        for name, node in funcs.items()
    }
    result = set(direct)
    changed = True
    while changed:
        changed = False
        for name, callees in calls.items():
            if name not in result and callees & result:
                result.add(name)
                changed = True
    return result


def unaudited_writers(tree: ast.Module, module_name: str) -> list[str]:
    funcs = _functions(tree)
    writes = _closure(funcs, {n for n, f in funcs.items() if any(True for _ in write_calls(f))})
    audits = _closure(
        funcs,
        {
            n
            for n, f in funcs.items()
            if any(isinstance(c, ast.Call) and call_name(c) == "audit_record" for c in ast.walk(f))
        },
    )
    return [
        f"{module_name}.{name}"
        for name in funcs
        if not name.startswith("_")
        and SERVICE_NAME.match(name)
        and name in writes
        and name not in audits
        and f"{module_name}.{name}" not in SERVICE_AUDIT_EXCEPTIONS
    ]


def test_services_that_write_record_an_audit_entry() -> None:
    problems = []
    for module in in_room("services"):
        problems += unaudited_writers(module.tree, module.name)
    assert not problems, (
        "Hàm service ghi dữ liệu nhưng không gọi audit_record (thêm audit_record trong cùng "
        "giao dịch, hoặc ghi ngoại lệ có lý do vào SERVICE_AUDIT_EXCEPTIONS):\n"
        + "\n".join(problems)
    )


def test_audit_check_sees_helpers_and_misses() -> None:
    source = (
        "def thing_create(*, actor):\n    _write()\n    audit_record(actor=actor)\n"
        "def thing_delete(*, actor, thing):\n    thing.delete()\n"
        "def thing_update(*, actor, thing):\n    thing.save()\n    _audit(actor)\n"
        "def _write():\n    Thing.objects.create()\n"
        "def _audit(actor):\n    audit_record(actor=actor)\n"
        "def snapshot(x):\n    x.save()\n"
    )
    assert unaudited_writers(ast.parse(source), "m") == ["m.thing_delete"]


# --- d. every view is behind a gate, or public on purpose -----------------------------------

GATE_DECORATORS = {
    "login_required",
    "staff_required",
    "verified_login_required",
    "permission_required",
    "user_passes_test",
    # egov.workspace.views: login, staff only, then can(user, "workspace.enter").
    "workspace_required",
}
GATE_MIXINS = {"LoginRequiredMixin", "StaffRequiredMixin", "PermissionRequiredMixin"}
GATE_CALLS = {"require", "can", "scope", "agency_filter", "gate_response"}
GATE_CALL_PREFIXES = ("access_",)  # access_<noun>_for_<actor> helpers in policy.py

# "module.view" -> why anyone may open it.
PUBLIC_VIEWS: dict[str, str] = {
    "egov.portal.views.home": "the public portal's home page",
    "egov.api.views.healthz": "health check for load balancers and monitoring",
    "egov.api.views.api_docs": "the public API documentation",
    "egov.accounts.views.login_view": "sign-in",
    "egov.accounts.views.EgovLogoutView": "sign-out",
    "egov.accounts.views.lockout_response": "the answer axes gives a locked-out sign-in",
    "egov.accounts.views.two_factor_verify_view": "second sign-in step (pending session)",
    "egov.accounts.views.two_factor_setup_view": "authenticator enrolment during sign-in",
    "egov.accounts.views.register_view": "citizen registration",
    "egov.accounts.views.register_done_view": "citizen registration",
    "egov.accounts.views.verification_resend_view": "citizen e-mail verification",
    "egov.accounts.views.verify_email_view": "citizen e-mail verification (token link)",
    "egov.accounts.views.password_reset_request_view": "forgotten password (same answer for all)",
    "egov.accounts.views.password_reset_confirm_view": "forgotten password (one-time token link)",
}


def _decorator_names(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> set[str]:
    names = set()
    for dec in node.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if isinstance(target, ast.Attribute):
            names.add(target.attr)
        elif isinstance(target, ast.Name):
            names.add(target.id)
        if isinstance(dec, ast.Call):  # method_decorator(login_required)
            for arg in dec.args:
                if isinstance(arg, ast.Name):
                    names.add(arg.id)
    return names


def _calls_gate(node: ast.AST) -> bool:
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            name = call_name(call)
            if name in GATE_CALLS or name.startswith(GATE_CALL_PREFIXES):
                return True
    return False


def _is_view_function(node: ast.AST) -> bool:
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name.startswith("_"):
        return False
    args = node.args.posonlyargs + node.args.args
    return bool(args) and args[0].arg == "request"


def _is_view_class(node: ast.AST) -> bool:
    if not isinstance(node, ast.ClassDef) or node.name.startswith("_"):
        return False
    bases = {ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases}
    return any(b.endswith(("View", "Mixin")) for b in bases)


def unprotected_views(tree: ast.Module, module_name: str) -> list[str]:
    problems = []
    for node in tree.body:
        if _is_view_function(node):
            assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            gated = bool(_decorator_names(node) & GATE_DECORATORS) or _calls_gate(node)
        elif _is_view_class(node):
            assert isinstance(node, ast.ClassDef)
            bases = {ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases}
            gated = (
                bool(bases & GATE_MIXINS)
                or bool(_decorator_names(node) & GATE_DECORATORS)
                or _calls_gate(node)
            )
        else:
            continue
        qualified = f"{module_name}.{node.name}"
        if not gated and qualified not in PUBLIC_VIEWS:
            problems.append(f"{qualified} (dòng {node.lineno})")
    return problems


def test_every_view_is_protected_or_listed_public() -> None:
    problems = []
    for module in in_room("views"):
        problems += unprotected_views(module.tree, module.name)
    assert not problems, (
        "View không có cổng kiểm soát (login_required/staff_required, require/can) và không "
        "nằm trong PUBLIC_VIEWS:\n" + "\n".join(problems)
    )


def test_public_list_has_no_stale_names() -> None:
    defined = {
        f"{m.name}.{n.name}"
        for m in in_room("views")
        for n in m.tree.body
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    stale = sorted(set(PUBLIC_VIEWS) - defined)
    assert not stale, f"PUBLIC_VIEWS names views that no longer exist: {stale}"


def test_gate_check_sees_decorators_mixins_and_calls() -> None:
    source = (
        "@login_required\ndef a(request): ...\n"
        "@decorators.staff_required\ndef b(request): ...\n"
        "def c(request):\n    require(request.user, 'x')\n"
        "def d(request): ...\n"
        "class E(StaffRequiredMixin, DetailView): ...\n"
        "class F(DetailView): ...\n"
        "def helper(x): ...\n"
    )
    assert unprotected_views(ast.parse(source), "m") == ["m.d (dòng 7)", "m.F (dòng 9)"]


@pytest.mark.parametrize("room", sorted(ROOM_MAY_NOT_IMPORT))
def test_room_rules_name_real_rooms(room: str) -> None:
    assert room in {"models", "selectors", "services", "policy", "jobs"}
