"""Browser tests of the rater's and the unit head's screens, through the UI only (headless Chromium
driven by web/tests/*.mjs), against the real services; the resulting state is checked through the
services' APIs here. Screenshots: rater-inbox, evaluation-form, head-dashboard, calibration."""

from kinerja_shared.testing import wait_for


def test_the_rater_verifies_the_activity_and_closes_an_evaluation(web_system):
    seen = web_system.run_script("rater_verifies_and_closes.mjs")

    accepted = web_system.api("GET", f"/api/v1/activities/{seen['accepted']}", "rater").json()
    rejected = web_system.api("GET", f"/api/v1/activities/{seen['rejected']}", "rater").json()
    assert accepted["status"] == "accepted" and accepted["verified_by"] == web_system.users["rater"]["nip"]
    assert rejected["status"] == "rejected"
    assert rejected["verification_reason"] == "Bukti dukung tidak menunjukkan laporan yang dimaksud"

    evaluation = web_system.api("GET", f"/api/v1/evaluations/{seen['evaluationId']}", "employee").json()
    assert evaluation["nip"] == web_system.users["employee"]["nip"]
    assert evaluation["status"] == "closed"
    assert (evaluation["results_rating"], evaluation["behaviour_rating"]) == (seen["results"], "above")
    assert evaluation["predicate"] == seen["predicate"], "the console showed the predicate the service stored"
    assert evaluation["suggested_rating"] == seen["suggested"]
    form = {r["result_id"]: r for r in evaluation["form"]["results"]}
    assert seen["realisation"] in [r["realisation"] for r in form.values()], "the prefilled realisation was submitted"
    # The entry accepted in the browser counts in the realisation the employee sees.
    realised = [a for a in evaluation["activities"] if a["id"] == seen["accepted"]]
    assert realised and realised[0]["status"] == "accepted"


def test_the_unit_head_sees_the_dashboard_change_and_calibrates(web_system):
    seen = web_system.run_script("head_dashboard_calibrates.mjs")
    head = web_system.users["unit_head"]["nip"]

    for activity_id in seen["accepted"]:
        assert web_system.api("GET", f"/api/v1/activities/{activity_id}", "rater").json()["status"] == "accepted"
    assert seen["blocked"], "the broken rules were shown before finalising"

    path = f"/api/v1/unit-performance/{seen['unit']}/distribution?period_id={seen['period']}"
    dist = web_system.api("GET", path, "unit_head").json()
    assert dist["organisational_predicate"] == "ISTIMEWA" and dist["ok"] and dist["pending"] == 0
    assert dist["calibration"] is not None and dist["calibration"]["finalised_by"] == head
    assert dist["calibration"]["override_reason"] is None
    assert dist["calibration"]["distribution"] == dist["counts"]

    # The refused attempt under Butuh Perbaikan left no calibration behind it; the audit has the final one.
    audit = wait_for(
        lambda: web_system.api(
            "GET", f"/svc/evaluation-service/api/v1/audit?entity_type=unit&entity_id={seen['unit']}", "admin"
        ).json()["items"],
        message="the audit of the unit",
    )
    actions = [a["action"] for a in audit]
    assert actions.count("calibration.finalise") == 1 and "unit_predicate.set" in actions
    # Issue 16: set from above (the head of dinkes for dinkes-yankes), with its basis; the screen said so and
    # named the policy.
    assert "unit induknya, dinkes" in seen["authority"] and seen["policy"] == "literal"
    [predicate] = [a for a in audit if a["action"] == "unit_predicate.set" and a["after"]["predicate"] == "ISTIMEWA"]
    assert (predicate["actor"], predicate["after"]["basis"], predicate["after"]["document_number"]) == (
        head,
        "Hasil evaluasi kinerja unit: target utama tercapai",
        "800/45/DINKES/2026",
    )


NEW_NIP = "199501012020122001"


def test_the_admin_checks_a_directory_import_before_importing_it(web_system):
    assert web_system.api("GET", f"/api/v1/employees/{NEW_NIP}", "admin").status_code == 404
    seen = web_system.run_script("admin_import.mjs", NEW_NIP=NEW_NIP)

    assert seen["errorLines"] == ["3"], "only the bad row, by its line in the file"
    person = web_system.api("GET", f"/api/v1/employees/{NEW_NIP}", "admin").json()
    assert (person["name"], person["unit_id"], person["rater_nip"]) == (
        "Rahma Lubis",
        "dinkes-yankes",
        web_system.users["rater"]["nip"],
    )
    # The bad row's NIP was never written: nothing of a refused file is imported.
    assert web_system.api("GET", "/api/v1/employees/12345", "admin").status_code in (404, 422)
    # The DLQ screen read every service's dead-letter status through the gateway: nothing waits.
    assert seen["waiting"] == [0, 0, 0, 0]
    # The acting head assigned on the screen, then revoked with If-Match: the row stays, revoked, version 2.
    assert seen["acting"]["actingToday"] == "true" and seen["acting"]["after"] == "revoked"
    items = web_system.api("GET", "/api/v1/units/dinkes-yankes/acting-heads", "admin").json()["items"]
    assert [
        (a["nip"], a["kind"], a["valid_from"], a["valid_to"], a["decree_number"], a["status"], a["version"])
        for a in items
    ] == [(NEW_NIP, "plh", seen["acting"]["today"], seen["acting"]["until"], "800/77/BKPSDM/2026", "revoked", 2)]


def test_the_help_screens_say_what_the_evaluation_service_decides(web_system):
    from evaluation_service import domain

    seen = web_system.run_script("help_matrix.mjs")
    assert seen["matrix"] == {f"{r}/{b}": domain.predicate_for(r, b) for r in domain.RATINGS for b in domain.RATINGS}
    # The calculator's bounds are the service's under the deployment's policy (literal by default), named on the screen.
    policy = seen["policy"]
    assert policy == "literal" and "Harfiah" in seen["policyText"]
    assert f"Baik: paling banyak {domain.max_allowed(70, 5, policy)} orang" in seen["bounds"]["BAIK/5"][0]
    assert f"Sangat Baik: paling banyak {domain.max_allowed(70, 3, policy)} orang" in seen["bounds"]["ISTIMEWA/3"][0]
    kurang = seen["bounds"]["KURANG/5"]
    assert f"Kurang/Misconduct: paling sedikit {domain.min_required(60, 5, policy)} orang" in kurang[0]
    assert f"Butuh Perbaikan: paling sedikit {domain.min_required(10, 5, policy)} orang" in kurang[1]
    assert (
        f"Sangat Baik: paling banyak {domain.max_allowed(10, 6, policy)} orang"
        in seen["bounds"]["BUTUH_PERBAIKAN/6"][1]
    )


def test_the_admin_sees_the_periods_and_manages_a_webhook(web_system):
    hook = "https://tpp.binjaikota.go.id/kinerja/events"
    seen = web_system.run_script(
        "admin_periods_webhooks.mjs", HOOK_URL=hook, DELETED_HOOK_URL="https://bkn.binjaikota.go.id/kinerja/lama"
    )

    first = seen["periods"][0][0]
    actual = web_system.api("GET", f"/api/v1/periods?year={first[:4]}", "admin").json()
    assert seen["periods"] == [[p["id"], p["open"], p["submitted"], p["closed"]] for p in actual["periods"]]
    assert seen["schemeFixed"] == actual["scheme_fixed"]

    webhook = web_system.api("GET", f"/api/v1/webhooks/{seen['id']}", "admin").json()
    assert webhook["url"] == hook and webhook["status"] == "disabled"
    assert sorted(webhook["event_types"]) == ["CalibrationFinalised", "EvaluationClosed"]
    assert webhook["secret_hint"].endswith(seen["secretHint"]) and webhook["description"] == "TPP Kota Binjai (uji)"
    assert (
        web_system.api("GET", f"/api/v1/webhooks/{seen['deletedId']}", "admin").status_code == 404
    )  # deleted, with If-Match


def test_a_refusal_shows_its_field_in_indonesian_and_the_correlation_id_to_quote(web_system):
    seen = web_system.run_script("problem_box_correlation.mjs")
    assert seen["status"] == 422 and seen["contentLanguage"] == "id"
    assert seen["header"] and seen["shown"] == seen["header"], seen
    assert "ID korelasi" in seen["boxText"] and seen["userSelect"] == "all"
    assert "Unit kerja" in seen["field"] and "Panjangnya harus antara 1 dan 64" in seen["field"], seen["field"]
    assert seen["faviconStatus"] == 200 and seen["faviconType"].startswith("image/")
    assert seen["icons"] and all(status == 200 for _, status in seen["icons"]), seen["icons"]


def test_the_employee_records_a_dialogue_and_the_rater_confirms_it(web_system):
    """The performance dialogue (dialog kinerja): recorded by the employee from the plan, confirmed by the rater from
    the evaluation form, shown confirmed to both; the rater heard that it awaited their confirmation."""
    seen = web_system.run_script("dialogue_recorded_confirmed.mjs")
    users = web_system.users
    dialogue = web_system.api("GET", f"/api/v1/dialogues/{seen['dialogueId']}", "unit_head").json()
    assert (dialogue["status"], dialogue["stage"], dialogue["topics"]) == ("confirmed", "planning", seen["topics"])
    assert (dialogue["nip"], dialogue["rater_nip"], dialogue["recorded_by"]) == (
        users["employee"]["nip"],
        users["rater"]["nip"],
        users["employee"]["nip"],
    )
    assert dialogue["follow_ups"] == "Ikut pelatihan pelayanan prima bulan depan"
    assert dialogue["confirmed_by_employee_at"] and dialogue["confirmed_by_rater_at"]

    def told():
        items = web_system.api(
            "GET", "/api/v1/notifications", "rater", params={"category": "dialogue_awaiting_confirmation"}
        ).json()["items"]
        return [i for i in items if seen["dialogueId"] in (i.get("link") or "")]

    [item] = wait_for(told, 60, message="the rater's notification")
    assert item["title"] == "Dialog kinerja menunggu konfirmasi Anda"
