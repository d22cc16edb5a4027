"""JSON logs, one object per line, each carrying the correlation id in force."""
from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

from .context import current_correlation_id

_configured = False


class _ContextFilter(logging.Filter):
    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlationid = current_correlation_id()
        record.service = self.service
        return True


def configure_logging(service: str, level: str = "INFO") -> None:
    """Route every logger to stderr as JSON. Safe to call more than once."""
    global _configured
    root = logging.getLogger()
    root.setLevel(level)
    if _configured:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(service)s %(correlationid)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(_ContextFilter(service))
    root.handlers[:] = [handler]
    for noisy in ("kafka", "kafka.conn", "kafka.client", "kafka.coordinator", "kafka.consumer", "kafka.producer"):
        logging.getLogger(noisy).setLevel(logging.WARNING if level != "DEBUG" else logging.INFO)
    _configured = True
