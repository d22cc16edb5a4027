"""HTTP API per unit: /api/v1/unit-performance (organisational predicate, distribution, calibration, export,
dashboard); the rules are use_cases/units.py's and use_cases/dashboard.py's."""

from __future__ import annotations

from datetime import date, datetime

from flask import Response, request
from flask_smorest import Blueprint

from kinerja_shared.web import downloads
from kinerja_shared.web.docs import errors as _errors

from .schemas import (
    DashboardOut,
    DistributionOut,
    ExportArgs,
    ExportOut,
    FinaliseIn,
    OptionalPeriodArg,
    PeriodArg,
    UnitPredicateIn,
    UnitPredicateOut,
)
from .use_cases import units as use_cases
from .web_context import current_config, current_principal, default_scheme, reading, rounding, unit_of_work

units_blp = Blueprint(
    "units",
    __name__,
    url_prefix="/api/v1/unit-performance",
    description="Per unit: organisational predicate, distribution (SE 03/2023), calibration, export, dashboard.",
)


@units_blp.route("/<unit_id>/predicates/<period_id>", methods=["PUT"])
@units_blp.arguments(UnitPredicateIn)
@units_blp.response(200, UnitPredicateOut)
@_errors(
    units_blp,
    (
        403,
        "Not the unit's authority: the head or acting head of the parent unit; for a top-level unit an "
        "admin for the PPK; never the unit's own head",
    ),
    (409, "The unit's calibration for the period is final"),
    (422, "Unknown predicate or period, basis missing"),
)
def set_unit_predicate(body, unit_id, period_id):
    """Record the unit's organisational predicate for a period: ISTIMEWA, BAIK, BUTUH_PERBAIKAN,
    KURANG or SANGAT_KURANG, with its ``basis`` (why; required) and optionally the decision's
    ``document_number``. Set from above (SE MenPANRB 03/2023): for a sub-unit by the head or an
    acting head (Plt./Plh., on today's date) of its parent unit; for a top-level unit (an OPD) by an
    admin acting for the PPK; never by the unit's own head, whose own results rating follows from it
    (403 naming the rule; GET .../distribution shows ``predicate_authority``). It selects the SE 03/2023
    rules the unit's employee predicates must keep. Audited; publishes UnitPredicateSet."""
    with unit_of_work() as uow:
        return use_cases.set_unit_predicate(
            uow, current_principal(), unit_id, period_id, body, default_scheme=default_scheme()
        )


@units_blp.route("/<unit_id>/distribution")
@units_blp.arguments(PeriodArg, location="query")
@units_blp.response(200, DistributionOut)
@_errors(units_blp, (422, "Bad period"))
def get_distribution(args, unit_id):
    """The distribution of the employee predicates (submitted or closed evaluations) of the unit
    and its sub-units in a period, against the SE 03/2023 rules of the unit's organisational
    predicate: every rule with its numbers, the violated ones listed, and the calibration if final."""
    with reading() as uow:
        return use_cases.get_distribution(uow, current_principal(), unit_id, args["period_id"], rounding=rounding())


@units_blp.route("/<unit_id>/calibrations/<period_id>", methods=["POST"])
@units_blp.arguments(FinaliseIn)
@units_blp.response(200, DistributionOut)
@_errors(
    units_blp,
    (409, "A rule is violated, evaluations are still open, or no organisational predicate"),
    (422, "Bad period"),
)
def finalise_calibration(body, unit_id, period_id):
    """Finalise the unit's employee predicates for a period (the unit head or an admin). Refused
    (409, with the violations) while an SE 03/2023 rule is broken, unless an admin overrides with
    ``override_reason``; also refused while evaluations are still open or before the unit's
    organisational predicate is set. Publishes CalibrationFinalised."""
    with unit_of_work() as uow:
        return use_cases.finalise_calibration(
            uow, current_principal(), unit_id, period_id, body.get("override_reason"), rounding=rounding()
        )


EXPORT_COLUMNS = (
    "nip",
    "name",
    "unit_id",
    "period_id",
    "period_kind",
    "period_start",
    "period_end",
    "rater_nip",
    "results_rating",
    "behaviour_rating",
    "predicate",
    "predicate_name",
    "credit_points",
    "revision",
    "closed_at",
    "calibrated",
)


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _csv(body: dict):
    """The export as CSV: formula-like cells neutralised, the unit id kept inside the header's parameters."""
    rows = ({k: _csv_value(item[k]) for k in EXPORT_COLUMNS} for item in body["items"])
    text = downloads.csv_text(EXPORT_COLUMNS, rows)
    return downloads.attachment(text, f"predicates-{body['unit_id']}-{body['period']['id']}.csv", "text/csv")


@units_blp.route("/<unit_id>/export")
@units_blp.arguments(ExportArgs, location="query")
@units_blp.response(200, ExportOut, content_type="application/json")
@units_blp.doc(
    responses={
        200: {
            "description": "The rows as JSON, or as CSV with format=csv or Accept: text/csv",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
)
@_errors(units_blp, (422, "Bad period or format"))
def export_predicates(args, unit_id):
    """Export the period's closed evaluations of the unit and its sub-units for payroll (TPP)
    and BKN: NIP, name, both ratings, the predicate, credit points; JSON or CSV."""
    fmt = args.get("format") or ("csv" if request.accept_mimetypes.best == "text/csv" else "json")
    with reading() as uow:
        body = use_cases.export_predicates(uow, current_principal(), unit_id, args["period_id"])
    return _csv(body) if fmt == "csv" else body


@units_blp.route("/<unit_id>/dashboard")
@units_blp.arguments(OptionalPeriodArg, location="query")
@units_blp.response(200, DashboardOut)
@units_blp.alt_response(304, description="Not modified: the If-None-Match ETag is the current answer's")
@_errors(units_blp, (422, "Bad period"))
def unit_dashboard(args, unit_id):
    """The unit head's dashboard over the unit and its sub-units for a period (default: today's):
    share of employees with an approved plan, activity logging compliance (working days with an
    entry against the working days so far, by KINERJA_WORKING_DAYS and KINERJA_HOLIDAYS), evaluations open/submitted/closed, the predicate distribution, and the
    realisation against target per result (aggregates and the results furthest behind).
    Computed from the read models, so it reflects a new event as soon as it is consumed. Sends an ETag (on
    PostgreSQL): with If-None-Match the answer is 304 while nothing under the unit changed."""  # noqa: E501
    with reading() as uow:
        answer = use_cases.dashboard_answer(
            uow,
            current_principal(),
            unit_id,
            args.get("period_id"),
            config=current_config(),
            default_scheme=default_scheme(),
            known=request.if_none_match,
        )
    headers = {"ETag": f'"{answer.etag}"'} if answer.etag else {}
    return (answer.body, 200, headers) if answer.body is not None else Response(status=304, headers=headers)
