"""Test harness shared by every test suite: real Kafka and PostgreSQL, service harnesses.

Servers are picked in this order: KAFKA_BOOTSTRAP_SERVERS / DATABASE_URL when set; else the
local servers started here (deploy/kafka/kafka.sh, and PostgreSQL's initdb/pg_ctl); else,
where a Docker engine answers, testcontainers; else the run fails with what to install.
"""

import time
from concurrent.futures import ThreadPoolExecutor


def stop_together(processes) -> None:
    """Stop every ``ManagedProcess`` of ``processes`` at once: each gets its own SIGTERM, its own grace and,
    past it, its own SIGKILL (``ManagedProcess.stop``), side by side instead of one after the other, so a
    system's teardown waits for its slowest process rather than for the sum of them."""
    processes = list(processes)
    if processes:
        with ThreadPoolExecutor(len(processes)) as pool:
            list(pool.map(lambda process: process.stop(), processes))


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2, message: str = "condition"):
    """Poll ``predicate`` until it returns a truthy value; return it, or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message} (last value: {last!r})")


def unit_head_assigned(
    nip: str,
    unit_id: str,
    valid_from,
    valid_to=None,
    *,
    assignment_id: str = "plt-1",
    kind: str = "plt",
    status: str = "active",
    version: int = 1,
    decree_number: str | None = "800/16/BKPSDM",
) -> dict:
    """plan-service's UnitHeadAssigned v1 as it publishes it: ``nip`` acts as head (Plt./Plh.) of ``unit_id`` from
    ``valid_from`` to ``valid_to`` (dates or ISO strings; both days included, None: until revoked)."""
    from ..events import make_event, validate_event

    def iso(day):
        return day if day is None or isinstance(day, str) else day.isoformat()

    return validate_event(
        make_event(
            "UnitHeadAssigned",
            source_service="plan-service",
            subject=assignment_id,
            partitionkey=unit_id,
            data={
                "assignment_id": assignment_id,
                "unit_id": unit_id,
                "nip": nip,
                "kind": kind,
                "valid_from": iso(valid_from),
                "valid_to": iso(valid_to),
                "status": status,
                "version": version,
                "decree_number": decree_number,
            },
        )
    )
