"""Evaluations over HTTP, with the read models filled by calling the handlers as the consumer does.

Opening on PlanApproved, realisation from activities, the submit → close → reopen flow with its
rights, continuous feedback, periods, problem+json errors. Every event written is checked
against its schema (``evaluation.outbox``). The people are those of conftest.py.
"""

from datetime import date, timedelta

from evaluation_service import domain

EMPLOYEE, COLLEAGUE, RATER = "199001012015011001", "199202022016012005", "198001012005011002"
HEAD, ADMIN, OUTSIDER = "197001011995011003", "196501011990011004", "198505052010011006"


def _open(evaluation, nip=EMPLOYEE, **plan_kw):
    """The org, an approved plan for ``nip``, and its evaluation of today's period."""
    evaluation.org()
    plan = evaluation.ev.plan(nip, **plan_kw)
    evaluation.apply(plan)
    [item] = evaluation.evaluations(nip=nip)
    return plan, item


def _submit_body(results_rating="meets", behaviour_rating="meets", **kw):
    return {"results_rating": results_rating, "behaviour_rating": behaviour_rating, **kw}


def _days(evaluation, n):
    """n distinct days of the current period up to today (latest first)."""
    start = evaluation.period().start
    days = [evaluation.today - timedelta(days=i) for i in range(n)]
    assert all(d >= start for d in days) or n == 1
    return [d if d >= start else start for d in days]


# -- opening ---------------------------------------------------------------------------------


def test_plan_approved_opens_the_evaluation_of_todays_quarter_once(evaluation):
    plan, item = _open(evaluation)
    period = evaluation.period("quarterly")
    assert item["period"] == period.as_dict() and period.id.endswith(f"Q{(evaluation.today.month - 1) // 3 + 1}")
    assert (item["status"], item["revision"], item["rater_nip"], item["unit_id"]) == ("open", 1, RATER, "opd-b1")
    assert item["plan_id"] == plan["data"]["plan_id"] and item["predicate"] is None
    [opened] = evaluation.outbox("EvaluationOpened")
    assert opened["data"]["evaluation_id"] == item["id"] and opened["data"]["period"]["id"] == period.id
    assert opened["partitionkey"] == EMPLOYEE
    # the same plan approved again (a redelivery with another event id, or an amendment): still one evaluation
    evaluation.apply(plan, evaluation.ev.plan(plan_id=plan["data"]["plan_id"], revision=2, event_type="PlanAmended"))
    assert len(evaluation.evaluations(nip=EMPLOYEE)) == 1
    assert len(evaluation.outbox("EvaluationOpened")) == 1
    assert evaluation.evaluations(nip=EMPLOYEE)[0]["plan_revision"] == 2


def test_monthly_scheme_opens_the_month(make_evaluation):
    evaluation = make_evaluation(EVALUATION_PERIOD_SCHEME="monthly")
    _, item = _open(evaluation)
    assert item["period"]["id"] == f"{evaluation.today:%Y-%m}" and item["period"]["kind"] == "monthly"
    # the year's scheme is now fixed: quarterly ids are refused for it
    r = evaluation.post(f"/api/v1/periods/{evaluation.today.year}-Q1/open", ADMIN, "admin", json={})
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "period_id"


def test_a_plan_whose_span_does_not_hold_today_opens_nothing_until_its_period_is_opened(evaluation):
    evaluation.org()
    next_year = evaluation.today.year + 1
    evaluation.apply(evaluation.ev.plan(year=next_year))
    assert evaluation.evaluations() == []
    r = evaluation.post(f"/api/v1/periods/{next_year}-Q1/open", EMPLOYEE, json={})
    assert r.status_code == 403
    r = evaluation.post(f"/api/v1/periods/{next_year}-Q1/open", ADMIN, "admin", json={})
    assert r.status_code == 200 and r.json["opened"] == 1
    again = evaluation.post(f"/api/v1/periods/{next_year}-Q1/open", ADMIN, "admin", json={})
    assert again.json["opened"] == 0
    assert [e["period"]["id"] for e in evaluation.evaluations()] == [f"{next_year}-Q1"]
    periods = evaluation.get("/api/v1/periods", ADMIN, "admin", query_string={"year": next_year}).json
    assert periods["scheme"] == "quarterly" and periods["scheme_fixed"] is True
    assert [(p["id"], p["open"]) for p in periods["periods"]][0] == (f"{next_year}-Q1", 1)


def test_the_period_clock_opens_todays_period_for_every_plan(evaluation):
    evaluation.org()
    with evaluation.h.engine.begin() as conn:  # plans stored without the handler's own opening
        from evaluation_service.handlers import _store_plan
        from kinerja_shared.events import Event

        for nip in (EMPLOYEE, COLLEAGUE):
            _store_plan(conn, Event(evaluation.ev.plan(nip)))
    from evaluation_service.service import SPEC
    from evaluation_service.use_cases.periods import PERIOD_CLOCK
    from kinerja_shared.runtime import Runtime

    rt = Runtime(SPEC, evaluation.h.settings, evaluation.h.engine, config=SPEC.load_config(evaluation.h.settings))
    assert PERIOD_CLOCK.run_once(rt) == 2  # the worker's job, one round
    assert PERIOD_CLOCK.run_once(rt) == 0
    assert len(evaluation.outbox("EvaluationOpened")) == 2


# -- realisation -------------------------------------------------------------------------------


def test_verified_activities_make_the_realisation_and_withdrawn_ones_leave_it(evaluation):
    plan, item = _open(evaluation)
    plan_id = plan["data"]["plan_id"]
    ev = evaluation.ev
    day = evaluation.today
    a1 = ev.activity(plan_id, day, quantity=2)
    a2 = ev.activity(plan_id, day, quantity=1)
    a3 = ev.activity(plan_id, day, quantity=5)
    a4 = ev.activity(plan_id, day, quantity=1, indicator_id="i2", result_id="r2")
    evaluation.apply(a1, a2, a3, a4)
    detail = evaluation.get(f"/api/v1/evaluations/{item['id']}").json
    assert detail["pending"] == {
        "activities_pending": 4,
        "activities_accepted": 0,
        "activities_rejected": 0,
        "activities_total": 4,
    }
    assert {a["id"] for a in detail["activities"]} == {a["data"]["activity_id"] for a in (a1, a2, a3, a4)}
    i1 = detail["results"][0]["indicators"][0]
    assert (i1["realised_in_period"], i1["pending_in_period"]) == (0, 3)

    evaluation.apply(ev.verified(a1), ev.verified(a2, "rejected"), ev.verified(a4))
    detail = evaluation.get(f"/api/v1/evaluations/{item['id']}").json
    i1 = detail["results"][0]["indicators"][0]
    assert (i1["realised_in_period"], i1["realised_to_date"], i1["percent_of_target"]) == (2, 2, round(2 / 12 * 100, 1))
    assert i1["minutes_in_period"] == 60 and i1["pending_in_period"] == 1
    assert detail["pending"]["activities_rejected"] == 1 and detail["pending"]["activities_accepted"] == 2

    evaluation.apply(ev.withdrawn(a3))  # pending, withdrawn by the employee: gone from the period
    detail = evaluation.get(f"/api/v1/evaluations/{item['id']}").json
    assert a3["data"]["activity_id"] not in {a["id"] for a in detail["activities"]}
    assert detail["pending"]["activities_pending"] == 0

    evaluation.apply(ev.withdrawn(a1))  # even a verified one, should activity-service ever withdraw it
    detail = evaluation.get(f"/api/v1/evaluations/{item['id']}").json
    assert detail["results"][0]["indicators"][0]["realised_in_period"] == 0
    # an update to a withdrawn activity does not bring it back
    evaluation.apply(
        ev.activity(
            plan_id, day, activity_id=a1["data"]["activity_id"], quantity=9, event_type="ActivityUpdated", version=3
        )
    )
    detail = evaluation.get(f"/api/v1/evaluations/{item['id']}").json
    assert a1["data"]["activity_id"] not in {a["id"] for a in detail["activities"]}


def test_realisation_drives_the_suggestion_with_its_reasoning(evaluation):
    plan, item = _open(evaluation)
    plan_id = plan["data"]["plan_id"]
    period = evaluation.period()
    months = domain.months_between(date(evaluation.today.year, 1, 1), period.end)
    expected_i1, expected_i2 = 12 * months / 12, 4 * months / 12
    ev = evaluation.ev
    logged = [
        ev.activity(plan_id, evaluation.today, quantity=expected_i1 + 1),
        ev.activity(plan_id, evaluation.today, quantity=expected_i2, indicator_id="i2", result_id="r2"),
    ]
    evaluation.apply(*logged, *[ev.verified(a) for a in logged])
    detail = evaluation.get(f"/api/v1/evaluations/{item['id']}").json
    r1, r2 = detail["results"]
    assert r1["computed_assessment"] == "above" and r2["computed_assessment"] == "meets"
    assert detail["suggestion"]["rating"] == "meets"  # 1 of 2 above is not "most"
    assert detail["suggestion"]["reasoning"]


# -- submit, close, reopen ---------------------------------------------------------------------


def test_submit_close_reopen_flow_with_its_rights(evaluation):
    _, item = _open(evaluation)
    url = f"/api/v1/evaluations/{item['id']}"

    # who sees it
    assert evaluation.get(url, EMPLOYEE).status_code == 200
    assert evaluation.get(url, RATER).status_code == 200
    assert evaluation.get(url, HEAD).status_code == 200  # heads opd, above opd-b1
    assert evaluation.get(url, COLLEAGUE).status_code == 404
    assert (
        evaluation.get(
            url,
            OUTSIDER,
            "unit_head",
        ).status_code
        == 404
    )
    assert evaluation.get(url, ADMIN, "admin").status_code == 200
    assert evaluation.get("/api/v1/evaluations/nope", ADMIN, "admin").status_code == 404

    # closing first is a conflict that names the status
    r = evaluation.post(url + "/close")
    assert r.status_code == 409 and r.json["current_status"] == "open"
    assert r.headers["Content-Type"] == "application/problem+json"

    # only the rater submits; the predicate cannot be sent
    assert evaluation.post(url + "/submit", EMPLOYEE, json=_submit_body()).status_code == 403
    assert evaluation.post(url + "/submit", ADMIN, "admin", json=_submit_body()).status_code == 403
    r = evaluation.post(url + "/submit", json={**_submit_body(), "predicate": "SANGAT_BAIK"})
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "predicate"
    r = evaluation.post(url + "/submit", json={"results_rating": "great", "behaviour_rating": "meets"})
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "results_rating"
    r = evaluation.post(url + "/submit", json=_submit_body(results=[{"result_id": "zzz"}]))
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "results.0.result_id"

    # no verified activity: no data yet, which is not "below" (realisation per aspect), so no suggestion
    detail = evaluation.get(url).json
    assert detail["suggestion"]["rating"] is None and detail["suggestion"]["counts"]["no_data"] == 2
    assert [r["level"] for r in detail["results"]] == ["no_data", "no_data"]
    # one document of the three expected so far: the main result is below, so "above" needs a note
    logged = evaluation.ev.activity(item["plan_id"], evaluation.today, quantity=1)
    evaluation.apply(logged, evaluation.ev.verified(logged))
    detail = evaluation.get(url).json
    assert detail["suggestion"]["rating"] == "below"
    r = evaluation.post(url + "/submit", json=_submit_body("above", "above"))
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "rating_note"
    # the rater assesses the results on the form (based on evidence): the suggestion follows
    form = {
        "results": [
            {"result_id": "r1", "realisation": "12 dokumen", "feedback": "tepat waktu", "assessment": "above"},
            {"result_id": "r2", "realisation": "4 laporan", "feedback": "baik", "assessment": "above"},
        ],
        "behaviours": [{"value": "service", "feedback": "ramah"}],
    }
    stale = {"If-Match": '"%s.99"' % item["id"]}
    assert (
        evaluation.post(url + "/submit", json=_submit_body("above", "above", **form), headers=stale).status_code == 412
    )
    r = evaluation.post(
        url + "/submit",
        json=_submit_body("above", "above", **form),
        headers={"If-Match": evaluation.get(url).headers["ETag"]},
    )
    assert r.status_code == 200, r.json
    assert (r.json["status"], r.json["predicate"], r.json["suggested_rating"]) == ("submitted", "SANGAT_BAIK", "above")
    # corrected before closing, with a note because it differs from the suggestion
    r = evaluation.post(url + "/submit", json=_submit_body("meets", "above", rating_note="one report was late", **form))
    assert r.status_code == 200 and r.json["predicate"] == "BAIK" and r.json["rating_note"] == "one report was late"
    [sub1, sub2] = evaluation.outbox("EvaluationSubmitted")
    assert sub2["data"]["predicate"] == "BAIK" and sub2["data"]["results_rating"] == "meets"

    assert evaluation.post(url + "/close", EMPLOYEE).status_code == 403
    r = evaluation.post(url + "/close")
    assert r.status_code == 200 and r.json["status"] == "closed"
    assert r.json["credit_points"] == 3.13  # Baik 100 % × 12.5 × 3/12 = 3.125, half up to two decimals
    [closed] = evaluation.outbox("EvaluationClosed")
    data = closed["data"]
    assert (data["nip"], data["unit_id"], data["rater_nip"], data["period"]["id"]) == (
        EMPLOYEE,
        "opd-b1",
        RATER,
        item["period"]["id"],
    )
    assert (data["results_rating"], data["behaviour_rating"], data["predicate"], data["credit_points"]) == (
        "meets",
        "above",
        "BAIK",
        3.13,
    )
    assert data["closed_by"] == RATER and closed["partitionkey"] == EMPLOYEE

    # closed is fixed
    r = evaluation.post(url + "/submit", json=_submit_body())
    assert r.status_code == 409 and r.json["current_status"] == "closed"
    assert evaluation.post(url + "/close").status_code == 409

    # reopen: admin only, with a reason; a new revision
    assert evaluation.post(url + "/reopen", RATER, json={"reason": "x"}).status_code == 403
    r = evaluation.post(url + "/reopen", ADMIN, "admin", json={})
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "reason"
    r = evaluation.post(url + "/reopen", ADMIN, "admin", json={"reason": "wrong behaviour rating"})
    assert r.status_code == 200 and (r.json["status"], r.json["revision"], r.json["predicate"]) == ("open", 2, None)
    assert evaluation.post(url + "/reopen", ADMIN, "admin", json={"reason": "again"}).status_code == 409
    [reopened] = evaluation.outbox("EvaluationReopened")
    assert reopened["data"]["revision"] == 2 and reopened["data"]["reason"] == "wrong behaviour rating"
    revisions = evaluation.get(url + "/revisions").json["items"]
    assert [(x["revision"], x["snapshot"]["predicate"], x["reason"]) for x in revisions] == [
        (1, "BAIK", "wrong behaviour rating")
    ]
    # the form is kept for the correction; submit and close again as revision 2
    assert evaluation.get(url).json["form"]["results"][0]["realisation"] == "12 dokumen"
    assert evaluation.post(url + "/submit", json=_submit_body("above", "meets", **form)).status_code == 200
    r = evaluation.post(url + "/close")
    assert r.status_code == 200 and r.json["revision"] == 2 and r.json["predicate"] == "BAIK"
    closes = evaluation.outbox("EvaluationClosed")
    assert [c["data"]["revision"] for c in closes] == [1, 2]
    audit = evaluation.get("/api/v1/audit", ADMIN, "admin", query_string={"entity_id": item["id"]}).json["items"]
    assert [a["action"] for a in reversed(audit)] == [
        "evaluation.opened",
        "evaluation.submit",
        "evaluation.submit",
        "evaluation.close",
        "evaluation.reopen",
        "evaluation.submit",
        "evaluation.close",
    ]
    assert any(a["reason"] == "wrong behaviour rating" for a in audit)


def test_credit_points_only_for_functionals(evaluation):
    _, item = _open(evaluation, COLLEAGUE)  # no coefficient
    url = f"/api/v1/evaluations/{item['id']}"
    assert evaluation.post(url + "/submit", json=_submit_body("below", "below")).status_code == 200
    r = evaluation.post(url + "/close")
    assert r.json["predicate"] == "SANGAT_KURANG" and r.json["credit_points"] is None


def test_an_idempotency_key_replays_the_submit(evaluation):
    _, item = _open(evaluation)
    url = f"/api/v1/evaluations/{item['id']}/submit"
    key = {"Idempotency-Key": "retry-1"}
    first = evaluation.post(url, json=_submit_body("below", "meets"), headers=key)
    second = evaluation.post(url, json=_submit_body("below", "meets"), headers=key)
    assert first.status_code == second.status_code == 200
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert len(evaluation.outbox("EvaluationSubmitted")) == 1


# -- lists -------------------------------------------------------------------------------------


def test_list_filters_scope_and_pagination(evaluation):
    evaluation.org()
    ev = evaluation.ev
    evaluation.apply(ev.plan(EMPLOYEE), ev.plan(COLLEAGUE), ev.plan(OUTSIDER, unit_id="other-opd", rater=None))
    assert len(evaluation.evaluations()) == 3
    assert len(evaluation.evaluations(unit_id="opd")) == 2
    assert len(evaluation.evaluations(unit_id="other-opd")) == 1
    assert len(evaluation.evaluations(status="closed")) == 0

    def items(who, *roles, **q):
        r = evaluation.get("/api/v1/evaluations", who, *roles, query_string=q)
        assert r.status_code == 200, r.json
        return r.json

    assert [e["nip"] for e in items(EMPLOYEE)["items"]] == [EMPLOYEE]
    assert {e["nip"] for e in items(RATER)["items"]} == {EMPLOYEE, COLLEAGUE}
    assert {e["nip"] for e in items(HEAD)["items"]} == {EMPLOYEE, COLLEAGUE}  # head by the directory
    assert {e["nip"] for e in items("197707072000011099", "unit_head")["items"]} == set()
    page1 = items(ADMIN, "admin", limit=2)
    page2 = items(ADMIN, "admin", limit=2, cursor=page1["next_cursor"])
    assert len(page1["items"]) == 2 and len(page2["items"]) == 1 and page2["next_cursor"] is None
    assert {e["id"] for e in page1["items"]}.isdisjoint({e["id"] for e in page2["items"]})
    bad = evaluation.get("/api/v1/evaluations", ADMIN, "admin", query_string={"cursor": "bm9wZQ"})
    assert bad.status_code == 400 and bad.json["errors"][0]["field"] == "cursor"
    bad = evaluation.get("/api/v1/evaluations", ADMIN, "admin", query_string={"period_id": "2026-Q9"})
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "period_id"
    assert evaluation.client.get("/api/v1/evaluations").status_code == 401


# -- continuous feedback -------------------------------------------------------------------------


def test_feedback_from_the_rater_shows_on_the_next_form(evaluation):
    evaluation.org()
    # given before the plan is approved: waits for the next form
    r = evaluation.post("/api/v1/feedback", json={"nip": EMPLOYEE, "text": "Good start on the documents"})
    assert r.status_code == 201 and r.json["evaluation_id"] is None
    plan = evaluation.ev.plan()
    evaluation.apply(plan)
    [item] = evaluation.evaluations()
    r = evaluation.post("/api/v1/feedback", json={"nip": EMPLOYEE, "text": "Report 2 needs sources", "result_id": "r2"})
    assert r.status_code == 201 and r.json["evaluation_id"] == item["id"]
    r = evaluation.post(
        "/api/v1/feedback", json={"nip": EMPLOYEE, "text": "Kind to visitors", "behaviour_value": "service"}
    )
    assert r.status_code == 201

    detail = evaluation.get(f"/api/v1/evaluations/{item['id']}").json
    assert [f["text"] for f in detail["feedback"]] == [
        "Good start on the documents",
        "Report 2 needs sources",
        "Kind to visitors",
    ]
    assert [f["text"] for f in detail["results"][1]["continuous_feedback"]] == ["Report 2 needs sources"]
    assert [f["text"] for f in detail["behaviours"][0]["continuous_feedback"]] == ["Kind to visitors"]
    given = evaluation.outbox("FeedbackGiven")
    assert len(given) == 3 and given[1]["data"]["result_id"] == "r2" and given[0]["data"]["rater_nip"] == RATER

    # rights and bad input
    assert evaluation.post("/api/v1/feedback", COLLEAGUE, json={"nip": EMPLOYEE, "text": "x"}).status_code == 403
    assert evaluation.post("/api/v1/feedback", HEAD, json={"nip": EMPLOYEE, "text": "x"}).status_code == 403
    r = evaluation.post("/api/v1/feedback", json={"nip": EMPLOYEE, "text": "x", "result_id": "nope"})
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "result_id"
    r = evaluation.post(
        "/api/v1/feedback", json={"nip": EMPLOYEE, "text": "x", "result_id": "r1", "behaviour_value": "loyal"}
    )
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "behaviour_value"
    r = evaluation.post("/api/v1/feedback", json={"nip": EMPLOYEE, "text": ""})
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "text"

    # who reads it
    def texts(who, *roles):
        return [
            f["text"]
            for f in evaluation.get("/api/v1/feedback", who, *roles, query_string={"nip": EMPLOYEE}).json["items"]
        ]

    assert len(texts(EMPLOYEE)) == 3 and len(texts(RATER)) == 3 and len(texts(HEAD)) == 3
    assert texts(COLLEAGUE) == [] and texts(OUTSIDER) == []

    # after the form closes, new feedback waits for the next period's form
    url = f"/api/v1/evaluations/{item['id']}"
    evaluation.post(url + "/submit", json={"results_rating": "below", "behaviour_rating": "meets"})
    evaluation.post(url + "/close")
    r = evaluation.post("/api/v1/feedback", json={"nip": EMPLOYEE, "text": "For next quarter"})
    assert r.json["evaluation_id"] is None


# -- annual --------------------------------------------------------------------------------------


def test_annual_evaluation_is_built_from_the_periodic_ones(evaluation):
    plan, item = _open(evaluation)
    year = evaluation.today.year
    url = f"/api/v1/evaluations/{item['id']}"
    evaluation.post(url + "/submit", json={"results_rating": "below", "behaviour_rating": "meets"})
    evaluation.post(url + "/close")
    r = evaluation.post(f"/api/v1/periods/{year}-Y/open", ADMIN, "admin", json={"unit_id": "opd"})
    assert r.status_code == 200 and r.json == {"period": domain.annual_period(year).as_dict(), "opened": 1}
    annual = [e for e in evaluation.evaluations() if e["period"]["kind"] == "annual"][0]
    assert annual["period"]["id"] == f"{year}-Y"
    detail = evaluation.get(f"/api/v1/evaluations/{annual['id']}").json
    assert [(p["period"]["id"], p["predicate"]) for p in detail["periodic"]] == [
        (item["period"]["id"], "BUTUH_PERBAIKAN")
    ]
    r = evaluation.post(
        f"/api/v1/evaluations/{annual['id']}/submit", json={"results_rating": "below", "behaviour_rating": "above"}
    )
    assert r.status_code == 200
    r = evaluation.post(f"/api/v1/evaluations/{annual['id']}/close")
    assert r.json["credit_points"] == 9.38  # Butuh Perbaikan 75 % × 12.5 × 12/12 = 9.375, half up


def test_scheme_of_a_year_is_fixed_once_it_has_evaluations(evaluation):
    _open(evaluation)
    year = evaluation.today.year
    r = evaluation.put(f"/api/v1/periods/schemes/{year}", ADMIN, "admin", json={"scheme": "monthly"})
    assert r.status_code == 409 and r.json["current_status"] == "quarterly"
    assert (
        evaluation.put(f"/api/v1/periods/schemes/{year + 2}", EMPLOYEE, json={"scheme": "monthly"}).status_code == 403
    )
    r = evaluation.put(f"/api/v1/periods/schemes/{year + 2}", ADMIN, "admin", json={"scheme": "monthly"})
    assert r.status_code == 200 and r.json["scheme"] == "monthly" and len(r.json["periods"]) == 13
    r = evaluation.put(f"/api/v1/periods/schemes/{year + 2}", ADMIN, "admin", json={"scheme": "weekly"})
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "scheme"


def test_activity_facts_follow_the_latest_version(evaluation):
    plan, _ = _open(evaluation)
    plan_id = plan["data"]["plan_id"]
    ev = evaluation.ev
    logged = ev.activity(plan_id, evaluation.today, quantity=1)
    aid = logged["data"]["activity_id"]
    edited = ev.activity(
        plan_id, evaluation.today, activity_id=aid, quantity=4, event_type="ActivityUpdated", version=2
    )
    verified = ev.verified(edited)
    verified["data"]["version"] = 3
    late_copy = ev.activity(
        plan_id, evaluation.today, activity_id=aid, quantity=7, event_type="ActivityUpdated", version=2
    )
    evaluation.apply(logged, edited, verified, late_copy, logged)

    def fact():
        return evaluation.h.rows("SELECT status, quantity, version FROM activities WHERE id = :i", i=aid)[0]

    assert fact() == {"status": "accepted", "quantity": 4.0, "version": 3}
    # a verification of a later edit (rejected, then edited and resubmitted) moves it on
    resubmitted = ev.activity(
        plan_id, evaluation.today, activity_id=aid, quantity=5, event_type="ActivityUpdated", version=4
    )
    evaluation.apply(resubmitted)
    assert fact() == {"status": "pending", "quantity": 5.0, "version": 4}
    # a verification known only by the Verified event (evaluation-service started late) is kept
    other = ev.activity(plan_id, evaluation.today, quantity=2)
    evaluation.apply(ev.verified(other))
    assert evaluation.h.rows(
        "SELECT status, quantity FROM activities WHERE id = :i", i=other["data"]["activity_id"]
    ) == [{"status": "accepted", "quantity": 2.0}]
