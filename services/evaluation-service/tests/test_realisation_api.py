"""The employee's realisation over HTTP, and the rater's per-result feedback with a draft.

Prefill from verified activities, draft, evidence (links, picks from verified activities' evidence,
uploads) with 4xx naming the field, submit (idempotent, locked, RealisationSubmitted valid against
its schema), return with a reason, who may do what, the rater's draft and the feedback the submit
then needs, and what the form says when the employee never submits. People as in conftest.py.
"""

from datetime import timedelta

import pytest

from kinerja_shared.deadlines import deadlines_from_env

EMPLOYEE, COLLEAGUE, RATER = "199001012015011001", "199202022016012005", "198001012005011002"
HEAD, ADMIN, OUTSIDER = "197001011995011003", "196501011990011004", "198505052010011006"
PDF = b"%PDF-1.4\n% bukti dukung\n" + b"0" * 64


@pytest.fixture
def evaluation(make_evaluation, tmp_path):
    return make_evaluation(EVALUATION_EVIDENCE_DIR=str(tmp_path / "evidence"))


def _open(evaluation):
    """The org, an approved plan for EMPLOYEE, two verified activities of r1 (one with evidence), one pending."""
    evaluation.org()
    plan = evaluation.ev.plan(EMPLOYEE)
    evaluation.apply(plan)
    [item] = evaluation.evaluations(nip=EMPLOYEE)
    plan_id, day = plan["data"]["plan_id"], evaluation.today
    with_evidence = evaluation.ev.activity(plan_id, day, activity_id="act-ev", quantity=3)
    with_evidence["data"]["evidence"] = [
        {"kind": "link", "url": "https://drive.example.go.id/notulen"},
        {"kind": "file", "file_id": "f" * 32, "name": "notulen.pdf", "sha256": "a" * 64},
    ]
    plain = evaluation.ev.activity(plan_id, day, activity_id="act-plain", quantity=2)
    pending = evaluation.ev.activity(plan_id, day, activity_id="act-pending", quantity=5)
    pending["data"]["evidence"] = [{"kind": "link", "url": "https://example.go.id/belum"}]
    evaluation.apply(
        with_evidence, plain, pending, evaluation.ev.verified(with_evidence), evaluation.ev.verified(plain)
    )
    return item


def _req(evaluation, method, url, who, *roles, json=None, headers=None, **kw):
    call = getattr(evaluation.client, method)
    return evaluation._checked(call(url, headers={**evaluation.as_(who, *roles), **(headers or {})}, json=json, **kw))


def _body(**r1):
    return {
        "results": [
            {
                "result_id": "r1",
                "realisation": "5 dokumen",
                "narrative": "Dokumen disusun bersama tim.",
                "evidence": [],
                **r1,
            }
        ]
    }


def test_prefill_draft_and_submit_publish_the_realisation(evaluation):
    item = _open(evaluation)
    url = f"/api/v1/evaluations/{item['id']}/realisation"

    r = _req(evaluation, "get", url, EMPLOYEE)
    assert r.status_code == 200 and r.headers["ETag"] == f'"realisation-{item["id"]}.0"'
    got = r.json
    assert (got["status"], got["version"], got["may_edit"], got["evaluation_status"]) == (
        "not_started",
        0,
        True,
        "open",
    )
    r1 = next(x for x in got["results"] if x["result_id"] == "r1")
    # prefilled from the verified activities only (3 + 2; the pending 5 does not count)
    assert r1["prefill"] == "Jumlah dokumen: 5 dokumen dari target 12 dokumen" and r1["realisation"] == r1["prefill"]
    assert r1["indicators"][0]["realised_to_date"] == 5
    # the picker offers the evidence of verified activities only
    assert [a["activity_id"] for a in got["activity_evidence"]] == ["act-ev"]
    assert {e["evidence_kind"] for e in got["activity_evidence"][0]["evidence"]} == {"link", "file"}
    deadlines = deadlines_from_env({})  # the defaults, national holidays included, as the service reads them
    period_end = evaluation.period().end
    assert got["deadlines"]["realisation"] == deadlines.realisation(period_end).isoformat()
    assert got["deadlines"]["evaluation"] == deadlines.evaluation(period_end).isoformat()

    # writes need If-Match
    assert _req(evaluation, "put", url, EMPLOYEE, json=_body()).status_code == 428
    etag = {"If-Match": r.headers["ETag"]}
    body = _body(
        evidence=[
            {"kind": "link", "url": "https://example.go.id/laporan", "name": "Laporan"},
            {"kind": "activity", "activity_id": "act-ev", "file_id": "f" * 32},
            {"kind": "activity", "activity_id": "act-ev", "url": "https://drive.example.go.id/notulen"},
        ]
    )
    r = _req(evaluation, "put", url, EMPLOYEE, json=body, headers=etag)
    assert r.status_code == 200, r.json
    assert (r.json["status"], r.json["version"]) == ("draft", 1)
    saved = next(x for x in r.json["results"] if x["result_id"] == "r1")
    assert saved["narrative"] == "Dokumen disusun bersama tim." and len(saved["evidence"]) == 3
    assert saved["evidence"][1]["download"] == f"/api/v1/activities/act-ev/evidence/{'f' * 32}"
    # r2 was not saved: still the prefill
    assert next(x for x in r.json["results"] if x["result_id"] == "r2")["narrative"] is None
    assert _req(evaluation, "put", url, EMPLOYEE, json=body, headers=etag).status_code == 412  # stale

    # submit: stale If-Match refused, then submitted and locked
    assert _req(evaluation, "post", url + "/submit", EMPLOYEE, headers=etag).status_code == 412
    r = _req(evaluation, "post", url + "/submit", EMPLOYEE, headers={"If-Match": r.headers["ETag"]})
    assert r.status_code == 200 and r.json["status"] == "submitted" and r.json["may_edit"] is False
    [event] = evaluation.outbox("RealisationSubmitted")  # valid against its schema (outbox() checks)
    data = event["data"]
    assert (data["evaluation_id"], data["nip"], data["rater_nip"], data["plan_id"]) == (
        item["id"],
        EMPLOYEE,
        RATER,
        item["plan_id"],
    )
    assert data["results"] == [
        {
            "result_id": "r1",
            "realisation": "5 dokumen",
            "narrative": "Dokumen disusun bersama tim.",
            "evidence_count": 3,
        }
    ]
    assert event["partitionkey"] == EMPLOYEE
    # idempotent: submitting again changes nothing and publishes nothing
    again = _req(evaluation, "post", url + "/submit", EMPLOYEE)
    assert again.status_code == 200 and again.json["version"] == r.json["version"]
    assert len(evaluation.outbox("RealisationSubmitted")) == 1
    # locked
    r = _req(evaluation, "put", url, EMPLOYEE, json=_body(), headers={"If-Match": "*"})
    assert r.status_code == 409
    audit = _req(evaluation, "get", "/api/v1/audit", ADMIN, "admin", query_string={"entity_id": item["id"]}).json[
        "items"
    ]
    assert {"realisation.saved", "realisation.submitted"} <= {a["action"] for a in audit}


def test_the_rater_returns_it_with_a_reason_and_the_employee_resubmits(evaluation):
    item = _open(evaluation)
    url = f"/api/v1/evaluations/{item['id']}/realisation"
    assert _req(evaluation, "post", url + "/submit", EMPLOYEE).status_code == 409  # nothing saved yet
    assert _req(evaluation, "put", url, EMPLOYEE, json=_body(), headers={"If-Match": "*"}).status_code == 200
    r = _req(evaluation, "post", url + "/return", RATER, json={"reason": "lengkapi bukti"})
    assert r.status_code == 409  # not submitted yet
    assert _req(evaluation, "post", url + "/submit", EMPLOYEE).status_code == 200
    assert _req(evaluation, "post", url + "/return", EMPLOYEE, json={"reason": "x"}).status_code == 403
    assert _req(evaluation, "post", url + "/return", HEAD, json={"reason": "x"}).status_code == 403
    r = _req(evaluation, "post", url + "/return", RATER, json={"reason": " "})
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "reason"
    assert _req(evaluation, "post", url + "/return", RATER, json={}).json["errors"][0]["field"] == "reason"
    r = _req(evaluation, "post", url + "/return", RATER, json={"reason": "Lengkapi bukti dukung notulen."})
    assert r.status_code == 200 and (r.json["status"], r.json["return_reason"]) == (
        "returned",
        "Lengkapi bukti dukung notulen.",
    )
    # the employee edits and submits again: a second event
    assert (
        _req(
            evaluation,
            "put",
            url,
            EMPLOYEE,
            json=_body(narrative="Dengan notulen."),
            headers={"If-Match": r.headers["ETag"]},
        ).status_code
        == 200
    )
    assert _req(evaluation, "post", url + "/submit", EMPLOYEE).status_code == 200
    assert len(evaluation.outbox("RealisationSubmitted")) == 2


@pytest.mark.parametrize(
    "evidence, field",
    [
        ({"kind": "link", "url": "javascript:alert(1)"}, "results.0.evidence.0.url"),
        ({"kind": "link", "url": "ftp://example.go.id/x"}, "results.0.evidence.0.url"),
        ({"kind": "link"}, "results.0.evidence.0.url"),
        (
            {"kind": "activity", "activity_id": "act-pending", "url": "https://example.go.id/belum"},
            "results.0.evidence.0.activity_id",
        ),  # not verified
        ({"kind": "activity", "activity_id": "nope", "file_id": "x"}, "results.0.evidence.0.activity_id"),
        ({"kind": "activity", "activity_id": "act-ev", "file_id": "other"}, "results.0.evidence.0.file_id"),
        ({"kind": "activity", "activity_id": "act-ev"}, "results.0.evidence.0.file_id"),
        ({"kind": "file", "file_id": "x"}, "results.0.evidence.0.kind"),
    ],
)
def test_bad_evidence_is_a_422_naming_the_field(evaluation, evidence, field):
    item = _open(evaluation)
    url = f"/api/v1/evaluations/{item['id']}/realisation"
    r = _req(evaluation, "put", url, EMPLOYEE, json=_body(evidence=[evidence]), headers={"If-Match": "*"})
    assert r.status_code == 422 and r.json["errors"][0]["field"] == field, r.json


def test_bounds_and_results_are_checked(evaluation):
    item = _open(evaluation)
    url = f"/api/v1/evaluations/{item['id']}/realisation"
    match = {"If-Match": "*"}
    r = _req(evaluation, "put", url, EMPLOYEE, json=_body(narrative="x" * 2001), headers=match)
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "results.0.narrative"
    r = _req(evaluation, "put", url, EMPLOYEE, json={"results": [{"result_id": "zzz"}]}, headers=match)
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "results.0.result_id"
    many = [{"kind": "link", "url": f"https://example.go.id/{i}"} for i in range(11)]
    r = _req(evaluation, "put", url, EMPLOYEE, json=_body(evidence=many), headers=match)
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "results.0.evidence"
    # Indonesian by default, naming the field
    r = _req(evaluation, "put", url, EMPLOYEE, json=_body(evidence=[{"kind": "link", "url": "nope"}]), headers=match)
    assert "http" in r.json["errors"][0]["message"]


def test_who_may_read_and_write_the_realisation(evaluation):
    item = _open(evaluation)
    url = f"/api/v1/evaluations/{item['id']}/realisation"
    for who, roles in ((EMPLOYEE, ()), (RATER, ()), (HEAD, ()), (ADMIN, ("admin",))):
        assert _req(evaluation, "get", url, who, *roles).status_code == 200
    for who, roles in ((COLLEAGUE, ()), (OUTSIDER, ("unit_head",))):
        assert _req(evaluation, "get", url, who, *roles).status_code == 404
    assert _req(evaluation, "get", url, RATER).json["may_edit"] is False
    for who, roles in ((RATER, ()), (HEAD, ()), (ADMIN, ("admin",))):
        assert _req(evaluation, "put", url, who, *roles, json=_body(), headers={"If-Match": "*"}).status_code == 403
    assert _req(evaluation, "put", url, COLLEAGUE, json=_body(), headers={"If-Match": "*"}).status_code == 404


def test_uploaded_evidence_is_kept_served_and_removed(evaluation):
    item = _open(evaluation)
    url = f"/api/v1/evaluations/{item['id']}/realisation"
    upload = url + "/results/r1/evidence"
    r = _req(
        evaluation,
        "post",
        upload,
        EMPLOYEE,
        data={"file": (__import__("io").BytesIO(b"MZ\x90\x00" * 20), "x.exe")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 415 and r.json["errors"][0]["field"] == "file"
    r = _req(
        evaluation,
        "post",
        url + "/results/zzz/evidence",
        EMPLOYEE,
        data={"file": (__import__("io").BytesIO(PDF), "bukti.pdf")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 404
    assert (
        _req(
            evaluation,
            "post",
            upload,
            RATER,
            data={"file": (__import__("io").BytesIO(PDF), "bukti.pdf")},
            content_type="multipart/form-data",
        ).status_code
        == 403
    )
    r = _req(
        evaluation,
        "post",
        upload,
        EMPLOYEE,
        data={"file": (__import__("io").BytesIO(PDF), "bukti.pdf")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 201, r.json
    file_id = r.json["file_id"]
    assert r.json["download"] == f"{url}/evidence/{file_id}" and r.json["content_type"] == "application/pdf"
    # a draft save keeps the file beside the links
    saved = _req(
        evaluation,
        "put",
        url,
        EMPLOYEE,
        json=_body(evidence=[{"kind": "link", "url": "https://example.go.id/a"}]),
        headers={"If-Match": r.headers["ETag"]},
    )
    r1 = next(x for x in saved.json["results"] if x["result_id"] == "r1")
    assert [e["kind"] for e in r1["evidence"]] == ["link", "file"]
    # the rater downloads it; a stranger cannot
    got = _req(evaluation, "get", f"{url}/evidence/{file_id}", RATER)
    assert got.status_code == 200 and got.data == PDF and got.headers["X-Evidence-SHA256"]
    assert _req(evaluation, "get", f"{url}/evidence/{file_id}", COLLEAGUE).status_code == 404
    # removal needs If-Match
    assert _req(evaluation, "delete", f"{url}/evidence/{file_id}", EMPLOYEE).status_code == 428
    r = _req(evaluation, "delete", f"{url}/evidence/{file_id}", EMPLOYEE, headers={"If-Match": saved.headers["ETag"]})
    assert r.status_code == 204
    assert _req(evaluation, "get", f"{url}/evidence/{file_id}", RATER).status_code == 404


def test_the_rater_drafts_feedback_per_result_and_the_submit_needs_it(evaluation):
    item = _open(evaluation)
    eurl = f"/api/v1/evaluations/{item['id']}"
    url = eurl + "/realisation"
    assert (
        _req(
            evaluation,
            "put",
            url,
            EMPLOYEE,
            json=_body(evidence=[{"kind": "link", "url": "https://example.go.id/a"}]),
            headers={"If-Match": "*"},
        ).status_code
        == 200
    )
    # the form shows the employee's realisation beside the system's figures, and says it is only a draft
    form = _req(evaluation, "get", eurl, RATER).json
    assert form["self_assessment"]["status"] == "draft" and form["self_assessment"]["feedback_required"] is False
    assert "belum menyampaikan" in form["self_assessment"]["note"]
    r1 = next(x for x in form["results"] if x["result_id"] == "r1")
    assert (
        r1["employee"]["narrative"] == "Dokumen disusun bersama tim." and r1["indicators"][0]["realised_in_period"] == 5
    )
    assert _req(evaluation, "post", url + "/submit", EMPLOYEE).status_code == 200
    form = _req(evaluation, "get", eurl, RATER)
    assert form.json["self_assessment"]["feedback_required"] is True

    # the draft: the rater only, with the evaluation's If-Match
    draft = {"results": [{"result_id": "r1", "feedback": "Bukti lengkap."}], "results_rating": "meets"}
    assert _req(evaluation, "put", eurl + "/draft", RATER, json=draft).status_code == 428
    assert _req(evaluation, "put", eurl + "/draft", EMPLOYEE, json=draft, headers={"If-Match": "*"}).status_code == 403
    r = _req(
        evaluation, "put", eurl + "/draft", RATER, json={"results": [{"result_id": "zzz"}]}, headers={"If-Match": "*"}
    )
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "results.0.result_id"
    r = _req(
        evaluation,
        "put",
        eurl + "/draft",
        RATER,
        json={"results": [{"result_id": "r1", "feedback": "x" * 5001}]},
        headers={"If-Match": "*"},
    )
    assert r.status_code == 422 and r.json["errors"][0]["field"].startswith("results.0.feedback")
    r = _req(evaluation, "put", eurl + "/draft", RATER, json=draft, headers={"If-Match": form.headers["ETag"]})
    assert r.status_code == 200 and r.json["status"] == "open" and r.json["form"]["draft"]["results_rating"] == "meets"
    shown = _req(evaluation, "get", eurl, RATER).json
    assert next(x for x in shown["results"] if x["result_id"] == "r1")["form"]["feedback"] == "Bukti lengkap."

    # submitting without feedback on the main result r1 is refused, naming it; with it, accepted
    r = _req(evaluation, "post", eurl + "/submit", RATER, json={"results_rating": "below", "behaviour_rating": "meets"})
    assert r.status_code == 422 and r.json["errors"][0]["field"] == "results" and "r1" in r.json["errors"][0]["message"]
    r = _req(
        evaluation,
        "post",
        eurl + "/submit",
        RATER,
        json={
            "results_rating": "below",
            "behaviour_rating": "meets",
            "results": [{"result_id": "r1", "feedback": "Bukti lengkap."}],
        },
    )
    assert r.status_code == 200, r.json
    # evaluated: the realisation and the draft are locked
    assert _req(evaluation, "post", url + "/return", RATER, json={"reason": "x"}).status_code == 409
    assert _req(evaluation, "put", eurl + "/draft", RATER, json=draft, headers={"If-Match": "*"}).status_code == 409


def test_an_employee_who_never_submits_does_not_block_the_rater(make_evaluation, tmp_path):
    # no working day allowed after the period: the employee's deadline is the period's last day
    evaluation = make_evaluation(KINERJA_REALISATION_DEADLINE_DAYS="0", EVALUATION_PERIOD_SCHEME="monthly")
    evaluation.org()
    last_month = evaluation.today.replace(day=1) - timedelta(days=1)
    plan = evaluation.ev.plan(EMPLOYEE)
    evaluation.apply(plan)
    period_id = f"{last_month:%Y-%m}"
    if last_month.year == evaluation.today.year:
        assert _req(evaluation, "post", f"/api/v1/periods/{period_id}/open", ADMIN, "admin", json={}).status_code == 200
        [item] = [e for e in evaluation.evaluations(nip=EMPLOYEE) if e["period"]["id"] == period_id]
    else:  # January: last month is in another year; today's period with its deadline in the future instead
        pytest.skip("needs a past period of this year")
    form = _req(evaluation, "get", f"/api/v1/evaluations/{item['id']}", RATER).json
    assert form["self_assessment"]["status"] == "not_started" and form["self_assessment"]["overdue"] is True
    assert "tidak menyampaikan realisasi sampai batas waktu" in form["self_assessment"]["note"]
    assert form["self_assessment"]["feedback_required"] is False
    r = _req(
        evaluation,
        "post",
        f"/api/v1/evaluations/{item['id']}/submit",
        RATER,
        json={"results_rating": "below", "behaviour_rating": "meets"},
    )
    assert r.status_code == 200, r.json
    # and the employee can no longer submit
    r = _req(
        evaluation,
        "put",
        f"/api/v1/evaluations/{item['id']}/realisation",
        EMPLOYEE,
        json=_body(),
        headers={"If-Match": "*"},
    )
    assert r.status_code == 409


def test_the_picker_follows_the_activities_latest_evidence(evaluation):
    item = _open(evaluation)
    url = f"/api/v1/evaluations/{item['id']}/realisation"
    plan_id = item["plan_id"]
    # act-plain gains a link in an update (version 2); act-ev loses its evidence; an older copy changes nothing
    gained = evaluation.ev.activity(
        plan_id,
        evaluation.today,
        activity_id="act-plain",
        quantity=2,
        event_type="ActivityUpdated",
        version=3,
        status="accepted",
    )
    gained["data"]["evidence"] = [{"kind": "link", "url": "https://example.go.id/baru"}]
    lost = evaluation.ev.activity(
        plan_id,
        evaluation.today,
        activity_id="act-ev",
        quantity=3,
        event_type="ActivityUpdated",
        version=3,
        status="accepted",
    )
    stale = evaluation.ev.activity(
        plan_id,
        evaluation.today,
        activity_id="act-plain",
        quantity=2,
        event_type="ActivityUpdated",
        version=2,
        status="accepted",
    )
    evaluation.apply(gained, lost, stale)
    picker = _req(evaluation, "get", url, EMPLOYEE).json["activity_evidence"]
    assert [(a["activity_id"], [e["url"] for e in a["evidence"]]) for a in picker] == [
        ("act-plain", ["https://example.go.id/baru"])
    ]
