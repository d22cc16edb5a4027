"""HTTP API of activity-service: the blueprints (/api/v1/activities, /api/v1/indicators, /api/v1/summaries)
and how an entry is written back (ETag, Location, JSON built once on the hot paths).

The routes are in the feature modules (``logging_api``, ``activities_api``, ``verification_api``,
``repairs_api``, ``evidence_api``, ``summaries_api``, ``calendar_api``); each parses, opens the unit of work,
calls one use case (``use_cases``) and serialises.
"""

from __future__ import annotations

from functools import partial

from flask import Response, current_app
from flask_smorest import Blueprint

from kinerja_shared.numbers import finite
from kinerja_shared.web.answer_json import answer_dumps as strict_dumps
from kinerja_shared.web.etag import check_if_match, etag_for, require_if_match
from kinerja_shared.web.problems import Problem, problem_body

from . import domain

activities_blp = Blueprint(
    "activities",
    __name__,
    url_prefix="/api/v1/activities",
    description="Daily activities (kegiatan harian): logging, edits, evidence and verification.",
)
indicators_blp = Blueprint(
    "indicators",
    __name__,
    url_prefix="/api/v1/indicators",
    description="The indicators of approved plans an employee may log against.",
)
summaries_blp = Blueprint(
    "summaries",
    __name__,
    url_prefix="/api/v1/summaries",
    description="Monthly summaries per employee (TPP facts) and who has not logged on a working day.",
)


def if_match(activity_id: str, *, required: bool = False):
    """The use cases' ``if_match(version)``: the request's If-Match against the entry's version (412; 428 when
    ``required`` and absent)."""
    return partial(require_if_match if required else check_if_match, activity_id)


def out(row) -> dict:
    """An entry for ``ActivityOut`` (marshmallow dumps it)."""
    m = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
    m["start_time"] = domain.format_hhmm(m.pop("start_min"))
    m["end_time"] = domain.format_hhmm(m.pop("end_min"))
    m.pop("request_hash", None)
    m["quantity"] = finite(m.get("quantity"))
    m["evidence"] = [
        dict(item, download=f"/api/v1/activities/{m['id']}/evidence/{item['file_id']}")
        if item.get("kind") == "file"
        else item
        for item in (m.get("evidence") or [])
    ]
    return m


def headers(row, created: bool = False) -> dict:
    """ETag (and Location for a new entry) of a row or a row dict."""
    m = row if isinstance(row, dict) else row._mapping
    result = {"ETag": etag_for(m["id"], m["version"])}
    if created:
        result["Location"] = f"/api/v1/activities/{m['id']}"
    return result


def written(row, status: int = 200):
    """The answer of a change to an entry: the entry, its status and its ETag."""
    return out(row), status, headers(row)


# The fields of schemas.ItemProblem / EvidenceOut, in order: what their marshmallow dump keeps.
_ITEM_PROBLEM_FIELDS = ("title", "detail", "errors", "clashing_activity_id", "current_version")
_EVIDENCE_FIELDS = ("kind", "url", "file_id", "name", "sha256", "content_type", "size", "download")


def item_problem(problem: Problem) -> dict:
    body = problem_body(problem)  # in the request's language, like every problem
    return {k: body[k] for k in _ITEM_PROBLEM_FIELDS if k in body}


def _iso(value):
    return value.isoformat() if value is not None else None


def json_response(body: dict, status: int = 200) -> Response:
    """A JSON response of plain values (``out_json``), encoded once; keys in the schemas' order, not sorted."""
    return current_app.response_class(
        strict_dumps(body, separators=(",", ":")), status=status, mimetype="application/json"
    )


def out_json(row) -> dict:
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
        "id": activity_id,
        "nip": m["nip"],
        "rater_nip": m["rater_nip"],
        "unit_id": m["unit_id"],
        "plan_id": m["plan_id"],
        "result_id": m["result_id"],
        "indicator_id": m["indicator_id"],
        "action_id": m["action_id"],
        "date": m["date"].isoformat(),
        "start_time": domain.format_hhmm(m["start_min"]),
        "end_time": domain.format_hhmm(m["end_min"]),
        "minutes": m["minutes"],
        "description": m["description"],
        "quantity": finite(quantity),
        "quantity_unit": m["quantity_unit"],
        "evidence": evidence_items,
        "status": m["status"],
        "verification_reason": m["verification_reason"],
        "verified_by": m["verified_by"],
        "verified_at": _iso(m["verified_at"]),
        "version": m["version"],
        "created_at": _iso(m["created_at"]),
        "updated_at": _iso(m["updated_at"]),
    }


def activity_response(row, status: int, *, created: bool = False, replayed: bool = False) -> Response:
    response = json_response(out_json(row), status)
    response.headers.update(headers(row, created=created))
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response
