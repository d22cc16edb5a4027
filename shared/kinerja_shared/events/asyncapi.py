"""Generate docs/asyncapi.yaml (AsyncAPI 3.0) from the catalog and the JSON Schemas.

    python -m kinerja_shared.events.asyncapi > docs/asyncapi.yaml

A test checks that the committed document equals the generated one, so the document that
external subscribers (payroll, BKN, dashboards) read never drifts from the schemas.
"""

from __future__ import annotations

import sys

import yaml

from .catalog import CATALOG, TOPICS
from .envelope import CONTENT_TYPE, schema_document

ENVELOPE = {
    "type": "object",
    "description": "CloudEvents 1.0 structured mode. Kafka headers: content-type, ce_id, ce_type.",
    "required": ["specversion", "id", "source", "type", "time", "subject", "dataschema", "partitionkey", "data"],
    "properties": {
        "specversion": {"const": "1.0"},
        "id": {"type": "string", "format": "uuid", "description": "Unique per event; consumers deduplicate on it."},
        "source": {"type": "string", "example": "/kinerja/plan-service"},
        "type": {"type": "string"},
        "time": {"type": "string", "format": "date-time"},
        "subject": {"type": "string", "description": "The aggregate id (plan, activity, evaluation ...)."},
        "dataschema": {"type": "string", "description": "urn:kinerja:event:<Type>:v<N>"},
        "datacontenttype": {"const": "application/json"},
        "correlationid": {"type": "string", "description": "Carried from the HTTP request that caused the event."},
        "partitionkey": {"type": "string", "description": "The employee's NIP; also the Kafka record key."},
    },
}


def build() -> dict:
    channels, operations, messages, schemas = {}, {}, {}, {"CloudEventEnvelope": ENVELOPE}
    for service, topic in TOPICS.items():
        channel_id = topic.replace(".", "_")
        types = [t for t in CATALOG.values() if t.producer == service]
        channels[channel_id] = {
            "address": topic,
            "description": f"Events published by {service}, keyed by the employee's NIP. "
            f"Dead letters of a consumer group G: {topic}.G.dlq",
            "messages": {
                f"{t.name}V{v}": {"$ref": f"#/components/messages/{t.name}V{v}"} for t in types for v in t.versions
            },
        }
        operations[f"receive_{channel_id}"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "summary": f"Subscribe to {service}'s events.",
        }
        for t in types:
            for v in t.versions:
                data = schema_document(t.name, v)
                schemas[f"{t.name}V{v}Data"] = {k: val for k, val in data.items() if k not in ("$schema", "$id")}
                messages[f"{t.name}V{v}"] = {
                    "name": t.name,
                    "title": f"{t.name} v{v}",
                    "summary": t.description,
                    "contentType": CONTENT_TYPE,
                    "headers": {
                        "type": "object",
                        "properties": {"ce_id": {"type": "string"}, "ce_type": {"const": t.name}},
                    },
                    "payload": {
                        "allOf": [
                            {"$ref": "#/components/schemas/CloudEventEnvelope"},
                            {
                                "type": "object",
                                "properties": {
                                    "type": {"const": t.name},
                                    "dataschema": {"const": f"urn:kinerja:event:{t.name}:v{v}"},
                                    "data": {"$ref": f"#/components/schemas/{t.name}V{v}Data"},
                                },
                            },
                        ]
                    },
                }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Kinerja events",
            "version": "1.0.0",
            "description": "Events of the Kinerja ASN performance management system (PermenPANRB 6/2022). "
            "Generated from shared/kinerja_shared/events by `python -m kinerja_shared.events.asyncapi`; "
            "do not edit by hand. Consumers must tolerate unknown fields; a breaking change is a new "
            "version published side by side.",
        },
        "defaultContentType": CONTENT_TYPE,
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def render() -> str:
    return yaml.safe_dump(build(), sort_keys=False, allow_unicode=True, width=120)


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(render())
