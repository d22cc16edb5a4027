"""The read models activity-service keeps from plan-service's events (called by ``handlers`` in the consumer's
transaction). An older event (a lower plan revision, an earlier employee change) never overwrites a newer state,
so a replayed dead letter cannot roll the read model back."""

from __future__ import annotations

from datetime import date

from .. import read_model_store


def unit_path_text(path: list[str]) -> str:
    """['opd', 'sub'] -> '/opd/sub/' (what the unit-head subtree filter matches on)."""
    return "/" + "".join(f"{unit}/" for unit in path)


def record_employee(uow, d: dict, source_time) -> None:
    """Keep who the employee is, where in the unit tree, and who rates them."""
    path = list(d.get("unit_path") or [])
    if not path or path[-1] != d["unit_id"]:
        path.append(d["unit_id"])
    row = dict(
        nip=d["nip"],
        name=d["name"],
        unit_id=d["unit_id"],
        unit_path=unit_path_text(path),
        rater_nip=d.get("rater_nip"),
        rater_superior_nip=d.get("rater_superior_nip"),
        is_unit_head=bool(d.get("is_unit_head")),
        active=bool(d.get("active", True)),
        source_time=source_time,
        updated_at=uow.now(),
    )
    read_model_store.upsert_employee(uow.conn, row, source_time)


def record_plan(uow, d: dict) -> None:
    """An approved plan (or a new revision of it): its span and the indicators that may be logged against."""
    current = read_model_store.plan_revision(uow.conn, d["plan_id"])
    if current is not None and current > d["revision"]:
        return  # an older revision arriving late
    row = dict(
        plan_id=d["plan_id"],
        nip=d["nip"],
        rater_nip=d.get("rater_nip"),
        unit_id=d["unit_id"],
        year=d["year"],
        period_start=date.fromisoformat(d["period_start"]),
        period_end=date.fromisoformat(d["period_end"]),
        revision=d["revision"],
        updated_at=uow.now(),
    )
    indicators = [
        dict(
            plan_id=d["plan_id"],
            indicator_id=i["indicator_id"],
            nip=d["nip"],
            result_id=r["result_id"],
            result_kind=r["kind"],
            result_text=r["text"],
            aspect=i["aspect"],
            text=i["text"],
            target_value=i.get("target_value"),
            target_unit=i.get("target_unit"),
            measure=i.get("measure"),
            deadline_day=i.get("deadline_day"),
        )
        for r in d["results"]
        for i in r["indicators"]
    ]
    # An indicator id repeated across results would break the key; the first one wins.
    unique = list({i["indicator_id"]: i for i in reversed(indicators)}.values())
    read_model_store.replace_plan(uow.conn, row, unique, known=current is not None)
