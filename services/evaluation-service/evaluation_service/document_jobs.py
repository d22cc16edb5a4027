"""The bulk generation of a unit's evaluation documents for a period (one ZIP), run by the worker process.

An admin's POST queues a job (document_jobs_api); the worker's ``document_job_runner`` claims queued jobs one at
a time (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers share the queue) and renders the documents
of the closed evaluations of the unit and its sub-units for the period, each in its own transaction through the
same register as a single download (same code, same bytes), writing the progress as it goes. The ZIP holds
``<nip>_<period>_r<revision>_<code>.pdf`` per evaluation and ``daftar.csv`` (NIP, name, code, SHA-256), with
fixed entry dates, so the same documents give the same ZIP.

A job left running by a worker that stopped is taken again after STALE_AFTER (2 hours; the benchmark's 1,000
documents take a few minutes). Settings: EVALUATION_DOCUMENT_JOB_POLL_SECONDS (how often an idle worker looks for a job, default 5).
"""
from __future__ import annotations

import csv
import hashlib
import io
import logging
import tempfile
import threading
import zipfile
from datetime import timedelta

from sqlalchemy import select, update

from kinerja_shared.db import utcnow
from kinerja_shared.web.downloads import csv_cell

from . import api, domain
from .models import document_jobs, evaluations, employees

log = logging.getLogger(__name__)
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
PROGRESS_EVERY = 10   # documents between two progress writes
SPOOL_BYTES = 8 * 1024 * 1024  # a ZIP larger than this is built in a temporary file, not in memory
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
STALE_AFTER = timedelta(hours=2)  # a running job not finished by then is taken again (its worker stopped)


def _claim(engine):
    """The oldest queued job (or one left running for STALE_AFTER by a worker that stopped), now running."""
    with engine.begin() as conn:
        stale = (document_jobs.c.status == RUNNING) & (document_jobs.c.started_at < utcnow() - STALE_AFTER)
        query = select(document_jobs.c.id).where((document_jobs.c.status == QUEUED) | stale).order_by(
            document_jobs.c.requested_at).limit(1)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        found = conn.execute(query).first()
        if found is None:
            return None
        conn.execute(update(document_jobs).where(document_jobs.c.id == found.id).values(
            status=RUNNING, started_at=utcnow()))
        return conn.execute(select(document_jobs).where(document_jobs.c.id == found.id)).first()


def _evaluations_of(conn, job):
    scope = api._subtree(conn, {job.unit_id})
    return conn.execute(select(evaluations).where(
        evaluations.c.period_id == job.period_id, evaluations.c.unit_id.in_(scope),
        evaluations.c.status == domain.CLOSED).order_by(evaluations.c.nip, evaluations.c.id)).all()


def run_job(engine, settings, job) -> None:
    """Render the job's documents into its ZIP, writing the progress; a failure is recorded on the job.
    The documents are made by the routes' own code, which reads the service's config: bound here."""
    from kinerja_shared.web.app_factory import job_runtime

    from .service import SPEC

    with job_runtime(SPEC, settings, engine):
        _render(engine, settings, job)


def _render(engine, settings, job) -> None:
    from .documents_api import issue_evaluation

    try:
        with engine.connect() as conn:
            rows = _evaluations_of(conn, job)
            names = dict(conn.execute(select(employees.c.nip, employees.c.name)
                                      .where(employees.c.nip.in_([r.nip for r in rows]))).all()) if rows else {}
        _progress(engine, job.id, total=len(rows), done=0)
        buffer = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # a large unit's ZIP is built on disk
        manifest = io.StringIO()
        writer = csv.writer(manifest, lineterminator="\r\n")
        writer.writerow(["nip", "nama", "periode", "revisi", "kode_verifikasi", "sha256", "berkas"])
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for n, row in enumerate(rows, 1):
                with engine.begin() as conn:
                    issued = issue_evaluation(conn, settings, row)
                name = f"{row.nip}_{row.period_id}_r{row.revision}_{issued.code}.pdf"
                archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), issued.pdf)
                writer.writerow([csv_cell(v) for v in (row.nip, names.get(row.nip), row.period_id, row.revision,
                                                       issued.code, issued.sha256, name)])
                if n % PROGRESS_EVERY == 0:
                    _progress(engine, job.id, done=n)
            archive.writestr(zipfile.ZipInfo("daftar.csv", ZIP_DATE), manifest.getvalue().encode("utf-8"))
        buffer.seek(0)
        data = buffer.read()
        buffer.close()
        _progress(engine, job.id, done=len(rows), status=DONE, zip=data, zip_sha256=hashlib.sha256(data).hexdigest(),
                  finished_at=utcnow())
    except Exception as exc:  # recorded for the admin; the worker goes on with the next job
        log.exception("document job failed", extra={"job_id": job.id})
        _progress(engine, job.id, status=FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=utcnow())


def _progress(engine, job_id: str, **values) -> None:
    with engine.begin() as conn:
        conn.execute(update(document_jobs).where(document_jobs.c.id == job_id).values(**values))


def run_pending(engine, settings) -> int:
    """Run queued jobs until none is left; how many ran."""
    ran = 0
    while (job := _claim(engine)) is not None:
        run_job(engine, settings, job)
        ran += 1
    return ran


def document_job_runner(settings, engine, stop: threading.Event) -> None:
    """Worker background job: run the queued document jobs, looking again every few seconds."""
    raw = settings.extra.get("EVALUATION_DOCUMENT_JOB_POLL_SECONDS") or "5"
    interval = float(raw) if raw.replace(".", "", 1).isdigit() and float(raw) > 0 else 5.0
    while not stop.is_set():
        try:
            run_pending(engine, settings)
        except Exception as exc:  # the database may be down: try again at the next tick
            log.warning("document jobs failed", extra={"error": repr(exc)})
        stop.wait(interval)
