"""The one shape every service shares (docs/architecture.md), held by the code itself.

- SQL lives in exactly two kinds of place: a service's stores/queries (``store.py``, ``<feature>_store.py``,
  ``queries.py``, ``<feature>_queries.py`` or modules of a ``stores``/``queries`` package) and its migrations;
  ``kinerja_shared`` holds the platform's adapters (outbox, inbox, relay, idempotency, audit). Anywhere else in a
  service, ``.execute(``, ``.exec_driver_sql(``, ``conn.scalar(s)(`` and ``text(`` are refused.
- Routes only parse, call a use case and serialise: no route function over 30 lines (its docstring
  and decorators aside).
- No module over 500 lines.
- Every service has a ``use_cases`` module or package and an ``access`` module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {
    "plan-service": "plan_service",
    "activity-service": "activity_service",
    "evaluation-service": "evaluation_service",
    "notification-service": "notification_service",
}
MAX_ROUTE_LINES = 30
MAX_MODULE_LINES = 500
SQL_CALLS = {"execute", "exec_driver_sql"}
CONNECTION_NAMES = {"conn", "connection"}


def package_dir(service: str) -> Path:
    return ROOT / "services" / service / SERVICES[service]


def modules(service: str) -> list[Path]:
    return sorted(p for p in package_dir(service).rglob("*.py") if "migrations" not in p.parts)


def holds_sql(path: Path, package: Path) -> bool:
    rel = path.relative_to(package)
    stem = path.stem
    return any(stem == k or stem.startswith(k + "_") or stem.endswith("_" + k) for k in ("store", "queries")) or any(
        part in ("stores", "queries") for part in rel.parts[:-1]
    )


def _is_connection(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return node.id in CONNECTION_NAMES
    return isinstance(node, ast.Attribute) and node.attr in CONNECTION_NAMES


def sql_calls(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in SQL_CALLS:
            found.append((node.lineno, f".{func.attr}("))
        elif isinstance(func, ast.Attribute) and func.attr in ("scalar", "scalars") and _is_connection(func.value):
            found.append((node.lineno, f"conn.{func.attr}("))
        elif isinstance(func, ast.Name) and func.id == "text":
            found.append((node.lineno, "text("))
    return found


def _is_route(fn: ast.FunctionDef) -> bool:
    for deco in fn.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        if isinstance(target, ast.Attribute) and target.attr == "route":
            return True
    return False


def route_lengths(tree: ast.AST) -> list[tuple[str, int]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_route(node):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(getattr(body[0], "value", None), ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                doc_lines = body[0].end_lineno - body[0].lineno + 1
            else:
                doc_lines = 0
            out.append((node.name, node.end_lineno - node.lineno + 1 - doc_lines))
    return out


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_sql_only_in_stores_queries_and_migrations(service):
    package = package_dir(service)
    offenders = []
    for path in modules(service):
        if holds_sql(path, package):
            continue
        for line, call in sql_calls(ast.parse(path.read_text(), str(path))):
            offenders.append(f"{path.relative_to(ROOT)}:{line} {call}")
    assert not offenders, "SQL outside the stores/queries (move it into the service's store):\n" + "\n".join(offenders)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_routes_only_parse_call_and_serialise(service):
    long_routes = []
    for path in modules(service):
        for name, lines in route_lengths(ast.parse(path.read_text(), str(path))):
            if lines > MAX_ROUTE_LINES:
                long_routes.append(f"{path.relative_to(ROOT)}::{name} {lines} lines")
    assert not long_routes, (
        f"route functions over {MAX_ROUTE_LINES} lines (move the work into a use case):\n" + "\n".join(long_routes)
    )


@pytest.mark.parametrize("service", [*sorted(SERVICES), "kinerja_shared"])
def test_no_module_over_500_lines(service):
    paths = (
        sorted(p for p in (ROOT / "shared" / "kinerja_shared").rglob("*.py"))
        if service == "kinerja_shared"
        else modules(service)
    )
    big = [
        f"{p.relative_to(ROOT)}: {n} lines" for p in paths if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES
    ]
    assert not big, f"modules over {MAX_MODULE_LINES} lines (split them by feature):\n" + "\n".join(big)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_service_has_use_cases_and_one_access_module(service):
    package = package_dir(service)
    assert (package / "use_cases.py").exists() or (package / "use_cases" / "__init__.py").exists()
    assert (package / "access.py").exists()


def test_the_checks_catch_what_they_are_for():
    sample = ast.parse("@blp.route('/x')\ndef view():\n    '''doc'''\n" + "    conn.execute(text('select 1'))\n" * 31)
    assert len(sql_calls(sample)) == 62
    assert route_lengths(sample) == [("view", 32)]
