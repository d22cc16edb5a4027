"""The read-model queries behind realisation per indicator aspect (see realisation.py)."""
from __future__ import annotations

from sqlalchemy import select

from kinerja_shared.numbers import MAX_ENTRY_QUANTITY

from . import domain, realisation
from .models import activities


def period_measurements(conn, plans_: list, period: domain.Period) -> dict[tuple[str, str], list[domain.Measurement]]:
    """The period's verified measurements, oldest first, of the indicators whose measure looks at each of them
    (quality latest/average, time duration/deadline): (plan id, indicator id) → [Measurement]."""
    wanted = {(p.id, i["indicator_id"]) for p in plans_ for r in p.results for i in r.get("indicators", [])
              if realisation.measure_of(i.get("aspect"), i.get("measure")) in realisation.PER_MEASUREMENT}
    if not wanted:
        return {}
    rows = conn.execute(
        select(activities.c.plan_id, activities.c.indicator_id, activities.c.date, activities.c.quantity)
        .where(activities.c.plan_id.in_(sorted({p for p, _ in wanted})),
               activities.c.indicator_id.in_(sorted({i for _, i in wanted})), activities.c.status == "accepted",
               activities.c.date >= period.start, activities.c.date <= period.end,
               activities.c.quantity.between(0, MAX_ENTRY_QUANTITY))
        .order_by(activities.c.date, activities.c.updated_at, activities.c.id)).all()
    out: dict[tuple[str, str], list[domain.Measurement]] = {}
    for row in rows:
        if (row.plan_id, row.indicator_id) in wanted:
            out.setdefault((row.plan_id, row.indicator_id), []).append(domain.Measurement(row.date, float(row.quantity)))
    return out
