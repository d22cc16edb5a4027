"""Action plans (rencana aksi) in the web console (headless Chromium driven by web/tests/action_plans_flow.mjs, against
the real services): the employee proposes an action (by an amendment of the agreed set the seed made), the rater
agrees it, the employee logs an activity against it; the stored state is checked through the services' APIs."""

import uuid

import pytest

pytestmark = pytest.mark.e2e


def test_the_employee_proposes_the_rater_agrees_and_the_employee_logs_against_the_action(web_system):
    seen = web_system.run_script("action_plans_flow.mjs", RUN_STAMP=uuid.uuid4().hex[:8])
    nip = web_system.users["employee"]["nip"]

    plans = web_system.api("GET", "/api/v1/plans", "employee", params={"nip": nip, "status": "approved"}).json()[
        "items"
    ]
    state = web_system.api("GET", f"/api/v1/plans/{plans[0]['id']}/action-plan", "employee").json()
    assert state["status"] == "agreed" and state["agreed_version"] >= 2, state  # the seed's version, then the amendment
    [action] = [a for a in state["agreed_actions"] if a["action_id"] == seen["action_id"]]
    assert (action["text"], action["target_value"], action["indicator_id"]) == (seen["text"], 5, seen["indicator_id"])
    assert state["amendment_reason"] is None

    activity = web_system.api("GET", f"/api/v1/activities/{seen['activity']}", "employee").json()
    assert (activity["action_id"], activity["indicator_id"], activity["quantity"]) == (
        seen["action_id"],
        seen["indicator_id"],
        2,
    )
