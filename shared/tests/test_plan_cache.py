"""A statement's plan does not depend on the table's history (PostgreSQL): prepared while the table was empty,
it still reads by index once the table has filled, before any ANALYZE (``kinerja_shared.db.make_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, select, text

from kinerja_shared.db import make_engine

ROWS = Table("rows", MetaData(), Column("id", String(64), primary_key=True), Column("n", Integer, nullable=False))
BY_IDS = select(ROWS).where(ROWS.c.id.in_(bindparam("ids", expanding=True)))
IDS = [f"id{i * 7}" for i in range(50)]


@pytest.fixture
def engine(new_database):
    url = new_database("plans")
    if not url.startswith("postgresql"):
        pytest.skip("PostgreSQL's plan cache")
    engine = make_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    yield engine
    engine.dispose()


def test_a_lookup_prepared_on_an_empty_table_reads_by_index_after_it_filled(engine):
    with engine.connect() as conn:
        ROWS.create(conn)
        conn.commit()
        conn.execute(text("ANALYZE rows"))  # the statistics of an empty table, as on a fresh install
        conn.commit()
        for _ in range(20):  # past psycopg's prepare_threshold (5), PostgreSQL's five custom plans, a generic one
            conn.execute(BY_IDS, {"ids": IDS}).all()
        conn.execute(text("INSERT INTO rows SELECT 'id' || g, g FROM generate_series(0, 199999) g"))  # no ANALYZE
        conn.commit()
        assert len(conn.execute(BY_IDS, {"ids": IDS}).all()) == 50
        name, generic_plans = conn.execute(
            text("SELECT name, generic_plans FROM pg_prepared_statements WHERE statement LIKE 'SELECT rows.id%'")
        ).one()
        literals = ", ".join(f"'{i}'" for i in IDS)  # constants of this test
        plan = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN EXECUTE {name}({literals})"))
    assert generic_plans == 0, (generic_plans, plan)
    assert "Seq Scan" not in plan and "rows_pkey" in plan, plan
