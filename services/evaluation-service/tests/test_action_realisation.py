"""The evaluation form shows, per result, its agreed actions (rencana aksi) of the period with each action's target
and verified realisation (ActionPlanAgreed and activities' action_id through the handlers, the form over HTTP)."""

from kinerja_shared.events import make_event, validate_event

EMPLOYEE, RATER = "199001012015011001", "198001012005011002"


def agreed(plan_id, actions, *, version=1):
    return validate_event(
        make_event(
            "ActionPlanAgreed",
            source_service="plan-service",
            subject=plan_id,
            partitionkey=EMPLOYEE,
            data={
                "plan_id": plan_id,
                "nip": EMPLOYEE,
                "rater_nip": RATER,
                "unit_id": "opd-b1",
                "year": 2026,
                "plan_revision": 1,
                "version": version,
                "agreed_at": "2026-01-20T03:00:00Z",
                "agreed_by": RATER,
                "actions": actions,
            },
        )
    )


def action(action_id, period, *, result_id="r1", indicator_id="i1", target=3, unit="dokumen", text="Menyusun dokumen"):
    return {
        "action_id": action_id,
        "result_id": result_id,
        "indicator_id": indicator_id,
        "period": period,
        "text": text,
        "target_value": target,
        "target_unit": unit,
    }


def logged(evaluation, plan_id, action_id, quantity, *, indicator_id="i1", result_id="r1"):
    event = evaluation.ev.activity(
        plan_id, evaluation.today, indicator_id=indicator_id, result_id=result_id, quantity=quantity
    )
    event["data"]["action_id"] = action_id
    return validate_event(event)


def test_the_form_shows_each_results_actions_with_target_and_verified_realisation(evaluation):
    evaluation.org()
    plan = evaluation.ev.plan()
    plan_id = plan["data"]["plan_id"]
    evaluation.apply(plan)
    today = evaluation.today
    month = f"{today:%Y-%m}"
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    other_year = f"{today.year - 1}-Q1"
    evaluation.apply(
        agreed(
            plan_id,
            [
                action("a1", month, target=4),
                action("a2", quarter, target=10),
                action("b1", month, result_id="r2", indicator_id="i2", target=1, unit="laporan"),
                action("old", other_year),
            ],
        )
    )
    first, second, third = (
        logged(evaluation, plan_id, "a1", 2),
        logged(evaluation, plan_id, "a1", 1),
        logged(evaluation, plan_id, "a2", 5),
    )
    rejected = logged(evaluation, plan_id, "a2", 7)
    evaluation.apply(
        first,
        second,
        third,
        rejected,
        evaluation.ev.verified(first),
        evaluation.ev.verified(third),
        evaluation.ev.verified(rejected, "rejected"),
    )
    [item] = evaluation.evaluations(nip=EMPLOYEE)
    form = evaluation.get(f"/api/v1/evaluations/{item['id']}", RATER, "supervisor")
    assert form.status_code == 200, form.json
    results = {r["result_id"]: r for r in form.json["results"]}
    actions = {a["action_id"]: a for a in results["r1"]["actions"]}
    assert set(actions) == {"a1", "a2"}  # the period's: not last year's
    assert (
        actions["a1"]["target_value"],
        actions["a1"]["realised"],
        actions["a1"]["pending_entries"],
        actions["a1"]["percent"],
    ) == (4, 2, 1, 50.0)
    assert (actions["a2"]["realised"], actions["a2"]["percent"], actions["a2"]["period"]) == (5, 50.0, quarter)
    [b1] = results["r2"]["actions"]
    assert (b1["action_id"], b1["target_unit"], b1["realised"], b1["percent"]) == ("b1", "laporan", 0, 0.0)
    # the indicator's realisation stays as it was: the actions are beside it
    assert results["r1"]["indicators"][0]["realised_in_period"] == 7
    assert {a["action_id"] for a in form.json["activities"]} == {"a1", "a2"}
    # a newer agreed set (an amendment dropped a2) replaces the older one; a late copy of the older changes nothing
    evaluation.apply(agreed(plan_id, [action("a1", month, target=4)], version=2), agreed(plan_id, [], version=1))
    again = evaluation.get(f"/api/v1/evaluations/{item['id']}", RATER, "supervisor").json
    assert [a["action_id"] for r in again["results"] for a in r["actions"]] == ["a1"]
