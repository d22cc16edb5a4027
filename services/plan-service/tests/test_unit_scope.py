"""The unit scope (a unit's subtree, the units a head heads) at a cost independent of the directory's size: read
through the closure ``unit_ancestors``, kept in step with the units' paths by the directory's writes (a moved unit
takes its subtree along). Statement and row counts on an in-memory database, no timings."""

from __future__ import annotations

from memory_org import ADMIN_ACTOR, NOW, org, run
from plan_testkit import HEAD, OUTSIDER, RATER

from kinerja_shared import unit_tree
from kinerja_shared.testing.directory import add_units, recorded_statements, wide_directory
from kinerja_shared.testing.memory import actor
from plan_service import access, relations_store
from plan_service.models import unit_ancestors, units
from plan_service.use_cases import directory

TODAY = NOW.date()


def scope_of(rt, nip: str) -> set[str]:
    with rt.unit_of_work() as uow:
        return access.headed_units(uow.conn, actor(nip, "supervisor"), TODAY)


def test_a_moved_unit_takes_its_subtree_into_the_new_heads_scope():
    rt = org()
    assert scope_of(rt, HEAD) == {"dinas", "bidang", "seksi"} and scope_of(rt, OUTSIDER) == {"lain"}
    run(
        rt,
        directory.put_unit,
        ADMIN_ACTOR,
        "bidang",
        {"name": "Bidang Pelayanan", "parent_id": "lain", "head_nip": RATER},
    )
    assert scope_of(rt, HEAD) == {"dinas"}
    assert scope_of(rt, OUTSIDER) == {"lain", "bidang", "seksi"}
    assert scope_of(rt, RATER) == {"bidang", "seksi"}
    with rt.unit_of_work() as uow:
        assert access.completion_scope(uow.conn, ADMIN_ACTOR, "lain", today=TODAY) == {"lain", "bidang", "seksi"}


def test_the_closure_answers_what_scanning_every_path_answered():
    rt = org()
    with rt.engine.connect() as conn:
        every = {r.id: r.path for r in conn.execute(units.select())}
        for root in [*every, "nowhere"]:
            scanned = {u for u, path in every.items() if root in path} | {root}
            assert relations_store.subtree(conn, {root}) == scanned
        assert relations_store.subtree(conn, set()) == set()


def test_a_scope_check_reads_the_subtree_only_with_10000_units():
    rt = org()
    add_units(rt.engine, units, unit_ancestors, wide_directory(10_000))
    with rt.engine.connect() as conn:
        assert len(conn.execute(unit_ancestors.select()).all()) > 19_000
        with recorded_statements(rt.engine) as sent:
            found = relations_store.subtree(conn, {"opd-00042"})
        assert found == {"opd-00042", *(f"opd-00042-s{i:03d}" for i in range(1, 100))}
        assert len(sent) == 1 and "FROM unit_ancestors" in sent[0] and "WHERE" in sent[0]
        plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sent[0], ("opd-00042",)))
        assert "SEARCH" in plan and "SCAN" not in plan  # by the primary key's ancestor_id, not a pass over all rows
    with recorded_statements(rt.engine) as sent:
        assert scope_of(rt, HEAD) == {"dinas", "bidang", "seksi"}
    assert not [s for s in sent if "FROM units" in s and "WHERE" not in s]  # no statement lists every unit
    few = org()
    with recorded_statements(few.engine) as small:
        scope_of(few, HEAD)
    assert len(sent) == len(small)  # the same statements with 4 units or 10,004


def test_the_closure_is_idempotent():
    rt = org()
    with rt.engine.begin() as conn:
        before = sorted(conn.execute(unit_ancestors.select()).all())
        paths = {r.id: r.path for r in conn.execute(units.select())}
        unit_tree.set_paths(conn, unit_ancestors, paths)
        unit_tree.set_paths(conn, unit_ancestors, paths)
        assert sorted(conn.execute(unit_ancestors.select()).all()) == before
