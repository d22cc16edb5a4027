"""Summaries: one employee's month (the fact base of TPP and evaluation), and who has not logged on a day."""

from __future__ import annotations

from kinerja_shared.numbers import finite

from .. import access, action_summary, directory_store, domain, summary_queries
from .common import rules


def monthly_summary(conn, actor, nip: str, month: str, cfg, *, today) -> dict:
    """Minutes, entries and quantity per indicator, per result and per action (with its target), split into
    verified, pending and rejected; withdrawn and annulled entries count nowhere."""
    with rules():
        first, last = domain.month_bounds(month)
    if nip != actor.sub:
        access.require_sees_employee(conn, actor, nip, today=today)
    summary = domain.monthly_summary(summary_queries.month_per_indicator(conn, nip, first, last))
    summary.update(action_summary.per_action_and_result(conn, nip, month, first, last))
    days_logged = summary_queries.days_logged(conn, nip, first, last)
    texts = summary_queries.indicator_texts(conn, {i["plan_id"] for i in summary["indicators"]})
    for item in summary["indicators"]:
        known = texts.get((item["plan_id"], item["indicator_id"]))
        item.update(
            text=known.text if known else None,
            target_value=finite(known.target_value) if known else None,
            target_unit=known.target_unit if known else None,
        )
    return {
        "nip": nip,
        "month": month,
        "working_days": len(cfg.calendar.working_days(first, last)),
        "days_logged": days_logged,
        **summary,
    }


def daily_summary(conn, actor, day, unit_id: str | None, cfg, *, today) -> dict:
    """Who has not logged anything on a working day: a unit's subtree (its head, a head above it, or an admin),
    or the employees the caller rates. On a day off nobody is missing."""
    if unit_id:
        access.require_heads_unit(conn, actor, unit_id, today=today)
        staff = directory_store.staff(conn, unit_id=unit_id)
    else:
        staff = directory_store.staff(conn, rater_nip=actor.sub)
    logged = summary_queries.logged_on(conn, day, [s.nip for s in staff])
    working = cfg.calendar.is_working_day(day)
    missing = [dict(s._mapping) for s in staff if s.nip not in logged] if working else []
    return {
        "date": day,
        "unit_id": unit_id,
        "working_day": working,
        "holiday": cfg.calendar.holiday(day),
        "expected": len(staff) if working else 0,
        "logged": len(logged),
        "missing": missing,
    }
