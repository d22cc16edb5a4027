"""Test harness shared by every test suite: real Kafka and PostgreSQL, service harnesses.

Servers are picked in this order: KAFKA_BOOTSTRAP_SERVERS / DATABASE_URL when set; else the
local servers started here (deploy/kafka/kafka.sh, and PostgreSQL's initdb/pg_ctl); else,
where a Docker engine answers, testcontainers; else the run fails with what to install.
"""
import time


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
