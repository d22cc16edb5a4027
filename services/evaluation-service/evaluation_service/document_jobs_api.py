"""HTTP API of the bulk document jobs (issue 17): an admin asks for a unit's evaluation documents of a period
as one ZIP; the worker process makes it (document_jobs.py), never a web worker.

- ``POST /api/v1/unit-performance/{unit_id}/document-jobs`` {period_id} -> 202 with the job and its URL (Location);
- ``GET  .../document-jobs/{job_id}``: status (queued, running, done, failed), total, done, percent;
- ``GET  .../document-jobs/{job_id}/download``: the ZIP once done (409 before).
"""

from __future__ import annotations

import marshmallow as ma
from flask import Response

from kinerja_shared.web.app_factory import current_principal, runtime, unit_of_work
from kinerja_shared.web.docs import errors as _errors
from kinerja_shared.web.downloads import content_disposition

from . import api
from .schemas import PERIOD_ID
from .use_cases import document_jobs


class DocumentJobIn(ma.Schema):
    period_id = ma.fields.String(required=True, validate=PERIOD_ID)


class DocumentJobOut(ma.Schema):
    id = ma.fields.String(required=True)
    unit_id = ma.fields.String(required=True)
    period_id = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"description": "queued, running, done or failed"})
    total = ma.fields.Integer(
        allow_none=True, metadata={"description": "Closed evaluations to render (known once running)"}
    )
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


@api.units_blp.route("/<unit_id>/document-jobs", methods=["POST"])
@api.units_blp.arguments(DocumentJobIn)
@api.units_blp.response(202, DocumentJobOut)
@_errors(api.units_blp, (404, "No such unit"), (422, "Bad period"))
def create_document_job(body, unit_id):
    """Queue the generation of the evaluation documents of the unit and its sub-units for a period (its closed
    evaluations) as one ZIP (admin). The worker process renders them; follow the job's ``url`` for the progress
    and fetch ``download_url`` when done. Audited."""
    with unit_of_work() as uow:
        out = document_jobs.queue_document_job(uow, current_principal(), unit_id, body["period_id"])
    return out, 202, {"Location": out["url"]}


@api.units_blp.route("/<unit_id>/document-jobs/<job_id>")
@api.units_blp.response(200, DocumentJobOut)
@_errors(api.units_blp, (404, "No such job"))
def get_document_job(unit_id, job_id):
    """A bulk document job's progress (admin): status, total, done, percent; ``download_url`` once done."""
    with runtime().engine.connect() as conn:
        return document_jobs.document_job(conn, current_principal(), unit_id, job_id)


@api.units_blp.route("/<unit_id>/document-jobs/<job_id>/download")
@api.units_blp.doc(
    responses={
        200: {
            "description": "The ZIP: one PDF per evaluation and daftar.csv (codes, SHA-256)",
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
)
@_errors(api.units_blp, (404, "No such job"), (409, "The job is not done"))
def download_document_job(unit_id, job_id):
    """The job's ZIP (admin), once done."""
    with runtime().engine.connect() as conn:
        row = document_jobs.document_job_zip(conn, current_principal(), unit_id, job_id)
    response = Response(row.zip, status=200, mimetype="application/zip")
    response.headers["Content-Disposition"] = content_disposition(f"dokumen-evaluasi_{unit_id}_{row.period_id}.zip")
    response.headers["X-Content-SHA256"] = row.zip_sha256
    return response
