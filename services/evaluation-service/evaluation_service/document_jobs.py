"""The bulk generation of a unit's evaluation documents for a period (one ZIP), run by the worker process.

An admin's POST queues a job (document_jobs_api); the worker's ``document_job_runner`` (a PeriodicJob) runs the
queued jobs (use_cases/document_jobs.py: claim, render, progress), then looks again every
EVALUATION_DOCUMENT_JOB_POLL_SECONDS (how often an idle worker looks for a job, default 5). The documents are
made by the routes' own use cases, which read the service's config: bound for the round.
"""

from __future__ import annotations

from kinerja_shared.jobs import PeriodicJob
from kinerja_shared.runtime import Runtime
from kinerja_shared.web.app_factory import job_runtime

from .document_jobs_store import DONE, FAILED, QUEUED, RUNNING  # noqa: F401  (the jobs' statuses)
from .use_cases.document_jobs import run_document_jobs


def poll_seconds(rt) -> float:
    """EVALUATION_DOCUMENT_JOB_POLL_SECONDS: a positive number, else 5."""
    raw = rt.settings.extra.get("EVALUATION_DOCUMENT_JOB_POLL_SECONDS") or "5"
    return float(raw) if raw.replace(".", "", 1).isdigit() and float(raw) > 0 else 5.0


def document_job_round(rt) -> int:
    """One round of the worker's job: every queued job, with the runtime bound for the documents' views."""
    with job_runtime(rt.spec, rt.settings, rt.engine):
        return run_document_jobs(rt)


document_job_runner = PeriodicJob("document_job_runner", document_job_round, interval=poll_seconds)


def run_pending(engine, settings) -> int:
    """Run queued jobs until none is left; how many ran (the worker's step, for tests and the benchmark)."""
    from .service import SPEC

    rt = Runtime(spec=SPEC, settings=settings, engine=engine, config=SPEC.load_config(settings))
    return document_job_round(rt)
