"""UTCDateTime reads back an aware UTC datetime on SQLite as on PostgreSQL, and orders the same way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, select

from kinerja_shared.db import UTCDateTime

WIB = timezone(timedelta(hours=7))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path, new_database):
    url = (
        f"sqlite:///{tmp_path / 'types.db'}"
        if request.param == "sqlite"
        else new_database("types").replace("postgresql://", "postgresql+psycopg://", 1)
    )
    engine = create_engine(url)
    yield engine
    engine.dispose()


def test_timestamps_come_back_aware_in_utc_and_compare_as_instants(engine):
    table = Table("stamps", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime()))
    table.metadata.create_all(engine)
    noon_wib = datetime(2026, 3, 10, 12, 0, tzinfo=WIB)  # 05:00 UTC
    with engine.begin() as conn:
        conn.execute(
            table.insert(),
            [
                {"id": 1, "at": noon_wib},
                {"id": 2, "at": datetime(2026, 3, 10, 6, 0, tzinfo=UTC)},
                {"id": 3, "at": datetime(2026, 3, 10, 4, 0)},  # naive: taken as UTC
                {"id": 4, "at": None},
            ],
        )
        rows = dict(conn.execute(select(table.c.id, table.c.at)).all())
        later = [
            r
            for (r,) in conn.execute(
                select(table.c.id).where(table.c.at > datetime(2026, 3, 10, 11, 30, tzinfo=WIB)).order_by(table.c.at)
            )
        ]
    assert rows[1] == noon_wib and rows[1].utcoffset() == timedelta(0)
    assert rows[2].tzinfo is not None and rows[3] == datetime(2026, 3, 10, 4, 0, tzinfo=UTC)
    assert rows[4] is None
    assert max(rows[1], rows[2]) == rows[2]  # aware values compare with each other (no TypeError)
    assert later == [1, 2]  # 04:30 UTC and later, as instants, not as wall-clock text
