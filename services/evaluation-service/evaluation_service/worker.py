"""The worker process: ``evaluation-service worker`` (outbox relay, the plan and activity
consumers, and the period clock that opens each new period's evaluations)."""

from kinerja_shared.worker import run_worker

from .service import SPEC


def main():
    run_worker(SPEC)
