"""Continuous feedback (umpan balik berkelanjutan): given by the employee's rater, shown on their next form."""

from __future__ import annotations

import uuid

from kinerja_shared.errors import InvalidField

from .. import access, domain, events
from .. import directory_queries as directory
from .. import feedback_store as store
from ..evaluation_views import next_cursor, time_cursor
from . import periods

FILTERS = ("nip", "period_id", "evaluation_id")


def give_feedback(uow, actor, body: dict, *, default_scheme: str) -> dict:
    """Feedback on one result, one BerAKHLAK value, or in general; it shows on the employee's earliest form not
    closed yet (else the next one to open). Publishes FeedbackGiven."""
    nip = body["nip"]
    if body["result_id"] and body["behaviour_value"]:
        raise InvalidField("behaviour_value", "give feedback on one result or one behaviour value, not both")
    own_plans = store.plans_of(uow.conn, nip)
    access.require_feedback_giver(actor, nip, directory.employee(uow.conn, nip), own_plans)
    today = uow.today()
    if body["result_id"]:
        holder = [pl for pl in own_plans if any(r["result_id"] == body["result_id"] for r in pl.results)]
        if not holder:
            raise InvalidField("result_id", f"{body['result_id']!r} is not a result of a plan of {nip}")
        plan_id = holder[0].id
    else:
        current = [pl for pl in own_plans if pl.period_start <= today <= pl.period_end] or own_plans
        plan_id = current[0].id if current else None
    scheme, _ = periods.scheme_of(uow, today.year, default_scheme)
    row = dict(
        id=str(uuid.uuid4()),
        nip=nip,
        rater_nip=actor.sub,
        plan_id=plan_id,
        period_id=domain.period_containing(today, scheme).id,
        evaluation_id=store.next_form(uow.conn, nip),
        result_id=body["result_id"],
        behaviour_value=body["behaviour_value"],
        text=body["text"],
        given_at=uow.now(),
    )
    created = store.add(uow.conn, row)
    uow.audit(actor=actor, action="feedback.given", entity_type="feedback", entity_id=row["id"], after=row)
    uow.publish(events.feedback_given(created))
    return dict(created._mapping)


def list_feedback(uow, actor, args: dict) -> dict:
    """Feedback newest first: the employee's own, what the rater gave, a head's subtree's, an admin all."""
    filters = {name: args[name] for name in FILTERS if args.get(name)}
    scope = None if actor.is_admin else (actor.sub, access.unit_scope(uow, actor))
    after = time_cursor(args["cursor"]) if args.get("cursor") else None
    rows, cursor = next_cursor(
        store.page(uow.conn, filters, scope=scope, after=after, limit=args["limit"]), args["limit"], "given_at"
    )
    return {"items": [dict(r._mapping) for r in rows], "next_cursor": cursor}
