"""`notification-service rebuild-read-models`: the read models rebuilt from the topics (issue 14).

Contacts, acting heads and the plan, activity and evaluation states a bug or a hand edit made wrong are rebuilt
from the three consumed topics in one transaction, with the worker running: afterwards they match
the events again, and the rebuild made no notification, digest entry, e-mail or webhook delivery.
"""

from sqlalchemy import text

from kinerja_shared.events import make_event
from kinerja_shared.testing import unit_head_assigned
from notification_service.service import SPEC

READ_MODELS = {
    "contacts": "nip",
    "acting_heads": "assignment_id",
    "plan_states": "plan_id",
    "activity_states": "activity_id",
    "evaluation_states": "evaluation_id",
}
OWN = ("notifications", "digest_members", "email_queue", "webhook_deliveries", "outbox")


def snapshot(h) -> dict:
    return {
        table: [
            {k: v for k, v in row.items() if k != "updated_at"}
            for row in h.rows(f"SELECT * FROM {table} ORDER BY {key}")
        ]
        for table, key in READ_MODELS.items()
    }


def counts(h) -> dict:
    return {table: h.scalar(f"SELECT count(*) FROM {table}") for table in OWN}


def annulment(logged):
    d = logged["data"]
    data = {
        k: d[k]
        for k in (
            "activity_id",
            "nip",
            "rater_nip",
            "unit_id",
            "plan_id",
            "result_id",
            "indicator_id",
            "date",
            "minutes",
            "quantity",
            "quantity_unit",
        )
    }
    data.update(
        previous_status="rejected",
        status="annulled",
        version=3,
        annulled_by="000000000000000009",
        reason="Tercatat ganda",
    )
    return make_event(
        "ActivityAnnulled",
        source_service="activity-service",
        subject=d["activity_id"],
        partitionkey=d["nip"],
        data=data,
    )


def test_a_poisoned_read_model_is_rebuilt_and_nobody_hears_anything_twice(service_factory, ev, produce, helpers):
    h = service_factory(SPEC, NOTIFICATION_REMINDERS="false")
    h.start_worker()
    R, E, C = helpers.RATER, helpers.EMPLOYEE, helpers.COLLEAGUE
    logged, kept = ev.activity_logged(E), ev.activity_logged(C, description="Rapat koordinasi")
    sent = [
        ev.employee(R, "Drs. Rahmat Hidayat", unit_id="opd-1", unit_path=("opd-1",), rater=None, is_unit_head=True),
        ev.employee(E, "Siti Aminah, S.Kom"),
        ev.employee(C, "Budi Santoso"),
        ev.plan_submitted(E),
        ev.plan_approved(C),
        logged,
        kept,
        ev.activity_verified(logged["data"]["activity_id"]),
        annulment(logged),
        ev.evaluation_opened(E),
        ev.evaluation_closed(C),
        unit_head_assigned(helpers.OUTSIDER, "opd-1", "2026-01-01", "2026-06-30", decree_number=None),
    ]
    for event in sent:
        produce(event)
    helpers.wait_for(lambda: h.scalar("SELECT count(*) FROM processed_events") == len(sent), 90, message="every event")
    source, own = snapshot(h), counts(h)
    assert own["notifications"] > 0

    with h.engine.begin() as conn:
        conn.execute(text("UPDATE activity_states SET status = 'accepted', description = 'racun'"))
        conn.execute(text("DELETE FROM contacts WHERE nip = :n"), {"n": C})
        conn.execute(text("UPDATE evaluation_states SET status = 'open'"))
        conn.execute(text("DELETE FROM plan_states"))
        conn.execute(text("DELETE FROM acting_heads"))
    assert snapshot(h) != source

    output = h.run_cli("rebuild-read-models")
    assert f"{len(sent)} events applied" in output
    assert snapshot(h) == source
    assert counts(h) == own
    states = {r["activity_id"]: r["status"] for r in snapshot(h)["activity_states"]}
    assert states == {logged["data"]["activity_id"]: "withdrawn", kept["data"]["activity_id"]: "pending"}
