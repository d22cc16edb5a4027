"""The OpenAPI document, the schema against the migrations, and bad input anywhere: a 4xx problem, never a 500."""

import re
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from plan_service.models import metadata

sys.path.insert(0, str(Path(__file__).parent))
from plan_testkit import EMPLOYEE, RATER, YEAR  # noqa: E402

UPSERTS = {"PUT /api/v1/units/{unit_id}", "PUT /api/v1/employees/{nip}"}  # create or update: no 404
OURS = ("/api/v1/units", "/api/v1/employees", "/api/v1/directory", "/api/v1/plans", "/api/v1/plan-templates")


def operations(doc):
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            if method != "parameters":
                yield path, method, op


def test_every_operation_documents_its_4xx_answers(plan_svc):
    doc = plan_svc.client.get("/openapi.json").get_json()
    ours = [(p, m, op) for p, m, op in operations(doc) if p.startswith(OURS)]
    assert len({p for p, _, _ in ours}) == 39 and len(ours) == 54  # the SKP document (issue 17) among them
    for path, method, op in ours:
        codes = set(op["responses"])
        where = f"{method.upper()} {path}"
        assert op.get("summary"), where
        assert {"401", "403"} <= codes, where
        if "{" in path and where not in UPSERTS:
            assert "404" in codes, where
        if method in ("post", "put", "patch") or any(p.get("in") == "query" for p in op.get("parameters", [])):
            assert "422" in codes, where
        if method in ("put", "patch", "delete") and "{" in path and "/units/" not in path:
            assert "412" in codes, where
        if re.search(r"/(submit|approve|return|reject|withdraw)$", path) and "{" in path:
            assert {"409", "412"} <= codes, where
        for code in codes - {"200", "201", "204", "207", "default"}:
            assert code.startswith("4"), where
            response = op["responses"][code]
            assert "description" in response or "$ref" in response, where
    for path in ("/api/v1/directory/imports",):
        body = doc["paths"][path]["post"]["requestBody"]["content"]
        assert {"multipart/form-data", "application/json", "text/csv"} <= set(body)
    assert plan_svc.client.get("/docs").status_code == 200


def test_the_migrations_build_exactly_the_models(plan_svc):
    with plan_svc.h.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []


GARBAGE = [None, [], "text", {"results": "x", "year": "y", "items": {}, "unit_id": 5, "reason": ["x"]}, {"a" * 300: 1}]


def test_bad_input_on_every_endpoint_is_a_4xx_problem_never_a_500(svc):
    plan = svc.draft(EMPLOYEE)
    doc = svc.client.get("/openapi.json").get_json()
    values = {
        "plan_id": plan["id"],
        "unit_id": "bidang",
        "nip": EMPLOYEE,
        "template_id": "nope",
        "amendment_id": "nope",
        "revision": "1",
        "assignment_id": "nope",
        "action_id": "nope",
        "code": "P0000000000000",
    }
    tried = 0
    for path, method, _op in operations(doc):
        for who in (svc.admin, svc.as_(RATER, "supervisor"), svc.as_(EMPLOYEE)):
            url = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)
            for junk in ("?limit=0&cursor=_w&year=abc&dry_run=maybe&depth=-1", "?limit=x&status=%00", "/" + "x" * 300):
                target = url + junk if not junk.startswith("/") else url.replace(plan["id"], "x" * 300)
                if method == "get":
                    response = svc.call("GET", target, who)
                    assert response.status_code < 500, (method, target, response.get_json())
                    tried += 1
                    continue
                for body in GARBAGE:
                    kwargs = {"data": "{oops", "content_type": "application/json"} if body is None else {"json": body}
                    response = svc.call(method.upper(), target, who, **kwargs)
                    assert response.status_code < 500, (method, target, body, response.get_json())
                    assert response.status_code < 300 or response.content_type == "application/problem+json", (
                        method,
                        target,
                    )
                    tried += 1
    assert tried > 500


@pytest.mark.parametrize("path", ["/api/v1/plans", f"/api/v1/plans?year={YEAR}&nip=123"])
def test_query_errors_name_the_field(svc, path):
    response = svc.call("GET", path + ("&" if "?" in path else "?") + "limit=999", svc.admin)
    assert response.status_code == 422 and "limit" in [e["field"] for e in response.get_json()["errors"]]


def test_nul_characters_and_huge_numbers_are_refused_naming_the_field(svc):
    plan = svc.draft(EMPLOYEE)
    csv = "nip,name,unit_id\n199303032018011008,Dewi\x00,bidang\n"
    cases = [
        ("GET", f"/api/v1/employees/{EMPLOYEE[:-1]}%00", {}, 400, "nip"),
        ("GET", "/api/v1/employees?q=a%00b", {}, 400, "q"),
        ("GET", "/api/v1/plans/%00", {}, 400, "plan_id"),
        ("GET", "/api/v1/units/tree?root=%00", {}, 400, "root"),
        ("PUT", f"/api/v1/employees/{EMPLOYEE}", {"json": {"name": "a\u0000b", "unit_id": "bidang"}}, 422, "name"),
        (
            "PATCH",
            f"/api/v1/plans/{plan['id']}",
            {"json": {"attachments": {"resources": "x\u0000"}}},
            422,
            "attachments.resources",
        ),
        ("POST", "/api/v1/directory/imports?dry_run=false", {"data": csv, "content_type": "text/csv"}, 422, "name"),
        ("GET", f"/api/v1/plans/{plan['id']}/revisions/99999999999999999999999", {}, 404, None),
    ]
    for method, url, kwargs, status, field in cases:
        response = svc.call(method, url, svc.admin, **kwargs)
        assert response.status_code == status, (method, url, response.get_json())
        assert response.content_type == "application/problem+json"
        if field:
            assert field in [e["field"] for e in response.get_json()["errors"]], (url, response.get_json())
