"""Issue 14, concurrency: every PATCH, PUT and DELETE of a versioned resource requires If-Match.

The operations come from the four OpenAPI documents, so a new one cannot escape: each either
documents the precondition (the ``If-Match`` header, 412 and 428) and then, on a real resource
(the access matrix's call, sent by a caller the matrix lets write), answers

- 428 Precondition Required naming ``If-Match`` when it is missing, with nothing changed;
- 412 Precondition Failed with the ETag of an older version, with nothing changed;
- 2xx with the current ETag (and 412 when that ETag is sent again after the change);

or is in EXEMPT with the reason it has no version to match.
"""

from __future__ import annotations

import re

import pytest

from .matrix import Call, fill, load_table
from .test_access_matrix import SERVICES, matrices  # noqa: F401  (the fixture: the services, seeded once)

PRECONDITIONED = ("PATCH", "PUT", "DELETE")
EXEMPT = {  # operations that set a value with no version (no ETag to hold): the last writer wins, audited
    "plan-service PUT /api/v1/units/{unit_id}": "a unit has no version column; the directory import is its bulk path",
    "evaluation-service PUT /api/v1/unit-performance/{unit_id}/predicates/{period_id}": "one value per unit and period",
    "evaluation-service PUT /api/v1/periods/schemes/{year}": "one value per year, fixed once evaluations open",
}
ETAG_OF = {  # where the ETag of what an operation changes is read, when not from its own path
    "DELETE /api/v1/activities/{activity_id}/evidence/{file_id}": "/api/v1/activities/{activity_id}",
    "DELETE /api/v1/evaluations/{evaluation_id}/realisation/evidence/{file_id}": (
        "/api/v1/evaluations/{evaluation_id}/realisation"
    ),
    "PUT /api/v1/evaluations/{evaluation_id}/draft": "/api/v1/evaluations/{evaluation_id}",
}
ROWS = {(r.service, r.op): r for r in load_table()}


def documents() -> dict[str, dict]:
    """service -> its OpenAPI document."""
    from sqlalchemy import create_engine

    from kinerja_shared.config import Settings
    from kinerja_shared.web.app_factory import create_service_app

    out = {}
    for name, (spec, _) in SERVICES.items():
        app = create_service_app(
            spec, Settings.from_env(spec.name, {"DATABASE_URL": "sqlite://"}), create_engine("sqlite://")
        )
        out[name] = app.test_client().get("/openapi.json").get_json()
    return out


DOCUMENTS = documents()
WRITES = sorted(
    (name, f"{method.upper()} {path}", op)
    for name, document in DOCUMENTS.items()
    for path, ops in document["paths"].items()
    for method, op in ops.items()
    if method.upper() in PRECONDITIONED
)
GUARDED = [(name, op) for name, op, doc in WRITES if f"{name} {op}" not in EXEMPT]


def test_every_patch_put_and_delete_documents_if_match_or_is_exempt_with_a_reason():
    assert len(WRITES) >= 13, [f"{n} {o}" for n, o, _ in WRITES]  # the four documents, as of issue 14
    wrong = []
    for name, op, doc in WRITES:
        header = [p for p in doc.get("parameters", []) if p.get("in") == "header" and p.get("name") == "If-Match"]
        documented = bool(header) and {"412", "428"} <= set(doc["responses"])
        if f"{name} {op}" in EXEMPT:
            if documented or "428" in doc["responses"]:
                wrong.append(f"{name} {op}: exempt, yet documents If-Match")
        elif not documented:
            wrong.append(f"{name} {op}: no If-Match header parameter, 412 and 428 in its document")
    assert set(EXEMPT) <= {f"{n} {o}" for n, o, _ in WRITES}, "an exemption naming no operation"
    assert not wrong, "\n".join(wrong)


def writer(name: str, op: str) -> str:
    """A relation the access matrix lets make this call (self first, else the admin, else the rater: the rater's
    draft)."""
    row = ROWS[(name, op)]
    allowed = [rel for rel in ("self", "admin", "rater") if row.expected[rel].startswith("2")]
    assert allowed, f"{name} {op}: the access matrix lets neither self, the admin nor the rater write"
    return allowed[0]


def params_of(template: str, url: str) -> dict:
    """The path parameters of a concrete URL, by its template."""
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    found = re.fullmatch(pattern, url.split("?", 1)[0])
    assert found, (template, url)
    return found.groupdict()


def older(etag: str) -> str:
    """The ETag of the version before (etag_for: "<id>.<version>")."""
    entity, version = etag.strip('"').rsplit(".", 1)
    return f'"{entity}.{int(version) - 1}"'


@pytest.mark.parametrize("name,op", GUARDED, ids=[f"{n}:{o}" for n, o in GUARDED])
def test_missing_if_match_is_428_a_stale_one_412_and_the_current_one_succeeds(matrices, name, op):  # noqa: F811
    m = matrices(name)
    method, path = op.split(" ", 1)
    relation = writer(name, op)
    m.op = op
    call: Call = m.cases[op](m, relation)
    kw = {"json": call.json} if call.json is not None else {"data": call.data, "content_type": call.content_type}
    token = m.tokens[relation]
    source = fill(ETAG_OF.get(op, path), params_of(path, call.url))

    def read_etag() -> str | None:
        return m.client.get(source, headers=token).headers.get("ETag")

    def send(**headers):
        if call.data is not None:  # a multipart body is read once: build it again
            kw.update(data=m.cases[op](m, relation).data)
        return m.client.open(call.url, method=method, headers={**token, **headers}, **kw)

    if read_etag() is None:  # a PUT that creates: the first one needs no If-Match, every later one does
        created = send()
        assert created.status_code in (200, 201), (created.status_code, created.get_json())
    etag = read_etag()
    assert etag, f"{source} sends no ETag to match"

    before = m.state()
    missing = send()
    assert missing.status_code == 428, (missing.status_code, missing.get_json())
    problem = missing.get_json()
    assert missing.mimetype == "application/problem+json" and "If-Match" in problem["detail"]
    assert [e["field"] for e in problem["errors"]] == ["If-Match"]
    assert m.state() == before, "a refused write changed the database"

    stale = send(**{"If-Match": older(etag)})
    assert stale.status_code == 412 and stale.mimetype == "application/problem+json", (
        stale.status_code,
        stale.get_json(),
    )
    assert m.state() == before, "a refused write changed the database"

    current = send(**{"If-Match": etag})
    assert 200 <= current.status_code < 300, (current.status_code, current.get_json())
    if method != "DELETE":
        assert current.headers.get("ETag") not in (None, etag), "a write that succeeds answers the new ETag"
        again = send(**{"If-Match": etag})
        assert again.status_code == 412, (again.status_code, again.get_json())


def test_a_caller_who_may_not_write_learns_nothing_from_the_precondition(matrices):  # noqa: F811
    """Without If-Match a stranger still gets the 404 (or 403) the access matrix gives, not 428."""
    m = matrices("activity-service")
    op = "PATCH /api/v1/activities/{activity_id}"
    call = m.cases[op](m, "colleague")
    for relation in ("colleague", "rater"):
        response = m.client.open(call.url, method="PATCH", headers=m.tokens[relation], json=call.json)
        assert str(response.status_code) == ROWS[("activity-service", op)].expected[relation]


def test_every_guarded_operation_has_a_row_and_a_call_in_the_access_matrix():
    """What the parametrised test sends: the matrix's call, as a caller its table lets write."""
    for name, op in GUARDED:
        assert (name, op) in ROWS, f"{name} {op}: no row in access_matrix.csv"
        assert op in SERVICES[name][1].CASES, f"{name} {op}: no call in matrix_{name.split('-')[0]}.py"
