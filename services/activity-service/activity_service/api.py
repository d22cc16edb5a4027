"""HTTP API of activity-service: /api/v1/activities, /api/v1/indicators, /api/v1/summaries."""
from __future__ import annotations

import uuid
from contextlib import contextmanager
from datetime import datetime

import marshmallow as ma
from flask import Response, current_app
from flask_smorest import Blueprint
from sqlalchemy import case, func, select, update

from kinerja_shared import audit, outbox
from kinerja_shared.db import utcnow
from kinerja_shared.numbers import MAX_ENTRY_QUANTITY, finite
from kinerja_shared.outbox import publish
from kinerja_shared.web import idempotency
from kinerja_shared.web.app_factory import current_principal, runtime
from kinerja_shared.web.etag import check_if_match, etag_for, if_match_documented, require_if_match
from kinerja_shared.web.pagination import decode_cursor, encode_cursor
from kinerja_shared.web.answer_json import answer_dumps as strict_dumps
from kinerja_shared.web.problems import (Conflict, Forbidden, NotFound, PreconditionFailed, Problem, field_error,
                                         flatten_messages, problem_body)
from kinerja_shared.web.docs import errors as _errors

from kinerja_shared import evidence

from . import action_links, action_summary, domain, events, store
from .config import current_config
from .domain import DomainError, TransitionError
from .models import activities, employees, evidence_files, plan_indicators, plans
from .schemas import (ActivityIn, ActivityOut, ActivityPage, ActivityPatch, ActivityQuery, BatchIn, BatchOut, BulkVerifyIn,
                      BulkVerifyOut, DailyQuery, DailyUnitOut, EvidenceOut, EvidenceUpload, IndicatorList, IndicatorQuery,
                      MonthlyQuery, MonthlySummaryOut, VerifyIn, WithdrawIn)
from .schemas import AnnulIn, CorrectIn

activities_blp = Blueprint("activities", __name__, url_prefix="/api/v1/activities",
                           description="Daily activities (kegiatan harian): logging, edits, evidence and verification.")
indicators_blp = Blueprint("indicators", __name__, url_prefix="/api/v1/indicators",
                           description="The indicators of approved plans an employee may log against.")
summaries_blp = Blueprint("summaries", __name__, url_prefix="/api/v1/summaries",
                          description="Monthly summaries per employee (TPP facts) and who has not logged on a working day.")

ENTITY = "activity"
# Schema instances, not classes, on the hot paths: webargs instantiates a class on every request
# (a deep copy of its fields and of its nested schemas' fields).
ACTIVITY_IN = ActivityIn()


@contextmanager
def _rules():
    """Turn a broken domain rule into a problem naming the field (422, or 413/415 for uploads)."""
    try:
        yield
    except DomainError as exc:
        raise field_error(exc.field, exc.message, status=exc.status) from None


def _today():
    return datetime.now(current_config().timezone).date()


def _out(row) -> dict:
    m = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
    m["start_time"] = domain.format_hhmm(m.pop("start_min"))
    m["end_time"] = domain.format_hhmm(m.pop("end_min"))
    m.pop("request_hash", None)
    m["quantity"] = finite(m.get("quantity"))
    m["evidence"] = [
        dict(item, download=f"/api/v1/activities/{m['id']}/evidence/{item['file_id']}") if item.get("kind") == "file" else item
        for item in (m.get("evidence") or [])
    ]
    return m


def _headers(row, created: bool = False) -> dict:
    """ETag (and Location for a new entry) of a row or a row dict."""
    m = row if isinstance(row, dict) else row._mapping
    headers = {"ETag": etag_for(m["id"], m["version"])}
    if created:
        headers["Location"] = f"/api/v1/activities/{m['id']}"
    return headers


# The fields of schemas.ItemProblem / EvidenceOut, in order: what their marshmallow dump keeps.
_ITEM_PROBLEM_FIELDS = ("title", "detail", "errors", "clashing_activity_id", "current_version")
_EVIDENCE_FIELDS = ("kind", "url", "file_id", "name", "sha256", "content_type", "size", "download")


def _item_problem(problem: Problem) -> dict:
    body = problem_body(problem)  # in the request's language, like every problem
    return {k: body[k] for k in _ITEM_PROBLEM_FIELDS if k in body}


def _iso(value):
    return value.isoformat() if value is not None else None


def _json_response(body: dict, status: int = 200) -> Response:
    """A JSON response of plain values (``_out_json``), encoded once; keys in the schemas' order, not sorted."""
    return current_app.response_class(strict_dumps(body, separators=(",", ":")), status=status, mimetype="application/json")


def _out_json(row) -> dict:
    """An entry as ``ActivityOut`` dumps it, built directly (the hot paths serialise once, without marshmallow)."""
    m = row if isinstance(row, dict) else row._mapping
    activity_id = m["id"]
    evidence_items = []
    for item in m["evidence"] or ():
        if item.get("kind") == "file":
            item = dict(item, download=f"/api/v1/activities/{activity_id}/evidence/{item['file_id']}")
        evidence_items.append({k: item[k] for k in _EVIDENCE_FIELDS if k in item})
    quantity = m["quantity"]
    return {
        "id": activity_id, "nip": m["nip"], "rater_nip": m["rater_nip"], "unit_id": m["unit_id"], "plan_id": m["plan_id"],
        "result_id": m["result_id"], "indicator_id": m["indicator_id"], "action_id": m["action_id"],
        "date": m["date"].isoformat(),
        "start_time": domain.format_hhmm(m["start_min"]), "end_time": domain.format_hhmm(m["end_min"]),
        "minutes": m["minutes"], "description": m["description"],
        "quantity": finite(quantity), "quantity_unit": m["quantity_unit"],
        "evidence": evidence_items, "status": m["status"], "verification_reason": m["verification_reason"],
        "verified_by": m["verified_by"], "verified_at": _iso(m["verified_at"]), "version": m["version"],
        "created_at": _iso(m["created_at"]), "updated_at": _iso(m["updated_at"]),
    }


def _transition(action: str, current: str) -> str:
    try:
        return domain.next_status(action, current)
    except TransitionError as exc:
        raise Conflict(str(exc), title="Status does not allow this", current_status=current) from None


# -- logging entries (the hot path) ------------------------------------------------------------

def _check_body(body: dict, today, cfg) -> dict:
    """The rules that need no database: times, date, quantity, description, links."""
    start, end, minutes = domain.duration(body["start_time"], body["end_time"])
    domain.check_date(body["date"], today, cfg.edit_window_close_day)
    domain.check_working_day(body["date"], cfg.calendar, cfg.non_working_days)
    domain.check_quantity(body["quantity"])
    if not body["description"].strip():
        raise DomainError("description", "must not be blank")
    links = []
    for i, item in enumerate(body.get("evidence") or []):
        link = {"kind": "link", "url": domain.check_link(item["url"], f"evidence.{i}.url")}
        if item.get("name"):
            link["name"] = item["name"]
        links.append(link)
    return {"start_min": start, "end_min": end, "minutes": minutes, "evidence": links}


def _existing_answer(principal, body: dict, fingerprint: str, existing):
    """For a client-chosen id already stored: its replay (same body) or a 409 (anything else); None if new."""
    if not body.get("id") or existing is None:
        return None
    if existing["nip"] == principal.sub and existing["request_hash"] == fingerprint:
        return ("stored", existing, True)
    return ("error", Conflict(f"Activity id {body['id']} is already used for a different entry; choose a new id.",
                              title="Activity id already used", errors=[{"field": "id", "message": "already used for a different entry"}]))


def _stored_entry(conn, activity_id: str) -> dict | None:
    row = store.get_activity(conn, activity_id)
    return dict(row._mapping) if row is not None else None


def _overlap_problem(clash_id, clash_start, clash_end, day) -> Conflict:
    span = f" ({domain.format_hhmm(clash_start)}-{domain.format_hhmm(clash_end)})" if clash_id is not None else ""
    return Conflict(f"The entry overlaps your activity {clash_id}{span} on {day.isoformat()}.",
                    title="Overlapping activity", clashing_activity_id=clash_id,
                    errors=[{"field": "start_time", "message": f"overlaps activity {clash_id}"}])


def _checked(bodies: list[dict], cfg) -> list:
    """The rules that need no database, per body: the prepared values or the Problem."""
    today = _today()
    checked: list = []
    for body in bodies:
        try:
            checked.append(_check_body(body, today, cfg))
        except DomainError as exc:
            checked.append(field_error(exc.field, exc.message, status=exc.status))
    return checked


def _linked(conn, nip: str, bodies: list[dict], checked: list) -> list:
    """The entries naming an ``action_id``: the agreed action (in ``prepared["action"]``) or the Problem naming it."""
    actions = action_links.load(conn, {b["action_id"] for b, c in zip(bodies, checked)
                                       if b.get("action_id") and not isinstance(c, Problem)})
    out = []
    for body, prepared in zip(bodies, checked):
        if not isinstance(prepared, Problem):
            prepared = {**prepared, "action": None}
            if body.get("action_id"):
                try:
                    prepared["action"] = action_links.resolve(actions, nip, body["action_id"], body["date"],
                                                              body.get("indicator_id"))
                except DomainError as exc:
                    prepared = field_error(exc.field, exc.message)
        out.append(prepared)
    return out


def _indicator_of(body: dict, prepared) -> str | None:
    """The entry's indicator: its action's, when it names one."""
    if not isinstance(prepared, Problem) and prepared.get("action"):
        return prepared["action"]["indicator_id"]
    return body.get("indicator_id")


def _new_row(principal, body: dict, prepared, employee, candidates, fingerprint: str, now) -> dict:
    """The row of a new entry, or the Problem (refused before any write)."""
    if isinstance(prepared, Problem):
        raise prepared
    if employee is not None and not employee["active"]:
        raise Forbidden(f"Employee {principal.sub} is not active in the org directory; activities cannot be logged.")
    prepared = dict(prepared)
    action = prepared.pop("action", None)
    try:
        indicator = domain.indicator_in_force(candidates, _indicator_of(body, {"action": action}), body["date"])
        if action is not None:
            action_links.check_plan(action, indicator.plan_id)
        unit = domain.unit_for_indicator(body.get("quantity_unit"), indicator.target_unit)
    except DomainError as exc:
        raise field_error(exc.field, exc.message) from None
    return dict(action_id=action["action_id"] if action else None,
        id=body.get("id") or str(uuid.uuid4()), nip=principal.sub,
        rater_nip=(employee or {}).get("rater_nip") or indicator.rater_nip,
        unit_id=(employee or {}).get("unit_id") or indicator.unit_id,
        plan_id=indicator.plan_id, result_id=indicator.result_id, indicator_id=indicator.indicator_id,
        date=body["date"], **prepared, description=body["description"].strip(), quantity=float(body["quantity"]),
        quantity_unit=unit, status=domain.PENDING, verification_reason=None, verified_by=None,
        verified_at=None, version=1, request_hash=fingerprint, created_at=now, updated_at=now,
    )


def _logged_audit(principal, row: dict) -> dict:
    return audit.entry(actor=principal, action="activity.logged", entity_type=ENTITY, entity_id=row["id"],
                       after=events.activity_state(row))


def _activity_response(row, status: int, *, created: bool = False, replayed: bool = False) -> Response:
    response = _json_response(_out_json(row), status)
    response.headers.update(_headers(row, created=created))
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@activities_blp.route("", methods=["POST"])
@activities_blp.arguments(ACTIVITY_IN)
@activities_blp.response(201, ActivityOut)
@_errors(activities_blp, (409, "Overlaps another entry (clashing_activity_id names it), or the id is used for a different entry"),
         (422, "A rule is broken: date in the future or before the edit window, end not after start, indicator not in "
               "the approved plan in force on that date, negative quantity"))
@idempotency.in_transaction
def log_activity(body):
    """Log one of your own daily activities; publishes ActivityLogged.

    The entry is stored with its ActivityLogged event in one transaction. Send your own UUID
    as ``id`` (or an ``Idempotency-Key`` header) so a retry on a bad network returns the first
    answer instead of creating a second entry; the same id with a different body is a 409.
    """
    principal = current_principal()
    cfg = current_config()
    rt = runtime()
    [prepared] = _checked([body], cfg)
    if isinstance(prepared, Problem) and not body.get("id"):
        raise prepared  # nothing to look up: no round trip for a refused entry
    fingerprint = domain.fingerprint(body)
    with rt.engine.begin() as conn:
        # One statement locks the employee's entries and reads the employee, the indicators and the
        # Idempotency-Key's stored answer; one more writes entry, audit row, event and key.
        if body.get("action_id"):
            [prepared] = _linked(conn, principal.sub, [body], [prepared])
        wanted = {_indicator_of(body, prepared)}
        key = idempotency.pending()
        if key is None:
            employee, candidates = store.logging_context(conn, principal.sub, wanted)
        else:
            employee, candidates, stored_key = store.logging_context(conn, principal.sub, wanted, key=key)
            replayed = idempotency.replay_row(stored_key)
            if replayed is not None:
                return replayed
        try:
            row = _new_row(principal, body, prepared, employee, candidates, fingerprint, utcnow())
        except Problem as problem:
            answer = None
            if problem.status != 409 and body.get("id"):
                answer = _existing_answer(principal, body, fingerprint, _stored_entry(conn, body["id"]))
            if answer is None or answer[0] == "error":
                raise (answer[1] if answer else problem) from None
            return _activity_response(answer[1], 201, created=True, replayed=True)
        response = _activity_response(row, 201, created=True)
        key_row = idempotency.key_row(response)
        event_rows = outbox.rows(events.activity_logged(row), validate=rt.settings.validate_events)
        if store.log_one(conn, row, _logged_audit(principal, row), event_rows[0], key_row):
            idempotency.stored()
            return response
        # Not inserted: the id is taken (a replay or a 409) or the time overlaps another entry.
        answer = _existing_answer(principal, body, fingerprint, _stored_entry(conn, row["id"]))
        if answer is not None:
            if answer[0] == "error":
                raise answer[1]
            return _activity_response(answer[1], 201, created=True, replayed=True)
        clash = store.find_overlap(conn, principal.sub, row["date"], row["start_min"], row["end_min"])
        raise _overlap_problem(clash.id if clash else None, clash.start_min if clash else None,
                               clash.end_min if clash else None, row["date"])


def _log_batch_entries(conn, principal, bodies: list[dict], cfg, validate_events: bool):
    """Log the caller's entries in the caller's transaction, in a handful of statements.

    Returns one ('stored', row, replayed) or ('error', Problem) per body, or the stored
    response of a repeated Idempotency-Key. Under the employee's lock the entries of the days
    concerned and the client ids already stored are read once; overlaps (with stored entries
    and with earlier entries of the batch) are decided here; the new entries, their audit rows
    and their events then go in as three multi-row inserts. Refused entries write nothing.
    """
    checked = _checked(bodies, cfg)
    if all(isinstance(c, Problem) for c in checked) and not any(b.get("id") for b in bodies):
        return [("error", c) for c in checked]  # nothing to look up: no round trip for a refused entry
    if any(b.get("action_id") for b in bodies):
        checked = _linked(conn, principal.sub, bodies, checked)
    employee, candidates = store.logging_context(conn, principal.sub, {_indicator_of(b, c) for b, c in zip(bodies, checked)})
    replayed = idempotency.replay(conn)
    if replayed is not None:
        return replayed
    now = utcnow()
    known = {k: dict(r._mapping) for k, r in store.get_activities(conn, sorted({b["id"] for b in bodies if b.get("id")})).items()}
    days = sorted({b["date"] for b, c in zip(bodies, checked) if not isinstance(c, Problem)})
    taken: dict = {}
    for r in store.occupied(conn, principal.sub, days):
        taken.setdefault(r.date, []).append((r.start_min, r.end_min, r.id))
    results, new_rows = [], []
    for body, prepared in zip(bodies, checked):
        fingerprint = domain.fingerprint(body)
        try:
            row = _new_row(principal, body, prepared, employee, candidates, fingerprint, now)
        except Problem as problem:
            answer = _existing_answer(principal, body, fingerprint, known.get(body.get("id"))) if problem.status != 409 else None
            results.append(answer or ("error", problem))
            continue
        answer = _existing_answer(principal, body, fingerprint, known.get(row["id"]))
        if answer is not None:
            results.append(answer)
            continue
        clashes = [t for t in taken.get(row["date"], ()) if t[0] < row["end_min"] and t[1] > row["start_min"]]
        if clashes:
            start, end, clash_id = min(clashes)
            results.append(("error", _overlap_problem(clash_id, start, end, row["date"])))
            continue
        taken.setdefault(row["date"], []).append((row["start_min"], row["end_min"], row["id"]))
        known[row["id"]] = row
        new_rows.append(row)
        results.append(("stored", row, False))
    if new_rows:
        store.insert_many(conn, new_rows)
        audit.record_many(conn, [_logged_audit(principal, row) for row in new_rows])
        publish(conn, *[events.activity_logged(row) for row in new_rows], validate=validate_events)
    return results


@activities_blp.route("/batch", methods=["POST"])
@activities_blp.arguments(BatchIn())
@activities_blp.response(207, BatchOut)
@_errors(activities_blp, (422, "The body is not a list of entries, or too many"))
@idempotency.in_transaction
def log_batch(body):
    """Log a day's entries recorded offline; each entry is stored or refused on its own (207).

    ``results`` holds one item per entry, in order: ``status`` 201 with the stored
    ``activity`` (``replayed`` when that id was already stored with the same content), or a
    4xx with a ``problem`` naming the field (409 for an overlap or a reused id, 422 for a
    broken rule). Entries of one batch may not overlap each other either.
    """
    cfg = current_config()
    principal = current_principal()
    rt = runtime()
    items = body["items"]  # at most domain.MAX_BATCH_ITEMS: BatchIn checks it, and documents it as maxItems
    loaded: list = []
    for item in items:
        try:
            if not isinstance(item, dict):
                raise ma.ValidationError({"(item)": ["must be an object (one entry)"]})
            loaded.append(ACTIVITY_IN.load(item))
        except ma.ValidationError as exc:
            rows = flatten_messages(exc.messages)
            loaded.append(Problem("; ".join(f"{r['field']}: {r['message']}" for r in rows[:10]), status=422,
                                  title="Validation failed", errors=rows))
    valid = [b for b in loaded if not isinstance(b, Problem)]
    with rt.engine.begin() as conn:
        outcomes = _log_batch_entries(conn, principal, valid, cfg, rt.settings.validate_events) if valid else []
        if isinstance(outcomes, Response):
            return outcomes
        outcomes = iter(outcomes)
        results, stored = [], 0
        for index, item in enumerate(loaded):
            if isinstance(item, Problem):
                client_id = items[index].get("id") if isinstance(items[index], dict) else None
                results.append({"index": index, "id": client_id if isinstance(client_id, str) else None,
                                "status": item.status, "replayed": False, "activity": None, "problem": _item_problem(item)})
                continue
            kind, value, *rest = next(outcomes)
            if kind == "stored":
                stored += 1
                activity = _out_json(value)
                results.append({"index": index, "id": activity["id"], "status": 201,
                                "replayed": bool(rest and rest[0]), "activity": activity, "problem": None})
            else:
                results.append({"index": index, "id": item.get("id"), "status": value.status, "replayed": False,
                                "activity": None, "problem": _item_problem(value)})
        response = _json_response({"results": results, "stored": stored, "failed": len(results) - stored}, 207)
        idempotency.store(conn, response)
    return response


# -- reading entries -------------------------------------------------------------------------

@activities_blp.route("")
@activities_blp.arguments(ActivityQuery(), location="query")
@activities_blp.response(200, ActivityPage)
@_errors(activities_blp, (400, "Bad cursor"), (422, "Bad filter"))
def list_activities(args):
    """List the entries the caller may see, newest first.

    Employees see their own, raters those of the employees they rate, unit heads those of
    their unit's subtree (the head in the directory, or its acting head, Plt./Plh., on the days of
    the assignment; a token's unit or role claims give nothing), admins all. Filters: nip, unit_id, date_from, date_to, month
    (YYYY-MM), status, indicator_id.
    """
    principal = current_principal()
    params = {name: args[name] for name in ("nip", "status", "indicator_id", "date_from", "date_to") if args.get(name)}
    if args.get("month"):
        with _rules():
            params["first"], params["last"] = domain.month_bounds(args["month"])
    if args.get("date_from") and args.get("date_to") and args["date_to"] < args["date_from"]:
        raise field_error("date_to", "must not be before date_from")
    if args.get("unit_id"):
        params["unit_marker"] = f"/{args['unit_id']}/"
    if args.get("cursor"):
        try:
            day, start, last_id = decode_cursor(args["cursor"]).split("|", 2)
            params.update(cursor_day=datetime.strptime(day, "%Y-%m-%d").date(), cursor_start=int(start), cursor_id=last_id)
        except ValueError:
            raise field_error("cursor", "is not one this service gave out", status=400) from None
    filters = frozenset(n for n in ("month", "date_from", "date_to", "nip", "status", "indicator_id", "unit_id", "cursor")
                        if args.get(n))
    scope = None
    if not principal.is_admin:
        # the caller's units come from the directory in the same statement (acting heads: spans holding today)
        scope, params["me"], params["today"] = "caller", principal.sub, _today()
    params["limit"] = args["limit"] + 1
    # One read (the caller's scope is a subquery): in autocommit, without BEGIN and ROLLBACK round trips.
    with runtime().engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if conn.dialect.name == "postgresql":  # the page comes back as JSON text: no rows, dicts or encoding here
            params["page"] = args["limit"]
            items, found, last = conn.execute(store.list_json_query(filters, scope), params).one()
            cursor = encode_cursor(last) if found > args["limit"] and last else None
            return current_app.response_class(f'{{"items":[{items or ""}],"next_cursor":{strict_dumps(cursor)}}}',
                                              mimetype="application/json")
        rows = conn.execute(store.list_query(conn.dialect.name, filters, scope), params).all()
    more = len(rows) > args["limit"]
    rows = rows[: args["limit"]]
    cursor = encode_cursor(f"{rows[-1].date.isoformat()}|{rows[-1].start_min}|{rows[-1].id}") if more and rows else None
    # Serialised once, straight to JSON (ActivityPage documents the shape).
    return _json_response({"items": [_out_json(r) for r in rows], "next_cursor": cursor})


def _load_visible(conn, activity_id: str, *, for_update: bool = False):
    row = store.get_activity(conn, activity_id, for_update=for_update)
    if row is None:
        raise NotFound(f"activity {activity_id} does not exist")
    rel = store.relation_to(conn, current_principal(), row.nip, row.rater_nip, today=_today())
    if not store.may_see(rel):
        raise NotFound(f"activity {activity_id} does not exist")
    return row, rel


@activities_blp.route("/<activity_id>")
@activities_blp.response(200, ActivityOut)
@_errors(activities_blp, (404, "No such activity (or not visible to the caller)"))
def get_activity(activity_id):
    """Read one entry, with its ETag (its owner, their rater, the unit head of their unit tree, or an admin)."""
    with runtime().engine.connect() as conn:
        row, _ = _load_visible(conn, activity_id)
    return _out(row), 200, _headers(row)


# -- changing entries ---------------------------------------------------------------------------

def _owner_only(row, rel, what: str) -> None:
    if not rel["self"]:
        raise Forbidden(f"Only the employee who logged an activity may {what} it.")


def _edited_action(conn, nip: str, row, body: dict, merged: dict) -> dict | None:
    """The action an edited (or corrected) entry advances, checked again when it, the date or the indicator changes;
    its indicator goes into ``merged``. None: no action (``action_id: null`` unlinks)."""
    action_id = body["action_id"] if "action_id" in body else row.action_id
    if not action_id:
        return None
    if "action_id" not in body and merged["date"] == row.date and "indicator_id" not in body:
        return {"action_id": action_id, "plan_id": row.plan_id}  # unchanged
    with _rules():
        action = action_links.resolve(action_links.load(conn, {action_id}), nip, action_id, merged["date"],
                                      body.get("indicator_id"))
    merged["indicator_id"] = action["indicator_id"]
    return action


@activities_blp.route("/<activity_id>", methods=["PATCH"])
@activities_blp.arguments(ActivityPatch)
@activities_blp.response(200, ActivityOut)
@_errors(activities_blp, (404, "No such activity"), (409, "Verified or withdrawn (locked), or overlaps another entry"),
         (422, "A rule is broken (see POST)"))
@if_match_documented(activities_blp)
def edit_activity(body, activity_id):
    """Edit your own unverified entry (send If-Match with its ETag); publishes ActivityUpdated.

    Every rule of logging applies to the result; an entry dated before the edit window can
    no longer be changed, and a verified entry is locked.
    """
    principal = current_principal()
    cfg = current_config()
    if not body:
        raise field_error("(body)", "send at least one field to change")
    with runtime().engine.begin() as conn:
        store.lock_employee(conn, principal.sub)  # the same lock as logging, taken first: overlap checks stay exact
        row, rel = _load_visible(conn, activity_id, for_update=True)
        _owner_only(row, rel, "edit")
        _transition("edit", row.status)
        require_if_match(activity_id, row.version)
        today = _today()
        with _rules():
            domain.check_date(row.date, today, cfg.edit_window_close_day)
        merged = {
            "date": body.get("date", row.date),
            "start_time": body.get("start_time", domain.format_hhmm(row.start_min)),
            "end_time": body.get("end_time", domain.format_hhmm(row.end_min)),
            "indicator_id": body.get("indicator_id", row.indicator_id),
            "description": body.get("description", row.description),
            "quantity": body.get("quantity", row.quantity),
            "evidence": body["evidence"] if "evidence" in body else [e for e in row.evidence if e.get("kind") == "link"],
        }
        action = _edited_action(conn, principal.sub, row, body, merged)
        with _rules():
            prepared = _check_body(merged, today, cfg)
        files = [e for e in row.evidence if e.get("kind") == "file"]
        if len(prepared["evidence"]) + len(files) > domain.MAX_EVIDENCE_ITEMS:
            raise field_error("evidence", f"at most {domain.MAX_EVIDENCE_ITEMS} evidence items per activity")
        values = dict(
            date=merged["date"], start_min=prepared["start_min"], end_min=prepared["end_min"], minutes=prepared["minutes"],
            description=merged["description"].strip(), quantity=float(merged["quantity"]),
            quantity_unit=body.get("quantity_unit", row.quantity_unit), evidence=prepared["evidence"] + files,
            version=row.version + 1, updated_at=utcnow(),
        )
        if merged["indicator_id"] != row.indicator_id or merged["date"] != row.date or "quantity_unit" in body:
            _, candidates = store.logging_context(conn, principal.sub, {merged["indicator_id"]}, lock=False)
            with _rules():
                indicator = domain.indicator_in_force(candidates, merged["indicator_id"], merged["date"])
                values["quantity_unit"] = domain.unit_for_indicator(values["quantity_unit"], indicator.target_unit)
            values.update(plan_id=indicator.plan_id, result_id=indicator.result_id, indicator_id=indicator.indicator_id)
        if action is not None:
            with _rules():
                action_links.check_plan(action, values.get("plan_id", row.plan_id))
        values["action_id"] = action["action_id"] if action is not None else None
        clash = store.find_overlap(conn, principal.sub, values["date"], values["start_min"], values["end_min"], exclude_id=activity_id)
        if clash is not None:
            raise Conflict(f"The entry would overlap your activity {clash.id} "
                           f"({domain.format_hhmm(clash.start_min)}-{domain.format_hhmm(clash.end_min)}).",
                           title="Overlapping activity", clashing_activity_id=clash.id,
                           errors=[{"field": "start_time", "message": f"overlaps activity {clash.id}"}])
        updated = store.update_activity(conn, activity_id, values)
        audit.record(conn, actor=principal, action="activity.updated", entity_type=ENTITY, entity_id=activity_id,
                     before=events.activity_state(row._mapping), after=events.activity_state(updated._mapping))
        publish(conn, events.activity_updated(updated._mapping))
    return _out(updated), 200, _headers(updated)


@activities_blp.route("/<activity_id>/withdraw", methods=["POST"])
@activities_blp.arguments(WithdrawIn)
@activities_blp.response(200, ActivityOut)
@_errors(activities_blp, (404, "No such activity"), (409, "Verified or already withdrawn"), (412, "Stale If-Match"),
         (422, "Dated before the edit window"))
def withdraw_activity(body, activity_id):
    """Withdraw your own unverified entry; it then counts nowhere. Publishes ActivityWithdrawn."""
    principal = current_principal()
    cfg = current_config()
    with runtime().engine.begin() as conn:
        row, rel = _load_visible(conn, activity_id, for_update=True)
        _owner_only(row, rel, "withdraw")
        check_if_match(activity_id, row.version)
        status = _transition("withdraw", row.status)
        with _rules():
            domain.check_date(row.date, _today(), cfg.edit_window_close_day)
        updated = store.update_activity(conn, activity_id, dict(status=status, version=row.version + 1, updated_at=utcnow()))
        audit.record(conn, actor=principal, action="activity.withdrawn", entity_type=ENTITY, entity_id=activity_id,
                     before={"status": row.status}, after={"status": status}, reason=body.get("reason"))
        publish(conn, events.activity_withdrawn(updated._mapping))
    return _out(updated), 200, _headers(updated)


# -- verification --------------------------------------------------------------------------------

def _verify_row(conn, principal, row, rel, decision: str, reason: str | None):
    """Apply one decision to a locked, visible row; return the updated row or raise a Problem."""
    if not rel["rater"]:
        raise Forbidden("Only the employee's rater (pejabat penilai) may verify this activity.")
    with _rules():
        reason = domain.check_decision(decision, reason)
    status = _transition("accept" if decision == domain.ACCEPTED else "reject", row.status)
    now = utcnow()
    updated = store.update_activity(conn, row.id, dict(status=status, verification_reason=reason, verified_by=principal.sub,
                                                       verified_at=now, version=row.version + 1, updated_at=now))
    audit.record(conn, actor=principal, action="activity.verified", entity_type=ENTITY, entity_id=row.id,
                 before={"status": row.status}, after={"status": status}, reason=reason)
    return updated


@activities_blp.route("/<activity_id>/verify", methods=["POST"])
@activities_blp.arguments(VerifyIn)
@activities_blp.response(200, ActivityOut)
@_errors(activities_blp, (404, "No such activity"), (409, "Already verified or withdrawn"), (412, "Stale If-Match"),
         (422, "Rejected without a reason"))
def verify_activity(body, activity_id):
    """Accept an entry, or reject it with a reason (the employee's rater only); publishes ActivityVerified.

    A verified entry is locked: it can no longer be edited, withdrawn or verified again.
    """
    principal = current_principal()
    with runtime().engine.begin() as conn:
        row, rel = _load_visible(conn, activity_id, for_update=True)
        if rel["rater"]:
            check_if_match(activity_id, row.version)
        updated = _verify_row(conn, principal, row, rel, body["decision"], body.get("reason"))
        publish(conn, events.activity_verified(updated._mapping))
    return _out(updated), 200, _headers(updated)


@activities_blp.route("/verify", methods=["POST"])
@activities_blp.arguments(BulkVerifyIn)
@activities_blp.response(207, BulkVerifyOut)
@_errors(activities_blp, (422, "Malformed list of decisions"))
def verify_bulk(body):
    """Verify many entries at once (the rater); each decision succeeds or fails on its own (207).

    ``results`` has one item per decision, in order: ``status`` 200 with the verified
    ``activity``, or 403/404/409/412/422 with a ``problem``. Send each entry's ``version`` (from the
    list) so an entry the employee edited after you read it is refused (412), not accepted unseen.
    Publishes ActivityVerified for each.
    """
    principal = current_principal()
    items = body["items"]
    ids = sorted({item["id"] for item in items})
    results, to_publish = [], []
    with runtime().engine.begin() as conn:
        query = select(activities).where(activities.c.id.in_(ids)).order_by(activities.c.id)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        rows = {r.id: r for r in conn.execute(query)}
        nips = {r.nip for r in rows.values()} | {principal.sub}
        people = {r.nip: r for r in conn.execute(select(employees).where(employees.c.nip.in_(nips)))}
        units = [] if principal.is_admin else store.head_units(conn, principal.sub, people.get(principal.sub), _today())
        for index, item in enumerate(items):
            row = rows.get(item["id"])
            try:
                if row is None:
                    raise NotFound(f"activity {item['id']} does not exist")
                target = people.get(row.nip)
                rater = target.rater_nip if target is not None and target.rater_nip else row.rater_nip
                rel = {"self": row.nip == principal.sub, "rater": rater == principal.sub,
                       "recorded_rater": row.rater_nip == principal.sub, "admin": principal.is_admin,
                       "head": store.in_subtree(target.unit_path if target is not None else None, units)}
                if not store.may_see(rel):
                    raise NotFound(f"activity {item['id']} does not exist")
                if rel["rater"] and item.get("version") is not None and item["version"] != row.version:
                    raise PreconditionFailed(f"activity {row.id} changed since you read it (current version "
                                             f"{row.version})", title="Stale version", current_version=row.version)
                updated = _verify_row(conn, principal, row, rel, item["decision"], item.get("reason"))
                rows[row.id] = updated
                to_publish.append(events.activity_verified(updated._mapping))
                results.append({"index": index, "id": row.id, "status": 200, "activity": _out(updated), "problem": None})
            except Problem as problem:
                results.append({"index": index, "id": item["id"], "status": problem.status, "activity": None,
                                "problem": _item_problem(problem)})
        if to_publish:
            publish(conn, *to_publish)
    return {"results": results, "verified": len(to_publish), "failed": len(results) - len(to_publish)}, 207


# -- repairs of verified entries (admin or the rater's superior) ----------------------------------

def _load_for_repair(conn, activity_id: str):
    """The locked entry, if the caller may repair it: 404 when they may not even see it, 403 when they see it."""
    principal = current_principal()
    row = store.get_activity(conn, activity_id, for_update=True)
    if row is None:
        raise NotFound(f"activity {activity_id} does not exist")
    rel = store.relation_to(conn, principal, row.nip, row.rater_nip, today=_today())
    if not store.may_repair(conn, principal, rel, row.rater_nip):
        if not store.may_see(rel):
            raise NotFound(f"activity {activity_id} does not exist")
        raise Forbidden("Only an admin or the employee's rater's superior (atasan pejabat penilai) may correct or annul "
                        "a verified activity.")
    return row


@activities_blp.route("/<activity_id>/correct", methods=["POST"])
@activities_blp.arguments(CorrectIn)
@activities_blp.response(200, ActivityOut)
@_errors(activities_blp, (403, "Not an admin nor the rater's superior"), (404, "No such activity"),
         (409, "Not verified (pending: the employee edits it), or annulled or withdrawn"), (412, "Stale If-Match"),
         (422, "No reason, nothing to change, or a rule is broken (quantity, indicator)"), (428, "If-Match missing"))
def correct_activity(body, activity_id):
    """Correct a verified entry (an admin or the employee's rater's superior); publishes ActivityCorrected.

    For a value the rater accepted by mistake (an absurd quantity, the wrong indicator): send
    the fields to change and the ``reason``, with ``If-Match`` (required). The status stays,
    the version goes up, the change is audited with its values before and after, and
    ActivityCorrected (the whole new state and the changes) brings every read model in line.
    Send an ``Idempotency-Key`` to make a retry safe.
    """
    principal = current_principal()
    with runtime().engine.begin() as conn:
        row = _load_for_repair(conn, activity_id)
        require_if_match(activity_id, row.version)
        _transition("correct", row.status)
        merged = {"date": row.date, "indicator_id": body.get("indicator_id", row.indicator_id)}
        action = _edited_action(conn, row.nip, row, body, merged)
        relinked = "action_id" in body and (action or {}).get("action_id") != row.action_id
        with _rules():
            reason = domain.check_repair_reason(body.get("reason"))
            try:
                changes = domain.correction(row._mapping, {**body, "indicator_id": merged["indicator_id"]}
                                            if "indicator_id" in body or "action_id" in body else body)
            except DomainError:
                if not relinked:
                    raise
                changes = {}  # only the action changes (ActivityCorrected carries it in its state)
        values = {name: after for name, (_, after) in changes.items()}
        if "indicator_id" in changes or "quantity_unit" in changes:
            indicator_id = values.get("indicator_id", row.indicator_id)
            _, candidates = store.logging_context(conn, row.nip, {indicator_id}, lock=False)
            with _rules():
                indicator = domain.indicator_in_force(candidates, indicator_id, row.date)
                unit = domain.unit_for_indicator(values.get("quantity_unit", row.quantity_unit), indicator.target_unit)
            if unit != row.quantity_unit:
                changes["quantity_unit"], values["quantity_unit"] = (row.quantity_unit, unit), unit
            elif "quantity_unit" in changes:  # the indicator's own unit, spelt otherwise: no change
                del changes["quantity_unit"], values["quantity_unit"]
                if not changes:
                    raise field_error("quantity_unit", "is already the indicator's unit")
            for name in ("plan_id", "result_id"):
                if getattr(indicator, name) != row._mapping[name]:
                    changes[name] = (row._mapping[name], getattr(indicator, name))
                    values[name] = getattr(indicator, name)
        if action is not None:
            with _rules():
                action_links.check_plan(action, values.get("plan_id", row.plan_id))
        values.update(action_id=action["action_id"] if action is not None else None, version=row.version + 1,
                      updated_at=utcnow())
        before = events.activity_state(row._mapping)
        updated = store.repair_activity(
            conn, activity_id, values,
            audit_row=lambda new: audit.entry(actor=principal, action="activity.corrected", entity_type=ENTITY,
                                              entity_id=activity_id, before=before, after=events.activity_state(new),
                                              reason=reason),
            event=lambda new: events.activity_corrected(new, changes=changes, reason=reason, by=principal.sub))
    return _out(updated), 200, _headers(updated)


@activities_blp.route("/<activity_id>/annul", methods=["POST"])
@activities_blp.arguments(AnnulIn)
@activities_blp.response(200, ActivityOut)
@_errors(activities_blp, (403, "Not an admin nor the rater's superior"), (404, "No such activity"),
         (409, "Not verified, or already annulled or withdrawn"), (412, "Stale If-Match"), (422, "No reason"),
         (428, "If-Match missing"))
def annul_activity(body, activity_id):
    """Annul a verified entry (an admin or the employee's rater's superior); publishes ActivityAnnulled.

    The entry stays on record with status ``annulled`` and counts nowhere from then on
    (summaries, realisation, compliance); its time is free for a new entry. ``reason`` and
    ``If-Match`` are required; the annulment is audited.
    """
    principal = current_principal()
    with runtime().engine.begin() as conn:
        row = _load_for_repair(conn, activity_id)
        require_if_match(activity_id, row.version)
        status = _transition("annul", row.status)
        with _rules():
            reason = domain.check_repair_reason(body.get("reason"))
        updated = store.repair_activity(
            conn, activity_id, dict(status=status, version=row.version + 1, updated_at=utcnow()),
            audit_row=lambda new: audit.entry(actor=principal, action="activity.annulled", entity_type=ENTITY,
                                              entity_id=activity_id, before={"status": row.status},
                                              after={"status": status}, reason=reason),
            event=lambda new: events.activity_annulled(new, previous_status=row.status, reason=reason, by=principal.sub))
    return _out(updated), 200, _headers(updated)


# -- evidence files -----------------------------------------------------------------------------

@activities_blp.route("/<activity_id>/evidence", methods=["POST"])
@activities_blp.arguments(EvidenceUpload, location="files")
@activities_blp.response(201, EvidenceOut)
@_errors(activities_blp, (404, "No such activity"), (409, "Verified or withdrawn (locked)"),
         (413, "File too large"), (415, "Not an accepted type (checked by content)"),
         (422, "No file, a file name with a path in it, or too many evidence items"))
def upload_evidence(files, activity_id):
    """Attach an evidence file (bukti dukung) to your own unverified entry; publishes ActivityUpdated.

    Multipart form field ``file``. The size and the type (declared and recognised by content)
    are checked, the SHA-256 is recorded, and the file is stored under a generated name; it
    is served back only to those who may see the entry.
    """
    principal = current_principal()
    cfg = current_config()
    upload = files["file"]
    with _rules():
        name = domain.check_file_name(upload.filename)
    engine = runtime().engine
    with engine.connect() as conn:  # fail fast, before reading the file
        row, rel = _load_visible(conn, activity_id)
        _owner_only(row, rel, "add evidence to")
        _transition("edit", row.status)
    try:
        spooled, content_type, extension = evidence.receive(upload, cfg.evidence_dir, cfg.evidence_max_bytes,
                                                            cfg.evidence_types)
    except evidence.EvidenceError as exc:
        raise field_error(exc.field, exc.message, status=exc.status) from None
    kept = None
    try:
        file_id = evidence.new_file_id()
        stored = evidence.stored_name(file_id, extension)
        kept = evidence.keep(spooled, cfg.evidence_dir, stored)
        now = utcnow()
        with engine.begin() as conn:
            row, rel = _load_visible(conn, activity_id, for_update=True)
            _transition("edit", row.status)
            check_if_match(activity_id, row.version)
            if len(row.evidence) >= domain.MAX_EVIDENCE_ITEMS:
                raise field_error("file", f"at most {domain.MAX_EVIDENCE_ITEMS} evidence items per activity")
            item = {"kind": "file", "file_id": file_id, "name": name, "sha256": spooled.sha256,
                    "content_type": content_type, "size": spooled.size}
            conn.execute(evidence_files.insert().values(
                id=file_id, activity_id=activity_id, nip=row.nip, original_name=name, stored_name=stored,
                content_type=content_type, size=spooled.size, sha256=spooled.sha256, uploaded_by=principal.sub, uploaded_at=now))
            updated = store.update_activity(conn, activity_id, dict(evidence=[*row.evidence, item], version=row.version + 1,
                                                                    updated_at=now))
            audit.record(conn, actor=principal, action="activity.evidence_added", entity_type=ENTITY, entity_id=activity_id,
                         after=item)
            publish(conn, events.activity_updated(updated._mapping))
    except BaseException:
        evidence.discard(kept or spooled.temp_path)
        raise
    out = dict(item, download=f"/api/v1/activities/{activity_id}/evidence/{file_id}")
    return out, 201, {"ETag": etag_for(activity_id, updated.version), "Location": out["download"]}


def _evidence_row(conn, activity_id: str, file_id: str):
    row = conn.execute(select(evidence_files).where(evidence_files.c.id == file_id, evidence_files.c.activity_id == activity_id,
                                                    evidence_files.c.removed_at.is_(None))).first()
    if row is None:
        raise NotFound(f"activity {activity_id} has no evidence file {file_id}")
    return row


@activities_blp.route("/<activity_id>/evidence/<file_id>")
@activities_blp.response(200, description="The file, as an attachment, with its recorded SHA-256 in the X-Evidence-SHA256 header",
                         content_type="application/octet-stream")
@_errors(activities_blp, (404, "No such activity or file (or not visible to the caller)"))
def download_evidence(activity_id, file_id):
    """Download an evidence file of an entry the caller may see."""
    cfg = current_config()
    with runtime().engine.connect() as conn:
        _load_visible(conn, activity_id)
        file_row = _evidence_row(conn, activity_id, file_id)
    return evidence.serve(cfg.evidence_dir, file_row, f"activity {activity_id} has no evidence file {file_id}")


@activities_blp.route("/<activity_id>/evidence/<file_id>", methods=["DELETE"])
@activities_blp.response(204)
@_errors(activities_blp, (404, "No such activity or file"), (409, "Verified or withdrawn (locked)"))
@if_match_documented(activities_blp)
def remove_evidence(activity_id, file_id):
    """Remove an evidence file from your own unverified entry; publishes ActivityUpdated."""
    principal = current_principal()
    cfg = current_config()
    now = utcnow()
    with runtime().engine.begin() as conn:
        row, rel = _load_visible(conn, activity_id, for_update=True)
        _owner_only(row, rel, "remove evidence from")
        _transition("edit", row.status)
        require_if_match(activity_id, row.version)
        file_row = _evidence_row(conn, activity_id, file_id)
        conn.execute(update(evidence_files).where(evidence_files.c.id == file_id).values(removed_at=now))
        remaining = [e for e in row.evidence if e.get("file_id") != file_id]
        updated = store.update_activity(conn, activity_id, dict(evidence=remaining, version=row.version + 1, updated_at=now))
        audit.record(conn, actor=principal, action="activity.evidence_removed", entity_type=ENTITY, entity_id=activity_id,
                     before={"file_id": file_id, "name": file_row.original_name, "sha256": file_row.sha256})
        publish(conn, events.activity_updated(updated._mapping))
    evidence.remove_stored(cfg.evidence_dir, file_row.stored_name)
    return "", 204, _headers(updated)


# -- indicators ------------------------------------------------------------------------------------

def _require_sees_employee(conn, nip: str):
    rel = store.relation_to(conn, current_principal(), nip, today=_today())
    if not store.may_see(rel):
        raise Forbidden(f"You may not see employee {nip}'s activities.")
    return rel


@indicators_blp.route("")
@indicators_blp.arguments(IndicatorQuery, location="query")
@indicators_blp.response(200, IndicatorList)
@_errors(indicators_blp, (422, "Bad NIP or date"))
def list_indicators(args):
    """The indicators of the approved plan(s) in force on a date (default: today) that an employee may log against."""
    principal = current_principal()
    nip = args.get("nip") or principal.sub
    day = args.get("date") or _today()
    query = (
        select(plan_indicators, plans.c.revision, plans.c.period_start, plans.c.period_end)
        .join(plans, plans.c.plan_id == plan_indicators.c.plan_id)
        .where(plan_indicators.c.nip == nip, plans.c.period_start <= day, plans.c.period_end >= day)
        .order_by(plans.c.period_start.desc(), plan_indicators.c.result_id, plan_indicators.c.indicator_id)
    )
    with runtime().engine.connect() as conn:
        if nip != principal.sub:
            _require_sees_employee(conn, nip)
        rows = [dict(r._mapping) for r in conn.execute(query)]
    for row in rows:
        row["target_value"] = finite(row["target_value"])
    return {"nip": nip, "date": day, "items": rows}


# -- summaries -------------------------------------------------------------------------------------

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
    principal = current_principal()
    cfg = current_config()
    nip = args.get("nip") or principal.sub
    with _rules():
        first, last = domain.month_bounds(args["month"])
    # Only quantities within the per-entry bounds are added up (one stored before them must not overflow the sum);
    # the others are counted. PostgreSQL orders NaN above every number, so the range leaves it out too.
    usable = activities.c.quantity.between(0, MAX_ENTRY_QUANTITY)
    grouped = (
        select(activities.c.indicator_id, activities.c.plan_id, activities.c.result_id, activities.c.status,
               func.max(activities.c.quantity_unit).label("quantity_unit"), func.sum(activities.c.minutes).label("minutes"),
               func.count().label("entries"), func.sum(case((usable, activities.c.quantity), else_=0.0)).label("quantity"),
               func.sum(case((usable, 0), else_=1)).label("quantity_excluded"))
        .where(activities.c.nip == nip, activities.c.date.between(first, last),
               activities.c.status.notin_(domain.NOT_COUNTED))
        .group_by(activities.c.indicator_id, activities.c.plan_id, activities.c.result_id, activities.c.status)
    )
    days = (select(func.count(func.distinct(activities.c.date)))
            .where(activities.c.nip == nip, activities.c.date.between(first, last),
               activities.c.status.notin_(domain.NOT_COUNTED)))
    with runtime().engine.connect() as conn:
        if nip != principal.sub:
            _require_sees_employee(conn, nip)
        summary = domain.monthly_summary([dict(r._mapping) for r in conn.execute(grouped)])
        summary.update(action_summary.per_action_and_result(conn, nip, args["month"], first, last))
        days_logged = conn.execute(days).scalar() or 0
        keys = {(i["plan_id"], i["indicator_id"]) for i in summary["indicators"]}
        texts = {}
        if keys:
            for r in conn.execute(select(plan_indicators).where(plan_indicators.c.plan_id.in_({k[0] for k in keys}))):
                texts[(r.plan_id, r.indicator_id)] = r
    for item in summary["indicators"]:
        known = texts.get((item["plan_id"], item["indicator_id"]))
        item.update(text=known.text if known else None, target_value=finite(known.target_value) if known else None,
                    target_unit=known.target_unit if known else None)
    return {"nip": nip, "month": args["month"], "working_days": len(cfg.calendar.working_days(first, last)),
            "days_logged": days_logged, **summary}


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
    principal = current_principal()
    cfg = current_config()
    day, unit_id = args["date"], args.get("unit_id")
    with runtime().engine.connect() as conn:
        people = select(employees.c.nip, employees.c.name, employees.c.unit_id).where(employees.c.active.is_(True))
        if unit_id:
            if not principal.is_admin:
                units = store.head_units(conn, principal.sub, store.employee(conn, principal.sub), _today())
                member = conn.execute(select(employees.c.unit_path).where(store.subtree_clause([unit_id])).limit(1)).scalar()
                ancestors = _ancestors(member, unit_id) if member else [unit_id]
                if not any(u in ancestors for u in units):
                    raise Forbidden(f"Only the head of unit {unit_id} (or of a unit above it) or an admin may see this.")
            people = people.where(store.subtree_clause([unit_id]))
        else:
            people = people.where(employees.c.rater_nip == principal.sub)
        staff = conn.execute(people.order_by(employees.c.unit_id, employees.c.nip)).all()
        logged = set()
        if staff:
            logged = set(conn.execute(select(activities.c.nip).distinct().where(
                activities.c.date == day, activities.c.status.notin_(domain.NOT_COUNTED),
                activities.c.nip.in_([s.nip for s in staff]))).scalars())
    working = cfg.calendar.is_working_day(day)
    missing = [dict(s._mapping) for s in staff if s.nip not in logged] if working else []
    return {"date": day, "unit_id": unit_id, "working_day": working, "holiday": cfg.calendar.holiday(day),
            "expected": len(staff) if working else 0, "logged": len(logged), "missing": missing}


def _ancestors(unit_path: str, unit_id: str) -> list[str]:
    """'/opd/sub/x/' and 'sub' -> ['opd', 'sub']: the unit and the units above it."""
    parts = [p for p in unit_path.split("/") if p]
    return parts[: parts.index(unit_id) + 1] if unit_id in parts else [unit_id]
