"""Issue 15's periodic routine through the four services as real processes (Kafka, PostgreSQL), over HTTP only:
activities with evidence verified → the employee submits their realisation with evidence picked from them and a link
→ the rater is notified, gives feedback per result and rates → closed; every event on the topics validates
against its schema, RealisationSubmitted among them."""

import pytest

from kinerja_shared.testing import wait_for

from .flow import Org, ok
from .test_walking_skeleton import _read_all_events

pytestmark = pytest.mark.e2e


def test_verified_activities_realisation_with_evidence_feedback_per_result_closed(system):
    org = Org(system, 151)
    plan = org.approved_plan()
    result = plan["results"][0]
    indicator = result["indicators"][0]["indicator_id"]
    org.wait_indicator(indicator)
    logged = [org.log_activity(indicator, hour=h, quantity=2) for h in (8, 10)]
    for activity in logged:
        ok(
            system.call(
                "POST",
                "activity-service",
                f"/api/v1/activities/{activity['id']}/verify",
                org.as_rater,
                json={"decision": "accepted"},
            )
        )
    evaluation = org.open_evaluation(plan["id"])
    url = f"/api/v1/evaluations/{evaluation['id']}"

    # evaluation-service learned the verified activities and their evidence from the events: the prefill and the picker.
    def prefilled():
        got = ok(system.call("GET", "evaluation-service", url + "/realisation", org.as_employee))
        return (
            got
            if len(got["activity_evidence"]) == 2 and got["results"][0]["indicators"][0]["realised_to_date"] == 4
            else None
        )

    draft = wait_for(prefilled, timeout=60, message="the verified activities and their evidence in evaluation-service")
    assert draft["status"] == "not_started" and "4 laporan" in draft["results"][0]["realisation"]
    picked = draft["activity_evidence"][0]
    body = {
        "results": [
            {
                "result_id": result["result_id"],
                "realisation": draft["results"][0]["realisation"],
                "narrative": "Dua laporan pelayanan disusun dan diverifikasi.",
                "evidence": [
                    {"kind": "link", "url": "https://drive.binjaikota.go.id/rekap"},
                    {"kind": "activity", "activity_id": picked["activity_id"], "url": picked["evidence"][0]["url"]},
                ],
            }
        ]
    }
    saved = system.call(
        "PUT",
        "evaluation-service",
        url + "/realisation",
        {**org.as_employee, "If-Match": '"realisation-%s.0"' % evaluation["id"]},
        json=body,
    )
    assert ok(saved)["status"] == "draft"
    submitted = ok(
        system.call(
            "POST",
            "evaluation-service",
            url + "/realisation/submit",
            {**org.as_employee, "If-Match": saved.headers["ETag"]},
        )
    )
    assert submitted["status"] == "submitted"

    # The rater is told; feedback per result is needed now, saved first as a draft.
    wait_for(
        lambda: any(n["category"] == "realisation_submitted" for n in org.inbox(org.as_rater)),
        timeout=60,
        message="the rater's notification of the submitted realisation",
    )
    form = system.call("GET", "evaluation-service", url, org.as_rater)
    assert ok(form)["self_assessment"]["feedback_required"] is True
    assert form.json()["results"][0]["employee"]["evidence"][1]["activity_id"] == picked["activity_id"]
    rating = {"results_rating": "meets", "behaviour_rating": "meets", "rating_note": "Sesuai bukti dukung"}
    refused = system.call("POST", "evaluation-service", url + "/submit", org.as_rater, json=rating)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "results"
    feedback = [{"result_id": result["result_id"], "feedback": "Bukti dukung lengkap dan sesuai target."}]
    drafted = system.call(
        "PUT",
        "evaluation-service",
        url + "/draft",
        {**org.as_rater, "If-Match": form.headers["ETag"]},
        json={"results": feedback, **rating},
    )
    assert ok(drafted)["status"] == "open"
    ok(
        system.call(
            "POST",
            "evaluation-service",
            url + "/submit",
            {**org.as_rater, "If-Match": drafted.headers["ETag"]},
            json={**rating, "results": feedback},
        )
    )
    closed = ok(system.call("POST", "evaluation-service", url + "/close", org.as_rater))
    assert closed["status"] == "closed" and closed["form"]["results"][0]["feedback"] == feedback[0]["feedback"]

    events = _read_all_events(system)  # every one validates against its schema
    [realisation] = [
        e for e in events if e.type == "RealisationSubmitted" and e.data["evaluation_id"] == evaluation["id"]
    ]
    assert realisation.data["results"] == [
        {
            "result_id": result["result_id"],
            "realisation": body["results"][0]["realisation"],
            "narrative": "Dua laporan pelayanan disusun dan diverifikasi.",
            "evidence_count": 2,
        }
    ]
    assert realisation.data["rater_nip"] == org.rater and realisation["partitionkey"] == org.employee
    assert any(e.type == "EvaluationClosed" and e.data["evaluation_id"] == evaluation["id"] for e in events)
