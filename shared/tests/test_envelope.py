"""The CloudEvents envelope, the catalog and the JSON Schemas (pure unit tests)."""

import json
from pathlib import Path

import pytest

from kinerja_shared.events import CATALOG, EventError, make_event, parse_event, validate_event
from kinerja_shared.events.envelope import encode_event, kafka_headers, schema_document

NIP = "199001012015011001"


def feedback(**data):
    base = {"feedback_id": "f-1", "nip": NIP, "rater_nip": "198001012005011002", "text": "Bagus"}
    base.update(data)
    return make_event("FeedbackGiven", source_service="evaluation-service", subject="f-1", partitionkey=NIP, data=base)


def test_envelope_has_cloudevents_fields_and_extensions():
    event = feedback()
    assert event["specversion"] == "1.0"
    assert event["source"] == "/kinerja/evaluation-service"
    assert event["type"] == "FeedbackGiven"
    assert event["dataschema"] == "urn:kinerja:event:FeedbackGiven:v1"
    assert event["partitionkey"] == NIP and event["correlationid"]
    assert event["time"].endswith("Z")
    assert validate_event(event) is event


def test_kafka_headers_copy_id_and_type():
    event = feedback()
    headers = dict(kafka_headers(event))
    assert headers == {
        "content-type": b"application/cloudevents+json",
        "ce_id": event["id"].encode(),
        "ce_type": b"FeedbackGiven",
    }


def test_round_trip_through_bytes():
    event = feedback()
    parsed = parse_event(encode_event(event))
    assert parsed.id == event["id"] and parsed.data == event["data"] and parsed.version == 1


@pytest.mark.parametrize(
    "mutate, reason",
    [
        (lambda e: e.pop("id"), "missing id"),
        (lambda e: e.update(id="not-a-uuid"), "is not a UUID"),
        (lambda e: e.update(type="PayrollHacked"), "unknown event type"),
        (lambda e: e.update(dataschema="urn:kinerja:event:FeedbackGiven:v9"), "version 9 is not in the catalog"),
        (lambda e: e.update(dataschema="urn:kinerja:event:PlanApproved:v1"), "names PlanApproved"),
        (lambda e: e.update(specversion="0.3"), "specversion"),
        (lambda e: e["data"].pop("text"), "'text' is a required property"),
        (lambda e: e["data"].update(nip="123"), "does not match"),
        (lambda e: e.pop("partitionkey"), "missing partitionkey"),
    ],
)
def test_invalid_events_are_refused_with_the_reason(mutate, reason):
    event = feedback()
    mutate(event)
    with pytest.raises(EventError, match=reason.replace("(", r"\(")):
        validate_event(event)


def test_not_json_is_refused():
    with pytest.raises(EventError, match="not JSON"):
        parse_event(b"\xff{nope")


def test_unknown_fields_are_tolerated():
    event = feedback(some_future_field=42)
    event["an_extension"] = "x"
    validate_event(event)


def test_make_event_refuses_unknown_types():
    with pytest.raises(EventError):
        make_event("Nope", source_service="plan-service", subject="x", partitionkey=NIP, data={})


def test_every_catalog_type_and_version_has_a_schema_and_every_schema_is_in_the_catalog():
    schema_dir = Path(__import__("kinerja_shared.events", fromlist=["x"]).__file__).parent / "schemas"
    files = {p.name for p in schema_dir.glob("*.json")}
    expected = {f"{t.name}.v{v}.json" for t in CATALOG.values() for v in t.versions}
    assert files == expected
    for name in files:
        doc = json.loads((schema_dir / name).read_text())
        assert doc["$id"] == f"urn:kinerja:event:{name[: -len('.json')].replace('.v', ':v')}"
        assert doc["type"] == "object" and doc.get("additionalProperties", True) is not False


def test_catalog_has_the_designed_event_types():
    assert set(CATALOG) >= {
        "EmployeeUpserted",
        "PlanSubmitted",
        "PlanApproved",
        "PlanReturned",
        "PlanAmended",
        "ActivityLogged",
        "ActivityUpdated",
        "ActivityWithdrawn",
        "ActivityVerified",
        "EvaluationOpened",
        "EvaluationSubmitted",
        "EvaluationClosed",
        "EvaluationReopened",
        "FeedbackGiven",
        "UnitPredicateSet",
        "CalibrationFinalised",
        "NotificationDelivered",
    }
    assert CATALOG["ActivityLogged"].topic == "kinerja.activity.events"
    assert schema_document("EvaluationClosed", 1)["required"]


def test_asyncapi_document_is_generated_from_the_schemas():
    import yaml

    from kinerja_shared.events import asyncapi

    committed = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"
    assert committed.read_text() == asyncapi.render(), (
        "regenerate: python -m kinerja_shared.events.asyncapi > docs/asyncapi.yaml"
    )
    doc = yaml.safe_load(committed.read_text())
    assert doc["asyncapi"].startswith("3.")
    assert {c["address"] for c in doc["channels"].values()} == {
        "kinerja.plan.events",
        "kinerja.activity.events",
        "kinerja.evaluation.events",
        "kinerja.notification.events",
    }
    assert len(doc["components"]["messages"]) == sum(len(t.versions) for t in CATALOG.values())
