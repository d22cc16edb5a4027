"""POST /api/v1/activities and /batch: logging entries (the hot paths).

One entry is two statements, on PostgreSQL without BEGIN/COMMIT (``single_statement``): the context read (no
lock), then the one statement (its own transaction) writing the entry with its audit row, its ActivityLogged
event and the Idempotency-Key's answer (``store.log_pending``).
"""

from __future__ import annotations

import marshmallow as ma
from flask import Response

from kinerja_shared.web import idempotency
from kinerja_shared.web.app_factory import current_principal, runtime, unit_of_work
from kinerja_shared.web.docs import errors as _errors
from kinerja_shared.web.problems import Problem, flatten_messages

from . import use_cases
from .api import activities_blp, activity_response, item_problem, json_response, out_json
from .config import current_config
from .schemas import ActivityIn, ActivityOut, BatchIn, BatchOut

# Schema instances, not classes, on the hot paths: webargs instantiates a class on every request
# (a deep copy of its fields and of its nested schemas' fields).
ACTIVITY_IN = ActivityIn()


class _Answer:
    """The route's answer to a new entry, built once: its response and the Idempotency-Key row storing it."""

    response: Response | None = None

    def __call__(self, row: dict) -> dict | None:
        self.response = activity_response(row, 201, created=True)
        return idempotency.key_row(self.response)


@activities_blp.route("", methods=["POST"])
@activities_blp.arguments(ACTIVITY_IN)
@activities_blp.response(201, ActivityOut)
@_errors(
    activities_blp,
    (409, "Overlaps another entry (clashing_activity_id names it), or the id is used for a different entry"),
    (
        422,
        "A rule is broken: date in the future or before the edit window, end not after start, indicator not in "
        "the approved plan in force on that date, negative quantity",
    ),
)
@idempotency.in_transaction
def log_activity(body):
    """Log one of your own daily activities; publishes ActivityLogged.

    The entry is stored with its ActivityLogged event in one transaction. Send your own UUID
    as ``id`` (or an ``Idempotency-Key`` header) so a retry on a bad network returns the first
    answer instead of creating a second entry; the same id with a different body is a 409.
    """
    rt = runtime()
    prepared = use_cases.check_entry(body, current_config(), rt.today())
    answer = _Answer()
    with rt.unit_of_work(single_statement=True) as uow:  # the one write: entry, audit row, event, key's answer
        logged = use_cases.log_activity(
            uow, current_principal(), body, prepared, key=idempotency.pending(), key_row=answer
        )
    if logged.stored_key is not None:
        return idempotency.replay_row(logged.stored_key)
    if logged.inserted:
        idempotency.stored()
        return answer.response
    return activity_response(logged.row, 201, created=True, replayed=True)


def _loaded(items: list) -> list:
    """Each item of a batch as ActivityIn loads it, or the Problem naming what is wrong with it."""
    loaded: list = []
    for item in items:
        try:
            if not isinstance(item, dict):
                raise ma.ValidationError({"(item)": ["must be an object (one entry)"]})
            loaded.append(ACTIVITY_IN.load(item))
        except ma.ValidationError as exc:
            rows = flatten_messages(exc.messages)
            loaded.append(
                Problem(
                    "; ".join(f"{r['field']}: {r['message']}" for r in rows[:10]),
                    status=422,
                    title="Validation failed",
                    errors=rows,
                )
            )
    return loaded


def _batch_results(items: list, loaded: list, outcomes: list) -> list[dict]:
    """One result per item, in order: the stored entry (201) or the problem."""
    outcomes = iter(outcomes)
    results = []
    for index, item in enumerate(loaded):
        if isinstance(item, Problem):
            client_id = items[index].get("id") if isinstance(items[index], dict) else None
            results.append(
                {
                    "index": index,
                    "id": client_id if isinstance(client_id, str) else None,
                    "status": item.status,
                    "replayed": False,
                    "activity": None,
                    "problem": item_problem(item),
                }
            )
            continue
        kind, value, *rest = next(outcomes)
        if kind == "stored":
            activity = out_json(value)
            results.append(
                {
                    "index": index,
                    "id": activity["id"],
                    "status": 201,
                    "replayed": bool(rest and rest[0]),
                    "activity": activity,
                    "problem": None,
                }
            )
        else:
            results.append(
                {
                    "index": index,
                    "id": item.get("id"),
                    "status": value.status,
                    "replayed": False,
                    "activity": None,
                    "problem": item_problem(value),
                }
            )
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
    items = body["items"]  # at most domain.MAX_BATCH_ITEMS: BatchIn checks it, and documents it as maxItems
    loaded = _loaded(items)
    valid = [b for b in loaded if not isinstance(b, Problem)]
    with unit_of_work() as uow:
        outcomes = (
            use_cases.log_batch(uow, current_principal(), valid, current_config(), key=idempotency.pending())
            if valid
            else []
        )
        if isinstance(outcomes, use_cases.Logged):
            return idempotency.replay_row(outcomes.stored_key)
        results = _batch_results(items, loaded, outcomes)
        stored = sum(1 for r in results if r["status"] == 201)
        response = json_response({"results": results, "stored": stored, "failed": len(results) - stored}, 207)
        idempotency.keep(uow, response)
    return response
