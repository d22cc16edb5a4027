"""The logging hot paths stay as few round trips as the benchmark was measured with (PostgreSQL).

POST one activity is two statements, with or without an Idempotency-Key: the context read (no lock; the
exclusion constraint keeps entries from overlapping), then the entry with its audit row, its event and the
key's answer in one statement (``store.log_pending`` behind the unit of work), with no BEGIN and COMMIT around
them (``single_statement``: that statement is its own transaction). A batch adds the reads of its ids and of the
stored entries its entries may clash with, and writes entries, audit rows, events (and the key) as one multi-row
insert each.
"""

import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import E1, entry, five_minute_entries, started, today  # noqa: E402


@pytest.fixture
def svc(service_factory):
    return started(service_factory)


@contextmanager
def statements(engine):
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.split(None, 1)[0].upper())

    def begin(conn):
        if not conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            seen.append("BEGIN")

    event.listen(engine, "before_cursor_execute", count)
    event.listen(engine, "begin", begin)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)
        event.remove(engine, "begin", begin)


@pytest.mark.parametrize("with_key", [False, True])
def test_post_one_activity_is_two_statements(svc, with_key):
    headers = {**svc.token(E1), **({"Idempotency-Key": str(uuid.uuid4())} if with_key else {})}
    with statements(svc.engine) as seen:
        response = svc.client.post("/api/v1/activities", json=entry(id=str(uuid.uuid4())), headers=headers)
    assert response.status_code == 201, response.get_json()
    assert seen == ["SELECT", "WITH"], seen  # no BEGIN/COMMIT: the WITH ... INSERT is its own transaction
    if with_key:
        assert svc.scalar("SELECT count(*) FROM idempotency_keys") == 1


def test_a_batch_reads_once_and_writes_each_kind_of_row_once(svc):
    items = [entry(id=str(uuid.uuid4()), start_time=f"{8 + i:02d}:00", end_time=f"{8 + i:02d}:30") for i in range(3)]
    headers = {**svc.token(E1), "Idempotency-Key": str(uuid.uuid4())}
    with statements(svc.engine) as seen:
        response = svc.client.post("/api/v1/activities/batch", json={"items": items}, headers=headers)
    assert response.status_code == 207 and response.get_json()["stored"] == 3
    # context, the key's answer, the ids, the entries that may clash; entries, audit rows, events, the key
    assert len(seen) == 9 and seen[0] == "BEGIN", seen


def test_a_batch_sends_the_same_statements_whatever_its_size(svc):
    """Entries, audit rows and events go as one JSON parameter each (kinerja_shared.bulk_insert): the statement
    texts of a batch of 3 and of 40 are the same, each with few parameters, so psycopg and PostgreSQL reuse
    their prepared forms instead of parsing a statement of a parameter per cell every time."""
    if svc.engine.dialect.name != "postgresql":
        pytest.skip("the statements PostgreSQL prepares")
    sent: list[list] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        sent[-1].append((statement, len(parameters)))

    event.listen(svc.engine, "before_cursor_execute", keep)
    try:
        for first, size in ((0, 3), (3, 40)):
            sent.append([])
            items = [
                entry(id=str(uuid.uuid4()), start_time=f"{8 + i // 6:02d}:{i % 6 * 10:02d}", end_time=None)
                for i in range(first, first + size)
            ]
            for item in items:
                h, m = map(int, item["start_time"].split(":"))
                item["end_time"] = f"{h:02d}:{m + 5:02d}"
            response = svc.client.post("/api/v1/activities/batch", json={"items": items}, headers=svc.token(E1))
            assert response.status_code == 207 and response.get_json()["stored"] == size, response.get_json()
    finally:
        event.remove(svc.engine, "before_cursor_execute", keep)
    small, large = sent
    assert [s for s, _ in small] == [s for s, _ in large]
    writes = [(s, n) for s, n in large if s.startswith("INSERT")]
    assert len(writes) == 3 and all(n <= 50 for _, n in writes), writes  # entries, audit rows, events


def test_a_batch_reads_only_the_stored_entries_its_entries_overlap(svc):
    """On PostgreSQL the batch's clash read returns the stored entries that overlap one of its entries, found
    through the exclusion constraint's index, not their whole days: a batch costs the same into a day of 60
    entries as into an empty one. (SQLite, the laptop default, reads the days whole.)"""
    from activity_service import store

    stored = svc.client.post(
        "/api/v1/activities/batch", json={"items": five_minute_entries(60)}, headers=svc.token(E1)
    ).get_json()
    assert stored["stored"] == 60
    windows = [(today(), 9 * 60 + 2, 9 * 60 + 12), (today(), 12 * 60, 12 * 60 + 30)]  # 3 clashes, then none
    with svc.engine.connect() as conn:
        read = store.occupied(conn, E1, windows)
    if svc.engine.dialect.name == "postgresql":
        assert sorted(r.start_min for r in read) == [540, 545, 550]
    else:
        assert len(read) == 60
