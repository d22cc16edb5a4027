"""The performance dialogue (dialog kinerja) over HTTP: recorded by one party, confirmed by the other,
edited before both confirmed, corrected (a new revision) after; its rules as 4xx naming the field;
PerformanceDialogueRecorded valid against its schema; the follow-ups on the next period's form and the
unit head's "dialogues held". The people are those of conftest.py."""

from datetime import date, timedelta

from evaluation_service import dialogues as rules

EMPLOYEE, COLLEAGUE, RATER = "199001012015011001", "199202022016012005", "198001012005011002"
HEAD, ADMIN, OUTSIDER = "197001011995011003", "196501011990011004", "198505052010011006"
DIALOGUES = "/api/v1/dialogues"


def _plan(evaluation, nip=EMPLOYEE, **kw):
    evaluation.org()
    plan = evaluation.ev.plan(nip, **kw)
    evaluation.apply(plan)
    return plan["data"]["plan_id"]


def _body(plan, **kw):
    today = date.today()
    return {
        "plan_id": plan,
        "stage": "planning",
        "held_on": str(kw.pop("held_on", today)),
        "topics": "Target laporan bulanan dan dukungan sumber daya",
        "follow_ups": "Pelatihan penyusunan laporan",
        **kw,
    }


def _record(evaluation, plan_id, who=EMPLOYEE, **kw):
    r = evaluation.post(DIALOGUES, who, json=_body(plan_id, **kw))
    assert r.status_code == 201, r.json
    return r


def _etag(evaluation, dialogue_id, who):
    r = evaluation.get(f"{DIALOGUES}/{dialogue_id}", who)
    assert r.status_code == 200, r.json
    return r.headers["ETag"]


def _confirm(evaluation, dialogue_id, who, etag=None, *roles):
    headers = {"If-Match": etag} if etag else {}
    return evaluation.post(f"{DIALOGUES}/{dialogue_id}/confirm", who, *roles, headers=headers)


def _patch(evaluation, dialogue_id, who, json, if_match=True):
    headers = dict(evaluation.as_(who))
    if if_match:
        headers["If-Match"] = _etag(evaluation, dialogue_id, who)
    return evaluation._checked(evaluation.client.patch(f"{DIALOGUES}/{dialogue_id}", headers=headers, json=json))


def test_the_employee_records_and_the_rater_confirms(evaluation):
    plan_id = _plan(evaluation)
    r = _record(evaluation, plan_id, participants=[COLLEAGUE])
    d = r.json
    assert (d["status"], d["stage"], d["nip"], d["rater_nip"], d["version"], d["revision"]) == (
        "recorded",
        "planning",
        EMPLOYEE,
        RATER,
        1,
        1,
    )
    assert [(p["nip"], p["role"]) for p in d["participants"]] == [
        (EMPLOYEE, "employee"),
        (RATER, "rater"),
        (COLLEAGUE, "other"),
    ]
    assert d["confirmed_by_employee_at"] and d["confirmed_by_rater_at"] is None and d["awaiting"] == RATER
    assert r.headers["Location"] == f"{DIALOGUES}/{d['id']}"
    # the recorder confirmed by recording; again is a conflict
    again = _confirm(evaluation, d["id"], EMPLOYEE)
    assert again.status_code == 409
    confirmed = _confirm(evaluation, d["id"], RATER, _etag(evaluation, d["id"], RATER))
    assert confirmed.status_code == 200, confirmed.json
    assert confirmed.json["status"] == "confirmed" and confirmed.json["awaiting"] is None
    assert confirmed.json["version"] == 2
    events = evaluation.outbox("PerformanceDialogueRecorded")  # each validated against its schema by outbox()
    assert [(e["data"]["status"], e["data"]["version"], e["data"]["action"]) for e in events] == [
        ("recorded", 1, "recorded"),
        ("confirmed", 2, "confirmed"),
    ]
    assert events[0]["partitionkey"] == EMPLOYEE and events[0]["data"]["participants"] == [EMPLOYEE, RATER, COLLEAGUE]
    assert events[1]["data"]["confirmed_by_rater_at"] and events[1]["data"]["confirmed_by_employee_at"]


def test_the_rater_records_and_the_employee_confirms(evaluation):
    plan_id = _plan(evaluation)
    d = _record(evaluation, plan_id, who=RATER).json
    assert d["awaiting"] == EMPLOYEE and d["recorded_by"] == RATER
    assert _confirm(evaluation, d["id"], EMPLOYEE).json["status"] == "confirmed"


def test_strangers_can_neither_record_nor_confirm_and_readers_only_read(evaluation):
    plan_id = _plan(evaluation)
    # a stranger (another unit) and a colleague: the plan is not theirs to know
    for who in (OUTSIDER, COLLEAGUE):
        r = evaluation.post(DIALOGUES, who, json=_body(plan_id))
        assert r.status_code == 422 and r.json["errors"][0]["field"] == "plan_id"
    # the head of the unit above reads the plan but does not take part
    assert evaluation.post(DIALOGUES, HEAD, json=_body(plan_id)).status_code == 403
    d = _record(evaluation, plan_id).json
    assert _confirm(evaluation, d["id"], OUTSIDER).status_code == 404
    assert _confirm(evaluation, d["id"], COLLEAGUE).status_code == 404
    assert _confirm(evaluation, d["id"], HEAD).status_code == 403
    assert _confirm(evaluation, d["id"], ADMIN, None, "admin").status_code == 403
    assert evaluation.get(f"{DIALOGUES}/{d['id']}", HEAD).status_code == 200
    assert evaluation.get(f"{DIALOGUES}/{d['id']}", OUTSIDER).status_code == 404
    assert evaluation.get(f"{DIALOGUES}/{d['id']}", RATER).json["status"] == "recorded"


def test_edit_before_confirmation_asks_the_other_again_and_needs_if_match(evaluation):
    plan_id = _plan(evaluation)
    d = _record(evaluation, plan_id).json
    missing = _patch(evaluation, d["id"], RATER, {"topics": "Target diperbarui"}, if_match=False)
    assert missing.status_code == 428
    stale = evaluation._checked(
        evaluation.client.patch(
            f"{DIALOGUES}/{d['id']}",
            headers={**evaluation.as_(RATER), "If-Match": f'"{d["id"]}.0"'},
            json={"topics": "x"},
        )
    )
    assert stale.status_code == 412
    edited = _patch(evaluation, d["id"], RATER, {"topics": "Target diperbarui", "follow_ups": None})
    assert edited.status_code == 200, edited.json
    e = edited.json
    assert (e["topics"], e["follow_ups"], e["status"], e["version"]) == ("Target diperbarui", None, "recorded", 2)
    # the rater's edit: the rater confirmed it, the employee must confirm the new content
    assert e["confirmed_by_rater_at"] and e["confirmed_by_employee_at"] is None and e["awaiting"] == EMPLOYEE
    assert _confirm(evaluation, d["id"], EMPLOYEE).json["status"] == "confirmed"
    # confirmed by both: editing is refused, a correction makes a new revision
    refused = _patch(evaluation, d["id"], EMPLOYEE, {"topics": "lain"})
    assert refused.status_code == 409
    url = f"{DIALOGUES}/{d['id']}/corrections"
    assert evaluation.post(url, EMPLOYEE, json={"topics": "lain"}).json["errors"][0]["field"] == "reason"
    corrected = evaluation.post(
        url,
        EMPLOYEE,
        json={"reason": "Tindak lanjut terlewat", "follow_ups": "Bimbingan teknis"},
        headers={"If-Match": _etag(evaluation, d["id"], EMPLOYEE)},
    )
    assert corrected.status_code == 200, corrected.json
    c = corrected.json
    assert (c["revision"], c["status"], c["follow_ups"], c["awaiting"]) == (2, "recorded", "Bimbingan teknis", RATER)
    detail = evaluation.get(f"{DIALOGUES}/{d['id']}", RATER).json
    assert [
        (h["revision"], h["snapshot"]["topics"], h["snapshot"]["status"], h["reason"]) for h in detail["history"]
    ] == [(1, "Target diperbarui", "confirmed", "Tindak lanjut terlewat")]
    assert _confirm(evaluation, d["id"], RATER).json["status"] == "confirmed"
    # correcting an unconfirmed one is refused: edit it instead
    d2 = _record(evaluation, plan_id, stage="planning", held_on=date(evaluation.today.year, 1, 2)).json
    assert evaluation.post(f"{DIALOGUES}/{d2['id']}/corrections", EMPLOYEE, json={"reason": "x"}).status_code == 409
    actions = [e["data"]["action"] for e in evaluation.outbox("PerformanceDialogueRecorded")]
    assert actions == ["recorded", "edited", "confirmed", "corrected", "confirmed", "recorded"]


def test_validation_names_the_field(evaluation):
    plan_id = _plan(evaluation)
    today = evaluation.today
    cases = [
        ({"held_on": str(today + timedelta(days=1))}, "held_on"),  # in the future
        ({"held_on": str(date(today.year - 1, 6, 1))}, "held_on"),  # far from the plan's year
        ({"topics": ""}, "topics"),
        ({"topics": "   "}, "topics"),
        ({"topics": "x" * (rules.MAX_TOPICS + 1)}, "topics"),
        ({"follow_ups": "x" * (rules.MAX_FOLLOW_UPS + 1)}, "follow_ups"),
        ({"stage": "coaching"}, "stage"),
        ({"stage": "evaluation"}, "evaluation_id"),  # evaluation stage names its evaluation
        ({"stage": "evaluation", "evaluation_id": "nope"}, "evaluation_id"),
        ({"evaluation_id": "nope"}, "evaluation_id"),  # planning has none
        ({"participants": ["123"]}, "participants.0"),
        ({"participants": [OUTSIDER[:-1] + "9"]}, "participants"),  # not in the directory
        ({"participants": [f"19900101201501{i:04d}" for i in range(9)]}, "participants"),
        ({"plan_id": "no-such-plan"}, "plan_id"),
        ({"unexpected": 1}, "unexpected"),
    ]
    for change, field in cases:
        r = evaluation.post(DIALOGUES, EMPLOYEE, json=_body(plan_id, **change))
        assert r.status_code == 422, (change, r.json)
        assert field in {e["field"] for e in r.json["errors"]}, (change, r.json)
    future = evaluation.post(
        DIALOGUES,
        EMPLOYEE,
        json=_body(plan_id, held_on=str(today + timedelta(days=1))),
        headers={"Accept-Language": "id"},
    ).json["errors"][0]["message"]
    assert future.endswith(
        f"{today + timedelta(days=1)} masih di masa depan; catat dialog kinerja setelah dilaksanakan"
    )
    assert evaluation.outbox("PerformanceDialogueRecorded") == []


def test_one_dialogue_per_plan_stage_and_period(evaluation):
    plan_id = _plan(evaluation)
    first = _record(evaluation, plan_id).json
    r = evaluation.post(DIALOGUES, RATER, json=_body(plan_id))
    assert r.status_code == 409 and r.json["dialogue_id"] == first["id"]
    [item] = evaluation.evaluations(nip=EMPLOYEE)
    evaluation_stage = _record(evaluation, plan_id, stage="evaluation", evaluation_id=item["id"]).json
    assert evaluation_stage["period_id"] == item["period"]["id"] == first["period_id"]
    # filters and paging
    listed = evaluation.get(DIALOGUES, EMPLOYEE, query_string={"stage": "evaluation"}).json["items"]
    assert [d["id"] for d in listed] == [evaluation_stage["id"]]
    page = evaluation.get(DIALOGUES, HEAD, query_string={"limit": 1}).json
    rest = evaluation.get(DIALOGUES, HEAD, query_string={"limit": 1, "cursor": page["next_cursor"]}).json
    assert {page["items"][0]["id"], rest["items"][0]["id"]} == {first["id"], evaluation_stage["id"]}
    assert rest["next_cursor"] is None
    assert evaluation.get(DIALOGUES, OUTSIDER).json["items"] == []
    assert evaluation.get(DIALOGUES, ADMIN, "admin", query_string={"status": "confirmed"}).json["items"] == []
    assert len(evaluation.get(DIALOGUES, ADMIN, "admin", query_string={"plan_id": plan_id}).json["items"]) == 2


def test_confirmed_follow_ups_show_on_the_next_periods_form_and_in_the_heads_count(evaluation):
    current = evaluation.period()
    previous = rules.previous_period(current)
    plan_id = _plan(evaluation, start=str(previous.start), end=str(current.end), year=previous.year)
    r = evaluation.post(f"/api/v1/periods/{previous.id}/open", ADMIN, "admin", json={})
    assert r.status_code == 200 and r.json["opened"] == 1
    if current.year != previous.year:  # the plan is of the previous year: open today's period for it too
        evaluation.post(f"/api/v1/periods/{current.id}/open", ADMIN, "admin", json={})
    [old] = evaluation.evaluations(nip=EMPLOYEE, period_id=previous.id)
    d = _record(
        evaluation,
        plan_id,
        stage="evaluation",
        evaluation_id=old["id"],
        held_on=str(previous.end),
        follow_ups="Ikut pelatihan analisis data",
    ).json
    assert d["period_id"] == previous.id
    colleague_plan = _plan(evaluation, COLLEAGUE, start=str(previous.start), end=str(current.end), year=previous.year)
    _record(evaluation, colleague_plan, who=COLLEAGUE, held_on=str(current.start))  # recorded, not confirmed
    # not confirmed yet: not on the form, not counted
    forms = evaluation.evaluations(nip=EMPLOYEE, period_id=current.id)
    if forms:
        assert evaluation.get(f"/api/v1/evaluations/{forms[0]['id']}").json["dialogue_follow_ups"] == []
    _confirm(evaluation, d["id"], RATER)
    [now_form] = evaluation.evaluations(nip=EMPLOYEE, period_id=current.id)
    shown = evaluation.get(f"/api/v1/evaluations/{now_form['id']}", RATER).json["dialogue_follow_ups"]
    assert [(s["dialogue_id"], s["follow_ups"], s["period_id"]) for s in shown] == [
        (d["id"], "Ikut pelatihan analisis data", previous.id)
    ]
    # its own period's form does not show it
    assert evaluation.get(f"/api/v1/evaluations/{old['id']}").json["dialogue_follow_ups"] == []
    # the head: in the previous period 1 of the unit's people held a dialogue (confirmed by both)
    board = evaluation.get("/api/v1/unit-performance/opd/dashboard", HEAD, query_string={"period_id": previous.id}).json
    people = board["employees"]
    assert board["dialogues"] == {
        "employees": people,
        "held": 1,
        "awaiting_confirmation": 0,
        "share": round(100 / people, 1),
    }
    board = evaluation.get("/api/v1/unit-performance/opd/dashboard", HEAD, query_string={"period_id": current.id}).json
    assert (board["dialogues"]["held"], board["dialogues"]["awaiting_confirmation"]) == (0, 1)


def test_a_retried_record_with_the_same_idempotency_key_records_once(evaluation):
    plan_id = _plan(evaluation)
    key = {"Idempotency-Key": "dialog-retry-1"}
    first = evaluation.post(DIALOGUES, EMPLOYEE, json=_body(plan_id), headers=key)
    again = evaluation.post(DIALOGUES, EMPLOYEE, json=_body(plan_id), headers=key)
    assert (first.status_code, again.status_code) == (201, 201) and first.json["id"] == again.json["id"]
    assert len(evaluation.get(DIALOGUES, EMPLOYEE).json["items"]) == 1
    assert len(evaluation.outbox("PerformanceDialogueRecorded")) == 1
