"""Logging daily activities (kegiatan harian): one entry (the hot path) or a day's batch recorded offline.

The rules that need no database are checked before the unit of work opens (:func:`check_entry`): a refused
entry without a client id costs no round trip. The employee, the indicators in force and (with an
``Idempotency-Key``) the key's stored answer are read in one statement (``store.logging_context``, no lock: on
PostgreSQL an exclusion constraint keeps entries from overlapping); one entry is then written with its audit
row, its event and the key's answer in one more (``store.log_pending``, the unit of work's fast path). A batch
writes its entries, audit rows and events as three multi-row inserts.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from kinerja_shared import errors
from kinerja_shared.errors import Conflict, Forbidden, field_error

from .. import action_links, domain, events, store
from ..domain import DomainError
from .common import ENTITY, overlap_problem


@dataclass
class Logged:
    """What logging one entry did: ``row`` stored now (``inserted``) or earlier with the same body (``replayed``);
    or ``stored_key``: the Idempotency-Key was answered before (the caller replays that answer)."""

    row: dict | None = None
    inserted: bool = False
    replayed: bool = False
    stored_key: object = None


# -- the rules that need no database ------------------------------------------------------------------


def check_body(body: dict, today, cfg) -> dict:
    """Times, date, quantity, description, links: the prepared values (DomainError when a rule is broken)."""
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


def check_entries(bodies: list[dict], cfg, today) -> list:
    """Per body: the prepared values, or the refusal naming the field."""
    checked: list = []
    for body in bodies:
        try:
            checked.append(check_body(body, today, cfg))
        except DomainError as exc:
            checked.append(field_error(exc.field, exc.message, status=exc.status))
    return checked


def check_entry(body: dict, cfg, today):
    """One entry's prepared values, or its refusal; raised at once when there is no client id to look up."""
    [prepared] = check_entries([body], cfg, today)
    if isinstance(prepared, errors.DomainError) and not body.get("id"):
        raise prepared  # nothing to look up: no round trip for a refused entry
    return prepared


# -- what the database decides --------------------------------------------------------------------------


def _linked(conn, nip: str, bodies: list[dict], checked: list) -> list:
    """The entries naming an ``action_id``: the agreed action (in ``prepared["action"]``) or the refusal naming it."""
    actions = action_links.load(
        conn,
        {
            b["action_id"]
            for b, c in zip(bodies, checked)
            if b.get("action_id") and not isinstance(c, errors.DomainError)
        },
    )
    out = []
    for body, prepared in zip(bodies, checked):
        if not isinstance(prepared, errors.DomainError):
            prepared = {**prepared, "action": None}
            if body.get("action_id"):
                try:
                    prepared["action"] = action_links.resolve(
                        actions, nip, body["action_id"], body["date"], body.get("indicator_id")
                    )
                except DomainError as exc:
                    prepared = field_error(exc.field, exc.message)
        out.append(prepared)
    return out


def _indicator_of(body: dict, prepared) -> str | None:
    """The entry's indicator: its action's, when it names one."""
    if not isinstance(prepared, errors.DomainError) and prepared.get("action"):
        return prepared["action"]["indicator_id"]
    return body.get("indicator_id")


def _existing(actor, body: dict, fingerprint: str, existing) -> dict | None:
    """For a client-chosen id already stored: the stored entry (same body: a replay) or a 409; None if new."""
    if not body.get("id") or existing is None:
        return None
    if existing["nip"] == actor.sub and existing["request_hash"] == fingerprint:
        return existing
    raise Conflict(
        f"Activity id {body['id']} is already used for a different entry; choose a new id.",
        title="Activity id already used",
        errors=[{"field": "id", "message": "already used for a different entry"}],
    )


def _stored_entry(conn, activity_id: str) -> dict | None:
    row = store.get_activity(conn, activity_id)
    return dict(row._mapping) if row is not None else None


def _new_row(actor, body: dict, prepared, employee, candidates, fingerprint: str, now) -> dict:
    """The row of a new entry, or the refusal (raised before any write)."""
    if isinstance(prepared, errors.DomainError):
        raise prepared
    if employee is not None and not employee["active"]:
        raise Forbidden(f"Employee {actor.sub} is not active in the org directory; activities cannot be logged.")
    prepared = dict(prepared)
    action = prepared.pop("action", None)
    try:
        indicator = domain.indicator_in_force(candidates, _indicator_of(body, {"action": action}), body["date"])
        if action is not None:
            action_links.check_plan(action, indicator.plan_id)
        unit = domain.unit_for_indicator(body.get("quantity_unit"), indicator.target_unit)
    except DomainError as exc:
        raise field_error(exc.field, exc.message) from None
    return dict(
        action_id=action["action_id"] if action else None,
        id=body.get("id") or str(uuid.uuid4()),
        nip=actor.sub,
        rater_nip=(employee or {}).get("rater_nip") or indicator.rater_nip,
        unit_id=(employee or {}).get("unit_id") or indicator.unit_id,
        plan_id=indicator.plan_id,
        result_id=indicator.result_id,
        indicator_id=indicator.indicator_id,
        date=body["date"],
        **prepared,
        description=body["description"].strip(),
        quantity=float(body["quantity"]),
        quantity_unit=unit,
        status=domain.PENDING,
        verification_reason=None,
        verified_by=None,
        verified_at=None,
        version=1,
        request_hash=fingerprint,
        created_at=now,
        updated_at=now,
    )


def _record_logged(uow, actor, row: dict) -> None:
    uow.audit(
        actor=actor, action="activity.logged", entity_type=ENTITY, entity_id=row["id"], after=events.activity_state(row)
    )
    uow.publish(events.activity_logged(row))


# -- the commands ---------------------------------------------------------------------------------------


def log_activity(
    uow, actor, body: dict, prepared, *, key=None, key_row: Callable[[dict], dict | None] = lambda row: None
) -> Logged:
    """Log one of the caller's own entries; publishes ActivityLogged.

    ``prepared``: :func:`check_entry`'s answer. ``key``: the request's Idempotency-Key (``idempotency.Pending``)
    or None; ``key_row(row)``: the key's row storing the answer to the new entry, written with it.
    A client id already stored with the same body is a replay; with another body, or an overlap, a 409.
    """
    conn = uow.conn
    fingerprint = domain.fingerprint(body)
    if body.get("action_id"):
        [prepared] = _linked(conn, actor.sub, [body], [prepared])
    wanted = {_indicator_of(body, prepared)}
    if key is None:
        employee, candidates = store.logging_context(conn, actor.sub, wanted)
    else:
        employee, candidates, stored_key = store.logging_context(conn, actor.sub, wanted, key=key)
        if stored_key is not None:
            return Logged(stored_key=stored_key)
    try:
        row = _new_row(actor, body, prepared, employee, candidates, fingerprint, uow.now())
    except errors.DomainError as problem:
        existing = None
        if problem.status != 409 and body.get("id"):
            existing = _existing(actor, body, fingerprint, _stored_entry(conn, body["id"]))
        if existing is None:
            raise
        return Logged(row=existing, replayed=True)
    _record_logged(uow, actor, row)
    if store.log_pending(uow, row, key_row(row)):
        return Logged(row=row, inserted=True)
    return Logged(row=_refused_insert(conn, actor, body, row), replayed=True)


def log_batch(uow, actor, bodies: list[dict], cfg, *, key=None) -> list | Logged:
    """Log the caller's entries, each stored or refused on its own: one ('stored', row, replayed) or
    ('error', refusal) per body; or ``Logged(stored_key=...)`` for an Idempotency-Key answered before.

    The stored entries that overlap one of the batch's entries (``store.occupied``) and the client ids already
    stored are read once; overlaps (with stored entries and with earlier entries of the batch) are decided here; the new
    entries, their audit rows and their events then go in as three multi-row inserts. Refused entries write
    nothing; each stored one publishes ActivityLogged.
    """
    conn = uow.conn
    checked = check_entries(bodies, cfg, uow.today())
    if all(isinstance(c, errors.DomainError) for c in checked) and not any(b.get("id") for b in bodies):
        return [("error", c) for c in checked]  # nothing to look up: no round trip for a refused entry
    if any(b.get("action_id") for b in bodies):
        checked = _linked(conn, actor.sub, bodies, checked)
    employee, candidates = store.logging_context(
        conn, actor.sub, {_indicator_of(b, c) for b, c in zip(bodies, checked)}
    )
    if key is not None and (stored_key := store.stored_key(conn, key)) is not None:
        return Logged(stored_key=stored_key)
    now = uow.now()
    client_ids = sorted({b["id"] for b in bodies if b.get("id")})
    known = {k: dict(r._mapping) for k, r in store.get_activities(conn, client_ids).items()}
    taken = domain.Occupancy()
    windows = [  # each valid entry's day and time: the stored entries that may clash with it are read
        (b["date"], c["start_min"], c["end_min"])
        for b, c in zip(bodies, checked)
        if not isinstance(c, errors.DomainError)
    ]
    for r in store.occupied(conn, actor.sub, windows):
        taken.add(r.date, r.start_min, r.end_min, r.id)
    results, new_rows = [], {}
    for body, prepared in zip(bodies, checked):
        outcome = _batch_entry(actor, body, prepared, employee, candidates, known, taken, now)
        if outcome[0] == "stored" and not outcome[2]:
            row = outcome[1]
            taken.add(row["date"], row["start_min"], row["end_min"], row["id"])
            known[row["id"]] = row
            new_rows[len(results)] = row
        results.append(outcome)
    inserted = store.insert_many(conn, list(new_rows.values()))
    for i, row in new_rows.items():
        if row["id"] in inserted:
            _record_logged(uow, actor, row)
        else:  # an entry committed by a concurrent request since the reads above took its id or its time
            try:
                results[i] = ("stored", _refused_insert(conn, actor, bodies[i], row), True)
            except errors.DomainError as problem:
                results[i] = ("error", problem)
    return results


def _refused_insert(conn, actor, body: dict, row: dict) -> dict:
    """For an entry the database did not insert: the entry stored with its id and the same body (a replay);
    else a 409: its id is used for another entry, or its time overlaps another entry (on PostgreSQL the
    exclusion constraint ``ex_activities_no_overlap`` refused it) whose id the problem names."""
    existing = _existing(actor, body, row["request_hash"], _stored_entry(conn, row["id"]))
    if existing is not None:
        return existing
    clash = store.find_overlap(conn, actor.sub, row["date"], row["start_min"], row["end_min"])
    raise overlap_problem(
        clash.id if clash else None, clash.start_min if clash else None, clash.end_min if clash else None, row["date"]
    )


def _batch_entry(actor, body, prepared, employee, candidates, known: dict, taken: domain.Occupancy, now) -> tuple:
    """One entry of a batch: ('stored', row, replayed) or ('error', refusal); nothing is written here."""
    fingerprint = domain.fingerprint(body)
    try:
        row = _new_row(actor, body, prepared, employee, candidates, fingerprint, now)
        existing = _existing(actor, body, fingerprint, known.get(row["id"]))
    except errors.DomainError as problem:
        if problem.status == 409 or not body.get("id"):
            return ("error", problem)
        try:
            existing = _existing(actor, body, fingerprint, known.get(body["id"]))
        except errors.DomainError as conflict:
            return ("error", conflict)
        return ("stored", existing, True) if existing is not None else ("error", problem)
    if existing is not None:
        return ("stored", existing, True)
    clash = taken.first_clash(row["date"], row["start_min"], row["end_min"])
    if clash is not None:
        start, end, clash_id = clash
        return ("error", overlap_problem(clash_id, start, end, row["date"]))
    return ("stored", row, False)
