"""`activity-service rebuild-read-models`: the directory and plan read models rebuilt from kinerja.plan.events."""
import sys
from pathlib import Path

from sqlalchemy import text

from kinerja_shared.testing import wait_for

from activity_service.service import SPEC

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import E1, org_events  # noqa: E402

READ_MODELS = {"employees": "nip", "plans": "plan_id", "plan_indicators": "plan_id, indicator_id"}


def snapshot(h) -> dict:
    return {table: [{k: v for k, v in row.items() if k != "updated_at"}
                    for row in h.rows(f"SELECT * FROM {table} ORDER BY {key}")] for table, key in READ_MODELS.items()}


def test_a_poisoned_directory_row_and_a_lost_indicator_come_back(service_factory, kafka_tools):
    h = service_factory(SPEC)
    h.start_worker()
    events = org_events()
    for event in events:
        kafka_tools.produce("kinerja.plan.events", event, key=event["partitionkey"])
    wait_for(lambda: h.scalar("SELECT count(*) FROM processed_events") == len(events), timeout=60, message="the org")
    source = snapshot(h)
    with h.engine.begin() as conn:
        conn.execute(text("UPDATE employees SET rater_nip = NULL, active = false WHERE nip = :n"), {"n": E1})
        conn.execute(text("DELETE FROM plan_indicators WHERE indicator_id = 'i2'"))
    assert snapshot(h) != source
    output = h.run_cli("rebuild-read-models")
    assert snapshot(h) == source
    assert f"{len(events)} events applied" in output
