"""GET /api/v1/indicators, /api/v1/summaries/monthly and /daily: what an employee may log against, their month,
and who has not logged on a day."""

from __future__ import annotations

from kinerja_shared.web.app_factory import current_principal, runtime
from kinerja_shared.web.docs import errors as _errors

from . import use_cases
from .api import indicators_blp, summaries_blp
from .config import current_config
from .schemas import DailyQuery, DailyUnitOut, IndicatorList, IndicatorQuery, MonthlyQuery, MonthlySummaryOut


@indicators_blp.route("")
@indicators_blp.arguments(IndicatorQuery, location="query")
@indicators_blp.response(200, IndicatorList)
@_errors(indicators_blp, (422, "Bad NIP or date"))
def list_indicators(args):
    """The indicators of the approved plan(s) in force on a date (default: today) that an employee may log against."""
    principal, rt = current_principal(), runtime()
    nip = args.get("nip") or principal.sub
    day = args.get("date") or rt.today()
    with rt.engine.connect() as conn:
        rows = use_cases.list_indicators(conn, principal, nip, day, today=rt.today())
    return {"nip": nip, "date": day, "items": rows}


@summaries_blp.route("/monthly")
@summaries_blp.arguments(MonthlyQuery, location="query")
@summaries_blp.response(200, MonthlySummaryOut)
@_errors(summaries_blp, (422, "Bad NIP or month"))
def monthly_summary(args):
    """One employee's month: minutes, entries and quantity per indicator, split into verified, pending and rejected;
    the same per result, and per action (rencana aksi) with its target: the agreed actions planned for the month or
    its quarter, and any the month's entries name.

    The fact base payroll (TPP) and evaluation use. Withdrawn entries count nowhere;
    ``totals`` adds up the indicators. Default employee: the caller.
    """
    principal, rt = current_principal(), runtime()
    with rt.engine.connect() as conn:
        return use_cases.monthly_summary(
            conn, principal, args.get("nip") or principal.sub, args["month"], current_config(), today=rt.today()
        )


@summaries_blp.route("/daily")
@summaries_blp.arguments(DailyQuery, location="query")
@summaries_blp.response(200, DailyUnitOut)
@_errors(summaries_blp, (422, "Bad date or unit"))
def daily_summary(args):
    """Who has not logged anything on a working day: a unit (with its sub-units), or the employees the caller rates.

    For a unit, the caller must head it or a unit above it in the directory, definitively or as its
    acting head (Plt./Plh.) today, or be an admin. Working days
    and holidays come from the configured calendar (KINERJA_WORKING_DAYS, KINERJA_HOLIDAYS[_FILE]);
    on a day off nobody is missing.
    """
    principal, rt = current_principal(), runtime()
    with rt.engine.connect() as conn:
        return use_cases.daily_summary(
            conn, principal, args["date"], args.get("unit_id"), current_config(), today=rt.today()
        )
