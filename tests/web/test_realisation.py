"""Browser test of issue 15's realisation step: the employee submits their realisation with evidence and the
rater gives per-result feedback, saves it as a draft, submits and closes (web/tests/realisation_and_feedback.mjs),
through the UI only; the state is checked here through the services' APIs. Screenshots: employee-realisation,
evaluation-feedback-draft."""

from kinerja_shared.testing import wait_for


def _current_evaluation(web_system) -> dict:
    """The demo employee's evaluation of the current period, open (an admin reopens it when an earlier test
    closed it)."""
    nip = web_system.users["employee"]["nip"]
    items = wait_for(
        lambda: web_system.api("GET", f"/api/v1/evaluations?nip={nip}", "admin").json()["items"],
        message="the employee's evaluations",
    )
    periodic = sorted((e for e in items if e["period"]["kind"] != "annual"), key=lambda e: e["period"]["start"])
    evaluation = periodic[-1]
    if evaluation["status"] == "closed":
        answer = web_system.api(
            "POST",
            f"/api/v1/evaluations/{evaluation['id']}/reopen",
            "admin",
            json={"reason": "Penilaian ulang setelah pegawai menyampaikan realisasi"},
        )
        assert answer.status_code == 200, answer.text
        evaluation = answer.json()
    elif evaluation["status"] == "submitted":
        raise AssertionError("the employee's evaluation was left submitted by an earlier test")
    return evaluation


def test_the_employee_submits_the_realisation_and_the_rater_gives_feedback_per_result(web_system):
    evaluation = _current_evaluation(web_system)
    seen = web_system.run_script("realisation_and_feedback.mjs", EVALUATION_ID=evaluation["id"])

    realisation = web_system.api("GET", f"/api/v1/evaluations/{evaluation['id']}/realisation", "rater").json()
    assert realisation["status"] == "submitted" and realisation["submitted_at"]
    first = realisation["results"][0]
    assert first["narrative"] == seen["narrative"]
    assert [e["kind"] for e in first["evidence"]] == ["link", "activity", "file"]
    assert first["evidence"][0]["url"] == seen["link"]
    file = first["evidence"][2]
    download = web_system.api("GET", file["download"], "rater")
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")

    closed = web_system.api("GET", f"/api/v1/evaluations/{evaluation['id']}", "employee").json()
    assert closed["status"] == "closed" and closed["results_rating"] == seen["results"]
    assert [r["feedback"] for r in closed["form"]["results"]] == seen["feedback"]
    assert closed["self_assessment"]["status"] == "submitted"
    assert closed["results"][0]["employee"]["narrative"] == seen["narrative"]
    audit = web_system.api("GET", f"/svc/evaluation-service/api/v1/audit?entity_id={evaluation['id']}", "admin").json()[
        "items"
    ]
    actions = [a["action"] for a in audit]
    assert {
        "realisation.saved",
        "realisation.evidence_added",
        "realisation.submitted",
        "evaluation.draft_saved",
    } <= set(actions)
