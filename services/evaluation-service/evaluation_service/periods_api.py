"""HTTP API of periods: /api/v1/periods (the year's periods, its scheme, opening a period); the rules are
use_cases/periods.py's."""

from __future__ import annotations

from flask_smorest import Blueprint

from kinerja_shared.web.docs import errors as _errors

from .schemas import OpenPeriodIn, OpenPeriodOut, PeriodsOut, PeriodsQuery, SchemeIn
from .use_cases import periods as use_cases
from .web_context import current_principal, default_scheme, reading, rounding, unit_of_work

periods_blp = Blueprint(
    "periods",
    __name__,
    url_prefix="/api/v1/periods",
    description="Evaluation periods: the year's scheme (monthly or quarterly) and opening a period.",
)


@periods_blp.route("")
@periods_blp.arguments(PeriodsQuery, location="query")
@periods_blp.response(200, PeriodsOut)
@_errors(periods_blp, (422, "Bad year"))
def list_periods(args):
    """The year's periods under its scheme (monthly or quarterly) and the annual one, with the
    number of evaluations open, submitted and closed in each (within what the caller may see), and
    the deployment's distribution rounding policy (EVALUATION_DISTRIBUTION_ROUNDING) for everyone's help screens."""
    with reading() as uow:
        return use_cases.list_periods(
            uow, current_principal(), args["year"], default_scheme=default_scheme(), rounding=rounding()
        )


@periods_blp.route("/schemes/<int:year>", methods=["PUT"])
@periods_blp.arguments(SchemeIn)
@periods_blp.response(200, PeriodsOut)
@_errors(periods_blp, (409, "The year already has evaluations under the other scheme"), (422, "Bad scheme or year"))
def set_scheme(body, year):
    """Fix the year's period scheme (admin): monthly or quarterly. Possible until the year's
    first periodic evaluation opens; the default is EVALUATION_PERIOD_SCHEME."""
    with unit_of_work() as uow:
        return use_cases.set_scheme(
            uow, current_principal(), year, body["scheme"], default_scheme=default_scheme(), rounding=rounding()
        )


@periods_blp.route("/<period_id>/open", methods=["POST"])
@periods_blp.arguments(OpenPeriodIn)
@periods_blp.response(200, OpenPeriodOut)
@_errors(periods_blp, (422, "Bad period"))
def open_period(body, period_id):
    """Open a period's evaluations now (admin) for every approved plan overlapping it, optionally
    only within a unit's subtree; those already open are left alone. The period clock does this
    by itself for each new periodic period; use this for the annual evaluation (``2026-Y``) or to
    catch up. Publishes EvaluationOpened for each one opened."""
    with unit_of_work() as uow:
        return use_cases.open_period(
            uow, current_principal(), period_id, unit_id=body.get("unit_id"), default_scheme=default_scheme()
        )
