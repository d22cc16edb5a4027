"""`activity-service rebuild-read-models`: the directory (with acting heads) and plan read models rebuilt from
kinerja.plan.events."""

import sys
from pathlib import Path

from sqlalchemy import text

from activity_service.service import SPEC
from kinerja_shared.testing import wait_for

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import E1, OTHER, org_events, today, unit_head_assigned  # noqa: E402

READ_MODELS = {
    "employees": "nip",
    "employee_ancestors": "nip, ancestor_id",
    "plans": "plan_id",
    "plan_indicators": "plan_id, indicator_id",
    "acting_heads": "assignment_id",
}


def snapshot(h) -> dict:
    return {
        table: [
            {k: v for k, v in row.items() if k != "updated_at"}
            for row in h.rows(f"SELECT * FROM {table} ORDER BY {key}")
        ]
        for table, key in READ_MODELS.items()
    }


def test_a_poisoned_directory_row_a_lost_indicator_and_a_lost_acting_head_come_back(service_factory, kafka_tools):
    h = service_factory(SPEC)
    h.start_worker()
    events = [
        *org_events(),
        unit_head_assigned(OTHER, "bidang", today(), None),
        unit_head_assigned(OTHER, "bidang", today(), None, status="revoked", version=2, assignment_id="plh-2"),
    ]
    for event in events:
        kafka_tools.produce("kinerja.plan.events", event, key=event["partitionkey"])
    wait_for(lambda: h.scalar("SELECT count(*) FROM processed_events") == len(events), timeout=60, message="the org")
    source = snapshot(h)
    with h.engine.begin() as conn:
        conn.execute(text("UPDATE employees SET rater_nip = NULL, active = false WHERE nip = :n"), {"n": E1})
        conn.execute(text("DELETE FROM plan_indicators WHERE indicator_id = 'i2'"))
        conn.execute(text("DELETE FROM employee_ancestors WHERE nip = :n AND ancestor_id = 'dinas'"), {"n": E1})
        conn.execute(text("DELETE FROM acting_heads WHERE assignment_id = 'plt-1'"))
        conn.execute(text("UPDATE acting_heads SET status = 'active'"))
    assert snapshot(h) != source
    output = h.run_cli("rebuild-read-models")
    assert snapshot(h) == source
    assert [r["status"] for r in source["acting_heads"]] == ["revoked", "active"]  # plh-2, plt-1
    assert f"{len(events)} events applied" in output
