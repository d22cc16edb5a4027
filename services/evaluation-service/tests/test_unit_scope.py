"""The unit scope as evaluation-service keeps it: the closure ``unit_ancestors`` follows the units' paths in the
EmployeeUpserted events (a moved unit takes its subtree along) and a subtree is one indexed read of its own rows,
whatever the directory's size. Statement counts and query plans on an in-memory database, no timings."""

from __future__ import annotations

from sqlalchemy import text

from evaluation_service import access
from evaluation_service import directory_queries as directory
from evaluation_service.models import unit_ancestors, units
from evaluation_service.service import SPEC
from evaluation_service.use_cases import read_models
from kinerja_shared.config import Settings
from kinerja_shared.db import make_engine
from kinerja_shared.migrations import upgrade
from kinerja_shared.testing.directory import add_units, recorded_statements, wide_directory

from .use_case_world import EMPLOYEE, HEAD, RATER, person, who, world

OTHER_HEAD = "197502021998021009"


def test_a_moved_unit_takes_its_subtree_into_the_new_heads_scope():
    rt = world()
    with rt.unit_of_work() as uow:
        read_models.record_employee(uow, {**person(OTHER_HEAD, "opd-x", None, head=True), "unit_path": ["opd-x"]})
        assert directory.subtree(uow.conn, {"opd"}) == {"opd", "opd-b1"}
        assert access.unit_scope(uow, who(HEAD)) == {"opd", "opd-b1"}
    with rt.unit_of_work() as uow:  # opd-b1 moves under opd-x: its people arrive with their new path
        for nip, rater in ((RATER, OTHER_HEAD), (EMPLOYEE, RATER)):
            data = person(nip, rater=rater, head=nip == RATER)
            read_models.record_employee(uow, {**data, "unit_path": ["opd-x", "opd-b1"]})
    with rt.unit_of_work() as uow:
        assert directory.subtree(uow.conn, {"opd"}) == {"opd"}
        assert directory.subtree(uow.conn, {"opd-x"}) == {"opd-x", "opd-b1"}
        assert access.unit_scope(uow, who(OTHER_HEAD)) == {"opd-x", "opd-b1"}


def test_a_subtree_reads_its_own_rows_only_with_10000_units():
    rt = world()
    add_units(rt.engine, units, unit_ancestors, wide_directory(10_000))
    with rt.engine.connect() as conn:
        with recorded_statements(rt.engine) as sent:
            found = directory.subtree(conn, {"opd-00042"})
        assert found == {"opd-00042", *(f"opd-00042-s{i:03d}" for i in range(1, 100))}
        assert len(sent) == 1 and "FROM unit_ancestors" in sent[0]
        plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sent[0], ("opd-00042",)))
        assert "SEARCH" in plan and "SCAN" not in plan  # by the primary key's ancestor_id, not a pass over all rows
    with rt.unit_of_work() as uow, recorded_statements(rt.engine) as sent:
        assert access.unit_scope(uow, who(HEAD)) == {"opd", "opd-b1"}
    assert not [s for s in sent if "FROM units" in s and "WHERE" not in s]  # no statement lists every unit
    few = world()
    with few.unit_of_work() as uow, recorded_statements(few.engine) as small:
        access.unit_scope(uow, who(HEAD))
    assert len(sent) == len(small)  # the same statements with 2 units or 10,002


def test_the_migration_fills_the_closure_of_the_units_already_stored(tmp_path):
    settings = Settings.from_env(SPEC.name, {"DATABASE_URL": f"sqlite:///{tmp_path}/evaluation.db"})
    upgrade(SPEC, settings, "0006_documents")
    engine = make_engine(settings.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO units (id, path, updated_at) VALUES (:id, :path, '2026-01-01 00:00:00')"),
                [{"id": "opd", "path": '["opd"]'}, {"id": "opd-b1", "path": '["opd", "opd-b1"]'}],
            )
        upgrade(SPEC, settings)
        with engine.connect() as conn:
            rows = sorted(tuple(r) for r in conn.execute(text("SELECT ancestor_id, unit_id FROM unit_ancestors")))
    finally:
        engine.dispose()
    assert rows == [("opd", "opd"), ("opd", "opd-b1"), ("opd-b1", "opd-b1")]
