"""Events: the CloudEvents envelope, the catalog of event types, and their JSON Schemas."""

from .catalog import CATALOG, TOPICS, EventType, topic_for_service
from .envelope import Event, EventError, make_event, parse_event, validate_event

__all__ = [
    "CATALOG",
    "TOPICS",
    "Event",
    "EventError",
    "EventType",
    "make_event",
    "parse_event",
    "topic_for_service",
    "validate_event",
]
