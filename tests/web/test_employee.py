"""Issue 10, the employee in the web console (headless Chromium against the real services):
logging activities online and offline with no duplicate, the logging screen's JavaScript budget,
and notifications arriving live."""

from __future__ import annotations

import gzip
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests

pytestmark = pytest.mark.e2e

JS_BUDGET = 200 * 1024  # compressed bytes of JavaScript on the first load of the logging screen


def today() -> str:
    return datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat()


def test_an_employee_logs_activities_offline_and_back_online_with_no_duplicate(web_system):
    stamp = uuid.uuid4().hex[:8]
    found = web_system.run_script("employee_log_offline.mjs", RUN_STAMP=stamp, LOG_HOUR=15)
    assert found["batches"] >= 2, "the lost answer of the batch endpoint was retried"

    nip = web_system.users["employee"]["nip"]
    answer = web_system.api(
        "GET",
        "/api/v1/activities",
        "employee",
        params={"nip": nip, "date_from": today(), "date_to": today(), "limit": 200},
    )
    assert answer.status_code == 200, answer.text
    rows = [a for a in answer.json()["items"] if stamp in a["description"]]
    ids = [found["online"], *found["offline"]]
    # Exactly one row per entry, with the client's id, and nothing else from this run.
    assert sorted(a["id"] for a in rows) == sorted(ids)
    by_id = {a["id"]: a for a in rows}
    assert [by_id[i]["quantity"] for i in found["offline"]] == [2, 3]
    assert all(by_id[i]["status"] == "pending" for i in ids)
    # The photo taken online was uploaded once as evidence.
    files = [e for e in by_id[found["online"]]["evidence"] if e.get("file_id")]
    assert len(files) == 1 and files[0]["content_type"] == "image/png"


def test_the_logging_screen_loads_under_200_kb_of_compressed_javascript(web_system):
    scripts = web_system.run_script("logging_js_budget.mjs")["scripts"]
    assert "/src/screens/employee/log.js" in scripts and "/src/app.js" in scripts
    sizes = {}
    for path in scripts:
        response = requests.get(web_system.url + path, timeout=10)
        assert response.status_code == 200, path
        sizes[path] = len(gzip.compress(response.content, compresslevel=6))
    total = sum(sizes.values())
    raw = sum(len(requests.get(web_system.url + p).content) for p in sizes)
    print(f"logging screen: {len(sizes)} scripts, {total} bytes gzip ({raw} raw)")
    assert total < JS_BUDGET, f"{total} bytes of compressed JavaScript: {sizes}"


def test_notifications_arrive_live_with_an_unread_badge(web_system):
    found = web_system.run_script("notifications_live.mjs", RUN_STAMP=uuid.uuid4().hex[:8])
    assert found["after"] == found["before"] + 1 and found["final"] == found["before"]
    # The notification the page marked read is read on the server too.
    item = web_system.api("GET", f"/api/v1/notifications/{found['id']}", "employee")
    assert item.status_code == 200 and item.json()["read"] is True
    assert item.json()["category"] == "feedback_given"


@pytest.mark.timeout(600)
def test_every_screen_of_every_demo_user_passes_the_wcag_aa_checks_of_axe_core(web_system):
    """Labels, accessible names, contrast, landmarks and ARIA on every screen, at phone and desktop width."""
    found = web_system.run_script("accessibility.mjs", timeout=600)
    assert len(found["checked"]) >= 2 * 20, found["checked"]
    problems = [f"{v['where']}: {v['id']} ({v['impact']}) {v['help']}: {v['nodes']}" for v in found["violations"]]
    assert not problems, "\n".join(problems)
