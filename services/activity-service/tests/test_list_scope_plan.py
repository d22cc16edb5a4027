"""A head's view of the month list reads their subtree's members through ``employee_ancestors`` (an index), so its
cost grows with the subtree, not with the directory: with 20,000 employees in 200 OPDs PostgreSQL's plan for the
head's list reads no employee row outside the caller's own (the old ``unit_path`` substring test read them all)."""

import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from activity_service import list_queries
from activity_service.service import SPEC

sys.path.insert(0, str(Path(__file__).parent))
from activity_testkit import H, feed, org_events  # noqa: E402

EMPLOYEES = 20_000
NIP = "'8' || lpad(g::text, 17, '0')"  # 18 digits, one per g


@pytest.fixture
def big(service_factory):
    h = service_factory(SPEC)
    if h.engine.dialect.name != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    feed(h, *org_events())
    with h.engine.begin() as conn:  # 200 OPDs of 100 employees each, written set-based as the handler writes them
        conn.execute(
            text(
                "INSERT INTO employees (nip, name, unit_id, unit_path, rater_nip, is_unit_head, active, source_time,"
                f" updated_at) SELECT {NIP}, 'P' || g, 'opd' || (g % 200), '/opd' || (g % 200) || '/',"
                " NULL, false, true, '2026-01-01T00:00:00Z', now() FROM generate_series(1, :n) g"
            ),
            {"n": EMPLOYEES},
        )
        conn.execute(
            text(
                f"INSERT INTO employee_ancestors (ancestor_id, nip) SELECT 'opd' || (g % 200), {NIP}"
                " FROM generate_series(1, :n) g"
            ),
            {"n": EMPLOYEES},
        )
        conn.execute(text("ANALYZE employees"))
        conn.execute(text("ANALYZE employee_ancestors"))
    return h


def plan(h, filters: frozenset) -> str:
    query = list_queries.list_query("postgresql", filters, "caller")
    compiled = query.compile(dialect=h.engine.dialect)
    params = {
        **compiled.params,
        "me": H,
        "today": date.today(),
        "first": date(2026, 1, 1),
        "last": date(2026, 1, 31),
        "subtree_of": "dinas",
        "limit": 101,
    }
    with h.engine.connect() as conn:
        rows = conn.exec_driver_sql(f"EXPLAIN {compiled.string}", params).scalars()
        return "\n".join(rows)


@pytest.mark.parametrize("filters", [frozenset({"month"}), frozenset({"month", "unit_id"})], ids=["month", "unit"])
def test_a_heads_list_reads_the_subtree_by_index_not_every_employee(big, filters):
    shown = plan(big, filters)
    assert "Seq Scan on employees" not in shown, shown
    assert "employee_ancestors" in shown, shown
