"""The rules the console explains come from domain.py over HTTP (issue 19): the rating matrix and the
distribution bounds, signed-in, cacheable. The answers read no table, so the app runs on an in-memory
database (no PostgreSQL, no broker)."""

from __future__ import annotations

import pytest

from evaluation_service import domain
from evaluation_service.service import SPEC
from kinerja_shared.auth import mint_token
from kinerja_shared.config import Settings
from kinerja_shared.testing.memory import memory_engine
from kinerja_shared.web.app_factory import create_service_app

EMPLOYEE = "199001012015011001"
MATRIX_URL = "/api/v1/evaluations/rules/rating-matrix"
DISTRIBUTION_URL = "/api/v1/evaluations/rules/distribution"


def service(rounding: str | None = None):
    env = {"DATABASE_URL": "sqlite://", "KINERJA_ENV": "test", "LOG_LEVEL": "WARNING"}
    if rounding:
        env["EVALUATION_DISTRIBUTION_ROUNDING"] = rounding
    settings = Settings.from_env(SPEC.name, env)
    app = create_service_app(SPEC, settings, memory_engine(SPEC.metadata))
    headers = {"Authorization": "Bearer " + mint_token(settings, sub=EMPLOYEE, roles=["employee"])}
    return app.test_client(), headers


@pytest.fixture(scope="module")
def literal():
    return service()


def test_the_matrix_is_the_domains(literal):
    client, headers = literal
    r = client.get(MATRIX_URL, headers=headers)
    assert r.status_code == 200
    body = r.get_json()
    assert body["ratings"] == list(domain.RATINGS) and body["predicates"] == list(domain.PREDICATES)
    assert body["matrix"] == {
        res: {beh: domain.predicate_for(res, beh) for beh in domain.RATINGS} for res in domain.RATINGS
    }


def test_validators_other_than_if_none_match_never_give_a_non_problem_answer(literal):
    """A stale If-Match is a 412 problem (found by the hostile run: werkzeug's make_conditional answered 412 with
    the rules as its body); ranges are not served, so a Range header still gets the whole document."""
    client, headers = literal
    first = client.get(MATRIX_URL, headers=headers)
    stale = client.get(MATRIX_URL, headers={**headers, "If-Match": '"something-else"'})
    assert stale.status_code == 412 and stale.mimetype == "application/problem+json"
    assert client.get(MATRIX_URL, headers={**headers, "If-Match": first.headers["ETag"]}).status_code == 200
    ranged = client.get(MATRIX_URL, headers={**headers, "Range": "bytes=0-5"})
    assert ranged.status_code == 200 and ranged.get_json() == first.get_json()


def test_the_answers_need_a_signed_in_caller(literal):
    client, _ = literal
    assert client.get(MATRIX_URL).status_code == 401
    assert client.get(DISTRIBUTION_URL, query_string={"size": 5}).status_code == 401


def test_the_answers_are_cacheable_and_revalidate_with_their_etag(literal):
    client, headers = literal
    for url, query in ((MATRIX_URL, {}), (DISTRIBUTION_URL, {"predicate": "BAIK", "size": 8})):
        first = client.get(url, headers=headers, query_string=query)
        assert first.headers["ETag"] and "max-age=" in first.headers["Cache-Control"]
        assert "private" in first.headers["Cache-Control"]
        again = client.get(url, headers={**headers, "If-None-Match": first.headers["ETag"]}, query_string=query)
        assert again.status_code == 304 and not again.data
        stale = client.get(url, headers={**headers, "If-None-Match": '"something-else"'}, query_string=query)
        assert stale.status_code == 200 and stale.get_json() == first.get_json()
    other = client.get(DISTRIBUTION_URL, headers=headers, query_string={"predicate": "BAIK", "size": 9})
    assert other.headers["ETag"] != first.headers["ETag"]


def expected_bound(rule: domain.Rule, size: int, rounding: str) -> int:
    if rule.kind == domain.AT_MOST:
        return domain.max_allowed(rule.value, size, rounding)
    if rule.kind == domain.AT_LEAST:
        return domain.min_required(rule.value, size, rounding)
    return rule.value if rule.kind == domain.AT_LEAST_COUNT else 0


@pytest.mark.parametrize("rounding", domain.ROUNDINGS)
def test_the_bounds_are_the_domains_under_the_deployments_rounding(rounding):
    client, headers = service(rounding)
    for size in (1, 2, 3, 5, 8, 10, 37):
        body = client.get(DISTRIBUTION_URL, headers=headers, query_string={"size": size}).get_json()
        assert body["rounding_policy"] == rounding and body["size"] == size
        assert [o["organisational_predicate"] for o in body["organisational_predicates"]] == list(domain.ORG_PREDICATES)
        for org in body["organisational_predicates"]:
            rules = domain.DISTRIBUTION_RULES[org["organisational_predicate"]]
            assert [r["code"] for r in org["rules"]] == [r.code for r in rules]
            for seen, rule in zip(org["rules"], rules):
                assert seen["bound"] == expected_bound(rule, size, rounding), (size, rule.code)
                assert seen["kind"] == rule.kind and seen["value"] == rule.value
                assert seen["predicates"] == list(rule.predicates)


def test_one_predicate_and_no_size(literal):
    client, headers = literal
    body = client.get(DISTRIBUTION_URL, headers=headers, query_string={"predicate": "KURANG"}).get_json()
    [org] = body["organisational_predicates"]
    assert org["organisational_predicate"] == "KURANG" and body["size"] is None
    assert [r["bound"] for r in org["rules"]] == [None, None, None]
    body = client.get(DISTRIBUTION_URL, headers=headers, query_string={"predicate": "BAIK", "size": 8}).get_json()
    assert [(r["code"], r["exact"], r["bound"]) for r in body["organisational_predicates"][0]["rules"]] == [
        ("BAIK.max_baik", 5.6, 5),
        ("BAIK.min_one_butuh_perbaikan_or_kurang", None, 1),
    ]


@pytest.mark.parametrize(
    "query, field", [({"predicate": "SANGAT_BAIK"}, "predicate"), ({"size": 0}, "size"), ({"size": 5001}, "size")]
)
def test_bad_arguments_are_problems_naming_the_field(literal, query, field):
    client, headers = literal
    r = client.get(DISTRIBUTION_URL, headers=headers, query_string=query)
    assert r.status_code == 422 and r.headers["Content-Type"] == "application/problem+json"
    assert r.get_json()["errors"][0]["field"] == field


def test_the_openapi_document_describes_both(literal):
    client, _ = literal
    paths = client.get("/openapi.json").get_json()["paths"]
    for url in (MATRIX_URL, DISTRIBUTION_URL):
        responses = paths[url]["get"]["responses"]
        assert {"200", "304", "401", "403"} <= set(responses), url
        assert "ETag" in responses["200"]["headers"]
