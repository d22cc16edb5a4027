"""The unit dashboard's cache (use_cases/dashboard.py, migration 0008): keyed on the change stamps of the unit's
subtree, so a consumed event of the unit shows in the next view, one of another unit leaves this unit's answer
(and ETag) as it was, and a polling console gets 304 while nothing changed. PostgreSQL only (SQLite keeps no
stamps and computes the dashboard on every request)."""

import pytest

from evaluation_service.use_cases import dashboard

EMPLOYEE, COLLEAGUE, RATER = "199001012015011001", "199202022016012005", "198001012005011002"
HEAD, ADMIN, OUTSIDER = "197001011995011003", "196501011990011004", "198505052010011006"


@pytest.fixture
def world(evaluation):
    if evaluation.h.engine.dialect.name != "postgresql":
        pytest.skip("the change stamps are PostgreSQL triggers")
    evaluation.org()
    plans = [evaluation.ev.plan(nip) for nip in (EMPLOYEE, COLLEAGUE)]
    plans.append(evaluation.ev.plan(OUTSIDER, unit_id="other-opd", rater=None))
    evaluation.apply(*plans)
    evaluation.plan_of = {p["data"]["nip"]: p["data"]["plan_id"] for p in plans}
    return evaluation


def _dashboard(evaluation, unit="opd", who=HEAD, *roles, etag=None):
    headers = {**evaluation.as_(who, *roles), **({"If-None-Match": etag} if etag else {})}
    response = evaluation.client.get(f"/api/v1/unit-performance/{unit}/dashboard", headers=headers)
    assert response.status_code in (200, 304), response.get_data(as_text=True)
    return response


def _stamps(evaluation) -> dict:
    return {r["unit_id"]: r["version"] for r in evaluation.h.rows("SELECT unit_id, version FROM unit_versions")}


def test_an_event_of_the_unit_shows_in_the_next_view_and_changes_the_etag(world):
    first = _dashboard(world)
    etag = first.headers["ETag"]
    again = _dashboard(world, etag=etag)
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag

    world.apply(world.ev.activity(world.plan_of[EMPLOYEE], world.today, quantity=2))  # opd-b1, under opd
    after = _dashboard(world, etag=etag)
    assert after.status_code == 200 and after.headers["ETag"] != etag
    before, now = first.json, after.json
    assert (before["realisation"]["pending_verification"], now["realisation"]["pending_verification"]) == (0, 1)
    assert (before["activity_compliance"]["employees_logging"], now["activity_compliance"]["employees_logging"]) == (
        0,
        1,
    )
    # the sub-unit's own dashboard shows it too
    assert _dashboard(world, "opd-b1", RATER).json["realisation"]["pending_verification"] == 1


def test_an_event_of_another_unit_leaves_this_units_answer_and_stamps(world):
    opd, other = _dashboard(world), _dashboard(world, "other-opd", OUTSIDER)
    stamps = _stamps(world)

    world.apply(world.ev.activity(world.plan_of[OUTSIDER], world.today, nip=OUTSIDER))
    changed = {u for u, v in _stamps(world).items() if stamps.get(u) != v}
    assert changed == {"other-opd"}
    assert _dashboard(world, etag=opd.headers["ETag"]).status_code == 304
    theirs = _dashboard(world, "other-opd", OUTSIDER, etag=other.headers["ETag"])
    assert theirs.status_code == 200 and theirs.json["realisation"]["pending_verification"] == 1


def test_the_cached_answer_is_the_computed_one_byte_for_byte(world):
    world.apply(world.ev.activity(world.plan_of[COLLEAGUE], world.today, nip=COLLEAGUE, quantity=3))
    dashboard._ANSWERS.clear()
    computed = _dashboard(world)
    cached = _dashboard(world)
    assert len(dashboard._ANSWERS) >= 1 and cached.data == computed.data


def test_each_caller_gets_their_own_predicate_authority(world):
    head, admin = _dashboard(world).json, _dashboard(world, "opd", ADMIN, "admin").json
    assert head["predicates"]["predicate_authority"]["may_set"] is False
    assert admin["predicates"]["predicate_authority"]["may_set"] is True
    del head["predicates"]["predicate_authority"], admin["predicates"]["predicate_authority"]
    assert head == admin


def test_an_employee_moving_out_of_the_subtree_changes_both_units_answers(world):
    third = "199303032017011007"  # no plan: counted where the directory puts them
    world.apply(world.ev.employee(third))
    opd, other = _dashboard(world).json, _dashboard(world, "other-opd", OUTSIDER).json
    world.apply(world.ev.employee(third, unit_id="other-opd", unit_path=["other-opd"], rater=OUTSIDER))
    assert _dashboard(world).json["employees"] == opd["employees"] - 1
    assert _dashboard(world, "other-opd", OUTSIDER).json["employees"] == other["employees"] + 1
