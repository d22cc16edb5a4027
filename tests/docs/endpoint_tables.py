"""The endpoint table of each service's README, generated from its OpenAPI document and the access matrix.

Every service README holds, between ``<!-- endpoints -->`` and ``<!-- /endpoints -->``, one row per
operation of the service's OpenAPI document (built from the app, without a database): the method, the
path, who may call it (the rule of its row in tests/security/access_matrix.csv) and what it does (the
operation's summary, the first line of the route's docstring). tests/docs/test_docs_claims.py fails when a
table differs from what this script makes; rewrite them with

    .venv/bin/python -m tests.docs.endpoint_tables --write
"""

from __future__ import annotations

import argparse
import re
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BEGIN, END = "<!-- endpoints -->", "<!-- /endpoints -->"
METHODS = ("get", "put", "post", "patch", "delete")
SERVICES = ("plan-service", "activity-service", "evaluation-service", "notification-service")
HEADER = ("| method | path | who | what |", "|---|---|---|---|")
_BLOCK = re.compile(re.escape(BEGIN) + r"\n(.*?)" + re.escape(END), re.S)


def spec_of(service: str):
    """The service's ServiceSpec (its composition root)."""
    module = __import__(f"{service.replace('-', '_')}.service", fromlist=["SPEC"])
    return module.SPEC


@cache
def openapi(service: str) -> dict:
    """The service's OpenAPI document, as /openapi.json serves it (app built on an in-memory database)."""
    from sqlalchemy import create_engine

    from kinerja_shared.config import Settings
    from kinerja_shared.web.app_factory import create_service_app

    spec = spec_of(service)
    settings = Settings.from_env(spec.name, {"DATABASE_URL": "sqlite://", "LOG_LEVEL": "WARNING"})
    app = create_service_app(spec, settings, create_engine("sqlite://"))
    return app.test_client().get("/openapi.json").get_json()


def operations(service: str) -> list[tuple[str, str, dict]]:
    """(METHOD, path, operation) of the document, in its order."""
    return [
        (method.upper(), path, op)
        for path, ops in openapi(service)["paths"].items()
        for method, op in ops.items()
        if method in METHODS
    ]


def access_rules() -> dict[tuple[str, str, str], str]:
    """(service, METHOD, path) -> the rule in words of tests/security/access_matrix.csv."""
    sys.path.insert(0, str(ROOT))
    from tests.security.matrix import load_table

    return {(row.service, row.method, row.path): row.rule for row in load_table()}


def first_sentence(text: str) -> str:
    """The summary's first sentence (the docstring's first line may run on)."""
    text = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(?:\s|$)", text)
    return match.group(1) if match else text


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def table(service: str) -> str:
    rules = access_rules()
    lines = list(HEADER)
    for method, path, op in operations(service):
        what = first_sentence(op.get("summary") or op.get("description") or "")
        who = rules.get((service, method, path), "(no row in tests/security/access_matrix.csv)")
        lines.append(f"| {method} | `{path}` | {_cell(who)} | {_cell(what)} |")
    return "\n".join(lines) + "\n"


def readme(service: str) -> Path:
    return ROOT / "services" / service / "README.md"


def current_table(service: str) -> str | None:
    """The table between the markers of the service's README (None without the markers)."""
    match = _BLOCK.search(readme(service).read_text(encoding="utf-8"))
    return match.group(1) if match else None


def write(service: str) -> bool:
    """Put the generated table between the markers; True when the README changed."""
    path = readme(service)
    text = path.read_text(encoding="utf-8")
    if not _BLOCK.search(text):
        raise SystemExit(f"{path}: no {BEGIN} ... {END} block to fill")
    new = _BLOCK.sub(lambda _m: f"{BEGIN}\n{table(service)}{END}", text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the tables in the READMEs")
    parser.add_argument("services", nargs="*", default=list(SERVICES))
    args = parser.parse_args(argv)
    stale = []
    for service in args.services:
        if args.write:
            if write(service):
                print(f"rewrote {readme(service).relative_to(ROOT)}")
        elif current_table(service) != table(service):
            stale.append(service)
    for service in stale:
        print(f"{readme(service).relative_to(ROOT)}: the endpoint table differs from the OpenAPI document")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
