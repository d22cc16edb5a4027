"""Issue 16 over HTTP: authority comes from the directory only (definitive heads and acting heads, Plt./Plh.),
never from a token's claims; a unit's organisational predicate is set from above, with its basis.

The org (conftest)::

    opd (head: HEAD)
    └── opd-b1 (head: RATER)      EMPLOYEE and COLLEAGUE are rated by RATER
    other-opd (head: OUTSIDER)
"""

from datetime import timedelta

import pytest

from kinerja_shared.testing.plugin import plain_client

EMPLOYEE, COLLEAGUE, RATER = "199001012015011001", "199202022016012005", "198001012005011002"
HEAD, ADMIN, OUTSIDER = "197001011995011003", "196501011990011004", "198505052010011006"
ACTING = "198808082012011008"  # an employee of opd-b1 made Plt. of opd
CLAIMANT = "197707072000011099"  # an employee whom the directory makes head of nothing
BASIS = "Laporan kinerja unit triwulan ini"
UNIT_VIEWS = ("distribution", "dashboard", "export")


def _setup(evaluation):
    evaluation.org()
    evaluation.apply(
        evaluation.ev.employee(ACTING),
        evaluation.ev.employee(CLAIMANT, unit_id="other-opd", unit_path=["other-opd"], rater=OUTSIDER),
    )
    evaluation.apply(evaluation.ev.plan(EMPLOYEE))
    [item] = evaluation.evaluations(nip=EMPLOYEE)
    return item


def _unit_codes(evaluation, who, unit, *roles, token_unit=None):
    period = evaluation.period().id
    headers = evaluation.h.token(who, *(roles or ("employee",)), unit=token_unit)
    codes = {}
    for view in UNIT_VIEWS:
        r = evaluation.client.get(
            f"/api/v1/unit-performance/{unit}/{view}", query_string={"period_id": period}, headers=headers
        )
        codes[view] = r.status_code
    r = evaluation.client.post(f"/api/v1/unit-performance/{unit}/calibrations/{period}", json={}, headers=headers)
    codes["calibration"] = r.status_code
    return codes


def _put_predicate(evaluation, unit, who, *roles, predicate="BAIK", **extra):
    period = evaluation.period().id
    return evaluation.put(
        f"/api/v1/unit-performance/{unit}/predicates/{period}",
        who,
        *roles,
        json={"predicate": predicate, "basis": BASIS, **extra},
    )


# -- a token's claims never make a head ---------------------------------------------------------------


def test_a_token_claiming_a_headship_the_directory_does_not_give_is_refused_everywhere(evaluation):
    item = _setup(evaluation)
    claim = evaluation.h.token(CLAIMANT, "unit_head", "supervisor", unit="opd")
    period = evaluation.period().id
    for view in UNIT_VIEWS:
        r = evaluation.client.get(
            f"/api/v1/unit-performance/opd/{view}", query_string={"period_id": period}, headers=claim
        )
        assert r.status_code == 403, view
    assert (
        evaluation.client.post(
            f"/api/v1/unit-performance/opd/calibrations/{period}", json={}, headers=claim
        ).status_code
        == 403
    )
    assert (
        evaluation.client.put(
            f"/api/v1/unit-performance/opd-b1/predicates/{period}",
            headers=claim,
            json={"predicate": "BAIK", "basis": BASIS},
        ).status_code
        == 403
    )
    assert evaluation.client.get(f"/api/v1/evaluations/{item['id']}", headers=claim).status_code == 404
    listed = evaluation.client.get("/api/v1/evaluations", query_string={"nip": EMPLOYEE}, headers=claim)
    assert listed.status_code == 200 and listed.json["items"] == []
    year = evaluation.today.year
    periods = evaluation.client.get("/api/v1/periods", query_string={"year": year}, headers=claim).json
    assert sum(p["open"] for p in periods["periods"]) == 0
    assert (
        evaluation.client.get(
            "/api/v1/evaluations/credit-points", query_string={"nip": EMPLOYEE, "year": year}, headers=claim
        ).status_code
        == 403
    )
    # the same person as the directory's head of opd is let in: the directory decides
    evaluation.apply(evaluation.ev.employee(CLAIMANT, unit_id="opd", unit_path=["opd"], rater=None, is_head=True))
    r = evaluation.client.get(
        "/api/v1/unit-performance/opd/distribution",
        query_string={"period_id": period},
        headers=evaluation.as_(CLAIMANT),
    )
    assert r.status_code == 200


def test_a_head_moved_away_keeps_no_rights_though_the_token_still_says_unit_head(evaluation):
    _setup(evaluation)
    stale = ("unit_head",)
    assert set(_unit_codes(evaluation, HEAD, "opd", *stale, token_unit="opd").values()) <= {200, 409}
    # mutasi: HEAD moves to other-opd as a plain employee; the IdP has not caught up
    evaluation.apply(evaluation.ev.employee(HEAD, unit_id="other-opd", unit_path=["other-opd"], rater=OUTSIDER))
    assert set(_unit_codes(evaluation, HEAD, "opd", *stale, token_unit="opd").values()) == {403}
    assert _put_predicate(evaluation, "opd-b1", HEAD, *stale).status_code == 403


# -- acting heads (Plt./Plh.) ---------------------------------------------------------------------------


def test_an_acting_head_has_the_heads_rights_during_the_span_only(evaluation):
    _setup(evaluation)
    today = evaluation.today
    assert set(_unit_codes(evaluation, ACTING, "opd").values()) == {403}
    # Plt. of opd until today (both ends included): the head's rights in opd and below, with a plain token
    evaluation.apply(evaluation.ev.acting_head(ACTING, "opd", today - timedelta(days=10), today))
    codes = _unit_codes(evaluation, ACTING, "opd")
    assert codes == {"distribution": 200, "dashboard": 200, "export": 200, "calibration": 409}  # 409: no predicate yet
    assert _unit_codes(evaluation, ACTING, "opd-b1")["distribution"] == 200
    [item] = evaluation.evaluations(nip=EMPLOYEE)
    assert evaluation.get(f"/api/v1/evaluations/{item['id']}", ACTING).status_code == 200
    # the span ended yesterday (plan-service shortened it, version 2): the day after the span, no rights
    evaluation.apply(
        evaluation.ev.acting_head(ACTING, "opd", today - timedelta(days=10), today - timedelta(days=1), version=2)
    )
    assert set(_unit_codes(evaluation, ACTING, "opd").values()) == {403}
    assert evaluation.get(f"/api/v1/evaluations/{item['id']}", ACTING).status_code == 404
    # a late copy of version 1 changes nothing (the latest version wins)
    evaluation.apply(evaluation.ev.acting_head(ACTING, "opd", today - timedelta(days=10), today))
    assert set(_unit_codes(evaluation, ACTING, "opd").values()) == {403}


@pytest.mark.parametrize(
    "start, end, status, allowed",
    [
        (0, 0, "active", True),  # a one-day span: today
        (0, None, "active", True),  # open-ended from today
        (1, None, "active", False),  # starts tomorrow
        (-5, -1, "active", False),  # ended yesterday
        (-5, None, "revoked", False),  # revoked
    ],
)
def test_the_edges_of_an_acting_heads_span(evaluation, start, end, status, allowed):
    _setup(evaluation)
    today = evaluation.today
    evaluation.apply(
        evaluation.ev.acting_head(
            ACTING,
            "opd",
            today + timedelta(days=start),
            today + timedelta(days=end) if end is not None else None,
            status=status,
            kind="plh",
        )
    )
    assert _unit_codes(evaluation, ACTING, "opd")["distribution"] == (200 if allowed else 403)
    assert _put_predicate(evaluation, "opd-b1", ACTING).status_code == (200 if allowed else 403)


# -- the organisational predicate is set from above ---------------------------------------------------------


def test_the_own_head_is_refused_the_parent_head_and_acting_parent_head_allowed(evaluation):
    _setup(evaluation)
    today = evaluation.today
    own = _put_predicate(evaluation, "opd-b1", RATER)
    assert own.status_code == 403 and own.json["rule"] == "parent_head" and own.json["parent_unit_id"] == "opd"
    assert own.json["set_by"] == [HEAD]
    assert own.json["detail"] == (
        "The head of unit opd-b1 may not set its own organisational predicate (it becomes "
        "their own results rating); it is set by the head or acting head of unit opd, "
        "the unit above it."
    )
    indonesian = plain_client(evaluation.h.app).put(
        f"/api/v1/unit-performance/opd-b1/predicates/{evaluation.period().id}",
        json={"predicate": "BAIK", "basis": BASIS},
        headers=evaluation.as_(RATER),
    )
    assert indonesian.status_code == 403 and indonesian.json["detail"] == (
        "Kepala unit opd-b1 tidak boleh menetapkan predikat organisasi unitnya sendiri (predikat itu menjadi penilaian "
        "hasil kerjanya sendiri); predikat ditetapkan oleh kepala atau Plt./Plh. kepala unit opd, unit di atasnya."
    )
    assert indonesian.json["title"] == "Bukan pejabat yang berwenang atas predikat unit"
    # an admin does not replace the parent unit's head for a sub-unit; neither does another unit's head
    assert _put_predicate(evaluation, "opd-b1", ADMIN, "admin").status_code == 403
    assert _put_predicate(evaluation, "opd-b1", OUTSIDER, "unit_head").status_code == 403
    # the head of opd, the unit above, sets it with its basis and document; audited and published
    r = _put_predicate(evaluation, "opd-b1", HEAD, document_number="800/12/DINKES/2026")
    assert r.status_code == 200, r.json
    assert (r.json["authority"], r.json["basis"], r.json["document_number"]) == (
        "parent_head",
        BASIS,
        "800/12/DINKES/2026",
    )
    [event] = evaluation.outbox("UnitPredicateSet")
    assert (
        event["data"]["set_by"],
        event["data"]["basis"],
        event["data"]["document_number"],
        event["data"]["authority"],
    ) == (HEAD, BASIS, "800/12/DINKES/2026", "parent_head")
    audit = evaluation.get(
        "/api/v1/audit", ADMIN, "admin", query_string={"entity_type": "unit", "entity_id": "opd-b1"}
    ).json
    [entry] = [a for a in audit["items"] if a["action"] == "unit_predicate.set"]
    assert entry["reason"] == BASIS and entry["after"]["document_number"] == "800/12/DINKES/2026"
    # an acting head of opd (Plt.) may too
    evaluation.apply(evaluation.ev.acting_head(ACTING, "opd", today, today))
    r = _put_predicate(evaluation, "opd-b1", ACTING, predicate="ISTIMEWA")
    assert r.status_code == 200 and r.json["authority"] == "acting_parent_head"
    # an acting head of opd-b1 itself may not: they are the unit's own head while acting
    evaluation.apply(evaluation.ev.acting_head(COLLEAGUE, "opd-b1", today, today, assignment_id="a-2"))
    assert _put_predicate(evaluation, "opd-b1", COLLEAGUE).status_code == 403


def test_a_top_level_units_predicate_is_set_by_an_admin_for_the_ppk(evaluation):
    _setup(evaluation)
    r = _put_predicate(evaluation, "opd", HEAD, "unit_head")
    assert r.status_code == 403 and r.json["rule"] == "ppk_admin"
    assert "PPK" in r.json["detail"]
    r = _put_predicate(evaluation, "opd", ADMIN, "admin")
    assert r.status_code == 200 and r.json["authority"] == "ppk_admin"


def test_the_basis_is_required_and_bounded(evaluation):
    _setup(evaluation)
    period = evaluation.period().id
    url = f"/api/v1/unit-performance/opd-b1/predicates/{period}"
    for body in (
        {"predicate": "BAIK"},
        {"predicate": "BAIK", "basis": "   "},
        {"predicate": "BAIK", "basis": "x" * 2001},
        {"predicate": "BAIK", "basis": BASIS, "document_number": "n" * 201},
    ):
        r = evaluation.put(url, HEAD, json=body)
        assert r.status_code == 422 and r.json["errors"][0]["field"] in ("basis", "document_number"), (body, r.json)


def test_the_distribution_says_who_may_set_the_predicate_and_why_the_caller_cannot(evaluation):
    _setup(evaluation)
    period = evaluation.period().id
    mine = evaluation.get(
        "/api/v1/unit-performance/opd-b1/distribution", RATER, query_string={"period_id": period}
    ).json
    authority = mine["predicate_authority"]
    assert (authority["rule"], authority["parent_unit_id"], authority["may_set"]) == ("parent_head", "opd", False)
    assert [h["nip"] for h in authority["set_by"]] == [HEAD]
    assert authority["reason"].startswith("The head of unit opd-b1 may not set its own organisational predicate")
    indonesian = (
        plain_client(evaluation.h.app)
        .get(
            "/api/v1/unit-performance/opd-b1/distribution",
            query_string={"period_id": period},
            headers=evaluation.as_(RATER),
        )
        .json
    )
    assert indonesian["predicate_authority"]["reason"].startswith("Kepala unit opd-b1 tidak boleh")
    above = evaluation.get(
        "/api/v1/unit-performance/opd-b1/distribution", HEAD, query_string={"period_id": period}
    ).json
    assert above["predicate_authority"]["may_set"] is True and above["predicate_authority"]["reason"] is None


# -- the distribution's rounding policy ---------------------------------------------------------------------


@pytest.mark.parametrize("policy, limit, ok", [("literal", 1, False), ("nearest", 0, True)])
def test_the_distribution_names_its_policy_and_each_bound_in_people(make_evaluation, policy, limit, ok):
    """A unit of 3 rated Sangat Kurang: "Kurang plus Butuh Perbaikan at least 10 %" is 0.3 of a person:
    literally one person is needed; to the nearest person nobody."""
    evaluation = make_evaluation(**({"EVALUATION_DISTRIBUTION_ROUNDING": policy} if policy == "nearest" else {}))
    evaluation.org()
    third = "199303032017011007"
    evaluation.apply(evaluation.ev.employee(third))
    evaluation.apply(*[evaluation.ev.plan(nip) for nip in (EMPLOYEE, COLLEAGUE, third)])
    for item in evaluation.evaluations():
        r = evaluation.post(
            f"/api/v1/evaluations/{item['id']}/submit",
            json={"results_rating": "below", "behaviour_rating": "below", "rating_note": "bukti"},
        )
        assert r.status_code == 200, r.json
    assert _put_predicate(evaluation, "opd-b1", HEAD, predicate="SANGAT_KURANG").status_code == 200
    dist = evaluation.get(
        "/api/v1/unit-performance/opd-b1/distribution", HEAD, query_string={"period_id": evaluation.period().id}
    ).json
    assert dist["rounding_policy"] == policy
    [rule] = [r for r in dist["rules"] if r["code"] == "SANGAT_KURANG.min_kurang_plus_butuh_perbaikan"]
    assert (rule["limit"], rule["exact"], rule["ok"]) == (limit, 0.3, ok)
    assert rule["message"].endswith(f"required at least {limit}")
    assert dist["rounding"].startswith("Literal" if policy == "literal" else "Nearest person")
    indonesian = (
        plain_client(evaluation.h.app)
        .get(
            "/api/v1/unit-performance/opd-b1/distribution",
            query_string={"period_id": evaluation.period().id},
            headers=evaluation.as_(HEAD),
        )
        .json
    )
    assert indonesian["rounding"].startswith("Harfiah" if policy == "literal" else "Orang terdekat")
    periods = evaluation.get("/api/v1/periods", EMPLOYEE, query_string={"year": evaluation.today.year}).json
    assert periods["distribution_rounding"] == policy and periods["distribution_rounding_text"] == dist["rounding"]
    [rule] = [r for r in indonesian["rules"] if r["code"] == "SANGAT_KURANG.min_kurang_plus_butuh_perbaikan"]
    assert rule["message"].endswith(f"paling sedikit harus {limit}")
