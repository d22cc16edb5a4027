"""Issue 20, the phone-first console: the rater's inbox on a 360 px phone (grouped, per-entry decisions,
the group accepted at once with an unusual entry held back) and no screen scrolling sideways at 360 px.

Runs after test_rater_and_head (its own entries, so the other browser tests keep theirs)."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

import pytest

from tests.web.test_employee import today

pytestmark = pytest.mark.e2e


def last_working_day(web_system) -> str:
    """Today or the latest day before it that the deployment's calendar has as a working day."""
    first = (date.fromisoformat(today()) - timedelta(days=10)).isoformat()
    calendar = web_system.api(
        "GET", "/api/v1/summaries/calendar", "employee", params={"date_from": first, "date_to": today()}
    )
    assert calendar.status_code == 200, calendar.text
    off = {d["date"] for d in calendar.json()["days_off"]}
    day = date.fromisoformat(today())
    while day.isoformat() in off:
        day -= timedelta(days=1)
    return day.isoformat()


def log(web_system, body) -> str:
    answer = web_system.api("POST", "/api/v1/activities", "employee", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def test_the_rater_decides_on_a_phone_and_a_flagged_entry_is_held_back_from_the_group(web_system):
    nip = web_system.users["employee"]["nip"]
    indicators = web_system.api("GET", "/api/v1/indicators", "employee", params={"nip": nip}).json()["items"]
    day, stamp = last_working_day(web_system), uuid.uuid4().hex[:6]
    entry = lambda minute, quantity: {  # noqa: E731
        "date": day,
        "start_time": f"10:{minute:02d}",
        "end_time": f"10:{minute + 9:02d}",
        "indicator_id": indicators[0]["indicator_id"],
        "description": f"Pemeriksaan pasien rawat jalan {stamp}",
        "quantity": quantity,
        "quantity_unit": indicators[0]["target_unit"],
    }
    plain = [log(web_system, entry(10 * i, 12 + i)) for i in range(4)]
    flagged = log(web_system, entry(40, 900))

    seen = web_system.run_script("rater_inbox_phone.mjs", PLAIN_IDS=json.dumps(plain), FLAGGED_ID=flagged)

    status = {i: web_system.api("GET", f"/api/v1/activities/{i}", "rater").json() for i in [*plain, flagged]}
    assert (
        status[plain[0]]["status"] == "accepted" and status[plain[0]]["verified_by"] == web_system.users["rater"]["nip"]
    )
    assert status[plain[1]]["status"] == "rejected"
    assert status[plain[1]]["verification_reason"] == "Jumlah tidak sesuai dengan laporan harian"
    assert [status[i]["status"] for i in plain[2:]] == ["accepted", "accepted"], "the group was accepted at once"
    assert status[flagged]["status"] == "pending", "the flagged entry was held back"
    print(
        f"inbox at 360 px, groups collapsed: {seen['collapsedHeight']} px tall; {seen['count']} for the demo employee"
    )


def test_no_screen_scrolls_sideways_at_360_px_and_chart_labels_are_12_px(web_system):
    results = web_system.run_script("phone_fit.mjs", timeout=400)["results"]
    assert len(results) >= 20, [r["where"] for r in results]
    assert any("(formulir)" in r["where"] for r in results), "the evaluation form was measured"
    wide = [f"{r['where']}: {r['overflow']} px ({r['culprits']})" for r in results if r["overflow"] > 0]
    assert not wide, "\n".join(wide)
    unstacked = [r["where"] for r in results if r["unstacked"]]
    assert not unstacked, f"tables not stacked as cards under 600 px: {unstacked}"
    small = [f"{r['where']}: {r['small']}" for r in results if r["small"]]
    assert not small, f"chart labels under 12 px: {small}"
