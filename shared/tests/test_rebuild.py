"""kinerja_shared.rebuild on the probe service: its read model ``effects`` rebuilt from the topic.

A copy of an event id already applied is applied once; an event whose handler fails is listed
and skipped while the others take effect; a dry run changes nothing; a service without read
models has nothing to rebuild.
"""

import dataclasses

import pytest
from sqlalchemy import text

from kinerja_shared.events import make_event
from kinerja_shared.rebuild import rebuild_read_models
from kinerja_shared.testing import wait_for

from .conftest import REFUSED_TEXTS, make_probe_spec

TOPIC = "kinerja.evaluation.events"
NIP = "199001012015011001"


def feedback(text):
    return make_event(
        "FeedbackGiven",
        source_service="evaluation-service",
        subject=text,
        partitionkey=NIP,
        data={"feedback_id": text, "nip": NIP, "rater_nip": None, "text": text},
    )


@pytest.fixture
def probe_with_read_model(service_factory):
    return service_factory(dataclasses.replace(make_probe_spec(), read_models=("effects",)))


def effects(h):
    return sorted(r["text"] for r in h.rows("SELECT text FROM effects"))


def test_a_failing_event_is_listed_and_skipped_and_a_dry_run_changes_nothing(probe_with_read_model, kafka_tools):
    h = probe_with_read_model
    sent = [feedback(t) for t in ("one", "two", "three")]
    for event in sent + [sent[0]]:  # the first one twice (the same id)
        kafka_tools.produce(TOPIC, event, key=NIP)
    h.start_worker()
    wait_for(lambda: h.scalar("SELECT count(*) FROM processed_events") == 3, message="the events applied")
    h.stop_workers()
    with h.engine.begin() as conn:  # the read model loses a row and gains a wrong one
        conn.execute(text("DELETE FROM effects WHERE text = 'one'"))
        conn.execute(text("INSERT INTO effects (event_id, text) VALUES ('x', 'poison')"))

    lines: list[str] = []
    dry = rebuild_read_models(h.spec, h.settings, engine=h.engine, echo=lines.append, dry_run=True)
    assert (dry.applied, dry.committed) == (3, False) and any("dry run" in line for line in lines)
    assert effects(h) == ["poison", "three", "two"]

    REFUSED_TEXTS.add("two")
    try:
        result = rebuild_read_models(h.spec, h.settings, engine=h.engine, echo=lines.append, batch_size=2)
    finally:
        REFUSED_TEXTS.discard("two")
    assert result.committed and (result.applied, result.skipped, result.waiting) == (2, 1, 0)
    assert [(f["type"], f["id"]) for f in result.failed] == [("FeedbackGiven", sent[1]["id"])]
    assert effects(h) == ["one", "three"]
    assert any("failed: FeedbackGiven" in line for line in lines)


def test_a_service_without_read_models_has_nothing_to_rebuild(probe):
    with pytest.raises(ValueError, match="keeps no read models"):
        rebuild_read_models(probe.spec, probe.settings, engine=probe.engine, echo=lambda _: None)
