"""activity-service's use cases on an in-memory database (memory_runtime): every command and query, its happy
path and a refusal, with the events published and the audit rows written. No PostgreSQL, no Kafka."""

import dataclasses
import io
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, func, select
from sqlalchemy.pool import StaticPool
from werkzeug.datastructures import FileStorage

from activity_service import directory_store, use_cases
from activity_service.service import SPEC
from kinerja_shared.clock import ManualClock
from kinerja_shared.db import AUDIT_LOG, IDEMPOTENCY_KEYS, OUTBOX
from kinerja_shared.errors import Conflict, Forbidden, InvalidField, InvalidTransition, NotFound, PreconditionFailed
from kinerja_shared.strict_json import dumps as strict_dumps
from kinerja_shared.testing.memory import actor, memory_runtime
from kinerja_shared.web.idempotency import Pending

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import E1, E2, OTHER, PDF_BYTES, H, R, employee_event, plan_event  # noqa: E402

DAY = date(2026, 3, 2)  # the manual clock's day (a Monday)
ADMIN = actor("000000000000000001", "admin")


@pytest.fixture(scope="module")
def template():
    """The org of activity_testkit and two approved plans, on an in-memory database built once."""
    runtime = memory_runtime(SPEC)
    with runtime.unit_of_work() as uow:
        for nip, unit, path, rater, head in (
            (H, "dinas", ["dinas"], None, True),
            (R, "dinas", ["dinas"], H, False),
            (E1, "bidang", ["dinas", "bidang"], R, False),
            (E2, "bidang", ["dinas", "bidang"], R, False),
            (OTHER, "lain", ["lain"], None, False),
        ):
            event = employee_event(nip, nip, unit, path, rater, head=head)
            use_cases.record_employee(uow, event["data"], uow.now())
        for nip, plan_id, indicators in ((E1, "plan-e1", ["i1", "i2"]), (E2, "plan-e2", ["j1"])):
            plan = plan_event(nip, plan_id, indicators, start=date(2026, 1, 1), end=date(2026, 12, 31))
            use_cases.record_plan(uow, plan["data"])
    return runtime


@pytest.fixture
def rt(template):
    """A copy of the template's database (SQLite's backup: faster than building the schema again), a fresh clock."""
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}, json_serializer=strict_dumps
    )
    event.listen(engine, "connect", lambda dbapi_conn, _record: dbapi_conn.execute("PRAGMA foreign_keys=ON"))
    with template.engine.connect() as source, engine.connect() as target:
        source.connection.driver_connection.backup(target.connection.driver_connection)
    return dataclasses.replace(template, engine=engine, clock=ManualClock())


def body(**overrides) -> dict:
    values = {
        "date": DAY,
        "start_time": "08:00",
        "end_time": "09:00",
        "indicator_id": "i1",
        "description": "Memverifikasi berkas",
        "quantity": 2,
        "quantity_unit": "dokumen",
        "evidence": [{"url": "https://arsip.binjaikota.go.id/1"}],
    }
    values.update(overrides)
    return values


def run(rt, command, *args, **kw):
    """Run a command in its own unit of work: (its result, the unit of work)."""
    with rt.unit_of_work() as uow:
        result = command(uow, *args, **kw)
    return result, uow


def log(rt, who=E1, **overrides):
    entry = body(**overrides)
    logged, uow = run(rt, use_cases.log_activity, actor(who), entry, use_cases.check_entry(entry, rt.config, DAY))
    return logged, uow


def types(uow) -> list[str]:
    return [e["type"] for e in uow.published]


def actions(uow) -> list[str]:
    return [a["action"] for a in uow.audited]


def count(rt, table) -> int:
    with rt.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


def no_if_match(version):
    return None


# -- logging ---------------------------------------------------------------------------------------


def test_log_one_entry_writes_it_with_its_audit_row_its_event_and_the_keys_answer(rt):
    key = Pending(E1, "k-1", "/api/v1/activities", "f" * 64)
    answers = []

    def key_row(row):
        answers.append(row["id"])
        return dict(
            principal=E1,
            idempotency_key="k-1",
            method="POST",
            path=key.path,
            fingerprint=key.fingerprint,
            state="done",
            status_code=201,
            response_body="{}",
            response_headers={},
            created_at=rt.clock.now(),
        )

    entry = body()
    logged, uow = run(
        rt,
        use_cases.log_activity,
        actor(E1),
        entry,
        use_cases.check_entry(entry, rt.config, DAY),
        key=key,
        key_row=key_row,
    )
    assert logged.inserted and logged.row["status"] == "pending" and logged.row["rater_nip"] == R
    assert types(uow) == ["ActivityLogged"] and actions(uow) == ["activity.logged"]
    assert answers == [logged.row["id"]]
    assert (count(rt, AUDIT_LOG), count(rt, OUTBOX), count(rt, IDEMPOTENCY_KEYS)) == (1, 1, 1)
    prepared = use_cases.check_entry(entry, rt.config, DAY)
    again, uow = run(rt, use_cases.log_activity, actor(E1), entry, prepared, key=key)
    assert again.stored_key is not None and again.stored_key.status_code == 201 and uow.published == []


def test_an_overlapping_entry_is_refused_and_writes_nothing(rt):
    log(rt)
    with pytest.raises(Conflict, match="overlaps your activity"):
        with rt.unit_of_work() as uow:
            entry = body(start_time="08:30", end_time="09:30")
            use_cases.log_activity(uow, actor(E1), entry, use_cases.check_entry(entry, rt.config, DAY))
    assert uow.published == [] and uow.audited == []
    assert count(rt, OUTBOX) == 1


def test_a_client_id_sent_again_is_a_replay_and_a_broken_rule_is_refused_before_the_database(rt):
    first, _ = log(rt, id="11111111-1111-4111-8111-111111111111")
    again, uow = log(rt, id="11111111-1111-4111-8111-111111111111")
    assert again.replayed and again.row["id"] == first.row["id"] and uow.published == [] and uow.audited == []
    with pytest.raises(InvalidField) as refused:
        use_cases.check_entry(body(start_time="10:00", end_time="09:00"), rt.config, DAY)
    assert refused.value.errors[0]["field"] == "end_time"


def test_a_batch_stores_each_entry_or_refuses_it_on_its_own(rt):
    entries = [body(), body(start_time="08:30", end_time="09:30"), body(start_time="10:00", end_time="11:00")]
    results, uow = run(rt, use_cases.log_batch, actor(E1), entries, rt.config)
    assert [r[0] for r in results] == ["stored", "error", "stored"]
    assert results[1][1].status == 409
    assert types(uow) == ["ActivityLogged", "ActivityLogged"] and actions(uow) == ["activity.logged"] * 2


def test_a_batch_answers_a_key_stored_before(rt):
    key = Pending(E1, "k-2", "/api/v1/activities/batch", "f" * 64)
    with rt.engine.begin() as conn:
        conn.execute(
            IDEMPOTENCY_KEYS.insert(),
            dict(
                principal=E1,
                idempotency_key="k-2",
                method="POST",
                path=key.path,
                fingerprint=key.fingerprint,
                state="done",
                status_code=207,
                response_body="{}",
                response_headers={},
                created_at=rt.clock.now(),
            ),
        )
    outcome, uow = run(rt, use_cases.log_batch, actor(E1), [body()], rt.config, key=key)
    assert isinstance(outcome, use_cases.Logged) and outcome.stored_key.status_code == 207 and uow.published == []


# -- the employee's changes ---------------------------------------------------------------------------


def test_edit_an_own_entry(rt):
    logged, _ = log(rt)
    updated, uow = run(
        rt,
        use_cases.edit_activity,
        actor(E1),
        logged.row["id"],
        {"description": "Berkas diperiksa"},
        rt.config,
        if_match=no_if_match,
    )
    assert updated.description == "Berkas diperiksa" and updated.version == 2
    assert types(uow) == ["ActivityUpdated"] and actions(uow) == ["activity.updated"]
    with pytest.raises(Forbidden):
        run(
            rt,
            use_cases.edit_activity,
            actor(R),
            logged.row["id"],
            {"description": "x"},
            rt.config,
            if_match=no_if_match,
        )


def test_withdraw_an_own_entry_once(rt):
    logged, _ = log(rt)
    updated, uow = run(
        rt, use_cases.withdraw_activity, actor(E1), logged.row["id"], "salah input", rt.config, if_match=no_if_match
    )
    assert updated.status == "withdrawn"
    assert types(uow) == ["ActivityWithdrawn"] and uow.audited[0]["reason"] == "salah input"
    with pytest.raises(InvalidTransition, match="it is withdrawn"):
        run(rt, use_cases.withdraw_activity, actor(E1), logged.row["id"], None, rt.config, if_match=no_if_match)


# -- verification and repairs ---------------------------------------------------------------------------


def test_the_rater_verifies(rt):
    logged, _ = log(rt)
    updated, uow = run(rt, use_cases.verify_activity, actor(R), logged.row["id"], "accepted")
    assert updated.status == "accepted" and updated.verified_by == R
    assert types(uow) == ["ActivityVerified"] and actions(uow) == ["activity.verified"]
    with pytest.raises(Forbidden, match="rater"):
        run(rt, use_cases.verify_activity, actor(E1), logged.row["id"], "accepted")
    with pytest.raises(NotFound):
        run(rt, use_cases.verify_activity, actor(OTHER), logged.row["id"], "accepted")


def test_bulk_verification_decides_each_entry_on_its_own(rt):
    a, _ = log(rt)
    b, _ = log(rt, start_time="10:00", end_time="11:00")
    items = [
        {"id": a.row["id"], "decision": "accepted"},
        {"id": b.row["id"], "decision": "rejected", "version": 7},
        {"id": "nope", "decision": "accepted"},
    ]
    results, uow = run(rt, use_cases.verify_bulk, actor(R), items)
    assert results[0][2].status == "accepted"
    assert isinstance(results[1][2], PreconditionFailed) and isinstance(results[2][2], NotFound)
    assert types(uow) == ["ActivityVerified"] and actions(uow) == ["activity.verified"]


def verified(rt) -> str:
    logged, _ = log(rt)
    run(rt, use_cases.verify_activity, actor(R), logged.row["id"], "accepted")
    return logged.row["id"]


def test_the_raters_superior_corrects_a_verified_entry(rt):
    activity_id = verified(rt)
    updated, uow = run(
        rt,
        use_cases.correct_activity,
        actor(H),
        activity_id,
        {"quantity": 3, "reason": "salah ketik"},
        if_match=no_if_match,
    )
    assert updated.quantity == 3 and updated.status == "accepted"
    assert types(uow) == ["ActivityCorrected"] and uow.published[0]["data"]["changes"]
    assert actions(uow) == ["activity.corrected"]
    with pytest.raises(Forbidden, match="superior"):
        run(rt, use_cases.correct_activity, actor(R), activity_id, {"quantity": 4, "reason": "x"}, if_match=no_if_match)


def test_an_admin_annuls_a_verified_entry_not_a_pending_one(rt):
    activity_id = verified(rt)
    updated, uow = run(rt, use_cases.annul_activity, ADMIN, activity_id, "ganda", if_match=no_if_match)
    assert updated.status == "annulled"
    assert types(uow) == ["ActivityAnnulled"] and actions(uow) == ["activity.annulled"]
    pending, _ = log(rt, start_time="13:00", end_time="14:00")
    with pytest.raises(InvalidTransition, match="allowed only once verified"):
        run(rt, use_cases.annul_activity, ADMIN, pending.row["id"], "ganda", if_match=no_if_match)


# -- evidence files ---------------------------------------------------------------------------------


def test_evidence_is_attached_read_and_removed(rt, tmp_path):
    cfg = dataclasses.replace(rt.config, evidence_dir=tmp_path)
    logged, _ = log(rt)
    activity_id = logged.row["id"]
    with rt.engine.connect() as conn:
        use_cases.may_attach(conn, actor(E1), activity_id, today=DAY)
        with pytest.raises(Forbidden):
            use_cases.may_attach(conn, actor(R), activity_id, today=DAY)
    upload = FileStorage(io.BytesIO(PDF_BYTES), filename="bukti.pdf", content_type="application/pdf")
    with use_cases.kept_file(upload, cfg) as kept:
        (item, updated), uow = run(rt, use_cases.attach_evidence, actor(E1), activity_id, "bukti.pdf", kept)
    assert (tmp_path / kept.stored_name).exists() and updated.evidence[-1] == item
    assert types(uow) == ["ActivityUpdated"] and actions(uow) == ["activity.evidence_added"]
    with rt.engine.connect() as conn:
        assert use_cases.evidence_file(conn, actor(R), activity_id, kept.file_id, today=DAY).sha256 == item["sha256"]
    with pytest.raises(Forbidden):
        run(rt, use_cases.remove_evidence, actor(R), activity_id, kept.file_id, if_match=no_if_match)
    (file_row, updated), uow = run(
        rt, use_cases.remove_evidence, actor(E1), activity_id, kept.file_id, if_match=no_if_match
    )
    assert file_row.stored_name == kept.stored_name and all(e["kind"] == "link" for e in updated.evidence)
    assert actions(uow) == ["activity.evidence_removed"]
    with pytest.raises(NotFound), rt.engine.connect() as conn:
        use_cases.evidence_file(conn, actor(E1), activity_id, kept.file_id, today=DAY)


def test_a_file_whose_change_fails_is_discarded(rt, tmp_path):
    cfg = dataclasses.replace(rt.config, evidence_dir=tmp_path)
    upload = FileStorage(io.BytesIO(PDF_BYTES), filename="bukti.pdf", content_type="application/pdf")
    with pytest.raises(NotFound):
        with use_cases.kept_file(upload, cfg) as kept:
            run(rt, use_cases.attach_evidence, actor(E1), "nope", "bukti.pdf", kept)
    assert not (tmp_path / kept.stored_name).exists()


# -- reads and summaries ----------------------------------------------------------------------------


def test_reads_show_what_the_caller_may_see(rt):
    logged, _ = log(rt)
    with rt.engine.connect() as conn:
        assert use_cases.get_activity(conn, actor(H), logged.row["id"], today=DAY).id == logged.row["id"]
        with pytest.raises(NotFound):
            use_cases.get_activity(conn, actor(OTHER), logged.row["id"], today=DAY)
        page = use_cases.list_activities(conn, actor(R), {"limit": 10, "month": "2026-03"}, today=DAY)
        assert [r.id for r in page.rows] == [logged.row["id"]] and page.next_cursor is None
        assert use_cases.list_activities(conn, actor(OTHER), {"limit": 10}, today=DAY).rows == []
        indicators = use_cases.list_indicators(conn, actor(R), E1, DAY, today=DAY)
        assert [i["indicator_id"] for i in indicators] == ["i1", "i2"]
        with pytest.raises(Forbidden):
            use_cases.list_indicators(conn, actor(OTHER), E1, DAY, today=DAY)


def test_summaries_of_a_month_and_of_a_day(rt):
    log(rt)
    with rt.engine.connect() as conn:
        month = use_cases.monthly_summary(conn, actor(E1), E1, "2026-03", rt.config, today=DAY)
        assert month["days_logged"] == 1 and month["indicators"][0]["text"] == "Dokumen i1"
        with pytest.raises(Forbidden):
            use_cases.monthly_summary(conn, actor(OTHER), E1, "2026-03", rt.config, today=DAY)
        day = use_cases.daily_summary(conn, actor(H), DAY, "bidang", rt.config, today=DAY)
        assert [m["nip"] for m in day["missing"]] == [E2] and day["logged"] == 1
        rated = use_cases.daily_summary(conn, actor(R), DAY, None, rt.config, today=DAY)
        assert [m["nip"] for m in rated["missing"]] == [E2]
        with pytest.raises(Forbidden):
            use_cases.daily_summary(conn, actor(E1), DAY, "bidang", rt.config, today=DAY)


def test_read_models_keep_the_newest_state(rt):
    older = employee_event(E1, "Nama Lama", "bidang", ["dinas", "bidang"], R)["data"]
    with rt.unit_of_work() as uow:
        use_cases.record_employee(uow, older, datetime(2020, 1, 1, tzinfo=UTC))
        use_cases.record_plan(
            uow, plan_event(E1, "plan-e1", ["old"], revision=0, start=date(2026, 1, 1), end=date(2026, 12, 31))["data"]
        )
    with rt.engine.connect() as conn:
        indicators = use_cases.list_indicators(conn, actor(E1), E1, DAY, today=DAY)
        assert [i["indicator_id"] for i in indicators] == ["i1", "i2"]
        assert directory_store.employee(conn, E1).name == E1
