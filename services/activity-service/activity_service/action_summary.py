"""The monthly summary per action (rencana aksi) and per result: beside the per-indicator figures, what the month's
entries realised of each agreed action planned for the month (or its quarter) and of each result."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Connection

from kinerja_shared.numbers import finite

from . import domain, summary_queries


def _fold(buckets: dict, row) -> None:
    name = domain.SUMMARY_BUCKETS.get(row.status)
    if name is None:
        return
    target = buckets[name]
    quantity = finite(row.quantity or 0)
    target["minutes"] += int(row.minutes or 0)
    target["entries"] += int(row.entries or 0)
    target["quantity"] = round(target["quantity"] + (quantity or 0.0), 6)
    target["quantity_excluded"] += int(row.quantity_excluded or 0) + (1 if quantity is None else 0)


def _buckets() -> dict:
    return {name: domain._bucket() for name in domain.SUMMARY_BUCKETS.values()}


def per_action_and_result(conn: Connection, nip: str, month: str, first: date, last: date) -> dict:
    """``actions``: the agreed actions planned for the month or its quarter, and any the month's entries name, each
    with its target and the entries' buckets; ``results``: the month's entries per result."""
    rows = summary_queries.month_per_action(conn, nip, first, last)
    named = {r.action_id for r in rows if r.action_id}
    known = {a.action_id: a for a in summary_queries.planned_actions(conn, nip, month)}
    missing = named - set(known)
    if missing:
        known.update({a.action_id: a for a in summary_queries.actions_by_id(conn, sorted(missing))})
    actions: dict[str, dict] = {}
    for action_id in sorted(set(known) | named, key=lambda a: (known[a].period if a in known else "", a)):
        a = known.get(action_id)
        actions[action_id] = {
            "action_id": action_id,
            "plan_id": a.plan_id if a else None,
            "result_id": a.result_id if a else None,
            "indicator_id": a.indicator_id if a else None,
            "period": a.period if a else None,
            "text": a.text if a else None,
            "target_value": finite(a.target_value) if a else None,
            "target_unit": a.target_unit if a else None,
            "agreed": a is not None,
            **_buckets(),
        }
    results: dict[tuple, dict] = {}
    for r in rows:
        if r.action_id:
            _fold(actions[r.action_id], r)
        entry = results.setdefault(
            (r.plan_id, r.result_id), {"plan_id": r.plan_id, "result_id": r.result_id, "text": None, **_buckets()}
        )
        _fold(entry, r)
    if results:
        texts = summary_queries.result_texts(conn, sorted({k[0] for k in results}))
        for key, entry in results.items():
            entry["text"] = texts.get(key)
    return {
        "actions": list(actions.values()),
        "results": sorted(results.values(), key=lambda e: (e["plan_id"] or "", e["result_id"] or "")),
    }
