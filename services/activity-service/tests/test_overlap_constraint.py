"""No two entries of one employee that occupy their time overlap, however the requests interleave.

On PostgreSQL the rule is the exclusion constraint ``ex_activities_no_overlap`` (migration 0005): the logging
POST takes no per-employee lock, its insert does nothing on a clash (``ON CONFLICT DO NOTHING``) and the 409
names the clashing entry; a batch whose reads missed an entry committed meanwhile gets a 409 for that item.
"""

import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import E1, entry, log_entry, started  # noqa: E402

from activity_service import store  # noqa: E402

_OVERLAPPING_PAIRS = """
SELECT count(*) FROM activities a JOIN activities b
  ON a.nip = b.nip AND a.date = b.date AND a.id < b.id AND a.start_min < b.end_min AND b.start_min < a.end_min
WHERE a.status IN ('pending', 'accepted') AND b.status IN ('pending', 'accepted')
"""


@pytest.fixture
def svc(service_factory):
    harness = started(service_factory)
    if harness.engine.dialect.name != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's; SQLite serialises its writers")
    return harness


def test_concurrent_post_batch_and_edit_of_one_employee_never_store_an_overlap(svc):
    headers = svc.token(E1)
    movable = [log_entry(svc, start_time=f"06:{m:02d}", end_time=f"06:{m + 5:02d}") for m in range(0, 30, 6)]
    rounds = len(movable)
    barrier = threading.Barrier(3 * rounds)

    def post(r):
        client = svc.app.test_client()
        barrier.wait()
        return client.post(
            "/api/v1/activities", json=entry(start_time=f"{9 + r:02d}:00", end_time=f"{9 + r:02d}:45"), headers=headers
        )

    def batch(r):
        items = [
            entry(start_time=f"{9 + r:02d}:15", end_time=f"{9 + r:02d}:30"),
            entry(start_time=f"{9 + r:02d}:40", end_time=f"{9 + r:02d}:50"),
        ]
        client = svc.app.test_client()
        barrier.wait()
        return client.post("/api/v1/activities/batch", json={"items": items}, headers=headers)

    def edit(r):
        client, url = svc.app.test_client(), f"/api/v1/activities/{movable[r]}"
        if_match = svc.if_match(url, headers)
        barrier.wait()
        return client.patch(
            url, json={"start_time": f"{9 + r:02d}:10", "end_time": f"{9 + r:02d}:20"}, headers=if_match
        )

    with ThreadPoolExecutor(max_workers=3 * rounds) as pool:
        futures = [pool.submit(task, r) for r in range(rounds) for task in (post, batch, edit)]
        responses = [f.result() for f in futures]
    assert {r.status_code for r in responses} <= {200, 201, 207, 409}, [r.get_json() for r in responses]
    results = [item for r in responses if r.status_code == 207 for item in r.get_json()["results"]]
    assert {item["status"] for item in results} <= {201, 409}
    assert all(item["problem"]["clashing_activity_id"] for item in results if item["status"] == 409)
    assert svc.scalar(_OVERLAPPING_PAIRS) == 0
    logged = 5 + sum(r.status_code == 201 for r in responses) + sum(item["status"] == 201 for item in results)
    assert svc.scalar("SELECT count(*) FROM activities") == logged
    assert sum(e["type"] == "ActivityLogged" for e in svc.outbox()) == logged


def test_a_batch_item_refused_by_the_constraint_is_a_409_naming_the_clash(svc, monkeypatch):
    """The batch read the day before a concurrent POST committed (simulated: its read of the day sees
    nothing): the constraint refuses the clashing item, which is reported, not dropped; the others go in."""
    clashing = log_entry(svc, start_time="08:00", end_time="09:00")
    monkeypatch.setattr(store, "occupied", lambda conn, nip, days: [])
    items = [
        entry(start_time="08:30", end_time="09:30"),
        entry(id=str(uuid.uuid4()), start_time="10:00", end_time="11:00"),
    ]
    response = svc.client.post("/api/v1/activities/batch", json={"items": items}, headers=svc.token(E1))
    assert response.status_code == 207, response.get_json()
    first, second = response.get_json()["results"]
    assert first["status"] == 409 and first["problem"]["clashing_activity_id"] == clashing
    assert second["status"] == 201 and second["id"] == items[1]["id"]
    assert svc.scalar("SELECT count(*) FROM activities") == 2
    assert [e["data"]["activity_id"] for e in svc.outbox() if e["type"] == "ActivityLogged"][1:] == [items[1]["id"]]
    assert svc.scalar("SELECT count(*) FROM audit_log WHERE action = 'activity.logged'") == 2
