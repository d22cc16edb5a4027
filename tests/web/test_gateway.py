"""The gateway (deploy/gateway): one origin for the console and the four services, as a real process
in front of the real services: routing by path prefix, /svc/<service>/ for shared paths, streaming
(Server-Sent Events pass through unbuffered), development sign-in."""

from __future__ import annotations

import importlib.util
import io
import json
from datetime import date
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def load_gateway():
    spec = importlib.util.spec_from_file_location("kinerja_gateway", ROOT / "deploy/gateway/gateway.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "path, service",
    [
        ("/api/v1/employees?limit=1", "plan-service"),
        ("/api/v1/plans?limit=1", "plan-service"),
        ("/api/v1/indicators", "activity-service"),
        ("/api/v1/activities?limit=1", "activity-service"),
        ("/api/v1/evaluations?limit=1", "evaluation-service"),
        (f"/api/v1/periods?year={date.today().year}", "evaluation-service"),
        ("/api/v1/notifications?limit=1", "notification-service"),
    ],
)
def test_each_prefix_reaches_its_service(web_system, path, service):
    through = web_system.api("GET", path, "employee")
    direct = requests.get(web_system.system.urls[service] + path, headers=web_system.headers("employee"), timeout=10)
    assert through.status_code == direct.status_code == 200, through.text
    assert through.json() == direct.json()


def test_shared_paths_are_reached_per_service(web_system):
    for service in ("plan-service", "activity-service", "evaluation-service", "notification-service"):
        health = requests.get(f"{web_system.url}/svc/{service}/healthz", timeout=10)
        assert health.status_code == 200 and health.json()["service"] == service, health.text
        ready = requests.get(f"{web_system.url}/svc/{service}/readyz", timeout=10)
        assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok", ready.text
    audit = web_system.api("GET", "/svc/plan-service/api/v1/audit", "admin", params={"limit": 5})
    assert audit.status_code == 200 and audit.json()["items"], audit.text
    unknown = requests.get(f"{web_system.url}/svc/payroll-service/readyz", timeout=10)
    assert unknown.status_code == 404 and unknown.headers["Content-Type"] == "application/problem+json"


def test_writes_pass_with_their_body_headers_and_problems(web_system):
    # A refused write comes back as the service's problem+json, naming the field.
    bad = web_system.api("POST", "/api/v1/activities", "employee", json={"date": "2026-13-40"})
    assert bad.status_code == 422 and bad.headers["Content-Type"].startswith("application/problem+json")
    assert {"date", "description"} <= {e["field"] for e in bad.json()["errors"]}
    # Conditional requests and ETags pass both ways.
    nip = web_system.users["employee"]["nip"]
    first = web_system.api("GET", f"/api/v1/employees/{nip}", "employee")
    again = requests.get(
        f"{web_system.url}/api/v1/employees/{nip}",
        headers={**web_system.headers("employee"), "If-None-Match": first.headers["ETag"]},
        timeout=10,
    )
    assert first.headers["ETag"] and again.status_code in (200, 304)


def test_an_unknown_api_prefix_is_a_problem_not_the_console(web_system):
    answer = requests.get(f"{web_system.url}/api/v1/salaries", timeout=10)
    assert answer.status_code == 404 and answer.json()["detail"] == "tidak ada layanan yang melayani /api/v1/salaries"
    assert answer.headers["Content-Type"] == "application/problem+json" and answer.headers["Content-Language"] == "id"
    english = requests.get(f"{web_system.url}/api/v1/salaries", headers={"Accept-Language": "en"}, timeout=10)
    assert english.json()["detail"] == "no service serves /api/v1/salaries" and english.json()["title"] == "Not Found"


def test_server_sent_events_pass_through_unbuffered(web_system):
    with requests.get(
        f"{web_system.url}/api/v1/notifications/stream",
        headers=web_system.headers("employee"),
        stream=True,
        timeout=(5, 15),
    ) as stream:
        assert stream.status_code == 200 and stream.headers["Content-Type"].startswith("text/event-stream")
        # The service keeps the stream open for 25 s; the first lines must arrive long before it ends.
        first = next(stream.iter_lines(decode_unicode=True))
    assert first == "retry: 3000"


def test_the_console_is_served_with_its_modules(web_system):
    index = requests.get(web_system.url + "/", timeout=10)
    assert index.status_code == 200 and '<script type="module" src="/src/app.js">' in index.text
    module = requests.get(web_system.url + "/src/app.js", timeout=10)
    assert module.headers["Content-Type"].startswith("text/javascript")
    cached = requests.get(web_system.url + "/src/app.js", headers={"If-None-Match": module.headers["ETag"]}, timeout=10)
    assert cached.status_code == 304
    for hidden in ("/node_modules/playwright-core/package.json", "/../README.md", "/%2e%2e/README.md", "/.gitignore"):
        assert requests.get(web_system.url + hidden, timeout=10).status_code == 404, hidden


def test_development_sign_in_mints_tokens_the_services_accept(web_system):
    users = requests.get(f"{web_system.url}/dev/users", timeout=10).json()["items"]
    assert {u["role"] for u in users} == {"admin", "unit_head", "rater", "employee"}
    rater = next(u for u in users if u["role"] == "rater")
    token = requests.post(f"{web_system.url}/dev/token", json={"nip": rater["nip"]}, timeout=10).json()["token"]
    mine = requests.get(
        f"{web_system.url}/api/v1/plans",
        params={"rater_nip": rater["nip"], "limit": 50},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert mine.status_code == 200 and mine.json()["items"], mine.text
    refused = requests.post(f"{web_system.url}/dev/token", json={"nip": "199001012020011001"}, timeout=10)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "nip"


def test_development_sign_in_is_off_unless_asked_and_refused_in_production(tmp_path):
    gateway = load_gateway()
    app = gateway.Gateway(gateway.Config({}))
    status = []
    body = b"".join(
        app(
            {"PATH_INFO": "/dev/users", "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()},
            lambda s, h: status.append(s),
        )
    )
    assert status[0].startswith("404") and "KINERJA_DEV_SIGNIN" in json.loads(body)["detail"]
    with pytest.raises(SystemExit, match="KINERJA_DEV_SIGNIN"):
        gateway.Config({"KINERJA_ENV": "production", "KINERJA_DEV_SIGNIN": "true"})
    with pytest.raises(SystemExit, match="PLAN_SERVICE_URL"):
        gateway.Config({"PLAN_SERVICE_URL": "plan:8001"})


def test_the_console_s_icon_is_served_not_a_404():
    """Browsers ask for /favicon.ico on every page; index.html names the SVG and the .ico."""
    gateway = load_gateway()
    app = gateway.Gateway(gateway.Config({}))
    index = (ROOT / "web" / "index.html").read_text()
    assert '<link rel="icon" href="/favicon.svg" type="image/svg+xml">' in index and 'href="/favicon.ico"' in index
    for name, kind in (("favicon.ico", "image/"), ("favicon.svg", "image/svg+xml")):
        answer = []
        body = b"".join(
            app(
                {"PATH_INFO": "/" + name, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()},
                lambda status, headers, answer=answer: answer.append((status, dict(headers))),
            )
        )
        status, headers = answer[0]
        assert status.startswith("200") and headers["Content-Type"].startswith(kind), (name, status, headers)
        assert body == (ROOT / "web" / name).read_bytes()
