"""GET /api/v1/summaries/calendar: the deployment's working-day calendar for a span of days.

The console reads it to say, where an employee logs, that a day is a day off (and whether an entry
on it is taken: ACTIVITY_NON_WORKING_DAYS), and to flag entries on days off in the rater's inbox.
No personal data: everyone signed in may read it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import marshmallow as ma
from marshmallow import validate as v

from kinerja_shared.calendar import WEEKDAYS
from kinerja_shared.web.app_factory import current_principal
from kinerja_shared.web.docs import errors as _errors
from kinerja_shared.web.problems import field_error

from .api import summaries_blp
from .config import current_config

MAX_SPAN_DAYS = 366
DEFAULT_BEFORE, DEFAULT_AFTER = 62, 31  # the edit window (this month and the last) and a month ahead


class CalendarQuery(ma.Schema):
    date_from = ma.fields.Date(metadata={"description": f"First day (default: {DEFAULT_BEFORE} days before today)"})
    date_to = ma.fields.Date(
        metadata={
            "description": f"Last day (default: {DEFAULT_AFTER} days after today); "
            f"at most {MAX_SPAN_DAYS} days after date_from"
        }
    )


class DayOff(ma.Schema):
    date = ma.fields.Date()
    holiday = ma.fields.String(
        allow_none=True, metadata={"description": "The holiday's name; null for a weekly day off"}
    )


class CalendarOut(ma.Schema):
    date_from = ma.fields.Date()
    date_to = ma.fields.Date()
    workdays = ma.fields.List(
        ma.fields.String(validate=v.OneOf(WEEKDAYS)), metadata={"description": "Working weekdays"}
    )
    non_working_day_entries = ma.fields.String(
        validate=v.OneOf(("allow", "refuse")),
        metadata={
            "description": "Whether an entry dated on a day off is taken (allow) or refused with 422 naming date "
            "(refuse)"
        },
    )
    days_off = ma.fields.List(ma.fields.Nested(DayOff), metadata={"description": "Every day off in the span, in order"})


@summaries_blp.route("/calendar")
@summaries_blp.arguments(CalendarQuery, location="query")
@summaries_blp.response(200, CalendarOut)
@_errors(summaries_blp, (422, f"date_to before date_from, or more than {MAX_SPAN_DAYS} days after it"))
def working_calendar(args):
    """The working-day calendar: the days off in a span (weekly days off and holidays with their names).

    Holidays are Indonesia's national ones (KINERJA_NATIONAL_HOLIDAYS, from the ``holidays``
    package) plus the configured cuti bersama and regional days (KINERJA_HOLIDAYS[_FILE]).
    """
    current_principal()
    cfg = current_config()
    today = datetime.now(cfg.timezone).date()
    first = args.get("date_from") or today - timedelta(days=DEFAULT_BEFORE)
    last = args.get("date_to")
    if last is None:
        start = max(first, today)
        last = start + timedelta(days=DEFAULT_AFTER) if start <= date.max - timedelta(days=DEFAULT_AFTER) else date.max
    if last < first:
        raise field_error("date_to", "must not be before date_from")
    if (last - first).days > MAX_SPAN_DAYS:
        if "date_to" in args:
            raise field_error("date_to", f"must be at most {MAX_SPAN_DAYS} days after date_from")
        last = first + timedelta(days=MAX_SPAN_DAYS)
    cal = cfg.calendar
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))  # never past date.max
    days_off = [{"date": day, "holiday": cal.holiday(day)} for day in days if not cal.is_working_day(day)]
    return {
        "date_from": first,
        "date_to": last,
        "workdays": [WEEKDAYS[i] for i in sorted(cal.workdays)],
        "non_working_day_entries": cfg.non_working_days,
        "days_off": days_off,
    }
