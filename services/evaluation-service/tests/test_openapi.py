"""The OpenAPI document and problem+json for malformed requests (never a 500)."""

RATER, ADMIN = "198001012005011002", "196501011990011004"


def test_openapi_documents_every_operation(evaluation):
    doc = evaluation.client.get("/openapi.json").json
    paths = doc["paths"]
    for path in (
        "/api/v1/evaluations",
        "/api/v1/evaluations/{evaluation_id}",
        "/api/v1/evaluations/{evaluation_id}/submit",
        "/api/v1/evaluations/{evaluation_id}/close",
        "/api/v1/evaluations/{evaluation_id}/reopen",
        "/api/v1/feedback",
        "/api/v1/unit-performance/{unit_id}/predicates/{period_id}",
        "/api/v1/unit-performance/{unit_id}/distribution",
        "/api/v1/unit-performance/{unit_id}/calibrations/{period_id}",
        "/api/v1/unit-performance/{unit_id}/export",
        "/api/v1/unit-performance/{unit_id}/dashboard",
        "/api/v1/periods",
        "/api/v1/periods/{period_id}/open",
    ):
        assert path in paths, path
    for path, operations in paths.items():
        for method, op in operations.items():
            if method == "parameters":
                continue
            assert op.get("summary") or op.get("description"), (method, path)
            if path.startswith("/api/v1/evaluations") or path.startswith("/api/v1/unit-performance"):
                assert "401" in op["responses"] and "403" in op["responses"], (method, path)
    assert evaluation.client.get("/docs").status_code == 200


def test_malformed_requests_are_problems_naming_the_field(evaluation):
    evaluation.org()
    evaluation.apply(evaluation.ev.plan())
    [item] = evaluation.evaluations()
    url = f"/api/v1/evaluations/{item['id']}/submit"
    headers = {**evaluation.as_(RATER), "Content-Type": "application/json"}
    r = evaluation.client.post(url, data="{not json", headers=headers)
    assert 400 <= r.status_code < 500 and r.headers["Content-Type"] == "application/problem+json"
    r = evaluation.client.post(url, json=["a list"], headers=evaluation.as_(RATER))
    assert r.status_code == 422
    r = evaluation.post(
        url,
        json={
            "results_rating": "meets",
            "behaviour_rating": "meets",
            "behaviours": [{"value": "loyal"}, {"value": "loyal"}],
        },
    )
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "behaviours.1.value"
    r = evaluation.post(
        url,
        json={
            "results_rating": "meets",
            "behaviour_rating": "meets",
            "results": [{"result_id": "r1", "assessment": "superb"}],
        },
    )
    assert r.status_code == 422 and r.json["errors"][0]["field"].startswith("results.0.assessment")
    r = evaluation.put(
        "/api/v1/unit-performance/opd/predicates/someday",
        ADMIN,
        "admin",
        json={"predicate": "BAIK", "basis": "Laporan kinerja unit"},
    )
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "period_id"
    monthly = f"{evaluation.today.year}-{evaluation.today.month:02d}"
    r = evaluation.put(
        f"/api/v1/unit-performance/opd/predicates/{monthly}",
        ADMIN,
        "admin",
        json={"predicate": "BAIK", "basis": "Laporan kinerja unit"},
    )
    assert r.status_code == 422 and "quarterly" in r.json["errors"][0]["message"]
    r = evaluation.post("/api/v1/periods/2026-Q5/open", ADMIN, "admin", json={})
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "period_id"
    r = evaluation.get("/api/v1/periods", ADMIN, "admin")
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "year"
    r = evaluation.get("/api/v1/feedback", ADMIN, "admin", query_string={"limit": 0})
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "limit"


def test_the_migrations_build_exactly_the_models(evaluation):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from evaluation_service.models import metadata

    with evaluation.h.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []
