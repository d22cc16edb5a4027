"""Use cases of the bulk document jobs (issue 17): an admin queues a unit's evaluation documents of a period as
one ZIP, follows its progress and downloads it; the worker's round (document_jobs.document_job_runner) renders
the queued jobs, never a web worker.

A round claims queued jobs one at a time (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers share the
queue) and renders the documents of the closed evaluations of the unit and its sub-units for the period, each in
its own transaction through the same register as a single download (same code, same bytes), writing the progress
as it goes. The ZIP holds ``<nip>_<period>_r<revision>_<code>.pdf`` per evaluation and ``daftar.csv`` (NIP, name,
code, SHA-256), with fixed entry dates, so the same documents give the same ZIP. A job left running by a worker
that stopped is taken again after STALE_AFTER (2 hours; the benchmark's 1,000 documents take a few minutes).
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import tempfile
import uuid
import zipfile
from datetime import timedelta

from kinerja_shared.errors import Conflict, NotFound
from kinerja_shared.web.downloads import csv_cell

from .. import access
from .. import document_jobs_store as store
from .documents import issue_evaluation

log = logging.getLogger(__name__)
PROGRESS_EVERY = 10  # documents between two progress writes
SPOOL_BYTES = 8 * 1024 * 1024  # a ZIP larger than this is built in a temporary file, not in memory
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
STALE_AFTER = timedelta(hours=2)  # a running job not finished by then is taken again (its worker stopped)


def _evaluations():
    from .. import api  # the units' subtrees and the period ids (api.py's)

    return api


def job_view(row) -> dict:
    """A job as the API shows it: its columns, the percent done, its URL and, once done, the ZIP's."""
    url = f"/api/v1/unit-performance/{row.unit_id}/document-jobs/{row.id}"
    out = {c.name: getattr(row, c.name) for c in store.JOB_COLUMNS}
    percent = int(row.done * 100 / row.total) if row.total else (100 if row.status == store.DONE else None)
    return {
        **out,
        "percent": percent,
        "url": url,
        "download_url": url + "/download" if row.status == store.DONE else None,
    }


def _job(conn, unit_id: str, job_id: str, *, with_zip: bool = False):
    row = store.job(conn, unit_id, job_id, with_zip=with_zip)
    if row is None:
        raise NotFound(f"document job {job_id} of unit {unit_id} does not exist")
    return row


def queue_document_job(uow, actor, unit_id: str, period_id: str) -> dict:
    """Queue the documents of the unit and its sub-units for a period (admin). Audited."""
    access.document_jobs_admin(actor)
    period = _evaluations()._period(period_id)
    if not store.unit_known(uow.conn, unit_id):
        raise NotFound(f"unit {unit_id} is not known here")
    job_id = str(uuid.uuid4())
    store.insert(
        uow.conn,
        id=job_id,
        unit_id=unit_id,
        period_id=period.id,
        status=store.QUEUED,
        total=None,
        done=0,
        error=None,
        requested_by=actor.sub,
        requested_at=uow.now(),
    )
    uow.audit(
        actor=actor,
        action="document_job.create",
        entity_type="unit",
        entity_id=unit_id,
        after={"job_id": job_id, "period_id": period.id},
    )
    return job_view(_job(uow.conn, unit_id, job_id))


def document_job(conn, actor, unit_id: str, job_id: str) -> dict:
    """A job's progress (admin)."""
    access.document_jobs_admin(actor)
    return job_view(_job(conn, unit_id, job_id))


def document_job_zip(conn, actor, unit_id: str, job_id: str):
    """A done job's row with its ZIP (admin); 409 before it is done."""
    access.document_jobs_admin(actor)
    row = _job(conn, unit_id, job_id, with_zip=True)
    if row.status != store.DONE:
        raise Conflict(
            f"document job {job_id} is {row.status}, not done", title="Job not done", current_status=row.status
        )
    return row


# -- the worker's round -----------------------------------------------------------------------------


def run_document_jobs(rt, issue=issue_evaluation) -> int:
    """Run queued jobs until none is left; how many ran (``rt``: the worker's runtime)."""
    ran = 0
    while (job := _claim(rt)) is not None:
        _render(rt, job, issue)
        ran += 1
    return ran


def _claim(rt):
    with rt.unit_of_work() as uow:
        now = uow.now()
        return store.claim(uow.conn, now, now - STALE_AFTER)


def _progress(rt, job_id: str, **values) -> None:
    with rt.unit_of_work() as uow:
        store.progress(uow.conn, job_id, **values)


def _render(rt, job, issue) -> None:
    """Render the job's documents into its ZIP, writing the progress; a failure is recorded on the job."""
    try:
        with rt.engine.connect() as conn:
            rows = store.closed_evaluations(conn, job.period_id, _evaluations()._subtree(conn, {job.unit_id}))
            names = _names(conn, rows)
        _progress(rt, job.id, total=len(rows), done=0)
        buffer = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # a large unit's ZIP is built on disk
        manifest = io.StringIO()
        writer = csv.writer(manifest, lineterminator="\r\n")
        writer.writerow(["nip", "nama", "periode", "revisi", "kode_verifikasi", "sha256", "berkas"])
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for n, row in enumerate(rows, 1):
                with rt.unit_of_work() as uow:
                    issued = issue(uow.conn, rt.settings, row)
                name = f"{row.nip}_{row.period_id}_r{row.revision}_{issued.code}.pdf"
                archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), issued.pdf)
                writer.writerow(
                    [
                        csv_cell(v)
                        for v in (
                            row.nip,
                            names.get(row.nip),
                            row.period_id,
                            row.revision,
                            issued.code,
                            issued.sha256,
                            name,
                        )
                    ]
                )
                if n % PROGRESS_EVERY == 0:
                    _progress(rt, job.id, done=n)
            archive.writestr(zipfile.ZipInfo("daftar.csv", ZIP_DATE), manifest.getvalue().encode("utf-8"))
        buffer.seek(0)
        data = buffer.read()
        buffer.close()
        _progress(
            rt,
            job.id,
            done=len(rows),
            status=store.DONE,
            zip=data,
            zip_sha256=hashlib.sha256(data).hexdigest(),
            finished_at=rt.clock.now(),
        )
    except Exception as exc:  # recorded for the admin; the worker goes on with the next job
        log.exception("document job failed", extra={"job_id": job.id})
        _progress(
            rt, job.id, status=store.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=rt.clock.now()
        )


def _names(conn, rows) -> dict[str, str]:
    from ..documents_store import names_of

    return names_of(conn, [r.nip for r in rows])
