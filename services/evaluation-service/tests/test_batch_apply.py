"""A poll applied in one transaction (EventConsumer.apply_batch) leaves the activity facts as
one event at a time would: an entry logged and verified in the same poll ends verified, a
re-published copy changes nothing, a withdrawal in the same poll wins."""

from evaluation_service.service import SPEC
from kinerja_shared.consumer import EventConsumer
from kinerja_shared.events.envelope import Event


def test_activity_facts_of_one_poll_match_one_event_at_a_time(evaluation):
    h, ev = evaluation.h, evaluation.ev
    day = evaluation.today
    accepted = ev.activity("plan-1", day, minutes=90, quantity=2)
    pending = ev.activity("plan-1", day)
    withdrawn = ev.activity("plan-1", day)
    copy = ev.activity(
        "plan-1", day, activity_id=accepted["data"]["activity_id"], minutes=5
    )  # new event id, same entry
    poll = [accepted, pending, ev.verified(accepted, quantity=3), withdrawn, copy, ev.withdrawn(withdrawn), pending]
    consumer = EventConsumer(
        h.settings,
        h.engine,
        group_id=SPEC.consumer_group,
        topics=[],
        handlers=SPEC.handlers,
        consumer_factory=None,
        producer_factory=None,
        service_config=SPEC.load_config(h.settings),
    )
    outcomes = consumer.apply_batch([Event(e) for e in poll])
    assert outcomes == ["processed"] * 6 + ["duplicate"]

    facts = {r["id"]: r for r in h.rows("SELECT id, status, minutes, quantity FROM activities")}
    assert len(facts) == 3
    a = facts[accepted["data"]["activity_id"]]
    assert (a["status"], a["minutes"], a["quantity"]) == ("accepted", 90, 3.0)
    assert facts[pending["data"]["activity_id"]]["status"] == "pending"
    assert facts[withdrawn["data"]["activity_id"]]["status"] == "withdrawn"
    assert h.scalar("SELECT count(*) FROM processed_events") == 6
