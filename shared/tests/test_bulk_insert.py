"""Many rows in one statement (``kinerja_shared.bulk_insert.insert_rows``): what goes in is what a per-row insert
would store, in the given order, on PostgreSQL and on SQLite; on PostgreSQL one statement text serves any
number of rows, with one parameter."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import JSON, Column, Date, Float, MetaData, String, Table, event, select

from kinerja_shared.bulk_insert import insert_rows
from kinerja_shared.db import BigId, UTCDateTime, make_engine

METADATA = MetaData()
ITEMS = Table(
    "items",
    METADATA,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("code", String(20), nullable=False, unique=True),
    Column("day", Date, nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("amount", Float, nullable=False),
    Column("doc", JSON),
    Column("note", String(200), nullable=False, default="none given"),
)
JAKARTA = timezone(timedelta(hours=7))


def _make_engine(kind: str, new_database, tmp_path):
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'bulk.db'}"
    else:
        url = new_database("bulk")
        if not url.startswith("postgresql"):
            pytest.skip("no PostgreSQL server for this run")
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = make_engine(url)
    METADATA.create_all(engine)
    return engine


@pytest.fixture(params=["postgresql", "sqlite"])
def engine(request, new_database, tmp_path):
    engine = _make_engine(request.param, new_database, tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_engine(new_database, tmp_path):
    """The JSON path is PostgreSQL's: its statement and its refusals."""
    engine = _make_engine("postgresql", new_database, tmp_path)
    yield engine
    engine.dispose()


def _row(i: int, **over) -> dict:
    row = {
        "code": f"c{i}",
        "day": date(2026, 1, 1) + timedelta(days=i),
        "at": datetime(2026, 1, 5, 8, i, tzinfo=JAKARTA),
        "amount": 0.1 * i,
        "doc": {"kind": "link", "urls": [f"https://arsip.example/{i}"], "n": i, "ok": True, "none": None},
    }
    row.update(over)
    return row


def test_rows_go_in_in_order_with_defaults_and_the_values_a_per_row_insert_stores(engine):
    rows = [_row(i) for i in range(30)] + [_row(30, doc=["a", 1]), _row(31, doc="just text")]
    with engine.begin() as conn:
        insert_rows(conn, ITEMS, rows)
    with engine.connect() as conn:
        stored = conn.execute(select(ITEMS).order_by(ITEMS.c.id)).all()
    assert [r.code for r in stored] == [r["code"] for r in rows]  # ids follow the list: an outbox keeps its order
    for got, sent in zip(stored, rows):
        assert got.day == sent["day"]
        assert got.at == sent["at"] and got.at.utcoffset() == timedelta(0)  # UTCDateTime: stored in UTC
        assert got.amount == pytest.approx(sent["amount"])
        assert got.doc == sent["doc"]  # JSON nested as JSON: objects, lists, a string stay what they were
        assert got.note == "none given"  # a column left out gets its default


def test_on_conflict_do_nothing_leaves_out_the_refused_rows_and_returns_the_others(engine):
    with engine.begin() as conn:
        insert_rows(conn, ITEMS, [_row(1), _row(3)])
        result = insert_rows(
            conn, ITEMS, [_row(i) for i in range(5)], on_conflict_do_nothing=True, returning=(ITEMS.c.code,)
        )
        assert sorted(result.scalars()) == ["c0", "c2", "c4"]
        assert conn.execute(select(ITEMS.c.code).order_by(ITEMS.c.code)).scalars().all() == [f"c{i}" for i in range(5)]


def test_one_statement_text_and_one_parameter_for_any_number_of_rows(pg_engine):
    engine = pg_engine
    sent: list = []
    event.listen(engine, "before_cursor_execute", lambda c, cur, stmt, params, ctx, many: sent.append((stmt, params)))
    with engine.begin() as conn:
        insert_rows(conn, ITEMS, [_row(i) for i in range(2)])
        insert_rows(conn, ITEMS, [_row(i) for i in range(2, 52)])
    (first, p1), (second, p2) = sent
    assert first == second and "json_populate_recordset" in first
    assert len(p1) == len(p2) == 1  # psycopg caches (and prepares) a query of at most 50 parameters


def test_rows_must_share_their_keys(pg_engine):
    engine = pg_engine
    with engine.begin() as conn, pytest.raises(ValueError, match="same keys"):
        insert_rows(conn, ITEMS, [_row(1), {**_row(2), "note": "extra"}])


def test_a_non_finite_amount_is_refused_not_stored(pg_engine):
    engine = pg_engine
    with engine.begin() as conn, pytest.raises(ValueError):
        insert_rows(conn, ITEMS, [_row(1), _row(2, amount=float("nan"))])


def test_no_rows_is_nothing(engine):
    with engine.begin() as conn:
        assert insert_rows(conn, ITEMS, []) is None
