"""The worker process: ``activity-service worker`` (outbox relay + the plan-service events consumer)."""

from kinerja_shared.worker import run_worker

from .service import SPEC


def main():
    run_worker(SPEC)
