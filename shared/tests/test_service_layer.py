"""The service layer's plumbing: the unit of work, the state-machine shape, the clock and the job runner."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kinerja_shared.clock import ManualClock
from kinerja_shared.db import AUDIT_LOG, OUTBOX, new_metadata
from kinerja_shared.errors import DomainError, Forbidden, InvalidField, InvalidTransition
from kinerja_shared.events.envelope import EventError, make_event
from kinerja_shared.jobs import PeriodicJob
from kinerja_shared.service import ServiceSpec
from kinerja_shared.testing.memory import actor, memory_runtime
from kinerja_shared.transitions import StateMachine
from kinerja_shared.uow import UnitOfWork
from kinerja_shared.web.problems import Problem, field_error

SPEC = ServiceSpec(
    name="evaluation-service",
    package="x",
    title="x",
    description="x",
    metadata=new_metadata(),
    migrations_dir=Path("."),
)


def feedback(text: str = "Bagus") -> dict:
    return make_event(
        "FeedbackGiven",
        source_service="evaluation-service",
        subject="n1",
        partitionkey="198701012010011001",
        data={"feedback_id": "n1", "nip": "198701012010011001", "rater_nip": None, "text": text},
    )


def counts(rt) -> tuple[int, int]:
    with rt.engine.connect() as conn:
        return (
            conn.scalar(select(func.count()).select_from(AUDIT_LOG)),
            conn.scalar(select(func.count()).select_from(OUTBOX)),
        )


def test_a_unit_of_work_commits_the_change_its_audit_rows_and_its_events_together():
    rt = memory_runtime(SPEC)
    with rt.unit_of_work() as uow:
        uow.audit(actor=actor("197001012000011001"), action="note.given", entity_type="note", entity_id="n1")
        uow.publish(feedback())
    assert counts(rt) == (1, 1)
    assert [e["type"] for e in uow.published] == ["FeedbackGiven"]
    assert uow.audited[0]["occurred_at"] == rt.clock.now()


def test_a_refusal_inside_the_unit_of_work_leaves_nothing_behind():
    rt = memory_runtime(SPEC)
    with pytest.raises(Forbidden):
        with rt.unit_of_work() as uow:
            uow.audit(actor="x", action="note.given", entity_type="note", entity_id="n1")
            uow.publish(feedback())
            raise Forbidden("Only the rater may do this.")
    assert counts(rt) == (0, 0)


def test_an_invalid_event_fails_the_commit_and_rolls_the_audit_row_back():
    rt = memory_runtime(SPEC)
    broken = feedback()
    del broken["data"]["feedback_id"]
    with pytest.raises(EventError):
        with rt.unit_of_work() as uow:
            uow.audit(actor="x", action="note.given", entity_type="note", entity_id="n1")
            uow.publish(broken)
    assert counts(rt) == (0, 0)


def test_a_joined_unit_of_work_flushes_into_the_owners_transaction_and_leaves_the_commit_to_it():
    rt = memory_runtime(SPEC)
    conn = rt.engine.connect()
    tx = conn.begin()
    with UnitOfWork.joining(conn, clock=rt.clock) as uow:
        uow.publish(feedback())
    tx.rollback()  # the owner decides: rolled back, so nothing stays
    conn.close()
    assert counts(rt) == (0, 0)


def test_before_commit_hooks_run_last_inside_the_transaction():
    rt = memory_runtime(SPEC)
    seen = []
    with rt.unit_of_work() as uow:
        uow.publish(feedback())
        uow.before_commit(lambda conn: seen.append(conn.scalar(select(func.count()).select_from(OUTBOX))))
    assert seen == [1]


def test_the_state_machine_names_both_states_and_answers_409():
    plan = StateMachine("plan", {"submit": {"draft": "submitted"}, "close": {"draft": "closed", "submitted": "closed"}})
    assert plan.next("submit", "draft") == "submitted"
    with pytest.raises(InvalidTransition) as refused:
        plan.next("submit", "closed")
    assert refused.value.status == 409
    assert "submit" in refused.value.detail and "closed" in refused.value.detail and "draft" in refused.value.detail
    assert plan.allowed("close") == ["draft", "submitted"]
    worded = StateMachine("entry", plan.table, describe=lambda action, current: f"cannot {action}: it is {current}")
    with pytest.raises(InvalidTransition, match="cannot submit: it is closed"):
        worded.next("submit", "closed")


def test_one_error_model_for_use_cases_and_routes():
    assert Problem is DomainError
    refused = field_error("quantity", "must be at most 10000")
    assert isinstance(refused, InvalidField) and refused.status == 422
    assert refused.errors == [{"field": "quantity", "message": "must be at most 10000"}]


def test_the_manual_clock_gives_the_local_date_and_moves_only_when_told():
    clock = ManualClock(datetime(2026, 12, 31, 18, 30, tzinfo=UTC), "Asia/Jakarta")
    assert clock.today() == date(2027, 1, 1)  # 01:30 in Jakarta
    clock.advance(hours=1)
    assert clock.now() == datetime(2026, 12, 31, 19, 30, tzinfo=UTC)


def test_a_periodic_job_runs_rounds_on_the_clock_and_survives_a_failing_round():
    rt = memory_runtime(SPEC)
    start = rt.clock.now()
    rounds = []

    def round_(runtime):
        rounds.append(runtime.clock.now())
        if len(rounds) == 2:
            raise RuntimeError("database away")
        return 0

    job = PeriodicJob("reminders", round_, interval=lambda runtime: 300, busy_interval=5)
    assert job.run(rt, threading.Event(), max_rounds=3) == 3
    assert [(t - start).total_seconds() for t in rounds] == [0, 300, 600]


def test_a_busy_round_comes_back_sooner():
    rt = memory_runtime(SPEC)
    job = PeriodicJob("mailer", lambda runtime: 3, interval=60, busy_interval=1)
    start = rt.clock.now()
    job.run(rt, threading.Event(), max_rounds=2)
    assert (rt.clock.now() - start).total_seconds() == 2
