"""Issue 14 (found by the hostile run): what gunicorn refuses itself, before the app sees the request, is a
problem+json too, like every other refusal: a request line over its limit (414), a header field over its limit
(431). gunicorn wrote these as HTML pages, which a client that reads problem+json cannot show.
"""

from __future__ import annotations

import json

import pytest
import requests

from .live import LiveService


@pytest.fixture(scope="module")
def web(kafka_bootstrap, new_database, tmp_path_factory):
    live = LiveService(
        "plan-service", kafka_bootstrap, new_database("plan-service"), tmp_path_factory.mktemp("limits"), worker=False
    )
    yield live
    live.stop()


@pytest.mark.parametrize(
    "status, kwargs",
    [
        (414, {"url_suffix": "/api/v1/units?parent_id=" + "a" * 10_000}),
        (431, {"headers": {"X-Hostile": "h" * 10_000}}),
    ],
)
def test_refusals_gunicorn_makes_itself_are_problem_json(web, status, kwargs):
    r = requests.get(web.url + kwargs.get("url_suffix", "/api/v1/units"), headers=kwargs.get("headers"), timeout=30)
    assert r.status_code == status
    assert r.headers["Content-Type"] == "application/problem+json"
    body = json.loads(r.text)
    assert body["status"] == status and body["title"] and body["detail"]
    assert "<html" not in r.text
