"""Issue 15's whole periodic routine through all services as real processes (gunicorn, Kafka, PostgreSQL), driven
only through HTTP: the employee proposes actions (rencana aksi) for an approved plan, the rater agrees them
(ActionPlanAgreed) → activity-service accepts entries against an action (and refuses one outside its month) → the
monthly summary and the evaluation form show each action's target and verified realisation → the employee submits
the realisation with evidence (RealisationSubmitted) → the rater gives feedback per result and rates → closed
(EvaluationClosed); every event on the topics validates against its schema."""

import pytest

from kinerja_shared.testing import wait_for

from .flow import Org, ok, today_wib
from .test_walking_skeleton import _read_all_events

pytestmark = pytest.mark.e2e


def test_agreed_actions_to_activities_to_the_realisation_to_the_closed_evaluation(system):
    org = Org(system, 211)
    plan = org.approved_plan()
    indicator = plan["results"][0]["indicators"][0]["indicator_id"]
    result_id = plan["results"][0]["result_id"]
    month = today_wib().strftime("%Y-%m")
    other = (
        f"{today_wib().year}-{(today_wib().month % 12) + 1:02d}" if today_wib().month < 12 else f"{today_wib().year}-11"
    )

    actions = f"/api/v1/plans/{plan['id']}/actions"
    this_month = ok(
        system.call(
            "POST",
            "plan-service",
            actions,
            org.as_employee,
            json={
                "indicator_id": indicator,
                "period": month,
                "text": "Menyusun laporan pelayanan bulan ini",
                "target_value": 4,
            },
        ),
        201,
    )
    later = ok(
        system.call(
            "POST",
            "plan-service",
            actions,
            org.as_employee,
            json={"indicator_id": indicator, "period": other, "text": "Menyusun laporan bulan lain", "target_value": 2},
        ),
        201,
    )
    ok(system.call("POST", "plan-service", f"/api/v1/plans/{plan['id']}/action-plan/submit", org.as_employee))
    agreed = ok(system.call("POST", "plan-service", f"/api/v1/plans/{plan['id']}/action-plan/agree", org.as_rater))
    assert agreed["status"] == "agreed" and agreed["agreed_version"] == 1 and len(agreed["agreed_actions"]) == 2

    # activity-service learned the agreed set from ActionPlanAgreed: an entry against the action takes its indicator
    org.wait_indicator(indicator)

    def logged():
        body = {
            "date": today_wib().isoformat(),
            "start_time": "08:00",
            "end_time": "09:00",
            "action_id": this_month["action_id"],
            "description": "Menyusun laporan pelayanan",
            "quantity": 3,
            "quantity_unit": "laporan",
        }
        r = system.call("POST", "activity-service", "/api/v1/activities", org.as_employee, json=body)
        return r.json() if r.status_code == 201 else None

    entry = wait_for(logged, timeout=60, message="activity-service to learn the agreed action plans")
    assert (entry["action_id"], entry["indicator_id"], entry["result_id"]) == (
        this_month["action_id"],
        indicator,
        result_id,
    )
    refused = system.call(
        "POST",
        "activity-service",
        "/api/v1/activities",
        org.as_employee,
        json={
            "date": today_wib().isoformat(),
            "start_time": "10:00",
            "end_time": "11:00",
            "action_id": later["action_id"],
            "description": "Laporan bulan lain",
            "quantity": 1,
            "quantity_unit": "laporan",
        },
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "action_id"
    ok(
        system.call(
            "POST",
            "activity-service",
            f"/api/v1/activities/{entry['id']}/verify",
            org.as_rater,
            json={"decision": "accepted"},
        )
    )

    summary = ok(system.call("GET", "activity-service", f"/api/v1/summaries/monthly?month={month}", org.as_employee))
    [row] = [a for a in summary["actions"] if a["action_id"] == this_month["action_id"]]
    assert (row["target_value"], row["verified"]["quantity"]) == (4, 3)
    assert [r["verified"]["quantity"] for r in summary["results"] if r["result_id"] == result_id] == [3]

    # evaluation-service shows the action, its target and its verified realisation on the form
    evaluation = org.open_evaluation(plan["id"])

    def shown():
        detail = ok(system.call("GET", "evaluation-service", f"/api/v1/evaluations/{evaluation['id']}", org.as_rater))
        [result] = [r for r in detail["results"] if r["result_id"] == result_id]
        found = [a for a in result.get("actions", []) if a["action_id"] == this_month["action_id"]]
        return found[0] if found and found[0]["realised"] == 3 else None

    action = wait_for(shown, timeout=60, message="the agreed action and its realisation on the evaluation form")
    assert (action["target_value"], action["percent"], action["period"]) == (4, 75.0, month)

    # the employee submits the period's realisation with its evidence (bukti dukung) ...
    url = f"/api/v1/evaluations/{evaluation['id']}"
    draft = ok(system.call("GET", "evaluation-service", url + "/realisation", org.as_employee))
    [mine] = [r for r in draft["results"] if r["result_id"] == result_id]
    body = {
        "results": [
            {
                "result_id": result_id,
                "realisation": mine["realisation"],
                "narrative": "Tiga laporan pelayanan bulan ini, sesuai rencana aksi.",
                "evidence": [{"kind": "link", "url": "https://drive.binjaikota.go.id/laporan-pelayanan"}],
            }
        ]
    }
    saved = system.call(
        "PUT",
        "evaluation-service",
        url + "/realisation",
        {**org.as_employee, "If-Match": f'"realisation-{evaluation["id"]}.0"'},
        json=body,
    )
    assert ok(saved)["status"] == "draft"
    assert (
        ok(
            system.call(
                "POST",
                "evaluation-service",
                url + "/realisation/submit",
                {**org.as_employee, "If-Match": saved.headers["ETag"]},
            )
        )["status"]
        == "submitted"
    )

    # ... the rater sees it beside the action's figures, gives feedback per result, rates and closes
    form = system.call("GET", "evaluation-service", url, org.as_rater)
    [shown_result] = [r for r in ok(form)["results"] if r["result_id"] == result_id]
    assert shown_result["employee"]["narrative"] == body["results"][0]["narrative"] and shown_result["actions"]
    feedback = [
        {"result_id": r["result_id"], "feedback": "Sesuai rencana aksi dan bukti dukung."}
        for r in form.json()["results"]
    ]
    rating = {"results_rating": "meets", "behaviour_rating": "meets", "rating_note": "Sesuai bukti dukung"}
    drafted = system.call(
        "PUT",
        "evaluation-service",
        url + "/draft",
        {**org.as_rater, "If-Match": form.headers["ETag"]},
        json={"results": feedback, **rating},
    )
    ok(
        system.call(
            "POST",
            "evaluation-service",
            url + "/submit",
            {**org.as_rater, "If-Match": ok(drafted) and drafted.headers["ETag"]},
            json={**rating, "results": feedback},
        )
    )
    closed = ok(system.call("POST", "evaluation-service", url + "/close", org.as_rater))
    assert closed["status"] == "closed" and closed["predicate"] == "BAIK"

    events = _read_all_events(system)  # every one validates against its schema
    assert [
        r["evidence_count"]
        for e in events
        if e.type == "RealisationSubmitted" and e.data["evaluation_id"] == evaluation["id"]
        for r in e.data["results"]
        if r["result_id"] == result_id
    ] == [1]
    assert any(e.type == "EvaluationClosed" and e.data["evaluation_id"] == evaluation["id"] for e in events)
    agreed_events = [e for e in events if e.type == "ActionPlanAgreed" and e.data["plan_id"] == plan["id"]]
    assert [e.data["version"] for e in agreed_events] == [1]
    assert {a["action_id"] for a in agreed_events[0].data["actions"]} == {this_month["action_id"], later["action_id"]}
