"""Issue 9, audit records: nothing in any service's API alters or deletes them.

- Every method other than GET on /api/v1/audit and below answers 404 or 405 (problem+json), even for an
  admin with a well-formed body, and the rows are byte-for-byte what they were.
- No path of any OpenAPI document that mentions the audit trail has an operation other than GET.
- No code of the services or the common library updates, deletes or truncates the audit table.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from activity_service.service import SPEC as ACTIVITY
from evaluation_service.service import SPEC as EVALUATION
from kinerja_shared import audit
from notification_service.service import SPEC as NOTIFICATION
from plan_service.service import SPEC as PLAN

from . import seeds

ROOT = Path(__file__).resolve().parents[2]
SPECS = {spec.name: spec for spec in (PLAN, ACTIVITY, EVALUATION, NOTIFICATION)}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@pytest.fixture(params=sorted(SPECS))
def service(request, service_factory):
    h = service_factory(SPECS[request.param])
    with h.engine.begin() as conn:
        for n in range(3):
            audit.record(
                conn,
                actor=seeds.RATER,
                action="plan.approved",
                entity_type="plan",
                entity_id=f"plan-{n}",
                before={"status": "submitted"},
                after={"status": "approved"},
                reason="sesuai",
            )
    return h


def snapshot(h) -> list[dict]:
    return h.rows("SELECT * FROM audit_log ORDER BY id")


def test_no_method_but_get_changes_the_audit_trail_and_the_document_lists_none(service):
    h = service
    admin = h.token(seeds.ADMIN, "admin")
    before = snapshot(h)
    first_id = before[0]["id"]
    paths = [
        "/api/v1/audit",
        f"/api/v1/audit/{first_id}",
        "/api/v1/audit/plan/plan-0",
        "/api/v1/audit?entity_id=plan-0",
        f"/api/v1/audit/{first_id}/reason",
    ]
    wrong = {}
    for path in paths:
        for method in WRITE_METHODS:
            response = h.client.open(
                path,
                method=method,
                headers={**admin, "If-Match": "*"},
                json={
                    "id": first_id,
                    "actor": "x",
                    "action": "tampered",
                    "reason": "x",
                    "after": {"status": "rejected"},
                },
            )
            if response.status_code not in (404, 405) or response.mimetype != "application/problem+json":
                wrong[f"{method} {path}"] = (response.status_code, response.get_data(as_text=True)[:200])
    assert not wrong, wrong
    assert snapshot(h) == before
    listed = h.client.get("/api/v1/audit", headers=admin)
    assert listed.status_code == 200 and len(listed.get_json()["items"]) == 3

    # The document agrees: no operation on an audit path but GET.
    document = h.client.get("/openapi.json").get_json()
    audit_paths = {path: ops for path, ops in document["paths"].items() if "audit" in path.lower()}
    assert "/api/v1/audit" in audit_paths
    writes = {path: sorted(m for m in ops if m.upper() in WRITE_METHODS) for path, ops in audit_paths.items()}
    assert not {p: m for p, m in writes.items() if m}, writes
    # Nor does any other operation say it deletes or rewrites the audit trail.
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            if method.upper() in WRITE_METHODS:
                text = f"{op.get('summary', '')} {op.get('description', '')} {op.get('operationId', '')}".lower()
                assert not re.search(r"(delete|remove|purge|erase|rewrite|edit)\w*\s+(the\s+)?audit", text), (
                    method,
                    path,
                )


def test_no_code_updates_or_deletes_audit_rows():
    pattern = re.compile(
        r"AUDIT_LOG\s*\.\s*(update|delete)\s*\(|(update|delete\s+from|truncate(\s+table)?)\s+\"?audit_log", re.I
    )
    sources = [
        *ROOT.glob("shared/kinerja_shared/**/*.py"),
        *ROOT.glob("services/*/*_service/**/*.py"),
        *ROOT.glob("services/*/migrations/**/*.py"),
    ]
    assert len(sources) > 40
    offenders = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in sources
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert not offenders, offenders
