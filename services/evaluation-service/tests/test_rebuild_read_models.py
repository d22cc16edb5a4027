"""`evaluation-service rebuild-read-models`: the read models rebuilt from the topics (issue 14).

A read-model row poisoned in the database (an absurd quantity, a lost employee, a wrong plan
revision) is repaired by re-reading the topics from the beginning into emptied read-model
tables, in one transaction, while the worker runs: afterwards every read-model table matches
what the events say, the service's own data (evaluations) is untouched, and events the worker
had not applied yet are left to it (applied once, after the rebuild).
"""

from click.testing import CliRunner
from sqlalchemy import text

from evaluation_service.cli import cli
from kinerja_shared.testing import wait_for

EMPLOYEE, RATER, HEAD = "199001012015011001", "198001012005011002", "197001011995011003"
PLAN_TOPIC, ACTIVITY_TOPIC = "kinerja.plan.events", "kinerja.activity.events"
READ_MODELS = {
    "units": "id",
    "unit_ancestors": "ancestor_id, unit_id",  # the units' closure: refilled with them
    "employees": "nip",
    "plans": "id",
    "activities": "id",
}


def snapshot(h) -> dict:
    """Every read-model row, without its bookkeeping time."""
    return {
        table: [
            {k: v for k, v in row.items() if k != "updated_at"}
            for row in h.rows(f"SELECT * FROM {table} ORDER BY {key}")
        ]
        for table, key in READ_MODELS.items()
    }


def processed(h, event) -> bool:
    return h.scalar("SELECT count(*) FROM processed_events WHERE event_id = :i", i=event["id"]) == 1


def test_a_poisoned_read_model_is_rebuilt_from_the_topics(evaluation, kafka_tools):
    ev, h = evaluation.ev, evaluation.h
    h.start_worker()
    plan = ev.plan(EMPLOYEE)
    plan_id = plan["data"]["plan_id"]
    kept = ev.activity(plan_id, evaluation.today, quantity=3)
    poisoned = ev.activity(plan_id, evaluation.today, quantity=90)
    verified = ev.verified(poisoned)
    verified["data"]["version"] = 2
    events = [
        (PLAN_TOPIC, e)
        for e in (
            ev.employee(HEAD, unit_id="opd", unit_path=["opd"], rater=None, is_head=True),
            ev.employee(RATER, rater=HEAD, is_head=True),
            ev.employee(EMPLOYEE),
            plan,
        )
    ]
    events += [
        (ACTIVITY_TOPIC, e)
        for e in (kept, ev.verified(kept), poisoned, verified, ev.corrected(poisoned, version=3, quantity=9))
    ]
    for topic, event in events:
        kafka_tools.produce(topic, event, key=event["partitionkey"])
    wait_for(lambda: all(processed(h, e) for _, e in events), timeout=90, message="every event applied")
    source = snapshot(h)
    evaluations = h.rows("SELECT id, plan_id, period_id, status, version FROM evaluations ORDER BY id")
    assert len(evaluations) == 1
    aid = poisoned["data"]["activity_id"]

    # poison the read models behind the service's back
    with h.engine.begin() as conn:
        conn.execute(text("UPDATE activities SET quantity = 1e308, status = 'accepted' WHERE id = :i"), {"i": aid})
        conn.execute(text("DELETE FROM employees WHERE nip = :n"), {"n": RATER})
        conn.execute(text("UPDATE plans SET revision = 99"))
        conn.execute(text("DELETE FROM unit_ancestors WHERE ancestor_id = 'opd'"))
        conn.execute(
            text(
                "INSERT INTO units (id, name, path, head_nip, updated_at) "
                "VALUES ('ghost', 'Ghost', '[\"ghost\"]', NULL, now())"
            )
        )
    assert snapshot(h) != source

    output = h.run_cli("rebuild-read-models")  # with the worker running
    assert snapshot(h) == source
    assert h.rows("SELECT id, plan_id, period_id, status, version FROM evaluations ORDER BY id") == evaluations
    assert "kinerja.plan.events" in output and "kinerja.activity.events" in output
    assert "units, employees, acting_heads, plans, activities" in output and "9 events applied" in output

    # the worker goes on: a later event takes effect once
    later = ev.corrected(poisoned, version=4, quantity=8)
    kafka_tools.produce(ACTIVITY_TOPIC, later, key=EMPLOYEE)
    wait_for(lambda: processed(h, later), timeout=60, message="the event after the rebuild")
    assert h.rows("SELECT quantity, version FROM activities WHERE id = :i", i=aid) == [{"quantity": 8.0, "version": 4}]


def test_events_the_worker_has_not_applied_are_left_to_it(evaluation, kafka_tools):
    ev, h = evaluation.ev, evaluation.h
    h.start_worker()
    employee = ev.employee(EMPLOYEE)
    kafka_tools.produce(PLAN_TOPIC, employee, key=EMPLOYEE)
    wait_for(lambda: processed(h, employee), timeout=60, message="the first event")
    h.stop_workers()
    waiting = ev.employee(EMPLOYEE, name="Nama Baru")
    kafka_tools.produce(PLAN_TOPIC, waiting, key=EMPLOYEE)

    output = h.run_cli("rebuild-read-models", "--dry-run")
    assert "dry run" in output.lower()
    h.run_cli("rebuild-read-models")
    assert h.rows("SELECT name FROM employees") == [{"name": employee["data"]["name"]}]
    assert not processed(h, waiting)

    h.start_worker()
    wait_for(lambda: processed(h, waiting), timeout=60, message="the waiting event")
    assert h.rows("SELECT name FROM employees") == [{"name": "Nama Baru"}]


def test_the_command_explains_itself():
    result = CliRunner().invoke(cli, ["rebuild-read-models", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())  # as the terminal wrapped it
    assert "from the beginning" in text and "--dry-run" in text
