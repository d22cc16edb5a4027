"""HTTP API of the bulk document jobs (issue 17): an admin asks for a unit's evaluation documents of a period
as one ZIP; the worker process makes it (document_jobs.py), never a web worker.

- ``POST /api/v1/unit-performance/{unit_id}/document-jobs`` {period_id} -> 202 with the job and its URL (Location);
- ``GET  .../document-jobs/{job_id}``: status (queued, running, done, failed), total, done, percent;
- ``GET  .../document-jobs/{job_id}/download``: the ZIP once done (409 before).
"""
from __future__ import annotations

import uuid

import marshmallow as ma
from flask import Response
from sqlalchemy import select

from kinerja_shared import audit
from kinerja_shared.db import utcnow
from kinerja_shared.web.app_factory import current_principal, runtime
from kinerja_shared.web.docs import errors as _errors
from kinerja_shared.web.downloads import content_disposition
from kinerja_shared.web.problems import Conflict, Forbidden, NotFound

from . import api
from .document_jobs import DONE, QUEUED
from .models import document_jobs
from .schemas import PERIOD_ID

JOB_COLUMNS = [c for c in document_jobs.c if c.name != "zip"]


class DocumentJobIn(ma.Schema):
    period_id = ma.fields.String(required=True, validate=PERIOD_ID)


class DocumentJobOut(ma.Schema):
    id = ma.fields.String(required=True)
    unit_id = ma.fields.String(required=True)
    period_id = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"description": "queued, running, done or failed"})
    total = ma.fields.Integer(allow_none=True, metadata={"description": "Closed evaluations to render (known once running)"})
    done = ma.fields.Integer(required=True)
    percent = ma.fields.Integer(allow_none=True)
    error = ma.fields.String(allow_none=True)
    requested_by = ma.fields.String(required=True)
    requested_at = ma.fields.DateTime(required=True)
    started_at = ma.fields.DateTime(allow_none=True)
    finished_at = ma.fields.DateTime(allow_none=True)
    zip_sha256 = ma.fields.String(allow_none=True)
    url = ma.fields.String(required=True, metadata={"description": "This job"})
    download_url = ma.fields.String(allow_none=True, metadata={"description": "The ZIP, once done"})


def _admin_only() -> None:
    if not current_principal().is_admin:
        raise Forbidden("Only an admin may generate a unit's documents in bulk.")


def _out(row) -> dict:
    url = f"/api/v1/unit-performance/{row.unit_id}/document-jobs/{row.id}"
    out = {c.name: getattr(row, c.name) for c in JOB_COLUMNS}
    percent = int(row.done * 100 / row.total) if row.total else (100 if row.status == DONE else None)
    return {**out, "percent": percent, "url": url, "download_url": url + "/download" if row.status == DONE else None}


def _job(conn, unit_id: str, job_id: str, *columns):
    row = conn.execute(select(*(columns or JOB_COLUMNS)).where(document_jobs.c.id == job_id,
                                                               document_jobs.c.unit_id == unit_id)).first()
    if row is None:
        raise NotFound(f"document job {job_id} of unit {unit_id} does not exist")
    return row


@api.units_blp.route("/<unit_id>/document-jobs", methods=["POST"])
@api.units_blp.arguments(DocumentJobIn)
@api.units_blp.response(202, DocumentJobOut)
@_errors(api.units_blp, (404, "No such unit"), (422, "Bad period"))
def create_document_job(body, unit_id):
    """Queue the generation of the evaluation documents of the unit and its sub-units for a period (its closed
    evaluations) as one ZIP (admin). The worker process renders them; follow the job's ``url`` for the progress
    and fetch ``download_url`` when done. Audited."""
    _admin_only()
    p = current_principal()
    period = api._period(body["period_id"])
    with runtime().engine.begin() as conn:
        known = conn.execute(select(api.units.c.id).where(api.units.c.id == unit_id)).first()
        if known is None:
            raise NotFound(f"unit {unit_id} is not known here")
        row = dict(id=str(uuid.uuid4()), unit_id=unit_id, period_id=period.id, status=QUEUED, total=None, done=0,
                   error=None, requested_by=p.sub, requested_at=utcnow())
        conn.execute(document_jobs.insert().values(**row))
        audit.record(conn, actor=p, action="document_job.create", entity_type="unit", entity_id=unit_id,
                     after={"job_id": row["id"], "period_id": period.id})
        stored = _job(conn, unit_id, row["id"])
    out = _out(stored)
    return out, 202, {"Location": out["url"]}


@api.units_blp.route("/<unit_id>/document-jobs/<job_id>")
@api.units_blp.response(200, DocumentJobOut)
@_errors(api.units_blp, (404, "No such job"))
def get_document_job(unit_id, job_id):
    """A bulk document job's progress (admin): status, total, done, percent; ``download_url`` once done."""
    _admin_only()
    with runtime().engine.connect() as conn:
        return _out(_job(conn, unit_id, job_id))


@api.units_blp.route("/<unit_id>/document-jobs/<job_id>/download")
@api.units_blp.doc(responses={200: {"description": "The ZIP: one PDF per evaluation and daftar.csv (codes, SHA-256)",
                                    "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}})
@_errors(api.units_blp, (404, "No such job"), (409, "The job is not done"))
def download_document_job(unit_id, job_id):
    """The job's ZIP (admin), once done."""
    _admin_only()
    with runtime().engine.connect() as conn:
        row = _job(conn, unit_id, job_id, document_jobs.c.status, document_jobs.c.period_id, document_jobs.c.zip,
                   document_jobs.c.zip_sha256)
    if row.status != DONE:
        raise Conflict(f"document job {job_id} is {row.status}, not done", title="Job not done", current_status=row.status)
    response = Response(row.zip, status=200, mimetype="application/zip")
    response.headers["Content-Disposition"] = content_disposition(f"dokumen-evaluasi_{unit_id}_{row.period_id}.zip")
    response.headers["X-Content-SHA256"] = row.zip_sha256
    return response
