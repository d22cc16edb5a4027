"""Faults survived under steady load, proven by counting (issue #9).

The whole system runs as real processes on a 3-node KRaft cluster (replication factor 3,
min.insync.replicas 2, producers acks=all). Employees log activities and raters verify them from
a few threads, each request retried with its Idempotency-Key. One fault per test, in turn:

- a broker SIGKILLed, then restarted;
- the leader of the activity topic's partition killed;
- worker processes SIGKILLed while they have records in hand (relay and consumers), restarted;
- activity-service's web process killed mid-request (a gunicorn worker, then the whole server);
- activity-service's PostgreSQL stopped for 10 s (503 + problem+json + Retry-After, never 500).

After each fault: every request answered 2xx was applied exactly once; every event reached every
consumer once in effect; evaluation- and notification-service agree with activity-service; the
consumer lag is zero. The counts go to tests/faults/results/last-run.json.

``make test`` runs the broker fault (marked ``faults_quick``); ``make faults`` runs them all.
"""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from kinerja_shared.processes import wait_ready
from kinerja_shared.testing import wait_for

from ..e2e.flow import Org
from .load import PROBLEM_JSON, Load

pytestmark = [pytest.mark.e2e, pytest.mark.faults, pytest.mark.timeout(900)]

ACTIVITY_TOPIC = "kinerja.activity.events"
WARMUP = 4.0  # seconds of load before the fault
OUTAGE = 10.0  # seconds a broker or the database stays down
TAIL = 4.0  # seconds of load after recovery
BATCH_GRACE = 0.3  # seconds a let-go worker works on its backlog before SIGKILL


@pytest.fixture(scope="module")
def load(fault_system):
    orgs = []
    for seq in (501, 503, 505):
        org = Org(fault_system, seq)
        plan = org.approved_plan()
        org.indicator = plan["results"][0]["indicators"][0]["indicator_id"]
        orgs.append(org)
    for org in orgs:
        org.wait_indicator(org.indicator, timeout=120)
    return Load(fault_system, orgs)


def healthy(system, ledger) -> None:
    """Before a fault: every broker in every ISR, every process up, every web ready."""
    wait_for(lambda: not ledger.under_replicated(), timeout=120, interval=1, message="all partitions fully in sync")
    for process in system.processes.values():
        assert process.alive, f"{process.name} is not running before the fault"
    for url in system.urls.values():
        wait_ready(url, timeout=60)


def under_load(system, ledger, load, name: str, fault) -> dict:
    healthy(system, ledger)
    load.start(name)
    try:
        time.sleep(WARMUP)
        details = fault() or {}
        time.sleep(TAIL)
    finally:
        load.stop()
    assert not load.exhausted, "an employee ran out of free time slots in the edit window"
    counts = ledger.check(name, load.calls, {"fault": details})
    print(f"\n[faults] {name}: " + json.dumps(counts, sort_keys=True, default=str))
    return counts


def restart(system, name: str) -> None:
    system.processes[name].start()
    if name.endswith(".web"):
        wait_ready(system.urls[name.rsplit(".", 1)[0]], timeout=90)


def answered_during(load, service: str, since: float, until: float) -> list:
    return [a for _, a in load.attempts_between(service, since, until) if a.status is not None]


# -- Kafka --------------------------------------------------------------------------------------


@pytest.mark.faults_quick
def test_broker_sigkilled_then_restarted(fault_system, ledger, load):
    cluster = fault_system.cluster
    leader = wait_for(lambda: ledger.leader_of(ACTIVITY_TOPIC), message="the activity topic's leader")
    node = next(n for n in (3, 2, 1) if n != leader)  # a follower here; the next test kills a leader

    def fault():
        cluster.kill_node(node)
        down = time.monotonic()
        try:
            time.sleep(OUTAGE)
        finally:
            up = time.monotonic()
            cluster.start_node(node)
        answers = answered_during(load, "activity-service", down, up)
        return {
            "node": node,
            "answers_while_down": len(answers),
            "not_2xx_while_down": [a.status for a in answers if not 200 <= a.status < 300],
        }

    counts = under_load(fault_system, ledger, load, "broker-sigkill", fault)
    details = counts["fault"]
    assert details["answers_while_down"] > 0, "no request was answered while the broker was down"
    assert details["not_2xx_while_down"] == [], "a broker outage must not fail the users' requests"


def test_partition_leader_killed(fault_system, ledger, load):
    cluster = fault_system.cluster

    def fault():
        leader = wait_for(lambda: ledger.leader_of(ACTIVITY_TOPIC), message="the activity topic's leader")
        cluster.kill_node(leader)
        down = time.monotonic()
        try:
            new_leader = wait_for(
                lambda: (lambda n: n if n not in (leader, -1, None) else None)(ledger.leader_of(ACTIVITY_TOPIC)),
                timeout=60,
                interval=0.5,
                message="a new leader for the activity topic",
            )
            time.sleep(max(0.0, OUTAGE - (time.monotonic() - down)))
        finally:
            up = time.monotonic()
            cluster.start_node(leader)
        answers = answered_during(load, "activity-service", down, up)
        return {
            "killed_leader": leader,
            "new_leader": new_leader,
            "answers_while_down": len(answers),
            "not_2xx_while_down": [a.status for a in answers if not 200 <= a.status < 300],
        }

    details = under_load(fault_system, ledger, load, "partition-leader-killed", fault)["fault"]
    assert details["new_leader"] != details["killed_leader"]
    assert details["answers_while_down"] > 0 and details["not_2xx_while_down"] == []


# -- processes ----------------------------------------------------------------------------------


def test_worker_killed_mid_batch(fault_system, ledger, load):
    """Each worker is frozen (SIGSTOP) until work piles up for it (uncommitted records for a consumer,
    pending outbox rows for activity-service's relay), let go (SIGCONT) so it takes a batch in hand,
    and SIGKILLed while it works through it; then restarted."""
    groups = {f"{s}.worker": fault_system.prefix + s for s in ("evaluation-service", "notification-service")}

    def backlog(name: str) -> int:
        if name == "activity-service.worker":
            return ledger.rows("activity-service", "SELECT count(*) FROM outbox WHERE status = 'pending'")[0][0]
        return ledger.lag()[groups[name]]

    def fault():
        in_hand = {}
        for name in ("evaluation-service.worker", "notification-service.worker", "activity-service.worker"):
            process = fault_system.processes[name]
            process.signal(signal.SIGSTOP)
            try:
                in_hand[name] = wait_for(
                    lambda name=name: (lambda n: n if n >= 20 else None)(backlog(name)),
                    timeout=30,
                    interval=0.2,
                    message=f"work to pile up for {name}",
                )
            finally:
                process.signal(signal.SIGCONT)
            time.sleep(BATCH_GRACE)
            process.kill()
        time.sleep(2)
        for name in in_hand:
            restart(fault_system, name)
        return {"backlog_when_let_go": in_hand}

    details = under_load(fault_system, ledger, load, "worker-sigkill", fault)["fault"]
    assert all(n >= 20 for n in details["backlog_when_let_go"].values())


def _gunicorn_workers(master_pid: int) -> list[int]:
    with open(f"/proc/{master_pid}/task/{master_pid}/children") as f:
        return [int(p) for p in f.read().split()]


def test_web_killed_mid_request(fault_system, ledger, load):
    """SIGKILL one gunicorn worker (the master replaces it), then the whole web server (restarted)."""
    web = fault_system.processes["activity-service.web"]

    def fault():
        [victim, *_] = _gunicorn_workers(web.pid)
        os.kill(victim, signal.SIGKILL)
        time.sleep(3)
        web.kill()
        down = time.monotonic()
        time.sleep(2)
        restart(fault_system, "activity-service.web")
        cut = load.attempts_between("activity-service", down - 3.5, time.monotonic())
        return {"gunicorn_worker": victim, "attempts_without_answer": sum(a.status is None for _, a in cut)}

    details = under_load(fault_system, ledger, load, "web-sigkill", fault)["fault"]
    assert details["attempts_without_answer"] > 0, "no request was cut by the kill"


# -- the database -------------------------------------------------------------------------------


def test_database_stopped_for_ten_seconds(fault_system, ledger, load):
    pg = fault_system.databases["activity-service"]

    def fault():
        pg.stop()
        down = time.monotonic()
        try:
            time.sleep(OUTAGE)
        finally:
            up = time.monotonic()
            pg.start()
        answers = answered_during(load, "activity-service", down, up)
        return {
            "answers_while_down": len(answers),
            "statuses_while_down": sorted({a.status for a in answers}),
            "not_problem_503": [
                (a.status, a.content_type, a.retry_after)
                for a in answers
                if a.status != 503 or not a.content_type.startswith(PROBLEM_JSON) or not a.retry_after
            ],
        }

    details = under_load(fault_system, ledger, load, "database-stopped", fault)["fault"]
    assert details["answers_while_down"] > 0, "no request reached the service while its database was down"
    assert details["not_problem_503"] == [], (
        "while its database is down the service answers 503 problem+json with Retry-After"
    )
