"""How an evaluation is shown: its row as the API answers it, the form's results with their realisation, the
employee's coefficient, cursors. Plain functions over rows (no SQL, no Flask)."""

from __future__ import annotations

import json
from datetime import datetime

from kinerja_shared.errors import InvalidField
from kinerja_shared.numbers import finite
from kinerja_shared.web.pagination import decode_cursor, encode_cursor

from . import domain

CREDIT_RULE = "share of the predicate × yearly coefficient of the level × months / 12, rounded half up to two decimals"


def period_of(row) -> domain.Period:
    return domain.Period(row.period_id, row.period_kind, row.period_start, row.period_end)


def eval_out(row) -> dict:
    out = dict(row._mapping)
    out["credit_points"] = finite(out.get("credit_points"))
    out["period"] = period_of(row).as_dict()
    for name in ("period_id", "period_kind", "period_start", "period_end", "year"):
        out.pop(name, None)
    return out


def jsonable(value):
    return json.loads(json.dumps(value, default=str))


def time_cursor(cursor: str) -> tuple[datetime, str]:
    """The (time, id) a page's ``next_cursor`` points after; 400 naming ``cursor`` when it is not ours."""
    try:
        stamp, _, last_id = decode_cursor(cursor).partition("|")
        return datetime.fromisoformat(stamp), last_id
    except Exception:
        raise InvalidField("cursor", "is not one this service gave out", status=400) from None


def next_cursor(rows: list, limit: int, stamp: str) -> tuple[list, str | None]:
    """The page's rows (``limit`` of the ``limit`` + 1 read) and the cursor after the last (by ``stamp``, id)."""
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor(f"{getattr(rows[-1], stamp).isoformat()}|{rows[-1].id}") if more else None)


def parse_period(period_id: str, field: str = "period_id") -> domain.Period:
    try:
        return domain.parse_period(period_id)
    except domain.DomainError as exc:
        raise InvalidField(field, exc.message) from None


def coefficient(emp, plan=None) -> domain.Coefficient:
    """The employee's yearly coefficient: from their functional level (the directory's jenjang); only without a
    level the legacy typed-in coefficient (the directory's, else the plan's); none when absent or outside the bounds."""
    legacy = (
        emp.functional_coefficient
        if emp is not None and emp.functional_coefficient is not None
        else (plan.functional_coefficient if plan is not None else None)
    )
    return domain.yearly_coefficient(emp.functional_level if emp is not None else None, legacy)


def coefficient_note(nip: str, coefficient: domain.Coefficient) -> str | None:
    if coefficient.source == domain.FROM_LEGACY_COEFFICIENT:
        return (
            f"No functional level (jenjang) is known for {nip}: the credit points use the old typed-in "
            f"coefficient {coefficient.value:g} until the directory gives the level."
        )
    if coefficient.source is None:
        return f"{nip} has no functional level (jenjang) in the directory: no credit points."
    return None


_NO_SUMS = {"q_in": 0.0, "q_to_date": 0.0, "m_in": 0, "pending": 0, "excluded": 0, "n_in": 0}


def _by_indicator(plan_id: str, sums) -> dict[str, dict]:
    by_indicator: dict[str, dict] = {}
    for s in sums:
        if s.plan_id != plan_id:
            continue
        entry = by_indicator.setdefault(s.indicator_id, dict(_NO_SUMS))
        if s.status == "accepted":
            entry["q_in"] += finite(s.q_in) or 0.0
            entry["q_to_date"] += finite(s.q_to_date) or 0.0
            entry["excluded"] += int(s.x_to_date or 0)
            entry["m_in"] += int(s.m_in or 0)
            entry["n_in"] += int(s.n_in or 0)
        elif s.status == "pending":
            entry["pending"] += int(s.n_in or 0)
    return by_indicator


def results_view(
    plan, period: domain.Period, sums, form: dict, continuous: list[dict], measurements: dict | None = None
) -> list[dict]:
    """The plan's results with their indicators' realisation (by each indicator's aspect and measure), the
    form's entries and the continuous feedback."""
    by_indicator = _by_indicator(plan.id, sums)
    form_results = {r["result_id"]: r for r in (form or {}).get("results", [])}
    measurements = measurements or {}
    out = []
    for result in plan.results:
        indicators, realised = [], []
        for ind in result.get("indicators", []):
            sums_ = by_indicator.get(ind["indicator_id"], _NO_SUMS)
            facts = domain.IndicatorFacts(
                realised_in_period=sums_["q_in"],
                realised_to_date=sums_["q_to_date"],
                verified_in_period=sums_["n_in"],
                pending_in_period=sums_["pending"],
                quantity_excluded=sums_["excluded"],
                measurements=tuple(measurements.get((plan.id, ind["indicator_id"]), ())),
            )
            r = domain.realise(ind, facts, plan.period_start, plan.period_end, period.end)
            realised.append(r)
            indicators.append(
                {
                    **r.as_dict(),
                    "text": ind.get("text"),
                    "target_unit": ind.get("target_unit"),
                    "minutes_in_period": sums_["m_in"],
                    "pending_in_period": sums_["pending"],
                }
            )
        overall = domain.result_realisation(realised)
        computed = domain.assessment_from_percent(overall.percent)
        entry = form_results.get(result["result_id"], {})
        out.append(
            {
                "result_id": result["result_id"],
                "kind": result.get("kind"),
                "text": result.get("text"),
                "perspective": result.get("perspective"),
                "indicators": indicators,
                "percent": overall.percent,
                "level": overall.level,
                "computed_assessment": computed,
                "assessment": entry.get("assessment") or computed,
                "form": {
                    "realisation": entry.get("realisation"),
                    "feedback": entry.get("feedback"),
                    "assessment": entry.get("assessment"),
                },
                "continuous_feedback": [f for f in continuous if f["result_id"] == result["result_id"]],
            }
        )
    return out
