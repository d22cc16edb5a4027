"""Corrections and annulments of verified activities (issue 14) reach the realisation.

A poisoned quantity the rater accepted is corrected (ActivityCorrected) or the entry annulled
(ActivityAnnulled) in activity-service; here the activity facts follow, so the evaluation form,
its suggestion and the unit dashboard compute from the repaired value. Redelivered or late
events change nothing (the inbox, and the version every event carries).
"""

EMPLOYEE, RATER, HEAD = "199001012015011001", "198001012005011002", "197001011995011003"


def _opened(evaluation):
    evaluation.org()
    plan = evaluation.ev.plan(EMPLOYEE)
    evaluation.apply(plan)
    [item] = evaluation.evaluations(nip=EMPLOYEE)
    return plan["data"]["plan_id"], f"/api/v1/evaluations/{item['id']}"


def _indicator(evaluation, url, result=0):
    return evaluation.get(url, RATER).json["results"][result]["indicators"][0]


def _verified(ev, logged):
    verified = ev.verified(logged)
    verified["data"]["version"] = 2
    return verified


def test_a_correction_replaces_the_poisoned_quantity_in_the_realisation(evaluation):
    plan_id, url = _opened(evaluation)
    ev = evaluation.ev
    poisoned = ev.activity(plan_id, evaluation.today, quantity=90)
    evaluation.apply(poisoned, _verified(ev, poisoned))
    assert _indicator(evaluation, url)["realised_in_period"] == 90

    correction = ev.corrected(poisoned, version=3, quantity=9)
    assert evaluation.h.handle(correction) == ["processed"]
    indicator = _indicator(evaluation, url)
    assert (indicator["realised_in_period"], indicator["percent_of_target"]) == (9, 75.0)
    dashboard = evaluation.get("/api/v1/unit-performance/opd/dashboard", HEAD)
    assert dashboard.status_code == 200

    # redelivered: no second effect; a late copy of the verification (version 2) does not undo it
    assert evaluation.h.handle(correction) == ["duplicate"]
    late = _verified(ev, poisoned)
    evaluation.apply(late)
    assert evaluation.h.rows(
        "SELECT status, quantity, version FROM activities WHERE id = :i", i=poisoned["data"]["activity_id"]
    ) == [{"status": "accepted", "quantity": 9.0, "version": 3}]


def test_a_correction_to_another_indicator_moves_the_realisation(evaluation):
    plan_id, url = _opened(evaluation)
    ev = evaluation.ev
    logged = ev.activity(plan_id, evaluation.today, quantity=2)
    evaluation.apply(logged, _verified(ev, logged))
    evaluation.apply(ev.corrected(logged, version=3, indicator_id="i2", result_id="r2"))
    assert _indicator(evaluation, url, 0)["realised_in_period"] == 0
    assert _indicator(evaluation, url, 1)["realised_in_period"] == 2


def test_an_annulled_activity_counts_nowhere_and_stays_out(evaluation):
    plan_id, url = _opened(evaluation)
    ev = evaluation.ev
    kept, annulled = (
        ev.activity(plan_id, evaluation.today, quantity=3),
        ev.activity(plan_id, evaluation.today, quantity=5),
    )
    evaluation.apply(kept, _verified(ev, kept), annulled, _verified(ev, annulled))
    assert _indicator(evaluation, url)["realised_in_period"] == 8

    annulment = ev.annulled(annulled, version=3)
    evaluation.apply(annulment)
    detail = evaluation.get(url, RATER).json
    assert detail["results"][0]["indicators"][0]["realised_in_period"] == 3
    assert annulled["data"]["activity_id"] not in {a["id"] for a in detail["activities"]}
    # neither a redelivery nor a late copy of an earlier event brings it back
    assert evaluation.h.handle(annulment) == ["duplicate"]
    evaluation.apply(_verified(ev, annulled), ev.corrected(annulled, version=2, quantity=50))
    assert _indicator(evaluation, url)["realised_in_period"] == 3


def test_an_annulment_known_before_the_activity_leaves_a_tombstone(evaluation):
    plan_id, url = _opened(evaluation)
    ev = evaluation.ev
    logged = ev.activity(plan_id, evaluation.today, quantity=4)
    evaluation.apply(ev.annulled(logged, version=3), logged, _verified(ev, logged))
    assert _indicator(evaluation, url)["realised_in_period"] == 0


def test_a_correction_through_the_api_reaches_the_evaluation_through_kafka(evaluation, service_factory, kafka_tools):
    """The whole repair: the rater accepts an absurd quantity in activity-service, the rater's superior
    corrects it over HTTP, ActivityCorrected travels through Kafka and the evaluation form shows the
    corrected realisation. (activity-service runs in-process on the same topics.)"""
    from activity_service.service import SPEC as ACTIVITY
    from kinerja_shared.testing import wait_for

    activity = service_factory(ACTIVITY)
    ev, h = evaluation.ev, evaluation.h
    plan = ev.plan(EMPLOYEE)
    org = [
        ev.employee(HEAD, unit_id="opd", unit_path=["opd"], rater=None, is_head=True),
        ev.employee(RATER, rater=HEAD, is_head=True),
        ev.employee(EMPLOYEE),
        plan,
    ]
    for event in org:
        kafka_tools.produce("kinerja.plan.events", event, key=event["partitionkey"])
    h.start_worker()
    activity.start_worker()
    [item] = wait_for(lambda: evaluation.evaluations(nip=EMPLOYEE), timeout=60, message="the evaluation to open")
    url = f"/api/v1/evaluations/{item['id']}"
    wait_for(lambda: activity.scalar("SELECT count(*) FROM plan_indicators") == 2, timeout=60, message="the plan")

    body = {
        "date": evaluation.today.isoformat(),
        "start_time": "08:00",
        "end_time": "09:00",
        "indicator_id": "i1",
        "description": "Menyusun dokumen perencanaan",
        "quantity": 90,
        "quantity_unit": "dokumen",
    }
    logged = activity.client.post("/api/v1/activities", json=body, headers=activity.token(EMPLOYEE))
    assert logged.status_code == 201, logged.get_json()
    aid = logged.get_json()["id"]
    accepted = activity.client.post(
        f"/api/v1/activities/{aid}/verify",
        json={"decision": "accepted"},
        headers={**activity.token(RATER), "If-Match": logged.headers["ETag"]},
    )
    assert accepted.status_code == 200
    wait_for(lambda: _indicator(evaluation, url)["realised_in_period"] == 90, timeout=60, message="the poisoned value")

    corrected = activity.client.post(
        f"/api/v1/activities/{aid}/correct",
        json={"quantity": 9, "reason": "Salah ketik"},
        headers={**activity.token(HEAD), "If-Match": accepted.headers["ETag"]},
    )
    assert corrected.status_code == 200, corrected.get_json()
    wait_for(lambda: _indicator(evaluation, url)["realised_in_period"] == 9, timeout=60, message="the correction")
    assert h.rows("SELECT quantity, version, status FROM activities WHERE id = :i", i=aid) == [
        {"quantity": 9.0, "version": 3, "status": "accepted"}
    ]
